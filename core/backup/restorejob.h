#pragma once
// Restores a backup written by BackupJob, as a job like BackupJob.
//
// SQLite: every connection to the file must be closed first (the caller's business: the
// studio closes its own before starting); the backup is copied next to the database and
// renamed over it, so the database is either the old or the restored file, never half
// of each. Stale -journal/-wal/-shm files are removed so SQLite cannot replay them onto
// the restored file.
// The restore is exact: what was created after the backup is gone afterwards, not only
// what the dump holds (pg_restore --clean and mysqldump's DROP TABLE drop only those).
// PostgreSQL: pg_restore turns the dump into SQL, and psql runs, in one transaction, a
// prologue that drops every user schema (recreating `public` with its owner and grants)
// followed by that SQL - a failure leaves the database as it was. MySQL/MariaDB: one mysql
// session drops every table and view of the database, then runs the dump (MySQL's DDL
// is not transactional: take a safety backup first, setSafetyBackup()).
//
// setSafetyBackup(): before anything is replaced, the current state is backed up (so a
// restore can itself be undone); a failing safety backup stops the restore.

#include "config/databaseurl.h"
#include "runtime/versiontableoptions.h"
#include "dumpcommand.h"
#include "result.h"

#include <QAtomicInt>
#include <QObject>
#include <QString>

namespace retort {

class RestoreJob : public QObject
{
    Q_OBJECT
public:
    RestoreJob(DatabaseUrl url, QString backupFile, QObject *parent = nullptr);
    ~RestoreJob() override;

    // Back the current database up to `path` first (skipped when there is none yet: a
    // SQLite file that does not exist).
    void setSafetyBackup(const QString &path, const QString &iniPath,
                         const VersionTableOptions &versionTable = {});
    QString safetyBackupPath() const { return m_safetyWritten; }

    void start();
    bool exec();
    void cancel();

    QString backupFile() const { return m_backup; }
    const Error &error() const { return m_error; }

signals:
    void progress(const QString &message);
    void finished(bool ok);

private:
    bool run();
    VoidResult restoreSqlite();
    VoidResult safetyBackup();
    VoidResult restorePostgres();
    VoidResult restoreMySql();
    Result<QByteArray> mySqlObjectDrops() const;
    VoidResult runCommand(const Result<DumpCommand> &command);

    DatabaseUrl m_url;
    QString m_backup;
    QAtomicInt m_cancelled;
    Error m_error;
    QString m_safetyPath;
    QString m_safetyIni;
    VersionTableOptions m_safetyVersionTable;
    QString m_safetyWritten;
};

} // namespace retort
