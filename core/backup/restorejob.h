#pragma once
// Restores a backup written by BackupJob, as a job like BackupJob.
//
// SQLite: every connection to the file must be closed first (the caller's business: the
// studio closes its own before starting); the backup is copied next to the database and
// renamed over it, so the database is either the old or the restored file, never half
// of each. Stale -journal/-wal/-shm files are removed so SQLite cannot replay them onto
// the restored file.
// PostgreSQL: pg_restore --clean --if-exists --single-transaction (objects created after
// the backup and not in it are left alone). MySQL/MariaDB: mysql <db> < dump.

#include "config/databaseurl.h"
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
    VoidResult runTool();

    DatabaseUrl m_url;
    QString m_backup;
    QAtomicInt m_cancelled;
    Error m_error;
};

} // namespace retort
