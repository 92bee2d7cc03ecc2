#pragma once
// Runs "Upgrade to here", "Downgrade to here" and "Roll back last migration" for the
// studio without blocking it: a worker thread with its own database connection plans the
// run, the GUI thread asks the MigrationConfirmationDelegate (steps + SQL, "Back up
// first"), the worker backs up (BackupJob), runs the plan with MigrationExecutor step by step
// (cancel() is honoured between steps) and, after a failure with a backup, the delegate
// is offered a RestoreJob. No widgets: the shell connects the signals to its progress
// bar, LogView and status bar.
//
// One run at a time: requests while isRunning() are refused with finished(false, ...).

#include "backup/backuplocation.h"
#include "migrationsession.h"

#include <QObject>
#include <QString>

class QThread;

namespace retort {

struct ApplyRequest;
class MigrationConfirmationDelegate;
class MigrationWorker;

class MigrationController : public QObject
{
    Q_OBJECT
public:
    // finished()'s message when the user declined the run (not an error).
    static QString cancelledMessage();
    explicit MigrationController(QObject *parent = nullptr);
    ~MigrationController() override;   // cancels and joins the worker

    // The project and connection to run against (read when a run starts).
    void setProject(const MigrationProjectSpec &spec) { m_spec = spec; }
    MigrationProjectSpec project() const { return m_spec; }
    // Not owned. Null: every plan is run (with a backup), the first head is rolled back,
    // a failed run is not restored.
    void setConfirmationDelegate(MigrationConfirmationDelegate *delegate) { m_delegate = delegate; }
    MigrationConfirmationDelegate *confirmationDelegate() const { return m_delegate; }
    void setBackupLocation(const BackupLocation &location) { m_backups = location; }
    const BackupLocation &backupLocation() const { return m_backups; }
    // Called in the worker thread; default: MigrationSession's.
    void setBodyProviderFactory(MigrationSession::BodyProviderFactory factory)
    { m_factory = std::move(factory); }

    bool isRunning() const { return m_running; }
    // The backup taken before the last run (not the one of the state before a restore).
    QString lastBackupPath() const { return m_lastBackup; }

public slots:
    void upgradeTo(const QString &revision);
    void downgradeTo(const QString &revision);
    // Downgrade "-1" from the current head; with several heads the delegate picks one
    // ("<head>@-1", Alembic's branch-relative form).
    void rollBackLast();
    // Restores a backup into the project's database (the Backups view, after it asked):
    // aboutToRestore(), a safety backup of the current state, the restore, databaseChanged().
    void restoreBackup(const QString &backupPath);
    // Backs the project's database up now (the Backups view); finished() follows.
    void backupNow();
    void cancel();

signals:
    void started(const QString &description);
    void stepProgress(int index, int count, const QString &shortLog);   // index 0-based, before the step
    void statementExecuted(const QString &sql, qint64 elapsedMs);
    void logLine(const QString &line);
    // Any backup written: before a run, or of the state before a restore.
    void backupCreated(const QString &path);
    // Emitted (direct, GUI thread) just before a restore replaces the database: close
    // every connection to it now; databaseChanged() follows.
    void aboutToRestore();
    void finished(bool ok, const QString &message);
    void databaseChanged();

private:
    void request(MigrationSession::Direction direction, const QString &target,
                 const QString &description, bool rollBack);
    void plan(MigrationSession::Direction direction, const QString &target, bool rollBack);
    void onPlanned(const ApplyRequest &request, bool ok, const QString &error, int stepCount);
    void onHeadsForRollBack(const QStringList &heads);
    void onRunFinished(bool ok, const QString &message, bool changed, const QString &backup);
    void onRestoreFinished(bool ok, const QString &message);
    void finish(bool ok, const QString &message);
    void ensureWorker();
    bool begin(const QString &description);

    MigrationProjectSpec m_spec;
    MigrationConfirmationDelegate *m_delegate = nullptr;
    BackupLocation m_backups;
    MigrationSession::BodyProviderFactory m_factory;
    QThread *m_thread = nullptr;
    MigrationWorker *m_worker = nullptr;
    bool m_running = false;
    QString m_lastBackup;
    QString m_failure;   // the run's error while a restore runs
};

} // namespace retort
