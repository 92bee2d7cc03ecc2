#include "migrationcontroller.h"

#include "migrationconfirmationdelegate.h"
#include "migrationworker.h"

#include <QThread>

namespace retort {

MigrationController::MigrationController(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<retort::ApplyRequest>();
}

MigrationController::~MigrationController()
{
    if (!m_thread)
        return;
    m_worker->cancel();
    // The session's connection belongs to the worker thread: close it there.
    MigrationWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker] { worker->discard(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
}

void MigrationController::ensureWorker()
{
    if (m_thread)
        return;
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("retort-migration"));
    m_worker = new MigrationWorker(m_factory);
    m_worker->moveToThread(m_thread);
    connect(m_worker, &MigrationWorker::stepProgress, this, &MigrationController::stepProgress);
    connect(m_worker, &MigrationWorker::statementExecuted, this, &MigrationController::statementExecuted);
    connect(m_worker, &MigrationWorker::logLine, this, &MigrationController::logLine);
    connect(m_worker, &MigrationWorker::backupCreated, this, [this](const QString &path) {
        m_lastBackup = path;
        emit backupCreated(path);
    });
    connect(m_worker, &MigrationWorker::safetyBackupCreated, this, &MigrationController::backupCreated);
    connect(m_worker, &MigrationWorker::planned, this, &MigrationController::onPlanned);
    connect(m_worker, &MigrationWorker::headsForRollBack, this, &MigrationController::onHeadsForRollBack);
    connect(m_worker, &MigrationWorker::runFinished, this, &MigrationController::onRunFinished);
    connect(m_worker, &MigrationWorker::restoreFinished, this, &MigrationController::onRestoreFinished);
    connect(m_worker, &MigrationWorker::backupFinished, this, &MigrationController::finish);
    m_thread->start();
}

void MigrationController::upgradeTo(const QString &revision)
{
    request(MigrationSession::Upgrade, revision, tr("Upgrading to %1").arg(revision), false);
}

void MigrationController::downgradeTo(const QString &revision)
{
    request(MigrationSession::Downgrade, revision, tr("Downgrading to %1").arg(revision), false);
}

void MigrationController::rollBackLast()
{
    request(MigrationSession::Downgrade, QString(), tr("Rolling back the last migration"), true);
}

void MigrationController::cancel()
{
    if (m_worker)
        m_worker->cancel();
}

// One job at a time, for an open project: refused with finished(false, why), else started.
bool MigrationController::begin(const QString &description)
{
    if (m_running) {
        emit finished(false, tr("A migration is already running"));
        return false;
    }
    if (m_spec.iniPath.isEmpty()) {
        emit finished(false, tr("No project is open"));
        return false;
    }
    m_running = true;
    m_failure.clear();
    emit started(description);
    ensureWorker();
    return true;
}

void MigrationController::request(MigrationSession::Direction direction, const QString &target,
                                  const QString &description, bool rollBack)
{
    if (!begin(description))
        return;
    plan(direction, target, rollBack);
}

void MigrationController::plan(MigrationSession::Direction direction, const QString &target,
                               bool rollBack)
{
    MigrationWorker *worker = m_worker;
    const MigrationProjectSpec spec = m_spec;
    QMetaObject::invokeMethod(worker, [=] { worker->plan(spec, direction, target, rollBack); },
                              Qt::QueuedConnection);
}

void MigrationController::onHeadsForRollBack(const QStringList &heads)
{
    const QString head = m_delegate ? m_delegate->chooseHead(heads) : heads.value(0);
    if (head.isEmpty()) {
        finish(false, cancelledMessage());
        return;
    }
    // "<head>@-1" steps back on that head's branch only ("<head>-1" would mean "down to
    // the revision below <head>", taking every other branch above it along).
    plan(MigrationSession::Downgrade, head + QStringLiteral("@-1"), false);
}

void MigrationController::onPlanned(const ApplyRequest &request, bool ok, const QString &error,
                                    int stepCount)
{
    if (!ok) {
        finish(false, error);
        return;
    }
    if (stepCount == 0) {
        finish(true, tr("Nothing to do: the database is already there"));
        return;
    }
    ApplyRequest answer = request;
    answer.backupFirst = true;
    if (m_delegate && !m_delegate->confirmApply(answer)) {
        finish(false, cancelledMessage());
        return;
    }
    MigrationWorker *worker = m_worker;
    const bool backupFirst = answer.backupFirst;
    const bool rehearseFirst = answer.canRehearse && answer.rehearseFirst;
    const BackupLocation location = m_backups;
    QMetaObject::invokeMethod(worker, [=] { worker->run(backupFirst, location, rehearseFirst); },
                              Qt::QueuedConnection);
}

void MigrationController::onRunFinished(bool ok, const QString &message, bool changed,
                                        const QString &backup)
{
    if (changed)
        emit databaseChanged();
    if (ok || backup.isEmpty()) {
        finish(ok, message);
        return;
    }
    emit logLine(QStringLiteral("ERROR: ") + message);
    if (!m_delegate || !m_delegate->offerRestore(message, backup)) {
        finish(false, message);
        return;
    }
    m_failure = message;
    emit aboutToRestore();
    MigrationWorker *worker = m_worker;
    const BackupLocation location = m_backups;
    QMetaObject::invokeMethod(worker, [=] { worker->restore(backup, location); }, Qt::QueuedConnection);
}

void MigrationController::backupNow()
{
    if (!begin(tr("Backing up the database")))
        return;
    MigrationWorker *worker = m_worker;
    const MigrationProjectSpec spec = m_spec;
    const BackupLocation location = m_backups;
    QMetaObject::invokeMethod(worker, [=] { worker->backupNow(spec, location); }, Qt::QueuedConnection);
}

void MigrationController::restoreBackup(const QString &backupPath)
{
    if (!begin(tr("Restoring %1").arg(backupPath)))
        return;
    emit aboutToRestore();
    MigrationWorker *worker = m_worker;
    const MigrationProjectSpec spec = m_spec;
    const BackupLocation location = m_backups;
    QMetaObject::invokeMethod(worker, [=] { worker->restoreFile(spec, backupPath, location); },
                              Qt::QueuedConnection);
}

void MigrationController::onRestoreFinished(bool ok, const QString &message)
{
    emit logLine(message);
    emit databaseChanged();
    if (m_failure.isEmpty()) {   // restoreBackup(): no failed run before it
        finish(ok, message);
        return;
    }
    finish(false, ok ? tr("%1\nThe backup was restored.").arg(m_failure)
                     : tr("%1\nRestoring the backup failed: %2").arg(m_failure, message));
}

QString MigrationController::cancelledMessage()
{
    return tr("Cancelled: nothing was run");
}

void MigrationController::finish(bool ok, const QString &message)
{
    // Release the worker's connection so the database file is not held between runs.
    MigrationWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker] { worker->discard(); }, Qt::QueuedConnection);
    m_running = false;
    emit finished(ok, message);
}

} // namespace retort
