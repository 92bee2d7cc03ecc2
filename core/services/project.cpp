#include "project.h"

namespace retort {

Project::Project(QString iniPath, QString section, QStringList xArguments)
    : m_iniPath(std::move(iniPath)), m_section(std::move(section)), m_xArgs(std::move(xArguments))
{
}

Result<AlembicConfig *> Project::config()
{
    if (!m_config) {
        auto loaded = AlembicConfig::load(m_iniPath, m_section, m_xArgs);
        if (!loaded)
            return loaded.error();
        m_config = std::move(loaded).value();
    }
    return &*m_config;
}

Result<ScriptDirectory *> Project::scriptDirectory()
{
    if (!m_scripts) {
        auto cfg = config();
        if (!cfg)
            return cfg.error();
        auto dir = ScriptDirectory::fromConfig(**cfg);
        if (!dir)
            return dir.error();
        m_scripts = std::move(dir).value();
    }
    return &*m_scripts;
}

Result<const RevisionGraph *> Project::graph(QStringList *warnings)
{
    if (!m_graph) {
        auto dir = scriptDirectory();
        if (!dir)
            return dir.error();
        auto revisions = (*dir)->loadRevisions(warnings);
        if (!revisions)
            return revisions.error();
        auto built = RevisionGraph::build(std::move(revisions).value(), warnings);
        if (!built)
            return built.error();
        m_graph = std::move(built).value();
    }
    return &*m_graph;
}

} // namespace retort
