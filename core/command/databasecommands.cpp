#include "databasecommands.h"

#include "command/backupcommands.h"
#include "command/checksumreport.h"
#include "command/commandcontext.h"
#include "services/migrationenvironment.h"
#include "services/migrationexecutor.h"
#include "command/multidatabaserun.h"
#include "command/rehearsecommands.h"
#include "command/reviewwarnings.h"
#include "script/scriptcache.h"
#include "ddl/scriptprefetch.h"
#include "ddl/scriptstepbodyprovider.h"
#include "command/scriptcommands.h"
#include "revision/migrationplanner.h"
#include "revision/revisionformatter.h"
#include "runtime/databaseconnection.h"
#include "runtime/offlinesqlwriter.h"
#include "runtime/statementjournal.h"
#include "runtime/versiontable.h"
#include "runtime/versiontablesql.h"

#include <QScopeGuard>
#include <algorithm>
#include <memory>
#include <thread>

namespace retort {

namespace {

enum class Direction { Upgrade, Downgrade };

VoidResult runPlan(CommandContext &context, MigrationEnvironment &env, const MigrationPlan &plan,
                   bool offline, ScriptPrefetch *prefetch = nullptr, ScriptCache *cache = nullptr)
{
    for (const QString &w : plan.warnings)
        context.warn(w);
    MigrationExecutor executor(context.project(), env, context, context.urlOverride());
    // The review reads the scripts the run then uses (interpreted once).
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    std::unique_ptr<ScriptStepBodyProvider> bodies = MigrationExecutor::defaultBodies(env, **graph, offline);
    // This command read the graph: the scan's texts are the scripts of this run.
    bodies->setSourcesCurrent(true);
    bodies->setPrefetch(prefetch);
    if (offline)
        bodies->setBodyCache(cache);
    executor.setBodyProvider(bodies.get());
    if (!offline) {
        // In the context the executor's router reads them in (with the URL): the scripts
        // the review interprets are not interpreted again.
        bodies->setScriptContext(MigrationExecutor::withUrl(bodies->scriptContext(), env));
        ReviewWarnings::log(context, bodies.get(), env.connection(), plan);
    }
    executor.setOffline(offline);
    executor.setRestartStep(context.args().flag(QStringLiteral("restart_step")));
    QObject::connect(&executor, &MigrationExecutor::offlineSql, [&context](const QString &sql) {
        context.out().writeStdout(sql);
    });
    QObject::connect(&executor, &MigrationExecutor::pythonOutput, [&context](const QString &line) {
        context.out().writeStderr(line + QLatin1Char('\n'));
    });
    // --sql logs a line per step: gathered into fewer writes (nothing else writes to
    // stderr meanwhile; a Python helper's output comes through pythonOutput above).
    struct Hold
    {
        CommandOutput &out;
        explicit Hold(CommandOutput &o, bool on) : out(o) { out.holdStderr(on); }
        ~Hold() { out.holdStderr(false); }
    } hold(context.out(), offline);
    VoidResult result = executor.exec(plan);
    if (offline && cache)
        cache->save();
    return result;
}

// The migration lock, waiting as long as --lock-timeout allows.
VoidResult lockForMigration(CommandContext &context, MigrationEnvironment &env)
{
    env.setLockTimeoutMs(context.lockTimeoutMs());
    return env.lockForMigration();
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
        // Before the version table is read: a concurrent run's work must be seen.
        auto locked = lockForMigration(context, env);
        if (!locked)
            return locked.error();
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

    // Alembic's starting_rev: "" from ":head" is treated like no start at all.
    const QString offlineStart = hasStart && !start.isEmpty() ? start : QString();
    const MultiDatabaseRun::Planner planner = [&](const RevisionGraph &graph, const QStringList &heads) {
        return direction == Direction::Upgrade ? MigrationPlanner::upgrade(graph, heads, target)
                                               : MigrationPlanner::downgrade(graph, heads, target);
    };
    const bool backup = context.args().flag(QStringLiteral("backup"));
    if (backup && sql)
        return Error(QStringLiteral("--backup needs a database: it cannot be used with --sql"));
    const bool rehearse = RehearseCommands::wantsRehearsal(context);
    if (rehearse && sql)
        return Error(QStringLiteral("--rehearse needs a database: it cannot be used with --sql"));
    if (auto engines = MultiDatabaseRun::engines(context.project()); engines && !engines->isEmpty()) {
        if (backup)
            return Error(QStringLiteral("--backup works on one database: back up a multidb project's engines "
                                        "with `backup --url`"));
        if (rehearse)
            return Error(QStringLiteral("--rehearse works on one database: a multidb project's engines cannot be "
                                        "rehearsed yet"));
        return MultiDatabaseRun(context, *engines).migrate(planner, sql, offlineStart, false);
    }

    MigrationEnvironment env(context.project(), context, context.urlOverride());
    // --sql: headers and statements earlier runs derived from unchanged scripts (ScriptCache).
    // None at all when it is off (its default): no per-script lookups on the hot path.
    std::unique_ptr<ScriptCache> cache;
    if (const QString file = sql ? ScriptCache::fileFor((*scripts)->dir()) : QString(); !file.isEmpty())
        cache = std::make_unique<ScriptCache>(file);
    // `upgrade head(s) --sql` from base interprets every script: start on them as soon as
    // the scan has read them, while this thread builds the graph and plans.
    std::unique_ptr<ScriptPrefetch> prefetch;
    if (sql && direction == Direction::Upgrade && offlineStart.isEmpty()
        && (target == QLatin1String("heads") || target == QLatin1String("head"))) {
        context.project().setScriptsReadHandler([&prefetch, &env, &cache](const QVector<Revision> &revisions) {
            QVector<ScriptPrefetch::Item> items;
            items.reserve(revisions.size());
            // Scripts whose upgrade() statements the cache holds for this run need no interpreting.
            const ScriptContext offline = MigrationExecutor::withUrl(ScriptContext(env.dialect().name(), ScriptContext::Offline), env);
            const QString key = ScriptStepBodyProvider::bodyCacheKey(env.dialect(), offline, true, {});
            for (const Revision &r : revisions)
                if (r.sourceSize >= 0 && !r.path.isEmpty()
                    && !(cache && cache->lookup({r.path, &r.source, r.sourceSize, r.sourceMtimeNs}, key)))
                    items.append({r.id, r.path, r.source});
            if (items.isEmpty())
                return;   // every script is answered from the body cache
            const int threads = int(std::max(2u, std::min(8u, std::thread::hardware_concurrency()))) - 1;
            prefetch = std::make_unique<ScriptPrefetch>(
                std::move(items), offline, threads);
        });
    }
    (*scripts)->setCache(cache.get());
    const auto noHandler = qScopeGuard([&context, &scripts] {
        context.project().setScriptsReadHandler({});
        (*scripts)->setCache(nullptr);
    });
    auto heads = startingHeads(context, env, sql, offlineStart);
    if (!heads)
        return heads.error();
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    auto plan = planner(**graph, *heads);
    if (!plan)
        return offlineFailure(context, env, sql, plan.error());
    // Beyond Alembic: on a copy first; the real run (and its backup) only when that succeeded.
    if (rehearse && !plan->steps.isEmpty()) {
        if (auto rehearsed = RehearseCommands::rehearseBeforeRun(context, env, *plan); !rehearsed)
            return rehearsed;
    }
    if (rehearse && plan->steps.isEmpty())
        context.notice(QStringLiteral("retort.rehearse"), QStringLiteral("Rehearsal: nothing to run"));
    if (rehearse && RehearseCommands::rehearsalOnly(context))
        return {};
    // Only when something will change; the plan is known to be valid.
    if (backup && !plan->steps.isEmpty()) {
        const QString note = QStringLiteral("before %1 to %2")
                                 .arg(direction == Direction::Upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                                      target);
        if (auto written = BackupCommands::backupBeforeRun(context, env, *heads, note); !written)
            return written;
    }
    return runPlan(context, env, *plan, sql, prefetch.get(), cache.get());
}

// Beyond Alembic: a MySQL run killed mid-step left its statement journal behind.
VoidResult reportInterrupted(CommandContext &context, MigrationEnvironment &env, const RevisionGraph &graph)
{
    DatabaseConnection *conn = env.connection();
    if (!conn || !StatementJournal::appliesTo(conn->dialect()))
        return {};
    StatementJournal journal(*conn, env.versionTable());
    auto pending = journal.pending();
    if (!pending)
        return pending.error();
    if (!*pending)
        return {};
    const RevisionNode *node = graph.node((*pending)->revision);
    context.out().writeStderr(QStringLiteral("WARNING [retort.journal] %1\n")
                                  .arg((*pending)->describe(node ? node->path() : QString())));
    return {};
}

// Runs `fn` with the version table's heads: once, or once per engine of a multidb project
// (each after its "Migrating database" and context lines).
VoidResult withCurrentHeads(CommandContext &context, const MultiDatabaseRun::EngineVisitor &fn)
{
    if (auto engines = MultiDatabaseRun::engines(context.project()); engines && !engines->isEmpty())
        return MultiDatabaseRun(context, *engines).visit(fn);
    MigrationEnvironment env(context.project(), context, context.urlOverride());
    auto heads = env.connectAndReadHeads();
    if (!heads)
        return heads.error();
    return fn(env, *heads);
}

} // namespace

VoidResult DatabaseCommands::current(CommandContext &context)
{
    return withCurrentHeads(context, [&context](MigrationEnvironment &env, const QStringList &heads) -> VoidResult {
        const bool verbose = context.args().flag(QStringLiteral("verbose"));
        if (verbose)
            context.out().printStdout(QStringLiteral("Current revision(s) for %1:").arg(env.obfuscatedUrl()));
        auto graph = context.graph();
        if (!graph)
            return graph.error();
        auto nodes = (*graph)->allCurrent(heads).toResult();
        if (!nodes)
            return nodes.error();
        for (const RevisionNode *node : *nodes)
            if (node)
                context.out().printStdout(RevisionFormatter::cmdFormat(*node, verbose));
        if (verbose) {
            if (auto changed = ChecksumReport::log(context, env, **graph, heads); !changed)
                return changed.error();
        }
        return reportInterrupted(context, env, **graph);
    });
}

VoidResult DatabaseCommands::showCurrent(CommandContext &context)
{
    return withCurrentHeads(context, [&context](MigrationEnvironment &, const QStringList &heads) {
        return ScriptCommands::show(context, QStringLiteral("current"), heads);
    });
}

VoidResult DatabaseCommands::historyWithCurrent(CommandContext &context)
{
    return withCurrentHeads(context, [&context](MigrationEnvironment &, const QStringList &heads) {
        return ScriptCommands::history(context, heads);
    });
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

    const QString offlineStart = hasStart && !start.isEmpty() ? start : QString();
    const MultiDatabaseRun::Planner planner = [&](const RevisionGraph &graph, const QStringList &heads) {
        return MigrationPlanner::stamp(graph, heads, destinations, purge);
    };
    if (auto engines = MultiDatabaseRun::engines(context.project()); engines && !engines->isEmpty())
        return MultiDatabaseRun(context, *engines).migrate(planner, sql, offlineStart, purge);

    MigrationEnvironment env(context.project(), context, context.urlOverride());
    auto heads = startingHeads(context, env, sql, offlineStart, purge);
    if (!heads)
        return heads.error();
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    auto plan = planner(**graph, *heads);
    if (!plan)
        return offlineFailure(context, env, sql, plan.error());
    return runPlan(context, env, *plan, sql);
}

QString DatabaseCommands::ensureVersionSql(const MigrationEnvironment &env)
{
    const bool transaction = env.effectiveTransactionalDdl() && !env.transactionPerMigration();
    VersionTableSql statements(env.dialect(), env.versionTable());
    QString text;
    if (transaction)
        text += OfflineSqlWriter::statementText(QStringLiteral("BEGIN"));
    text += OfflineSqlWriter::statementText(statements.createTable());
    text += OfflineSqlWriter::statementText(statements.dropTable());
    if (transaction)
        text += OfflineSqlWriter::statementText(QStringLiteral("COMMIT"));
    return text;
}

VoidResult DatabaseCommands::ensureVersion(CommandContext &context)
{
    const bool sql = context.args().flag(QStringLiteral("sql"));
    if (auto engines = MultiDatabaseRun::engines(context.project()); engines && !engines->isEmpty())
        return MultiDatabaseRun(context, *engines).ensureVersion(sql);
    MigrationEnvironment env(context.project(), context, context.urlOverride());
    auto loaded = env.load();
    if (!loaded)
        return loaded.error();
    if (sql) {
        env.startOffline();
        context.out().writeStdout(ensureVersionSql(env));
        return {};
    }
    auto connected = env.connect();
    if (!connected)
        return connected.error();
    // Two runs creating the table at once would race on its CREATE.
    auto locked = lockForMigration(context, env);
    if (!locked)
        return locked;
    VersionTable table(*env.connection(), env.versionTable());
    return table.ensureExists();
}

} // namespace retort
