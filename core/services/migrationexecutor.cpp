#include "migrationexecutor.h"

#include "databaseinspector.h"

#include "services/migrationenvironment.h"
#include "services/project.h"
#include "services/handoffbodyprovider.h"
#include "services/handoffrouter.h"
#include "services/pythonworker.h"
#include "services/scriptchecksums.h"
#include "services/stepbridge.h"
#include "ddl/scriptstepbodyprovider.h"
#include "ddl/sqlitetablereader.h"
#include "runtime/confirmationdelegate.h"
#include "runtime/databaseconnection.h"
#include "runtime/migrationrunner.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QStandardPaths>
#include <utility>

namespace retort {

namespace {

const QString kMigrationLogger = QStringLiteral("alembic.runtime.migration");
const QString kPythonLogger = QStringLiteral("retort.python");

// The interpreter as the user would type it: relative when under the current directory.
QString displayPath(const QString &path)
{
    // "python3" from PATH: say which one.
    const QString found = QFileInfo(path).isAbsolute() ? path : QStandardPaths::findExecutable(path);
    if (found.isEmpty())
        return path;
    const QString rel = QDir::current().relativeFilePath(found);
    return !rel.startsWith(QLatin1String("..")) ? rel : found;
}

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

std::unique_ptr<ScriptStepBodyProvider> MigrationExecutor::defaultBodies(MigrationEnvironment &env,
                                                                        const RevisionGraph &graph, bool offline)
{
    auto bodies = std::make_unique<ScriptStepBodyProvider>(graph);
    DatabaseConnection *conn = env.connection();
    if (!offline) {
        RenderOptions options;
        options.online = true;
        if (conn && env.dialect().kind() == Dialect::SQLite) {
            // Batch mode's move-and-copy reflects the live table, as Alembic does online.
            options.tableProvider = [conn](const QString &schema, const QString &table) {
                return SqliteTableReader(*conn).read(schema, table);
            };
        }
        // Live inspection (sa.inspect(bind)...) answered from the database as the run goes.
        options.inspector = DatabaseInspector::forRun(conn);
        bodies->setRenderOptions(options);
    }
    return bodies;
}

StepBodyProvider &MigrationExecutor::bodies(const RevisionGraph &graph)
{
    if (m_bodies)
        return *m_bodies;
    m_ownBodies = defaultBodies(m_env, graph, m_offline);
    m_bodies = m_ownBodies.get();
    return *m_bodies;
}

ScriptContext MigrationExecutor::withUrl(ScriptContext base, const MigrationEnvironment &env)
{
    base.url = env.url().toString();
    base.urlDrivername = env.url().drivername();
    base.urlDatabase = env.url().database();
    return base;
}

// Every step's route, decided before anything runs (HandoffRouter); the native steps'
// statements are kept in this run's body provider. Only the script interpreter can tell;
// any other provider runs everything natively.
QVector<StepRoute> MigrationExecutor::routes(const MigrationPlan &plan, const RevisionGraph &graph)
{
    m_handoff = std::make_unique<HandoffBodyProvider>(*m_bodies);
    auto *script = dynamic_cast<ScriptStepBodyProvider *>(m_bodies);
    if (!script)
        return QVector<StepRoute>(plan.steps.size());
    script->setScriptContext(withUrl(script->scriptContext(), m_env));
    HandoffRouter router(*script, m_env.dialect(), m_offline, m_env.versionTable().table);
    // Python starts (imports Alembic and SQLAlchemy) while the rest of the plan is routed.
    router.setOnFirstNeedsPython([this, &graph] { spawnPython(graph); });
    QVector<StepRoute> out = router.route(plan);
    for (int i = 0; i < out.size(); ++i)
        if (out.at(i).kind == StepRoute::Native && plan.steps.at(i).kind != MigrationStep::Stamp)
            m_handoff->setNative(plan.steps.at(i), out.at(i).body);
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
    m_bridged.clear();
    auto graph = m_project.graph();
    if (!graph)
        return graph.error();
    bodies(**graph);
    m_checksums = m_offline ? QVector<ScriptChecksumChange>() : ScriptChecksums::forPlan(**graph, plan);
    QVector<StepRoute> stepRoutes = routes(plan, **graph);
    // Python is started and Alembic's SQL rendered before anything runs: a step that
    // cannot be run at all is found now, not after the steps before it were applied.
    VoidResult prepared = prepare(plan, stepRoutes);
    if (!prepared)
        return prepared;
    if (!confirmed(plan))
        return Error(QStringLiteral("Cancelled by user"));
    if (m_offline)
        return runSteps(plan, stepRoutes);
    // A lock taken here (the studio) is this run's, and its plan must be checked against
    // the table; a command that took the lock before planning read the table under it, and
    // releases it itself.
    const bool ownLock = !m_env.holdsLock();
    VoidResult result = ownLock ? lockAndCheck(plan) : VoidResult();
    if (result)
        result = runSteps(plan, stepRoutes);
    if (ownLock) {
        VoidResult released = m_env.releaseLock();
        if (result && !released)
            result = released;
    }
    m_python.reset();
    return result;
}

VoidResult MigrationExecutor::prepare(const MigrationPlan &plan, QVector<StepRoute> &stepRoutes)
{
    int first = -1;
    QStringList served;   // the scripts Python imports: those of the steps it may run or render
    for (int i = 0; i < stepRoutes.size(); ++i) {
        if (!stepRoutes.at(i).needsPython())
            continue;
        if (first < 0)
            first = i;
        if (!served.contains(plan.steps.at(i).revision))
            served << plan.steps.at(i).revision;
    }
    if (first < 0)
        return {};
    const QString nothing = m_offline ? QStringLiteral(" Nothing was written.") : QStringLiteral(" Nothing was run.");
    if (VoidResult started = startPython(served); !started)
        return Error(describe(plan.steps.at(first), stepRoutes.at(first).why) + QStringLiteral("; ")
                         + started.error().message + QLatin1Char('.') + nothing,
                     started.error().file, started.error().line);
    if (VoidResult rendered = renderWithAlembic(plan, stepRoutes); !rendered)
        return Error(rendered.error().message + nothing, rendered.error().file, rendered.error().line);
    bridgeOnlineSteps(plan, stepRoutes);
    return refuseOnlineEngineSteps(plan, stepRoutes);
}

// The multidb template's env.py runs every engine in one go: Alembic can render one
// engine's step for Retort, but not run it alone against the database.
VoidResult MigrationExecutor::refuseOnlineEngineSteps(const MigrationPlan &plan, const QVector<StepRoute> &stepRoutes)
{
    auto *script = dynamic_cast<ScriptStepBodyProvider *>(m_bodies);
    if (m_offline || !script || script->engineName().isEmpty())
        return {};
    for (int i = 0; i < stepRoutes.size(); ++i) {
        if (stepRoutes.at(i).kind != StepRoute::Online)
            continue;
        return Error(QStringLiteral("%1, for engine %2, and must run in Alembic against the database (it %3); "
                                    "Alembic's multidb env.py would migrate every engine at once. Nothing was "
                                    "run; run `alembic` for this command instead.")
                         .arg(describe(plan.steps.at(i), stepRoutes.at(i).why), script->engineName(),
                              stepRoutes.at(i).onlineReason));
    }
    return {};
}

// The worker for this run, started without waiting (startPython() waits for it). It gets
// Retort's revision graph, so it imports only the scripts it serves; a failure here is
// found again, and said, by startPython().
void MigrationExecutor::spawnPython(const RevisionGraph &graph)
{
    auto worker = PythonWorker::forProject(m_project, m_urlOverride);
    if (!worker)
        return;
    m_python = std::move(*worker);
    if (auto *script = dynamic_cast<ScriptStepBodyProvider *>(m_bodies))
        m_python->setEngine(script->engineName());
    m_python->setRevisionIndex(graph);
    (void)m_python->spawn();
}

VoidResult MigrationExecutor::startPython(const QStringList &revisions)
{
    if (!m_python) {
        auto worker = PythonWorker::forProject(m_project, m_urlOverride);
        if (!worker)
            return worker.error();
        m_python = std::move(*worker);
        if (auto *script = dynamic_cast<ScriptStepBodyProvider *>(m_bodies))
            m_python->setEngine(script->engineName());
    }
    const QString interpreter = m_python->interpreter();
    const QStringList skipped = m_python->skippedInterpreters();
    auto version = m_python->start();
    if (!version) {
        const Error error = version.error();
        const QString &why = error.message;
        m_python.reset();
        // A project Python cannot load says why; an interpreter without Alembic (or none)
        // gets told how to point Retort at the right one.
        const bool noAlembic = why.contains(QLatin1String("No module named 'alembic'"));
        if (why.startsWith(QLatin1String("Python could not load")) && !noAlembic)
            return error;
        // Virtualenvs the ladder found without Alembic are the likely place to install it.
        const QString found = skipped.isEmpty() ? QString()
            : QStringLiteral("; found without alembic: %1").arg(skipped.join(QStringLiteral(", ")));
        return Error(QStringLiteral("%1 cannot import alembic (set RETORT_PYTHON or retort_python in the ini "
                                    "to an interpreter that has the project's Alembic, or activate the "
                                    "project's virtualenv)%2%3")
                         .arg(interpreter, noAlembic ? QString() : QStringLiteral(": ") + why, found));
    }
    m_log.notice(kPythonLogger, QStringLiteral("using %1 (alembic %2)").arg(displayPath(interpreter), *version));
    // The scripts of the steps Python serves are imported now, before anything runs.
    if (VoidResult loaded = m_python->load(revisions); !loaded) {
        m_python.reset();
        return loaded;
    }
    return {};
}

// One request renders every needs-Python step that offline mode can write. Online, a step
// Alembic cannot render goes to Alembic online instead; --sql shows Alembic's error there.
VoidResult MigrationExecutor::renderWithAlembic(const MigrationPlan &plan, QVector<StepRoute> &stepRoutes)
{
    QVector<int> indexes;
    QVector<MigrationStep> steps;
    for (int i = 0; i < stepRoutes.size(); ++i) {
        if (stepRoutes.at(i).needsPython())
            m_handoff->setWhy(plan.steps.at(i), stepRoutes.at(i).why);
        if (stepRoutes.at(i).kind == StepRoute::Render) {
            indexes << i;
            steps << plan.steps.at(i);
        }
    }
    if (steps.isEmpty())
        return {};
    auto rendered = m_python->render(steps, !m_offline, [this](const QString &line) { emit pythonOutput(line); });
    if (!rendered)
        return rendered.error();
    for (int k = 0; k < indexes.size(); ++k) {
        const MigrationStep &step = plan.steps.at(indexes.at(k));
        StepRoute &route = stepRoutes[indexes.at(k)];
        const RenderedStep &r = rendered->at(k);
        if (r.ok) {
            m_handoff->setRenderedByAlembic(step, r.body);
            if (m_offline)
                m_log.notice(kPythonLogger,
                             QStringLiteral("Rendering %1 with Alembic (%2)%3")
                                 .arg(step.shortLog, describe(step, route.why),
                                      route.onlineReason.isEmpty() ? QString()
                                      : route.bridgeable()
                                          ? QStringLiteral("; online, Alembic runs it on Retort's connection: it ")
                                              + route.onlineReason
                                          : QStringLiteral("; online, Alembic runs it: it ") + route.onlineReason));
        } else if (m_offline) {
            m_handoff->setError(step, Error(QStringLiteral("%1; Alembic cannot write its SQL offline: %2")
                                                .arg(describe(step, route.why), r.error.summary()),
                                            r.error.file, r.error.line));
        } else {
            route.kind = StepRoute::Online;
            route.onlineReason = QStringLiteral("could not be rendered offline (") + r.error.summary()
                + QLatin1Char(')');
        }
    }
    return {};
}

// Steps Alembic must run online, run through the bridge instead (StepBridge): the step's
// function runs in Alembic, each statement on Retort's connection, in the transaction
// Retort holds for the step, and Retort writes the version table as for any step. Decided
// before anything runs: a bridge that cannot start leaves every step on the old route.
// Not for a plan that still goes to Alembic as one transaction (a step the bridge cannot
// take, on PostgreSQL), nor for the multidb template (env.py would configure every engine
// on Retort's connection).
void MigrationExecutor::bridgeOnlineSteps(const MigrationPlan &plan, QVector<StepRoute> &stepRoutes)
{
    auto *script = dynamic_cast<ScriptStepBodyProvider *>(m_bodies);
    DatabaseConnection *conn = m_env.connection();
    if (m_offline || !m_python || !conn || !script || !script->engineName().isEmpty()
        || StepBridge::disabledFor(m_project))
        return;
    int refused = -1;
    const QVector<int> candidates = StepBridge::candidates(plan, stepRoutes, *script, refused);
    if (candidates.isEmpty())
        return;
    if (refused >= 0 && m_env.effectiveTransactionalDdl() && !m_env.transactionPerMigration()) {
        const StepRoute &r = stepRoutes.at(refused);
        m_log.notice(kPythonLogger, QStringLiteral("No bridge to Retort's connection: %1 must run in Alembic on its "
                                                   "own connection (it %2), and the run is one transaction")
                                        .arg(plan.steps.at(refused).shortLog,
                                             r.bridgeable() ? QStringLiteral("uses the driver's connection itself")
                                                            : r.onlineReason));
        return;
    }
    auto sink = [this](const QString &line) { emit pythonOutput(line); };
    if (VoidResult up = StepBridge::start(*m_python, *conn, sink); !up) {
        m_log.notice(kPythonLogger, QStringLiteral("No bridge to Retort's connection (%1): Alembic runs the steps "
                                                   "that read the database on its own")
                                        .arg(up.error().message));
        return;
    }
    QStringList named;
    const QVector<bool> more = StepBridge::followedByBridged(candidates, stepRoutes);
    for (int k = 0; k < candidates.size(); ++k) {
        const int i = candidates.at(k);
        const MigrationStep &step = plan.steps.at(i);
        m_handoff->setNative(step, StepBridge::body(*m_python, step, *conn, sink, more.at(k)));
        m_bridged.insert(HandoffBodyProvider::key(step), stepRoutes.at(i).onlineReason);
        stepRoutes[i].kind = StepRoute::Bridge;
        named << QStringLiteral("%1 %2").arg(step.isUpgrade() ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                                             step.revision);
    }
    m_log.notice(kPythonLogger, QStringLiteral("Bridge to Retort's connection: Alembic runs %1 step(s) on it, "
                                               "in Retort's transaction (%2)")
                                    .arg(candidates.size()).arg(named.join(QStringLiteral(", "))));
}

VoidResult MigrationExecutor::runSteps(const MigrationPlan &plan, const QVector<StepRoute> &stepRoutes)
{
    const int n = int(plan.steps.size());
    if (m_offline)
        return runNative(plan, 0, n);
    if (runsInOneAlembicTransaction(plan, stepRoutes)) {
        if (auto held = m_env.checkLock(); !held)
            return held;
        return runOnline(plan, stepRoutes, 0, n, true);
    }
    // Segments: steps Retort runs itself (native or rendered by Alembic), then the
    // contiguous steps Alembic runs online, in one request.
    int i = 0;
    while (i < n) {
        int j = i;
        while (j < n && stepRoutes.at(j).kind != StepRoute::Online)
            ++j;
        if (j > i) {
            if (auto native = runNative(plan, i, j); !native)
                return native;
        }
        if (j == n)
            break;
        if (wasCancelled())
            return cancelledError(plan);
        if (auto held = m_env.checkLock(); !held)
            return held;
        int k = j;
        while (k < n && stepRoutes.at(k).kind == StepRoute::Online)
            ++k;
        // A native segment follows: it writes these steps' checksums in its first
        // transaction instead of one commit per step here.
        if (auto online = runOnline(plan, stepRoutes, j, k, false, k < n); !online)
            return online;
        i = k;
    }
    return {};
}

// Alembic runs the whole plan in one transaction here (transactional DDL, no
// transaction_per_migration: PostgreSQL's default). A step that must run in Alembic has its
// own connection, which cannot join a transaction Retort holds: committing Retort's steps
// before it (as the segments do) would leave them applied when a later step fails, where
// Alembic leaves nothing. So Alembic runs the whole plan in its transaction, executing
// Retort's SQL for the other steps. Steps rendered when they run (SQLite batch) and
// stamps keep the segments.
bool MigrationExecutor::runsInOneAlembicTransaction(const MigrationPlan &plan, const QVector<StepRoute> &stepRoutes) const
{
    if (m_offline || !m_python || !m_env.effectiveTransactionalDdl() || m_env.transactionPerMigration())
        return false;
    bool online = false;
    for (int i = 0; i < stepRoutes.size(); ++i) {
        if (stepRoutes.at(i).kind == StepRoute::Deferred || plan.steps.at(i).kind == MigrationStep::Stamp)
            return false;
        online = online || stepRoutes.at(i).kind == StepRoute::Online;
    }
    return online;
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
    options.recordChecksums = !m_offline;
    options.checksums = m_checksums.mid(from, to - from);
    // Checksums of the steps Alembic ran just before (runOnline's carry).
    const int carryFrom = std::exchange(m_carryFrom, 0);
    const int carryTo = std::exchange(m_carryTo, 0);
    if (carryTo > carryFrom)
        options.carriedChecksums = m_checksums.mid(carryFrom, carryTo - carryFrom);
    MigrationRunner runner(m_offline ? nullptr : m_env.connection(), steps, options);
    StepBodyProvider *provider = m_handoff ? static_cast<StepBodyProvider *>(m_handoff.get()) : m_bodies;
    runner.setBodyProvider(provider);
    if (m_offline)
        runner.setOfflineDialect(m_env.dialect());
    const int count = int(plan.steps.size());
    QObject::connect(&runner, &MigrationRunner::stepStarted, this, [&](int index, int, const QString &) {
        const MigrationStep &step = steps.at(index);
        // MigrationStep.__str__: the short log, plus ", doc" for scripts with a doc.
        const QString doc = step.kind == MigrationStep::Stamp ? QString() : m_bodies->doc(step);
        if (m_handoff && m_handoff->isRenderedByAlembic(step))
            m_log.notice(kPythonLogger, QStringLiteral("Rendered by Alembic: %1 (%2)")
                                            .arg(step.shortLog, describe(step, m_handoff->why(step))));
        if (const auto bridged = m_bridged.constFind(HandoffBodyProvider::key(step)); bridged != m_bridged.constEnd())
            m_log.notice(kPythonLogger, QStringLiteral("Bridged: %1 (%2) runs in Alembic on Retort's connection, "
                                                       "in Retort's transaction: it %3")
                                            .arg(step.shortLog, describe(step, m_handoff->why(step)), *bridged));
        QString running;   // one buffer: a line per step of a long --sql run
        running.reserve(step.shortLog.size() + doc.size() + 10);
        running.append(QLatin1StringView("Running ")).append(step.shortLog);
        if (!doc.isEmpty())
            running.append(QLatin1StringView(", ")).append(doc);
        m_log.info(kMigrationLogger, running);
        emit stepStarted(from + index, count, step.shortLog);
    });
    QObject::connect(&runner, &MigrationRunner::statementExecuted, this, &MigrationExecutor::statementExecuted);
    QObject::connect(&runner, &MigrationRunner::statementRowsAffected, this, &MigrationExecutor::statementRowsAffected);
    QObject::connect(&runner, &MigrationRunner::scriptOutput, this,
                     [this](const QString &text) { m_log.output(text); });
    QObject::connect(&runner, &MigrationRunner::scriptLog, this,
                     [this](int level, const QString &logger, const QString &message) {
                         m_log.record(level, logger, message);
                     });
    QObject::connect(&runner, &MigrationRunner::notice, this,
                     [this](const QString &logger, const QString &message) { m_log.info(logger, message); });
    m_runner.storeRelease(&runner);
    if (wasCancelled())
        runner.cancel();
    const bool ok = runner.exec();
    m_runner.storeRelease(nullptr);
    // A failed runner may have rolled the carried checksums back with its step: written
    // again on their own (idempotent; best effort, the run failed anyway).
    if (!ok && carryTo > carryFrom)
        (void)recordChecksums(carryFrom, carryTo);
    m_completed += runner.completedSteps();
    if (m_offline)
        emit offlineSql(runner.offlineSql());
    if (!ok)
        return wasCancelled() ? cancelledError(plan) : VoidResult(runner.error());
    return {};
}

VoidResult MigrationExecutor::runOnline(const MigrationPlan &plan, const QVector<StepRoute> &stepRoutes,
                                        int from, int to, bool wholeRun, bool carryChecksums)
{
    const int count = int(plan.steps.size());
    const QVector<MigrationStep> steps = plan.steps.mid(from, to - from);
    // wholeRun: the steps Retort renders run as its SQL, in Alembic's run.
    QVector<std::optional<QStringList>> replay(steps.size());
    // A step run by Alembic must leave the version table as the plan says, checked before
    // the next step runs (and, in one transaction, before anything commits).
    QVector<std::optional<QStringList>> expectHeads(steps.size());
    for (int i = 0; i < steps.size(); ++i) {
        if (stepRoutes.at(from + i).kind == StepRoute::Online) {
            const int after = from + i + 1;
            expectHeads[i] = after < count ? plan.headsBefore(after) : plan.endHeads;
            continue;
        }
        if (!wholeRun)
            continue;
        auto body = m_handoff->body(steps.at(i), m_env.dialect());
        if (!body)
            return body.error();
        if (!body->isPlain()) {
            // try/except, autocommit blocks, print: replayed as bare SQL they would lose
            // their meaning (an autocommit block commits Alembic's transaction), so Alembic
            // runs the script itself, as it would.
            const int after = from + i + 1;
            expectHeads[i] = after < count ? plan.headsBefore(after) : plan.endHeads;
            continue;
        }
        replay[i] = body->statements();
    }
    if (wholeRun) {
        int online = 0;
        for (const StepRoute &r : stepRoutes)
            online += r.kind == StepRoute::Online ? 1 : 0;
        m_log.notice(kPythonLogger, QStringLiteral("%1 of %2 step(s) must run in Alembic, and the run is one "
                                                   "transaction: Alembic runs all of them in it, Retort's SQL for "
                                                   "the others")
                                        .arg(online).arg(count));
    }
    int current = from;
    auto announce = [&](int index) {
        current = index;
        const MigrationStep &step = plan.steps.at(index);
        const StepRoute &route = stepRoutes.at(index);
        emit stepStarted(index, count, step.shortLog);
        if (route.kind == StepRoute::Render)
            m_log.notice(kPythonLogger, QStringLiteral("Rendered by Alembic: %1 (%2)")
                                            .arg(step.shortLog, describe(step, route.why)));
        if (route.kind != StepRoute::Online)
            return;   // Alembic's "Running ..." line says it
        m_log.info(kMigrationLogger, QStringLiteral("Handing %1 to Python (%2)")
                                         .arg(step.shortLog, describe(step, route.why)));
        m_log.notice(kPythonLogger, QStringLiteral("%1 runs in Alembic's own transaction: it %2")
                                        .arg(step.shortLog, route.onlineReason));
    };
    // The first step is announced before the request: Python's first lines belong to it.
    announce(from);
    VoidResult ran = m_python->run(
        steps, [this](const QString &line) { emit pythonOutput(line); },
        [&](int i) {
            if (i > 0)
                announce(from + i);
        },
        replay, expectHeads);
    if (!ran) {
        m_completed += current - from;
        recordCommittedChecksums(plan, from, current);
        const MigrationStep &step = plan.steps.at(current);
        // The worker's own check of the version table (expectHeads): said as Retort's is.
        static const QLatin1String moved("_VersionTableMoved: ");
        const QString &message = ran.error().message;
        if (const int at = message.indexOf(moved); at >= 0) {
            const int end = message.indexOf(QLatin1String("; stopped here"), at);
            return Error(message.mid(at + moved.size(), end < 0 ? -1 : end - at - moved.size())
                         + QStringLiteral("; stopped here."));
        }
        if (replay.value(current - from))
            return Error(QStringLiteral("Migration %1 (%2) failed in Alembic's transaction: %3")
                             .arg(step.revision, step.shortLog, ran.error().message),
                         m_bodies->scriptPath(step));
        return Error(QStringLiteral("Python/Alembic failed running %1 (revision %2): %3")
                         .arg(step.shortLog, step.revision, ran.error().message),
                     ran.error().file, ran.error().line);
    }
    // Python's Alembic must have left the table where the plan expects it.
    auto heads = m_env.currentHeads();
    if (!heads)
        return heads.error();
    const QStringList expected = to < count ? plan.headsBefore(to) : plan.endHeads;
    if (QSet<QString>(heads->begin(), heads->end()) != QSet<QString>(expected.begin(), expected.end()))
        return Error(QStringLiteral("After Python ran %1 the version table holds (%2), expected (%3); "
                                    "stopped here.")
                         .arg(plan.steps.at(to - 1).shortLog, heads->join(QStringLiteral(", ")),
                              expected.join(QStringLiteral(", "))));
    m_completed += to - from;
    if (carryChecksums) {
        m_carryFrom = from;
        m_carryTo = to;
        return {};
    }
    return recordChecksums(from, to);
}

// A failed Alembic request: the steps it committed before the failure (each in its own
// transaction, where the dialect has no transactional DDL) are those the version table
// shows done; their checksums are recorded as on success. Best effort: the run failed anyway.
void MigrationExecutor::recordCommittedChecksums(const MigrationPlan &plan, int from, int failed)
{
    auto heads = m_env.currentHeads();
    if (!heads)
        return;
    const QSet<QString> now(heads->begin(), heads->end());
    for (int k = failed; k > from; --k) {
        const QStringList expected = plan.headsBefore(k);
        if (now == QSet<QString>(expected.begin(), expected.end())) {
            (void)recordChecksums(from, k);
            return;
        }
    }
}

// Steps Alembic ran: their checksums are written once it has committed them (its own
// transaction cannot take Retort's writes).
VoidResult MigrationExecutor::recordChecksums(int from, int to)
{
    DatabaseConnection *conn = m_env.connection();
    if (!conn || m_offline)
        return {};
    ScriptChecksumTable table(*conn, m_env.versionTable());
    Result<bool> exists = table.exists();
    if (!exists)
        return exists.error();
    bool present = *exists;
    for (int i = from; i < to && i < m_checksums.size(); ++i) {
        const ScriptChecksumChange &change = m_checksums.at(i);
        if (change.isEmpty() || (!present && change.record.isEmpty()))
            continue;   // nothing to remove from a table that is not there
        if (!present) {
            if (VoidResult made = table.ensureExists(); !made)
                return made;
            present = true;
        }
        if (VoidResult r = table.apply(change); !r)
            return r;
    }
    return {};
}

} // namespace retort
