#include "projectdocument.h"

#include "template/revisionwriter.h"

#include <QDir>
#include <QFileInfo>

namespace retort {

ProjectDocument::ProjectDocument(QObject *parent)
    : QObject(parent)
{
}

ProjectDocument::~ProjectDocument() = default;

VoidResult ProjectDocument::open(const QString &iniPath)
{
    if (m_project)
        close();
    const QFileInfo info(iniPath);
    if (!info.isFile())
        return Error(tr("No config file %1 found").arg(iniPath));
    // Alembic resolves script_location, prepend_sys_path and relative SQLite paths
    // against the working directory, and projects are run from their own folder: do
    // the same, so the studio sees what `alembic` run next to alembic.ini sees.
    QDir::setCurrent(info.absolutePath());
    auto project = std::make_unique<Project>(info.absoluteFilePath());
    auto config = project->config();
    if (!config)
        return config.error();
    auto scripts = project->scriptDirectory();
    if (!scripts)
        return scripts.error();
    m_project = std::move(project);
    VoidResult read = readGraph();
    emit opened(m_project->iniPath());
    emit revisionsChanged();
    return read;
}

void ProjectDocument::close()
{
    m_project.reset();
    m_graph = RevisionGraph();
    m_warnings.clear();
    emit closed();
    emit revisionsChanged();
}

VoidResult ProjectDocument::reload()
{
    if (!m_project)
        return Error(tr("No project is open"));
    m_project->reloadRevisions();
    VoidResult read = readGraph();
    emit revisionsChanged();
    return read;
}

VoidResult ProjectDocument::readGraph()
{
    m_warnings.clear();
    auto graph = m_project->graph(&m_warnings);
    if (!graph) {
        m_graph = RevisionGraph();
        return graph.error();
    }
    m_graph = **graph;
    return {};
}

QString ProjectDocument::iniPath() const
{
    return m_project ? m_project->iniPath() : QString();
}

QString ProjectDocument::displayName() const
{
    return m_project ? QFileInfo(m_project->iniPath()).absoluteDir().dirName() : QString();
}

QString ProjectDocument::versionsDirectory() const
{
    if (!m_project)
        return {};
    auto scripts = m_project->scriptDirectory();
    if (!scripts)
        return {};
    const QStringList locations = (*scripts)->versionLocations();
    return locations.isEmpty() ? (*scripts)->dir() : locations.join(QStringLiteral(", "));
}

QString ProjectDocument::scriptPath(const QString &revisionId) const
{
    const RevisionNode *node = m_graph.node(revisionId);
    return node ? node->path() : QString();
}

Result<QString> ProjectDocument::mergeHeads(const QString &message)
{
    if (!m_project)
        return Error(tr("No project is open"));
    auto config = m_project->config();
    if (!config)
        return config.error();
    auto settings = (*config)->scriptSettings();
    if (!settings)
        return settings.error();
    const QStringList heads = m_graph.heads();
    if (heads.size() < 2)
        return Error(tr("There is only one head; nothing to merge"));

    // As command.merge with revisions=["heads"]: parents resolved by get_revisions().
    auto nodes = m_graph.revisions(QStringLiteral("heads")).toResult();
    if (!nodes)
        return nodes.error();
    RevisionRequest request;
    request.settings = *settings;
    for (const RevisionNode *node : *nodes) {
        RevisionParent parent;
        parent.revision = node->id();
        parent.path = node->path();
        parent.isHead = node->isHead();
        request.heads << parent;
    }
    if (!message.isEmpty())
        request.message = message;
    request.templateArgs = RevisionWriter::mergeTemplateArgs();
    auto written = RevisionWriter::write(request, [this](const Message &m) {
        if (m.kind != Message::StatusDone)
            emit this->message(m.plainText().trimmed());
    });
    if (!written)
        return written.error();
    VoidResult read = reload();
    if (!read)
        return read.error();
    return written->path;
}

} // namespace retort
