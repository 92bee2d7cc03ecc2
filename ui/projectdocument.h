#pragma once
// The project the studio has open: its alembic.ini, revision graph and the scripts'
// warnings, plus the one project-changing action the shell offers itself, "Merge
// heads" (a merge revision written through core's RevisionWriter, as `alembic merge
// heads` does). Watches alembic.ini, the versions folders and the scripts, and says
// when they changed on disk (debounced: a `git pull` is one change). No widgets and no SQL.

#include "services/project.h"
#include "result.h"

#include <QObject>
#include <QStringList>
#include <memory>

class QFileSystemWatcher;
class QTimer;

namespace retort {

class ProjectDocument : public QObject
{
    Q_OBJECT
public:
    explicit ProjectDocument(QObject *parent = nullptr);
    ~ProjectDocument() override;

    // Reads alembic.ini and the scripts. Makes the ini's folder the working directory
    // (where `alembic` is run from). A project whose scripts fail to read is open, with
    // an empty graph and the error returned. An ini that is missing or unreadable, or
    // names no script folder, returns the error and leaves the open project (if any) as
    // it was: opened() is emitted only when the project was replaced.
    VoidResult open(const QString &iniPath);
    void close();
    // Re-reads alembic.ini and the scripts (after an edit, a new file, F5, or a change
    // on disk). An error empties the graph; the project stays open.
    VoidResult reload();
    // The scripts an error of the last read is about: the file it names, or the
    // revisions of a cycle. For "go to the script" from the banner.
    QStringList errorScripts() const { return m_errorScripts; }
    // Debounce of the file watcher, in ms (tests shorten it).
    void setWatchDelay(int ms);

    bool isOpen() const { return m_project != nullptr; }
    QString iniPath() const;
    QString displayName() const;   // folder of the ini
    // Valid while open; empty after a failed read.
    const RevisionGraph &graph() const { return m_graph; }
    QStringList warnings() const { return m_warnings; }
    QString versionsDirectory() const;
    QString scriptPath(const QString &revisionId) const;

    // `alembic merge heads -m <message>`: returns the new file's path.
    Result<QString> mergeHeads(const QString &message);

signals:
    void opened(const QString &iniPath);
    void closed();
    void revisionsChanged();
    // alembic.ini, a versions folder or a script changed on disk (after the debounce);
    // the document has not re-read anything yet.
    void changedOnDisk();
    // Status lines as Alembic prints them ("Generating <path> ...  done").
    void message(const QString &text);

private:
    VoidResult readGraph();
    void watch();
    QStringList scriptsOfError(const Error &error);

    std::unique_ptr<Project> m_project;
    RevisionGraph m_graph;
    QStringList m_warnings;
    QStringList m_errorScripts;
    QFileSystemWatcher *m_watcher;
    QTimer *m_watchDelay;
};

} // namespace retort
