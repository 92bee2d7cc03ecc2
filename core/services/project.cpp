#include "project.h"

#include "pythonheaderreader.h"
#include "pythoninterpreterlocator.h"

#include <QFileInfo>

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

Result<const RevisionGraph *> Project::graph(QStringList *warnings, QStringList *notes)
{
    if (!m_graph) {
        auto dir = scriptDirectory();
        if (!dir)
            return dir.error();
        // Header values that are not literals are read as Alembic reads them: by importing
        // the scripts with the project's interpreter (located only when needed).
        const AlembicConfig *cfg = *config();
        const ScriptSettings settings = (*dir)->settings();
        HeaderResolver resolver = [cfg, settings, notes](const QVector<UnreadHeader> &unread)
            -> Result<QHash<QString, QJsonObject>> {
            const QString configured = cfg->mainOption(QStringLiteral("retort_python")).value().value_or(QString());
            const PythonInterpreter python =
                PythonInterpreterLocator::locate(configured, QFileInfo(cfg->configFileName()).absolutePath());
            PythonHeaderOptions options;
            options.python = python.path;
            options.pythonOrigin = python.origin;
            options.rejected = python.rejected;
            options.prependSysPath = settings.prependSysPath;
            options.configFile = QFileInfo(cfg->configFileName()).absoluteFilePath();
            PythonHeaderReader reader(options);
            auto values = reader.read(unread);
            if (notes)
                notes->append(reader.notes());
            return values;
        };
        auto revisions = (*dir)->loadRevisions(warnings, resolver);
        if (!revisions)
            return revisions.error();
        if (m_onScriptsRead)
            m_onScriptsRead(*revisions);
        auto built = RevisionGraph::build(std::move(revisions).value(), warnings);
        if (!built)
            return built.error();
        m_graph = std::move(built).value();
    }
    return &*m_graph;
}

} // namespace retort
