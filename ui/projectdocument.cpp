#include "projectdocument.h"

#include "template/revisionwriter.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QRegularExpression>
#include <QTimer>

namespace retort {

namespace {
constexpr int kWatchDelayMs = 300;       // one refresh for a burst (git pull, save-as-rename)
constexpr int kMaxWatchedScripts = 2000; // beyond, the folders only (inotify watches are finite)

// What makes a project openable at all: a readable config naming a script folder.
VoidResult checkProject(Project &project)
{
    auto config = project.config();
    if (!config)
        return config.error();
    auto scripts = project.scriptDirectory();
    if (!scripts)
        return scripts.error();
    return {};
}
} // namespace

ProjectDocument::ProjectDocument(QObject *parent)
    : QObject(parent)
    , m_watcher(new QFileSystemWatcher(this))
    , m_watchDelay(new QTimer(this))
{
    m_watchDelay->setSingleShot(true);
    m_watchDelay->setInterval(kWatchDelayMs);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_watchDelay, qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_watchDelay, qOverload<>(&QTimer::start));
    connect(m_watchDelay, &QTimer::timeout, this, &ProjectDocument::changedOnDisk);
}

void ProjectDocument::setWatchDelay(int ms)
{
    m_watchDelay->setInterval(ms);
}

ProjectDocument::~ProjectDocument() = default;

VoidResult ProjectDocument::open(const QString &iniPath)
{
    const QFileInfo info(iniPath);
    if (!info.isFile())
        return Error(tr("No config file %1 found").arg(iniPath));
    // Alembic resolves script_location, prepend_sys_path and relative SQLite paths
    // against the working directory, and projects are run from their own folder: do
    // the same, so the studio sees what `alembic` run next to alembic.ini sees.
    const QString previousDirectory = QDir::currentPath();
    QDir::setCurrent(info.absolutePath());
    auto project = std::make_unique<Project>(info.absoluteFilePath());
    if (VoidResult usable = checkProject(*project); !usable) {
        QDir::setCurrent(previousDirectory);   // the open project keeps its folder
        return usable;
    }
    m_project = std::move(project);
    VoidResult read = readGraph();
    watch();
    emit opened(m_project->iniPath());
    emit revisionsChanged();
    return read;
}

void ProjectDocument::close()
{
    m_project.reset();
    m_graph = RevisionGraph();
    m_warnings.clear();
    m_errorScripts.clear();
    watch();
    emit closed();
    emit revisionsChanged();
}

VoidResult ProjectDocument::reload()
{
    if (!m_project)
        return Error(tr("No project is open"));
    // A new Project: the ini (script_location, version_locations ...) is read again too.
    auto project = std::make_unique<Project>(m_project->iniPath());
    VoidResult read = checkProject(*project);
    if (read) {
        m_project = std::move(project);
        read = readGraph();
    } else {
        m_graph = RevisionGraph();
        m_warnings.clear();
        m_errorScripts.clear();   // the ini is watched anyway; it is no script to open
    }
    watch();
    emit revisionsChanged();
    return read;
}

VoidResult ProjectDocument::readGraph()
{
    m_warnings.clear();
    m_errorScripts.clear();
    auto graph = m_project->graph(&m_warnings);
    if (!graph) {
        m_graph = RevisionGraph();
        m_errorScripts = scriptsOfError(graph.error());
        return graph.error();
    }
    m_graph = **graph;
    return {};
}

QStringList ProjectDocument::scriptsOfError(const Error &error)
{
    if (!error.file.isEmpty())
        return {error.file};
    // "Cycle is detected in revisions (a, b)": no file, the revisions' ids.
    static const QRegularExpression cycle(QStringLiteral("is detected in revisions \\(([^)]*)\\)"));
    const QRegularExpressionMatch match = cycle.match(error.message);
    auto scripts = m_project->scriptDirectory();
    if (!match.hasMatch() || !scripts)
        return {};
    const QStringList ids = match.captured(1).split(QStringLiteral(", "), Qt::SkipEmptyParts);
    auto revisions = (*scripts)->loadRevisions();
    if (!revisions)
        return {};
    QStringList paths;
    for (const Revision &revision : *revisions) {
        if (ids.contains(revision.id) && !paths.contains(revision.path))
            paths << revision.path;
    }
    return paths;
}

// The ini, the script folder, the versions folders (files added, removed, renamed) and
// each script (edited in place); watches are set again after every read, as a file
// replaced by rename drops out of the watcher.
void ProjectDocument::watch()
{
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (!m_watcher->directories().isEmpty())
        m_watcher->removePaths(m_watcher->directories());
    if (!m_project)
        return;
    QStringList paths{m_project->iniPath()};
    if (auto scripts = m_project->scriptDirectory()) {
        paths << (*scripts)->dir();
        for (const QString &location : (*scripts)->versionLocations()) {
            if (QFileInfo::exists(location))
                paths << location;
        }
    }
    if (m_graph.size() <= kMaxWatchedScripts) {
        for (int i = 0; i < m_graph.size(); ++i)
            paths << m_graph.nodeAt(i)->path();
    }
    paths << m_errorScripts;
    paths.removeDuplicates();
    paths.removeAll(QString());
    m_watcher->addPaths(paths);
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
