#pragma once
// MigrationController's half in the worker thread: owns the MigrationSession (and so the
// thread's own database connection) between planning and running, runs BackupJob,
// MigrationExecutor and RestoreJob synchronously there and reports through signals
// (queued to the controller). Internal to the controller.

#include "migrationconfirmationdelegate.h"
#include "migrationsession.h"
#include "backup/backuplocation.h"

#include <QAtomicInt>
#include <QAtomicPointer>
#include <QObject>
#include <memory>

namespace retort {

class BackupJob;
class MigrationExecutor;
class Rehearsal;

class MigrationWorker : public QObject, private MigrationLogSink
{
    Q_OBJECT
public:
    explicit MigrationWorker(MigrationSession::BodyProviderFactory factory);
    ~MigrationWorker() override;

    // Worker thread (call through a queued invoke).
    void plan(const MigrationProjectSpec &spec, int direction, const QString &target, bool rollBack);
    // backupFirst: into location.newBackupPath(spec ini, dialect). rehearseFirst: the plan
    // runs on a scratch copy first (Rehearsal, its report in the log); the real run only
    // when that succeeded.
    void run(bool backupFirst, const BackupLocation &location, bool rehearseFirst = false);
    // Backs the current state up into `location` first (safety backup), then restores.
    void restore(const QString &backupPath, const BackupLocation &location);
    // A restore the user asked for (the Backups view): opens the project to find its database.
    void restoreFile(const MigrationProjectSpec &spec, const QString &backupPath,
                     const BackupLocation &location);
    // A backup the user asked for (the Backups view), with the version table's heads.
    void backupNow(const MigrationProjectSpec &spec, const BackupLocation &location);
    void discard();   // closes the session and its connection

    // Any thread.
    void cancel();

signals:
    void headsForRollBack(const QStringList &heads);
    void planned(const retort::ApplyRequest &request, bool ok, const QString &error, int stepCount);
    void stepProgress(int index, int count, const QString &shortLog);
    void statementExecuted(const QString &sql, qint64 elapsedMs);
    void logLine(const QString &line);
    void backupCreated(const QString &path);
    void rehearsed(bool ok, const QStringList &report);   // before the real run (also in logLine)
    void safetyBackupCreated(const QString &path);   // the state before a restore
    void runFinished(bool ok, const QString &message, bool changed, const QString &backupPath);
    void restoreFinished(bool ok, const QString &message);
    void backupFinished(bool ok, const QString &message);

private:
    void setRehearsalDefault(ApplyRequest &request);
    bool rehearse();
    void info(const QString &logger, const QString &message) override;
    // A script's print() output: shown in the log pane, line by line.
    void output(const QString &text) override;

    MigrationSession::BodyProviderFactory m_factory;
    std::unique_ptr<MigrationSession> m_session;
    std::optional<MigrationPlan> m_plan;
    QString m_target;
    QString m_iniPath;
    QAtomicInt m_cancelled;
    QAtomicPointer<MigrationExecutor> m_executor;
    QAtomicPointer<BackupJob> m_backup;
    QAtomicPointer<Rehearsal> m_rehearsal;
};

} // namespace retort

Q_DECLARE_METATYPE(retort::ApplyRequest)
