#include "rehearsal.h"

#include "config/envpyinfo.h"
#include "ddl/scriptstepbodyprovider.h"
#include "proof/databasecopy.h"
#include "proof/rehearsallocks.h"
#include "proof/rehearsalschemadiff.h"
#include "schema/schemaintrospector.h"
#include "services/handoffrouter.h"
#include "services/migrationenvironment.h"
#include "services/migrationexecutor.h"
#include "services/project.h"

#include "runtime/databaseconnection.h"

#include <QElapsedTimer>
#include <QSet>

namespace retort {

namespace {

const QString kLogger = QStringLiteral("retort.rehearse");

// The run on the copy logs as a real run does, marked as the rehearsal's.
class PrefixedSink : public MigrationLogSink
{
public:
    explicit PrefixedSink(MigrationLogSink &inner) : m_inner(inner) {}
    void info(const QString &logger, const QString &message) override
    { m_inner.info(logger, QStringLiteral("[rehearsal] ") + message); }
    void notice(const QString &logger, const QString &message) override
    { m_inner.notice(logger, QStringLiteral("[rehearsal] ") + message); }
    void record(int level, const QString &logger, const QString &message) override
    { m_inner.record(level, logger, QStringLiteral("[rehearsal] ") + message); }
    void output(const QString &text) override { m_inner.output(text); }

private:
    MigrationLogSink &m_inner;
};

// The relation locks this session holds now (user tables and indexes, not the catalogs).
QStringList heldLocks(DatabaseConnection &conn)
{
    QStringList out;
    auto q = conn.exec(QStringLiteral(
        "SELECT l.mode, c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
        "ORDER BY c.relname, l.mode"));
    while (q && q->next())
        out << QStringLiteral("%1 on %2").arg(q->value(0).toString(), q->value(1).toString());
    return out;
}

QString plural(qint64 n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

} // namespace

QStringList RehearsalReport::lines() const
{
    QStringList out;
    if (!copyMethod.isEmpty())
        out << QStringLiteral("Rehearsal: copied the database to %1 (%2) in %3 ms")
                   .arg(copyName, copyMethod).arg(copyMs);
    for (int i = 0; i < steps.size(); ++i) {
        const RehearsalStep &s = steps.at(i);
        QString figures;
        if (s.ranInPython)
            figures = QStringLiteral("run by Python's Alembic, no statement figures");
        else
            figures = QStringLiteral("%1, %2 changed")
                          .arg(plural(s.statements, "statement", "statements"), plural(s.rowsChanged, "row", "rows"));
        out << QStringLiteral("Rehearsal step %1/%2 %3: %4%5 ms, %6")
                   .arg(i + 1)
                   .arg(plannedSteps)
                   .arg(s.shortLog, s.finished ? QString() : QStringLiteral("FAILED after "))
                   .arg(s.elapsedMs)
                   .arg(figures);
        if (!s.locks.isEmpty())
            out << QStringLiteral("  expected locks (from the statement kinds, not observed): %1")
                       .arg(s.locks.join(QStringLiteral("; ")));
        if (!s.observedLocks.isEmpty())
            out << QStringLiteral("  locks held (pg_locks, this session): %1")
                       .arg(s.observedLocks.join(QStringLiteral("; ")));
    }
    if (ok) {
        if (schemaDiff.isEmpty())
            out << QStringLiteral("Rehearsal schema diff: no change to tables");
        else {
            out << QStringLiteral("Rehearsal schema diff (copy before -> after):");
            for (const QString &line : schemaDiff)
                out << QStringLiteral("  ") + line;
        }
    }
    if (!copyName.isEmpty())
        out << (copyDropped ? QStringLiteral("Rehearsal: dropped the copy %1").arg(copyName)
                            : QStringLiteral("Rehearsal: could not drop the copy %1: drop it by hand").arg(copyName));
    out << (ok ? QStringLiteral("Rehearsal succeeded: %1 of %2 steps ran on the copy")
                     .arg(steps.size()).arg(plannedSteps)
               : QStringLiteral("Rehearsal failed: %1").arg(error.message));
    return out;
}

Rehearsal::Rehearsal(Project &project, MigrationLogSink &log) : m_project(project), m_log(log) {}

void Rehearsal::cancel()
{
    m_cancelled.storeRelaxed(1);
    if (MigrationExecutor *e = m_executor.loadAcquire())
        e->cancel();
}

bool Rehearsal::pythonFollowsUrl(const MigrationEnvironment &env, QString *why)
{
    const EnvPyInfo *info = env.envPy();
    if (!info)
        return true;
    if (auto o = info->urlOverride()) {
        const bool ours = o->source != UrlOverride::Literal && o->envVar == QLatin1String("RETORT_DATABASE_URL");
        if (!ours) {
            if (why)
                *why = QStringLiteral("env.py:%1 sets sqlalchemy.url itself (%2)")
                           .arg(o->line)
                           .arg(o->source == UrlOverride::Literal ? QStringLiteral("a literal URL")
                                                                  : QStringLiteral("from $%1").arg(o->envVar));
            return false;
        }
    }
    for (const DynamicPart &d : info->dynamicParts())
        if (d.url) {
            if (why)
                *why = QStringLiteral("env.py:%1: %2").arg(d.line).arg(d.what);
            return false;
        }
    return true;
}

RehearsalReport Rehearsal::run(const DatabaseUrl &source, const MigrationPlan &plan)
{
    RehearsalReport report;
    report.plannedSteps = plan.steps.size();
    auto copy = DatabaseCopy::create(source, [this](const QString &line) { m_log.info(kLogger, line); }, &m_cancelled);
    if (!copy) {
        report.error = Error(QStringLiteral("could not copy the database: %1").arg(copy.error().message));
        return report;
    }
    report.copyMethod = (*copy)->method();
    report.copyName = (*copy)->name();
    report.copyMs = (*copy)->elapsedMs();
    VoidResult ran = runOnCopy((*copy)->url().toString(), plan, report);
    VoidResult dropped = (*copy)->drop();
    report.copyDropped = dropped.ok();
    if (!ran) {
        report.error = ran.error();
        // A resume hint about the copy's statement journal means nothing once it is dropped.
        QStringList kept;
        for (const QString &line : report.error.message.split(QLatin1Char('\n')))
            if (!line.contains(QLatin1String("retort_step_journal")))
                kept << line;
        report.error.message = kept.join(QLatin1Char('\n'));
    }
    else if (!dropped)
        report.error = Error(QStringLiteral("could not drop the copy %1: %2").arg(report.copyName, dropped.error().message));
    report.ok = ran.ok() && dropped.ok();
    return report;
}

// Everything on the copy lives here, so that its connection is closed before the drop.
VoidResult Rehearsal::runOnCopy(const QString &copyUrl, const MigrationPlan &plan, RehearsalReport &report)
{
    PrefixedSink sink(m_log);
    MigrationEnvironment env(m_project, sink, copyUrl);
    if (auto r = env.load(); !r)
        return r;
    if (auto r = env.connect(); !r)
        return r;
    auto heads = env.currentHeads();
    if (!heads)
        return heads.error();
    QStringList have = *heads, want = plan.startHeads;
    have.sort();
    want.sort();
    if (have != want)
        return Error(QStringLiteral("the copy is at %1, the plan starts from %2")
                         .arg(have.join(QStringLiteral(", ")), want.join(QStringLiteral(", "))));
    auto graph = m_project.graph();
    if (!graph)
        return graph.error();
    std::unique_ptr<ScriptStepBodyProvider> bodies = MigrationExecutor::defaultBodies(env, **graph, false);
    const QVector<StepRoute> routes = HandoffRouter(*bodies, env.dialect(), false, env.versionTable().table).route(plan);
    QString why;
    const bool follows = pythonFollowsUrl(env, &why);
    // Not only Online steps: a step Alembic fails to render offline goes online at run time.
    for (int i = 0; i < routes.size() && !follows; ++i)
        if (routes.at(i).needsPython())
            return Error(QStringLiteral("%1 needs Python's Alembic, which may run it against the database env.py "
                                        "connects to, and %2: a rehearsal cannot guarantee it runs on the copy")
                             .arg(plan.steps.at(i).shortLog, why));

    IntrospectOptions options;
    options.versionTable = env.versionTable().table;
    options.versionTableSchema = env.versionTable().schema;
    auto before = SchemaIntrospector::read(*env.connection(), options);
    if (!before)
        return before.error();

    MigrationExecutor executor(m_project, env, sink, copyUrl);
    executor.setBodyProvider(bodies.get());
    const Dialect::Kind dialect = env.dialect().kind();
    QElapsedTimer clock;
    QSet<QString> seenLocks;   // held since an earlier step of the same transaction
    int current = -1;
    bool lastWasData = false;
    auto finishCurrent = [&](bool finished) {
        if (current >= 0 && current < report.steps.size()) {
            report.steps[current].elapsedMs = clock.elapsed();
            report.steps[current].finished = finished;
        }
    };
    QObject::connect(&executor, &MigrationExecutor::stepStarted, [&](int index, int, const QString &shortLog) {
        finishCurrent(true);
        current = index;
        while (report.steps.size() <= index)
            report.steps.append(RehearsalStep());
        report.steps[index].shortLog = shortLog;
        // Rendered by Alembic and run here, or (also when rendering fails) run by Alembic:
        // the first statement Retort runs tells.
        report.steps[index].ranInPython = index < routes.size() && routes.at(index).needsPython();
        clock.start();
    });
    QObject::connect(&executor, &MigrationExecutor::statementExecuted, [&](const QString &sql, qint64) {
        if (current < 0)
            return;
        RehearsalStep &s = report.steps[current];
        s.ranInPython = false;
        ++s.statements;
        lastWasData = RehearsalLocks::isDataChange(sql);
        if (auto lock = RehearsalLocks::expected(dialect, sql); lock && !s.locks.contains(lock->text()))
            s.locks << lock->text();
        if (dialect == Dialect::PostgreSQL && env.connection() && env.connection()->inTransaction())
            for (const QString &lock : heldLocks(*env.connection()))
                if (!seenLocks.contains(lock)) {
                    seenLocks.insert(lock);
                    s.observedLocks << lock;
                }
    });
    QObject::connect(&executor, &MigrationExecutor::statementRowsAffected, [&](int rows) {
        if (current >= 0 && lastWasData && rows > 0)
            report.steps[current].rowsChanged += rows;
    });
    if (m_cancelled.loadRelaxed())
        return Error(QStringLiteral("Cancelled by user"));
    m_executor.storeRelease(&executor);
    VoidResult result = executor.exec(plan);
    m_executor.storeRelease(nullptr);
    finishCurrent(result.ok());
    if (!result)
        return result;

    auto after = SchemaIntrospector::read(*env.connection(), options);
    if (!after)
        return after.error();
    report.schemaDiff = RehearsalSchemaDiff::lines(*before, *after);
    return {};
}

} // namespace retort
