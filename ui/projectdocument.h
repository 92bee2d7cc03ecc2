#pragma once
// The project the studio has open: its alembic.ini, revision graph and the scripts'
// warnings, plus the one project-changing action the shell offers itself, "Merge
// heads" (a merge revision written through core's RevisionWriter, as `alembic merge
// heads` does). No widgets and no SQL.

#include "services/project.h"
#include "result.h"

#include <QObject>
#include <QStringList>
#include <memory>

namespace retort {

class ProjectDocument : public QObject
{
    Q_OBJECT
public:
    explicit ProjectDocument(QObject *parent = nullptr);
    ~ProjectDocument() override;

    // Reads alembic.ini and the scripts. Makes the ini's folder the working directory
    // (where `alembic` is run from). A project whose scripts fail to read stays open,
    // empty, with the error returned; a missing/unreadable ini leaves none open.
    VoidResult open(const QString &iniPath);
    void close();
    // Re-reads the scripts (after an edit, a new file, or F5).
    VoidResult reload();

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
    // Status lines as Alembic prints them ("Generating <path> ...  done").
    void message(const QString &text);

private:
    VoidResult readGraph();

    std::unique_ptr<Project> m_project;
    RevisionGraph m_graph;
    QStringList m_warnings;
};

} // namespace retort
