#pragma once
// Backs a database up before a migration, as a job (KJob style, like MigrationRunner):
// start() runs it from the event loop, exec() synchronously; progress and finished
// arrive as signals; cancel() stops a running dump tool.
//
// SQLite: `VACUUM INTO '<file>'` on a DatabaseConnection - a consistent copy taken while
// others may be reading, and a plain SQLite file that can be restored by copying it back.
// PostgreSQL: pg_dump --format=custom. MySQL/MariaDB: mysqldump (or mariadb-dump)
// --single-transaction. Server passwords reach the tools through the environment only.
// Next to the dump it writes a BackupInfo sidecar (time, masked URL, the version table's
// heads at backup time, the project's ini) so catalogues list backups without opening them.

#include "backupinfo.h"
#include "config/databaseurl.h"
#include "runtime/versiontableoptions.h"
#include "result.h"

#include <QAtomicInt>
#include <memory>
#include <QObject>
#include <QString>

namespace retort {

class DatabaseConnection;

class BackupJob : public QObject
{
    Q_OBJECT
public:
    // Writes a backup of `url`'s database to `outputFile` (must not exist; its folder is
    // created).
    BackupJob(DatabaseUrl url, QString outputFile, QObject *parent = nullptr);
    ~BackupJob() override;

    // SQLite: run VACUUM INTO on this connection (same thread as the job) instead of
    // opening one. It must not be inside a transaction.
    void setConnection(DatabaseConnection *connection) { m_connection = connection; }

    // Recorded in the sidecar. Without setRevisions() the heads are read from the version
    // table (setVersionTable(), default alembic_version); a missing table records none.
    void setProject(const QString &iniPath) { m_iniPath = iniPath; }
    void setVersionTable(const VersionTableOptions &options) { m_versionTable = options; }
    void setRevisions(const QStringList &heads) { m_revisions = heads; m_revisionsKnown = true; }
    void setNote(const QString &note) { m_note = note; }

    void start();   // runs on the next event-loop turn; ends with finished()
    bool exec();    // runs now; returns the same as finished()
    void cancel();  // thread-safe

    QString outputFile() const { return m_output; }
    const Error &error() const { return m_error; }
    // After a successful run: what the sidecar holds.
    const BackupInfo &info() const { return m_info; }
    bool wasCancelled() const { return m_cancelled.loadRelaxed() != 0; }

signals:
    void progress(const QString &message);   // "Backing up ... to <file>", tool stderr lines
    void finished(bool ok);

private:
    bool run();
    VoidResult backupSqlite();
    VoidResult runTool();
    Result<bool> mySqlHasEvents();
    Result<DatabaseConnection *> connection(std::unique_ptr<DatabaseConnection> &own) const;
    QStringList readRevisions();

    DatabaseUrl m_url;
    QString m_output;
    DatabaseConnection *m_connection = nullptr;
    QAtomicInt m_cancelled;
    Error m_error;
    QString m_iniPath;
    VersionTableOptions m_versionTable;
    QStringList m_revisions;
    bool m_revisionsKnown = false;
    QString m_note;
    BackupInfo m_info;
};

} // namespace retort
