#include "migrationworker.h"

#include "services/handoffrouter.h"

#include "backup/backupinfo.h"
#include "backup/backupjob.h"
#include "backup/restorejob.h"
#include "services/migrationexecutor.h"
#include "ddl/scriptstepbodyprovider.h"
#include "proof/databasecopy.h"
#include "proof/rehearsal.h"
#include "review/planreview.h"

#include <QFileInfo>

namespace retort {

MigrationWorker::MigrationWorker(MigrationSession::BodyProviderFactory factory)
    : m_factory(std::move(factory))
{
}

MigrationWorker::~MigrationWorker() = default;

void MigrationWorker::info(const QString &logger, const QString &message)
{
    Q_UNUSED(logger);
    emit logLine(message);
}

void MigrationWorker::output(const QString &text)
{
    QString lines = text;
    if (lines.endsWith(QLatin1Char('\n')))
        lines.chop(1);
    for (const QString &line : lines.split(QLatin1Char('\n')))
        emit logLine(line);
}

void MigrationWorker::cancel()
{
    m_cancelled.storeRelaxed(1);
    if (MigrationExecutor *executor = m_executor.loadAcquire())
        executor->cancel();
    if (BackupJob *backup = m_backup.loadAcquire())
        backup->cancel();   // kills a long pg_dump / mysqldump
    if (Rehearsal *rehearsal = m_rehearsal.loadAcquire())
        rehearsal->cancel();
}

void MigrationWorker::discard()
{
    m_plan.reset();
    m_session.reset();
}

void MigrationWorker::plan(const MigrationProjectSpec &spec, int direction, const QString &target,
                           bool rollBack)
{
    m_cancelled.storeRelaxed(0);
    m_plan.reset();
    m_iniPath = spec.iniPath;
    ApplyRequest request;
    auto fail = [&](const QString &message) {
        m_session.reset();
        emit planned(request, false, message, 0);
    };
    m_session = std::make_unique<MigrationSession>(spec, static_cast<MigrationLogSink &>(*this), m_factory);
    VoidResult opened = m_session->open(true);
    if (!opened)
        return fail(opened.error().toString());
    auto heads = m_session->currentHeads();
    if (!heads)
        return fail(heads.error().toString());
    QString destination = target;
    if (rollBack) {
        if (heads->isEmpty())
            return fail(tr("Nothing to roll back: the database has no applied revision"));
        if (heads->size() > 1) {
            // The controller asks which head and plans again with "<head>@-1".
            emit headsForRollBack(*heads);
            return;
        }
        destination = QStringLiteral("-1");
    }
    const auto dir = static_cast<MigrationSession::Direction>(direction);
    auto plan = m_session->plan(dir, destination, *heads);
    if (!plan)
        return fail(plan.error().toString());
    for (const QString &w : plan->warnings)
        emit logLine(QStringLiteral("WARNING: ") + w);
    request.title = (dir == MigrationSession::Upgrade ? tr("Upgrade to %1")
                                                      : tr("Downgrade to %1"))
                        .arg(destination);
    request.databaseUrl = m_session->environment().obfuscatedUrl();
    request.steps = m_session->previewSteps(*plan);
    // Counted now, on this connection, before anything runs (read-only SELECTs).
    request.review = PlanReview(dynamic_cast<ScriptStepBodyProvider *>(m_session->bodies()),
                                m_session->connection()).review(*plan);
    setRehearsalDefault(request);
    m_target = destination;
    const int count = int(plan->steps.size());
    m_plan = std::move(*plan);
    emit planned(request, true, {}, count);
}

// On for PostgreSQL/MySQL when the user may create the scratch database; off for SQLite
// (a local file: the copy is cheap, but so is a backup); never for one multidb engine.
void MigrationWorker::setRehearsalDefault(ApplyRequest &request)
{
    const DatabaseUrl &url = m_session->environment().url();
    request.canRehearse = m_session->engine().isEmpty() && !url.isSqliteMemory();
    request.rehearseFirst = false;
    if (!request.canRehearse || url.backendName() == QLatin1String("sqlite") || !m_session->connection())
        return;
    auto may = DatabaseCopy::canCreateDatabases(*m_session->connection());
    request.rehearseFirst = may && *may;
}

// The plan on a scratch copy, its report in the log; false (and runFinished) when it failed.
bool MigrationWorker::rehearse()
{
    Rehearsal rehearsal(m_session->project(), static_cast<MigrationLogSink &>(*this));
    m_rehearsal.storeRelease(&rehearsal);
    if (m_cancelled.loadRelaxed())
        rehearsal.cancel();
    emit logLine(tr("Rehearsing on a copy of the database first"));
    const RehearsalReport report = rehearsal.run(m_session->environment().url(), *m_plan);
    m_rehearsal.storeRelease(nullptr);
    for (const QString &line : report.lines())
        emit logLine(line);
    emit rehearsed(report.ok, report.lines());
    if (report.ok && !m_cancelled.loadRelaxed())
        return true;
    emit runFinished(false, report.ok ? tr("Cancelled after the rehearsal; nothing was changed")
                                      : tr("Rehearsal on a copy failed, nothing was changed: %1").arg(report.error.message),
                     false, {});
    m_plan.reset();
    return false;
}

void MigrationWorker::run(bool backupFirst, const BackupLocation &location, bool rehearseFirst)
{
    if (!m_session || !m_plan) {
        emit runFinished(false, tr("Nothing planned"), false, {});
        return;
    }
    MigrationEnvironment &env = m_session->environment();
    // Multidb: Alembic's env.py would migrate every engine, not this one alone, so a step
    // only Alembic can run against the database is refused (rendered ones run here).
    if (auto *script = dynamic_cast<ScriptStepBodyProvider *>(m_session->bodies()); script && !m_session->engine().isEmpty()) {
        const QVector<StepRoute> routes =
            HandoffRouter(*script, env.dialect(), false, env.versionTable().table).route(*m_plan);
        for (int i = 0; i < routes.size(); ++i) {
            if (routes.at(i).kind != StepRoute::Online)
                continue;
            emit runFinished(false, tr("revision %1 needs Python for engine %2 (%3, line %4) and must run "
                                                   "in Alembic against the database (it %5); the studio cannot hand "
                                                   "one engine's step to Alembic. Nothing was changed; run `alembic` "
                                                   "for it.")
                                        .arg(m_plan->steps.at(i).revision, m_session->engine(), routes.at(i).why.reason)
                                        .arg(routes.at(i).why.line).arg(routes.at(i).onlineReason),
                             false, {});
            return;
        }
    }
    if (rehearseFirst && !rehearse())
        return;
    QString backupPath;
    if (backupFirst) {
        backupPath = location.newBackupPath(m_iniPath, env.dialect());
        BackupJob backup(env.url(), backupPath);
        backup.setProject(m_iniPath);
        backup.setVersionTable(env.versionTable());
        backup.setNote(QStringLiteral("before %1").arg(m_target.isEmpty() ? QStringLiteral("a run") : QStringLiteral("migrating to ") + m_target));
        if (env.url().backendName() == QLatin1String("sqlite"))
            backup.setConnection(m_session->connection());
        connect(&backup, &BackupJob::progress, this, &MigrationWorker::logLine);
        m_backup.storeRelease(&backup);
        const bool backedUp = !m_cancelled.loadRelaxed() && backup.exec();
        m_backup.storeRelease(nullptr);
        if (!backedUp) {
            emit runFinished(false, tr("Backup failed, nothing was changed: ")
                                        + backup.error().toString(), false, {});
            return;
        }
        emit backupCreated(backupPath);
    }
    if (m_cancelled.loadRelaxed()) {
        emit runFinished(false, tr("Cancelled before the first step"), false, backupPath);
        return;
    }
    // Native steps run here; a step needing Python goes to the project's Alembic, as in the CLI.
    MigrationExecutor executor(m_session->project(), env, static_cast<MigrationLogSink &>(*this),
                               m_session->urlOverride());
    executor.setBodyProvider(m_session->bodies());
    connect(&executor, &MigrationExecutor::stepStarted, this, &MigrationWorker::stepProgress);
    connect(&executor, &MigrationExecutor::statementExecuted, this, &MigrationWorker::statementExecuted);
    connect(&executor, &MigrationExecutor::pythonOutput, this, &MigrationWorker::logLine);
    // Whether any step began: before that (Stop while waiting for the lock, a plan the
    // database moved away from) nothing was changed and there is nothing to restore.
    bool started = false;
    connect(&executor, &MigrationExecutor::stepStarted, this, [&started] { started = true; });
    m_executor.storeRelease(&executor);
    if (m_cancelled.loadRelaxed())
        executor.cancel();
    const VoidResult result = executor.exec(*m_plan);
    m_executor.storeRelease(nullptr);
    const bool ok = bool(result);
    const int done = executor.completedSteps();
    const int count = int(m_plan->steps.size());
    QString message;
    if (ok)
        message = (count == 1 ? tr("Migrated to %1 (1 step)") : tr("Migrated to %1 (%n steps)", nullptr, count)).arg(m_target);
    else if (executor.wasCancelled())
        message = tr("Cancelled after %1 of %n steps", nullptr, count).arg(done);
    else
        message = result.error().toString();
    m_plan.reset();
    if (!ok && !started) {
        const bool said = message.contains(QLatin1String("Nothing was run"));
        emit runFinished(false, said ? message : message + tr(". Nothing was changed."), false, {});
        return;
    }
    emit runFinished(ok, message, done > 0, backupPath);
}

void MigrationWorker::restore(const QString &backupPath, const BackupLocation &location)
{
    if (!m_session) {
        emit restoreFinished(false, tr("No database to restore"));
        return;
    }
    const DatabaseUrl url = m_session->environment().url();
    const Dialect dialect = m_session->environment().dialect();
    const VersionTableOptions versionTable = m_session->environment().versionTable();
    // SQLite's file is replaced: this thread's connection must be gone first.
    m_session->close();
    RestoreJob job(url, backupPath);
    job.setSafetyBackup(location.newBackupPath(m_iniPath, dialect), m_iniPath, versionTable);
    connect(&job, &RestoreJob::progress, this, &MigrationWorker::logLine);
    const bool ok = job.exec();
    m_session.reset();
    if (!job.safetyBackupPath().isEmpty())
        emit safetyBackupCreated(job.safetyBackupPath());
    emit restoreFinished(ok, ok ? tr("Restored the backup %1").arg(backupPath)
                                : job.error().toString());
}

void MigrationWorker::backupNow(const MigrationProjectSpec &spec, const BackupLocation &location)
{
    m_cancelled.storeRelaxed(0);
    m_plan.reset();
    m_iniPath = spec.iniPath;
    m_session = std::make_unique<MigrationSession>(spec, static_cast<MigrationLogSink &>(*this), m_factory);
    auto fail = [this](const QString &message) {
        m_session.reset();
        emit backupFinished(false, tr("Backup failed: ") + message);
    };
    if (VoidResult opened = m_session->open(true); !opened)
        return fail(opened.error().toString());
    MigrationEnvironment &env = m_session->environment();
    const QString path = location.newBackupPath(m_iniPath, env.dialect());
    BackupJob job(env.url(), path);
    job.setProject(m_iniPath);
    job.setVersionTable(env.versionTable());
    job.setNote(QStringLiteral("manual"));
    if (env.url().backendName() == QLatin1String("sqlite"))
        job.setConnection(m_session->connection());
    connect(&job, &BackupJob::progress, this, &MigrationWorker::logLine);
    m_backup.storeRelease(&job);
    const bool ok = job.exec();
    m_backup.storeRelease(nullptr);
    m_session.reset();
    if (!ok)
        return fail(job.error().toString());
    emit safetyBackupCreated(path);   // announced, but not a run's backup
    emit backupFinished(true, tr("Backed up to %1").arg(path));
}

void MigrationWorker::restoreFile(const MigrationProjectSpec &spec, const QString &backupPath,
                                  const BackupLocation &location)
{
    m_cancelled.storeRelaxed(0);
    m_plan.reset();
    m_iniPath = spec.iniPath;
    m_session = std::make_unique<MigrationSession>(spec, static_cast<MigrationLogSink &>(*this), m_factory);
    if (VoidResult opened = m_session->open(false); !opened) {
        m_session.reset();
        emit restoreFinished(false, opened.error().toString());
        return;
    }
    // A backup of another database (or dialect) must not be loaded into this one.
    const BackupInfo info = BackupInfo::read(backupPath);
    const MigrationEnvironment &env = m_session->environment();
    QString refusal;
    if (QFileInfo(backupPath).suffix() != BackupLocation::extension(env.dialect()))
        refusal = tr("%1 is not a %2 backup").arg(backupPath, env.url().dialectName());
    else if (!info.maskedUrl.isEmpty() && info.maskedUrl != env.url().toDisplayString())
        refusal = tr("The backup is of %1, the project's database is %2")
                      .arg(info.maskedUrl, env.url().toDisplayString());
    if (!refusal.isEmpty()) {
        m_session.reset();
        emit restoreFinished(false, refusal + tr(". Nothing was changed."));
        return;
    }
    restore(backupPath, location);
}

} // namespace retort
