#include "databasecommands.h"

#include "command/commandcontext.h"
#include "command/migrationenvironment.h"
#include "command/pythonsteprunner.h"
#include "ddl/scriptstepbodyprovider.h"
#include "ddl/sqlitetablereader.h"
#include "command/scriptcommands.h"
#include "revision/migrationplanner.h"
#include "revision/revisionformatter.h"
#include "runtime/migrationrunner.h"
#include "runtime/offlinesqlwriter.h"
#include "runtime/versiontable.h"
#include "runtime/versiontablesql.h"

namespace retort {

namespace {

enum class Direction { Upgrade, Downgrade };

// Runs steps [from, to) natively with one MigrationRunner.
VoidResult runNative(CommandContext &context, MigrationEnvironment &env, const MigrationPlan &plan,
                     ScriptStepBodyProvider &bodies, int from, int to, bool offline)
{
    MigrationRunOptions options;
    options.versionTable = env.versionTable();
    options.transactionPerMigration = env.transactionPerMigration();
    options.transactionalDdl = env.transactionalDdl();
    options.offline = offline;
    options.startingHeads = plan.startHeads;
    options.purge = plan.purge && from == 0;
    options.takeLock = !offline;
    const QVector<MigrationStep> steps = plan.steps.mid(from, to - from);
    MigrationRunner runner(offline ? nullptr : env.connection(), steps, options);
    runner.setBodyProvider(&bodies);
    if (offline)
        runner.setOfflineDialect(env.dialect());
    QObject::connect(&runner, &MigrationRunner::stepStarted, [&](int index, int, const QString &) {
        const MigrationStep &step = steps.at(index);
        // MigrationStep.__str__: the short log, plus ", doc" for scripts with a doc.
        const QString doc = step.kind == MigrationStep::Stamp ? QString() : bodies.doc(step);
        context.logInfo(QStringLiteral("alembic.runtime.migration"),
                        QStringLiteral("Running ") + step.shortLog
                            + (doc.isEmpty() ? QString() : QStringLiteral(", ") + doc));
    });
    const bool ok = runner.exec();
    if (offline)
        context.out().writeStdout(runner.offlineSql());
    if (!ok)
        return runner.error();
    return {};
}

// The steps whose script functions need Python, with why.
QVector<QPair<int, NeedsPython>> pythonSteps(const MigrationPlan &plan, ScriptStepBodyProvider &bodies)
{
    QVector<QPair<int, NeedsPython>> out;
    for (int i = 0; i < plan.steps.size(); ++i) {
        if (plan.steps.at(i).kind == MigrationStep::Stamp)
            continue;
        if (const auto why = bodies.needsPython(plan.steps.at(i)))
            out.append({i, *why});
    }
    return out;
}

QString describe(const MigrationStep &step, const NeedsPython &why, ScriptStepBodyProvider &bodies)
{
    return QStringLiteral("revision %1 (%2:%3) needs Python: %4")
        .arg(step.revision, bodies.scriptPath(step)).arg(why.line).arg(why.reason);
}

VoidResult runPlan(CommandContext &context, MigrationEnvironment &env, const RevisionGraph &graph,
                   const MigrationPlan &plan, bool offline)
{
    for (const QString &w : plan.warnings)
        context.warn(w);
    ScriptStepBodyProvider bodies(graph);
    DatabaseConnection *conn = env.connection();
    if (!offline && env.dialect().kind() == Dialect::SQLite) {
        RenderOptions options;
        options.tableProvider = [conn](const QString &schema, const QString &table) {
            return SqliteTableReader(*conn).read(schema, table);
        };
        bodies.setRenderOptions(options);
    }
    bodies.preload(plan.steps);
    const auto needPython = pythonSteps(plan, bodies);
    if (needPython.isEmpty())
        return runNative(context, env, plan, bodies, 0, plan.steps.size(), offline);

    const MigrationStep &first = plan.steps.at(needPython.first().first);
    if (offline)
        return Error(describe(first, needPython.first().second, bodies)
                     + QStringLiteral("; retort cannot write its SQL. Nothing was written; run "
                                      "`alembic ... --sql` for that range instead."));
    auto cfg = context.config();
    if (!cfg)
        return cfg.error();
    const QString configured = (*cfg)->mainOption(QStringLiteral("retort_python")).value().value_or(QString());
    PythonStepRunner python((*cfg)->configFileName(), (*cfg)->iniSection(),
                            PythonStepRunner::interpreterFor(configured), context.urlOverride());
    auto available = python.checkAvailable();
    if (!available)
        return Error(describe(first, needPython.first().second, bodies) + QStringLiteral("; ")
                     + available.error().message + QStringLiteral(". Nothing was run."));

    int next = 0;
    for (const auto &[index, why] : needPython) {
        auto native = runNative(context, env, plan, bodies, next, index, false);
        if (!native)
            return native;
        const MigrationStep &step = plan.steps.at(index);
        context.logInfo(QStringLiteral("alembic.runtime.migration"), QStringLiteral("Handing %1 to Python (%2)")
                                                       .arg(step.shortLog, describe(step, why, bodies)));
        auto ran = python.run(step, [&context](const QString &line) {
            context.out().writeStderr(line + QLatin1Char('\n'));
        });
        if (!ran)
            return ran;
        // Python's Alembic must have left the table where the plan expects it.
        auto heads = env.currentHeads();
        if (!heads)
            return heads.error();
        const QStringList expected = index + 1 < plan.steps.size() ? plan.headsBefore(index + 1) : plan.endHeads;
        if (QSet<QString>(heads->begin(), heads->end()) != QSet<QString>(expected.begin(), expected.end()))
            return Error(QStringLiteral("After Python ran %1 the version table holds (%2), expected (%3); "
                                        "stopped here.")
                             .arg(step.shortLog, heads->join(QStringLiteral(", ")), expected.join(QStringLiteral(", "))));
        next = index + 1;
    }
    return runNative(context, env, plan, bodies, next, plan.steps.size(), false);
}

// env.py's part of a run: read it, then either start offline (context lines; the heads
// come from the range's start) or connect and read the version table. The graph is
// loaded after the context lines, as Alembic loads it lazily.
Result<QStringList> startingHeads(CommandContext &context, MigrationEnvironment &env, bool sql,
                                  const QString &start, bool purge = false)
{
    auto loaded = env.load();
    if (!loaded)
        return loaded.error();
    if (!sql) {
        auto connected = env.connect();
        if (!connected)
            return connected.error();
        return env.currentHeads();
    }
    env.startOffline();
    if (purge)
        return Error(QStringLiteral("Can't use --purge with --sql mode"));
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    return MigrationPlanner::offlineStartHeads(**graph, start);
}

// Alembic plans inside env.py's `with context.begin_transaction():`, so in --sql mode
// a transactional-DDL dialect has already printed BEGIN when planning fails.
Error offlineFailure(CommandContext &context, const MigrationEnvironment &env, bool sql, Error error)
{
    if (sql && env.effectiveTransactionalDdl() && !env.transactionPerMigration())
        context.out().writeStdout(OfflineSqlWriter::statementText(QStringLiteral("BEGIN")));
    return error;
}

VoidResult migrate(CommandContext &context, Direction direction)
{
    const bool sql = context.args().flag(QStringLiteral("sql"));
    QString target = context.args().value(QStringLiteral("revision"));
    auto scripts = context.scriptDirectory();
    if (!scripts)
        return scripts.error();
    QString start;
    bool hasStart = false;
    if (target.contains(QLatin1Char(':'))) {
        if (!sql)
            return Error(QStringLiteral("Range revision not allowed"));
        const QStringList parts = target.split(QLatin1Char(':'));
        if (parts.size() > 2)
            return Error(QStringLiteral("too many values to unpack (expected 2)"));
        start = parts.at(0);
        target = parts.at(1);
        hasStart = true;
    } else if (sql && direction == Direction::Downgrade) {
        return Error(QStringLiteral("downgrade with --sql requires <fromrev>:<torev>"));
    }

    MigrationEnvironment env(context.project(), context, context.urlOverride());
    // Alembic's starting_rev: "" from ":head" is treated like no start at all.
    auto heads = startingHeads(context, env, sql, hasStart && !start.isEmpty() ? start : QString());
    if (!heads)
        return heads.error();
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    auto plan = direction == Direction::Upgrade ? MigrationPlanner::upgrade(**graph, *heads, target)
                                                : MigrationPlanner::downgrade(**graph, *heads, target);
    if (!plan)
        return offlineFailure(context, env, sql, plan.error());
    return runPlan(context, env, **graph, *plan, sql);
}

} // namespace

VoidResult DatabaseCommands::current(CommandContext &context)
{
    MigrationEnvironment env(context.project(), context, context.urlOverride());
    auto heads = env.connectAndReadHeads();
    if (!heads)
        return heads.error();
    const bool verbose = context.args().flag(QStringLiteral("verbose"));
    if (verbose)
        context.out().printStdout(QStringLiteral("Current revision(s) for %1:").arg(env.obfuscatedUrl()));
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    auto nodes = (*graph)->allCurrent(*heads).toResult();
    if (!nodes)
        return nodes.error();
    for (const RevisionNode *node : *nodes)
        if (node)
            context.out().printStdout(RevisionFormatter::cmdFormat(*node, verbose));
    return {};
}

VoidResult DatabaseCommands::showCurrent(CommandContext &context)
{
    MigrationEnvironment env(context.project(), context, context.urlOverride());
    auto heads = env.connectAndReadHeads();
    if (!heads)
        return heads.error();
    return ScriptCommands::show(context, QStringLiteral("current"), *heads);
}

VoidResult DatabaseCommands::historyWithCurrent(CommandContext &context)
{
    MigrationEnvironment env(context.project(), context, context.urlOverride());
    auto heads = env.connectAndReadHeads();
    if (!heads)
        return heads.error();
    return ScriptCommands::history(context, *heads);
}

VoidResult DatabaseCommands::upgrade(CommandContext &context)
{
    return migrate(context, Direction::Upgrade);
}

VoidResult DatabaseCommands::downgrade(CommandContext &context)
{
    return migrate(context, Direction::Downgrade);
}

VoidResult DatabaseCommands::stamp(CommandContext &context)
{
    const bool sql = context.args().flag(QStringLiteral("sql"));
    const bool purge = context.args().flag(QStringLiteral("purge"));
    auto scripts = context.scriptDirectory();
    if (!scripts)
        return scripts.error();
    QStringList destinations;
    QString start;
    bool hasStart = false;
    for (QString rev : context.args().list(QStringLiteral("revisions"))) {
        if (sql && rev.contains(QLatin1Char(':'))) {
            const QStringList parts = rev.split(QLatin1Char(':'));
            if (parts.size() > 2)
                return Error(QStringLiteral("too many values to unpack (expected 2)"));
            if (hasStart && start != parts.at(0))
                return Error(QStringLiteral("Stamp operation with --sql only supports a single starting revision at a time"));
            start = parts.at(0);
            hasStart = true;
            rev = parts.at(1);
        }
        destinations << rev;
    }

    MigrationEnvironment env(context.project(), context, context.urlOverride());
    auto heads = startingHeads(context, env, sql, hasStart && !start.isEmpty() ? start : QString(), purge);
    if (!heads)
        return heads.error();
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    auto plan = MigrationPlanner::stamp(**graph, *heads, destinations, purge);
    if (!plan)
        return offlineFailure(context, env, sql, plan.error());
    return runPlan(context, env, **graph, *plan, sql);
}

VoidResult DatabaseCommands::ensureVersion(CommandContext &context)
{
    const bool sql = context.args().flag(QStringLiteral("sql"));
    MigrationEnvironment env(context.project(), context, context.urlOverride());
    auto loaded = env.load();
    if (!loaded)
        return loaded.error();
    if (sql) {
        env.startOffline();
        VersionTableSql statements(env.dialect(), env.versionTable());
        context.out().writeStdout(OfflineSqlWriter::statementText(statements.createTable()));
        return {};
    }
    auto connected = env.connect();
    if (!connected)
        return connected.error();
    VersionTable table(*env.connection(), env.versionTable());
    return table.ensureExists();
}

} // namespace retort
