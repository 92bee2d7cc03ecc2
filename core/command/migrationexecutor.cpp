#include "migrationexecutor.h"

#include "command/migrationenvironment.h"
#include "command/project.h"
#include "command/pythonsteprunner.h"
#include "ddl/scriptstepbodyprovider.h"
#include "ddl/sqlitetablereader.h"
#include "runtime/confirmationdelegate.h"
#include "runtime/migrationrunner.h"

#include <QFileInfo>
#include <QSet>

namespace retort {

namespace {

const QString kMigrationLogger = QStringLiteral("alembic.runtime.migration");

} // namespace

MigrationExecutor::MigrationExecutor(Project &project, MigrationEnvironment &env, MigrationLogSink &log,
                                     QString urlOverride, QObject *parent)
    : QObject(parent), m_project(project), m_env(env), m_log(log), m_urlOverride(std::move(urlOverride))
{
}

MigrationExecutor::~MigrationExecutor() = default;

void MigrationExecutor::cancel()
{
    m_cancelled.storeRelaxed(1);
    if (MigrationRunner *runner = m_runner.loadAcquire())
        runner->cancel();
}

MigrationRunOptions MigrationExecutor::runOptions(const MigrationEnvironment &env, const MigrationPlan &plan,
                                                  int from, bool offline)
{
    MigrationRunOptions options;
    options.versionTable = env.versionTable();
    options.transactionPerMigration = env.transactionPerMigration();
    options.transactionalDdl = env.transactionalDdl();
    options.offline = offline;
    options.startingHeads = plan.startHeads;
    options.purge = plan.purge && from == 0;
    return options;
}

StepBodyProvider &MigrationExecutor::bodies(const RevisionGraph &graph)
{
    if (m_bodies)
        return *m_bodies;
    m_ownBodies = std::make_unique<ScriptStepBodyProvider>(graph);
    DatabaseConnection *conn = m_env.connection();
    if (!m_offline && conn && m_env.dialect().kind() == Dialect::SQLite) {
        // Batch mode's move-and-copy reflects the live table, as Alembic does online.
        RenderOptions options;
        options.tableProvider = [conn](const QString &schema, const QString &table) {
            return SqliteTableReader(*conn).read(schema, table);
        };
        m_ownBodies->setRenderOptions(options);
    }
    m_bodies = m_ownBodies.get();
    return *m_bodies;
}

// The steps whose script functions need Python, with why. Only the script interpreter
// can tell; any other provider runs everything natively.
QVector<QPair<int, NeedsPython>> MigrationExecutor::pythonSteps(const MigrationPlan &plan)
{
    QVector<QPair<int, NeedsPython>> out;
    auto *script = dynamic_cast<ScriptStepBodyProvider *>(m_bodies);
    if (!script)
        return out;
    script->preload(plan.steps);
    for (int i = 0; i < plan.steps.size(); ++i) {
        if (plan.steps.at(i).kind == MigrationStep::Stamp)
            continue;
        if (const auto why = script->needsPython(plan.steps.at(i)))
            out.append({i, *why});
    }
    return out;
}

QString MigrationExecutor::describe(const MigrationStep &step, const NeedsPython &why)
{
    return QStringLiteral("revision %1 (%2:%3) needs Python: %4")
        .arg(step.revision, m_bodies->scriptPath(step)).arg(why.line).arg(why.reason);
}

bool MigrationExecutor::confirmed(const MigrationPlan &plan)
{
    // Asked once for the whole plan, not per native segment.
    if (!m_confirm || m_offline)
        return true;
    QStringList details;
    for (const MigrationStep &s : plan.steps)
        details << s.shortLog;
    const QString where = m_env.connection() ? m_env.connection()->displayUrl() : QString();
    return m_confirm->confirm(
        QStringLiteral("Run %1 migration step(s) against %2?").arg(plan.steps.size()).arg(where), details);
}

VoidResult MigrationExecutor::cancelledError(const MigrationPlan &plan) const
{
    return Error(QStringLiteral("Cancelled after %1 of %2 migration step(s)")
                     .arg(m_completed).arg(plan.steps.size()));
}

VoidResult MigrationExecutor::exec(const MigrationPlan &plan)
{
    m_completed = 0;
    auto graph = m_project.graph();
    if (!graph)
        return graph.error();
    bodies(**graph);
    const auto needPython = pythonSteps(plan);
    if (!confirmed(plan))
        return Error(QStringLiteral("Cancelled by user"));
    if (m_offline)
        return runSteps(plan, needPython);
    // A lock taken here (the studio) is this run's, and its plan must be checked against
    // the table; a command that took the lock before planning read the table under it, and
    // releases it itself.
    const bool ownLock = !m_env.holdsLock();
    VoidResult result = ownLock ? lockAndCheck(plan) : VoidResult();
    if (result)
        result = runSteps(plan, needPython);
    if (ownLock) {
        VoidResult released = m_env.releaseLock();
        if (result && !released)
            result = released;
    }
    return result;
}

VoidResult MigrationExecutor::runSteps(const MigrationPlan &plan, const QVector<QPair<int, NeedsPython>> &needPython)
{
    if (needPython.isEmpty())
        return runNative(plan, 0, plan.steps.size());

    const MigrationStep &first = plan.steps.at(needPython.first().first);
    if (m_offline)
        return Error(describe(first, needPython.first().second)
                     + QStringLiteral("; retort cannot write its SQL. Nothing was written; run "
                                      "`alembic ... --sql` for that range instead."));
    auto cfg = m_project.config();
    if (!cfg)
        return cfg.error();
    const QString configured = (*cfg)->mainOption(QStringLiteral("retort_python")).value().value_or(QString());
    PythonStepRunner python((*cfg)->configFileName(), (*cfg)->iniSection(),
                            PythonStepRunner::interpreterFor(configured, QFileInfo((*cfg)->configFileName()).absolutePath()),
                            m_urlOverride);
    auto available = python.checkAvailable();
    if (!available)
        return Error(describe(first, needPython.first().second) + QStringLiteral("; ")
                     + available.error().message + QStringLiteral(". Nothing was run."));

    int next = 0;
    for (const auto &[index, why] : needPython) {
        auto native = runNative(plan, next, index);
        if (!native)
            return native;
        if (wasCancelled())
            return cancelledError(plan);
        if (auto held = m_env.checkLock(); !held)
            return held;
        auto ran = runPython(plan, index, why, python);
        if (!ran)
            return ran;
        next = index + 1;
    }
    return runNative(plan, next, plan.steps.size());
}

// The lock for a run planned without it (the studio plans, then asks): the plan must still
// match the version table, as another run may have moved it meanwhile.
VoidResult MigrationExecutor::lockAndCheck(const MigrationPlan &plan)
{
    // Stop while waiting for another run's lock gives up the wait.
    m_env.setLockCancelCheck([this] { return wasCancelled(); });
    auto locked = m_env.lockForMigration();
    m_env.setLockCancelCheck({});
    if (!locked)
        return locked;
    if (plan.purge)
        return {};
    auto heads = m_env.currentHeads();
    if (!heads)
        return heads.error();
    if (QSet<QString>(heads->begin(), heads->end()) != QSet<QString>(plan.startHeads.begin(), plan.startHeads.end()))
        return Error(QStringLiteral("The database moved since this run was planned: the version table holds (%1), "
                                    "the plan starts from (%2). Nothing was run; plan again.")
                         .arg(heads->join(QStringLiteral(", ")), plan.startHeads.join(QStringLiteral(", "))));
    return {};
}

// Runs steps [from, to) natively with one MigrationRunner.
VoidResult MigrationExecutor::runNative(const MigrationPlan &plan, int from, int to)
{
    const QVector<MigrationStep> steps = plan.steps.mid(from, to - from);
    MigrationRunOptions options = runOptions(m_env, plan, from, m_offline);
    if (!m_offline)
        options.stepGuard = [this] { return m_env.checkLock(); };
    options.restartStep = m_restartStep;
    MigrationRunner runner(m_offline ? nullptr : m_env.connection(), steps, options);
    runner.setBodyProvider(m_bodies);
    if (m_offline)
        runner.setOfflineDialect(m_env.dialect());
    const int count = int(plan.steps.size());
    QObject::connect(&runner, &MigrationRunner::stepStarted, this, [&](int index, int, const QString &) {
        const MigrationStep &step = steps.at(index);
        // MigrationStep.__str__: the short log, plus ", doc" for scripts with a doc.
        const QString doc = step.kind == MigrationStep::Stamp ? QString() : m_bodies->doc(step);
        m_log.info(kMigrationLogger, QStringLiteral("Running ") + step.shortLog
                                         + (doc.isEmpty() ? QString() : QStringLiteral(", ") + doc));
        emit stepStarted(from + index, count, step.shortLog);
    });
    QObject::connect(&runner, &MigrationRunner::statementExecuted, this, &MigrationExecutor::statementExecuted);
    QObject::connect(&runner, &MigrationRunner::notice, this,
                     [this](const QString &logger, const QString &message) { m_log.info(logger, message); });
    m_runner.storeRelease(&runner);
    if (wasCancelled())
        runner.cancel();
    const bool ok = runner.exec();
    m_runner.storeRelease(nullptr);
    m_completed += runner.completedSteps();
    if (m_offline)
        emit offlineSql(runner.offlineSql());
    if (!ok)
        return wasCancelled() ? cancelledError(plan) : VoidResult(runner.error());
    return {};
}

VoidResult MigrationExecutor::runPython(const MigrationPlan &plan, int index, const NeedsPython &why,
                                        const PythonStepRunner &python)
{
    const MigrationStep &step = plan.steps.at(index);
    emit stepStarted(index, int(plan.steps.size()), step.shortLog);
    m_log.info(kMigrationLogger,
               QStringLiteral("Handing %1 to Python (%2)").arg(step.shortLog, describe(step, why)));
    auto ran = python.run(step, [this](const QString &line) { emit pythonOutput(line); });
    if (!ran)
        return ran;
    // Python's Alembic must have left the table where the plan expects it.
    auto heads = m_env.currentHeads();
    if (!heads)
        return heads.error();
    const QStringList expected = index + 1 < plan.steps.size() ? plan.headsBefore(index + 1) : plan.endHeads;
    if (QSet<QString>(heads->begin(), heads->end()) != QSet<QString>(expected.begin(), expected.end()))
        return Error(QStringLiteral("After Python ran %1 the version table holds (%2), expected (%3); "
                                    "stopped here.")
                         .arg(step.shortLog, heads->join(QStringLiteral(", ")), expected.join(QStringLiteral(", "))));
    ++m_completed;
    return {};
}

} // namespace retort
