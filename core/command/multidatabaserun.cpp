#include "multidatabaserun.h"

#include "command/commandcontext.h"
#include "command/databasecommands.h"
#include "command/reviewwarnings.h"
#include "services/migrationenvironment.h"
#include "services/handoffrouter.h"
#include "services/migrationexecutor.h"
#include "ddl/scriptstepbodyprovider.h"
#include "ddl/sqlitetablereader.h"
#include "runtime/offlinesqlwriter.h"
#include "runtime/versiontable.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <optional>

namespace retort {

namespace {

const QString kEnvLogger = QStringLiteral("alembic.env");

// Engine names that lead to the same database and version table would wait on their own
// migration lock (and, in Alembic, on their own row locks): refused up front.
QString identity(const MigrationEnvironment &env)
{
    return env.url().toDisplayString(QString()) + QLatin1Char('|') + env.versionTable().schema
        + QLatin1Char('.') + env.versionTable().table;
}

} // namespace

struct MultiDatabaseRun::Engine
{
    QString name;
    std::unique_ptr<MigrationEnvironment> env;
    std::unique_ptr<ScriptStepBodyProvider> bodies;
    std::optional<Result<MigrationPlan>> plan;
};

Result<QStringList> MultiDatabaseRun::engines(Project &project)
{
    auto cfg = project.config();
    if (!cfg)
        return QStringList();   // the single-database path reports it
    auto names = (*cfg)->databaseNames();
    if (!names)
        return QStringList();
    if (names->isEmpty())
        return QStringList();
    // Only an env.py that reads the option runs per engine (the template's
    // config.get_main_option("databases")); any other env.py ignores it, as Alembic does.
    auto scripts = project.scriptDirectory();
    if (!scripts)
        return QStringList();
    QFile env((*scripts)->envPyPath());
    if (!env.open(QIODevice::ReadOnly))
        return QStringList();
    const QByteArray text = env.readAll();
    if (!text.contains("\"databases\"") && !text.contains("'databases'"))
        return QStringList();
    return *names;
}

MultiDatabaseRun::MultiDatabaseRun(CommandContext &context, QStringList engines)
    : m_context(context), m_names(std::move(engines))
{
}

// Transactions end before the environments (and their locks and connections) go.
MultiDatabaseRun::~MultiDatabaseRun()
{
    rollbackAll();
}

// Every engine's URL, before anything is opened or logged (env.py reads them all first).
VoidResult MultiDatabaseRun::loadAll()
{
    QHash<QString, QString> seen;   // identity -> engine
    for (const QString &name : std::as_const(m_names)) {
        auto engine = std::make_unique<Engine>();
        engine->name = name;
        engine->env = std::make_unique<MigrationEnvironment>(m_context.project(), m_context,
                                                             m_context.urlOverride());
        engine->env->setEngine(name);
        auto loaded = engine->env->load();
        if (!loaded)
            return loaded;
        const QString id = identity(*engine->env);
        if (seen.contains(id))
            return Error(QStringLiteral("Engines %1 and %2 name the same database and version table (%3); "
                                        "each engine needs its own")
                             .arg(seen.value(id), name, engine->env->obfuscatedUrl()));
        seen.insert(id, name);
        m_engines.push_back(std::move(engine));
    }
    return {};
}

// Online: all engines connect first; a changing run then takes each engine's migration
// lock (in engine order, so two runs cannot deadlock) and begins its transaction.
VoidResult MultiDatabaseRun::openAll(bool lockAndHold)
{
    for (auto &engine : m_engines) {
        auto opened = engine->env->openConnection();
        if (!opened)
            return opened;
    }
    if (!lockAndHold)
        return {};
    for (auto &engine : m_engines) {
        engine->env->setLockTimeoutMs(m_context.lockTimeoutMs());
        auto locked = engine->env->lockForMigration();
        if (!locked)
            return locked;
    }
    for (auto &engine : m_engines) {
        DatabaseConnection *conn = engine->env->connection();
        // MySQL commits DDL as it runs: holding a transaction there would only defeat
        // the statement journal's per-statement commits.
        if (conn->dialect().isMySqlFamily())
            continue;
        auto held = conn->holdTransaction();
        if (!held)
            return held;
    }
    return {};
}

void MultiDatabaseRun::logEngine(int index)
{
    m_context.info(kEnvLogger, QStringLiteral("Migrating database %1").arg(m_engines[index]->name));
}

VoidResult MultiDatabaseRun::commitAll()
{
    for (auto &engine : m_engines) {
        DatabaseConnection *conn = engine->env->connection();
        if (!conn)
            continue;
        auto committed = conn->commitHeld();
        if (!committed)
            return committed;
    }
    return {};
}

void MultiDatabaseRun::rollbackAll()
{
    for (auto &engine : m_engines)
        if (DatabaseConnection *conn = engine->env->connection())
            (void)conn->rollbackHeld();
}

ScriptStepBodyProvider &MultiDatabaseRun::bodies(Engine &engine, const RevisionGraph &graph, bool sql)
{
    if (engine.bodies)
        return *engine.bodies;
    engine.bodies = std::make_unique<ScriptStepBodyProvider>(graph);
    engine.bodies->setEngineName(engine.name);
    DatabaseConnection *conn = engine.env->connection();
    if (!sql) {
        RenderOptions options;
        options.online = true;
        if (conn && conn->dialect().kind() == Dialect::SQLite) {
            // Batch mode's move-and-copy reflects the live table, as Alembic does online.
            options.tableProvider = [conn](const QString &schema, const QString &table) {
                return SqliteTableReader(*conn).read(schema, table);
            };
        }
        engine.bodies->setRenderOptions(options);
    }
    return *engine.bodies;
}

// Before anything runs or is written: no engine's plan may hold a step that only Alembic
// can run against the database (the multidb env.py would migrate every engine at once).
// Steps Alembic's offline mode can render run in Retort's transactions like native ones.
VoidResult MultiDatabaseRun::refuseNeedsPython(const RevisionGraph &graph, bool sql)
{
    if (sql)
        return {};
    for (auto &engine : m_engines) {
        if (!engine->plan || !*engine->plan)
            continue;
        const MigrationPlan &plan = **engine->plan;
        ScriptStepBodyProvider &provider = bodies(*engine, graph, sql);
        const QVector<StepRoute> routes =
            HandoffRouter(provider, engine->env->dialect(), false, engine->env->versionTable().table).route(plan);
        for (int i = 0; i < routes.size(); ++i) {
            if (routes.at(i).kind != StepRoute::Online)
                continue;
            const MigrationStep &step = plan.steps.at(i);
            const auto function = provider.functionName(step);
            const QString fn = function ? *function : QString();
            return Error(QStringLiteral("revision %1 (%2:%3) needs Python for engine %4 (%5()): %6, and must run "
                                        "in Alembic against the database (it %7); Alembic's multidb env.py "
                                        "migrates every engine at once. Nothing was run; run `alembic` for "
                                        "this command instead.")
                             .arg(step.revision, provider.scriptPath(step)).arg(routes.at(i).why.line)
                             .arg(engine->name, fn, routes.at(i).why.reason, routes.at(i).onlineReason));
        }
    }
    return {};
}

VoidResult MultiDatabaseRun::runPlan(Engine &engine, const MigrationPlan &plan, bool sql,
                                     const std::function<void(const QString &)> &sqlOut)
{
    for (const QString &w : plan.warnings)
        m_context.warn(w);
    MigrationExecutor executor(m_context.project(), *engine.env, m_context);
    executor.setBodyProvider(engine.bodies.get());
    executor.setOffline(sql);
    executor.setRestartStep(m_context.args().flag(QStringLiteral("restart_step")));
    QObject::connect(&executor, &MigrationExecutor::offlineSql, sqlOut);
    QObject::connect(&executor, &MigrationExecutor::pythonOutput, [this](const QString &line) {
        m_context.out().writeStderr(line + QLatin1Char('\n'));
    });
    return executor.exec(plan);
}

VoidResult MultiDatabaseRun::migrate(const Planner &planner, bool sql, const QString &offlineStart, bool purge)
{
    auto loaded = loadAll();
    if (!loaded)
        return loaded;
    if (sql)
        return migrateOffline(planner, offlineStart, purge);
    auto opened = openAll(true);
    VoidResult result = opened ? migrateOnline(planner) : opened;
    if (result)
        result = commitAll();
    rollbackAll();   // after a failure: every engine; after commitAll(): nothing left
    return result;
}

VoidResult MultiDatabaseRun::migrateOnline(const Planner &planner)
{
    const RevisionGraph *graph = nullptr;
    for (int i = 0; i < int(m_engines.size()); ++i) {
        Engine &engine = *m_engines[i];
        logEngine(i);
        engine.env->logOnlineContext();
        if (i == 0) {
            // Alembic loads the graph inside the first run_migrations(); every engine is
            // planned now (from its own table, under its lock) so that a step needing
            // Python is refused before the first engine runs.
            auto g = m_context.graph();
            if (!g)
                return g.error();
            graph = *g;
            for (auto &e : m_engines) {
                auto heads = e->env->currentHeads();
                e->plan = heads ? planner(*graph, *heads) : Result<MigrationPlan>(heads.error());
            }
            auto refused = refuseNeedsPython(*graph, false);
            if (!refused)
                return refused;
        }
        if (!*engine.plan)
            return engine.plan->error();
        ReviewWarnings::log(m_context, &bodies(engine, *graph, false), engine.env->connection(), **engine.plan);
        auto ran = runPlan(engine, **engine.plan, false, [](const QString &) {});
        if (!ran)
            return ran;
    }
    return {};
}

VoidResult MultiDatabaseRun::migrateOffline(const Planner &planner, const QString &offlineStart, bool purge)
{
    const RevisionGraph *graph = nullptr;
    for (int i = 0; i < int(m_engines.size()); ++i) {
        Engine &engine = *m_engines[i];
        const QString fileName = engine.name + QStringLiteral(".sql");
        logEngine(i);
        m_context.info(kEnvLogger, QStringLiteral("Writing output to %1").arg(fileName));
        // open(file_, "w") in the current directory, before anything else happens.
        QFile file(QDir::current().filePath(fileName));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return Error(QStringLiteral("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
        const auto write = [&file](const QString &text) { file.write(text.toUtf8()); };
        engine.env->startOffline();
        if (purge)
            return Error(QStringLiteral("Can't use --purge with --sql mode"));
        if (i == 0) {
            auto g = m_context.graph();
            if (!g)
                return g.error();
            graph = *g;
            for (auto &e : m_engines) {
                auto heads = MigrationPlanner::offlineStartHeads(*graph, offlineStart);
                e->plan = heads ? planner(*graph, *heads) : Result<MigrationPlan>(heads.error());
            }
            if (*engine.plan) {
                auto refused = refuseNeedsPython(*graph, true);
                if (!refused)
                    return refused;
            }
        }
        if (!*engine.plan) {
            // Planning fails inside env.py's begin_transaction(): BEGIN is written already.
            if (engine.env->effectiveTransactionalDdl() && !engine.env->transactionPerMigration())
                write(OfflineSqlWriter::statementText(QStringLiteral("BEGIN")));
            return engine.plan->error();
        }
        bodies(engine, *graph, true);
        auto ran = runPlan(engine, **engine.plan, true, write);
        if (!ran)
            return ran;
    }
    return {};
}

VoidResult MultiDatabaseRun::visit(const EngineVisitor &visitor)
{
    auto loaded = loadAll();
    if (!loaded)
        return loaded;
    auto opened = openAll(false);
    if (!opened)
        return opened;
    for (int i = 0; i < int(m_engines.size()); ++i) {
        logEngine(i);
        m_engines[i]->env->logOnlineContext();
        auto heads = m_engines[i]->env->currentHeads();
        if (!heads)
            return heads.error();
        auto visited = visitor(*m_engines[i]->env, *heads);
        if (!visited)
            return visited;
    }
    return {};
}

VoidResult MultiDatabaseRun::ensureVersion(bool sql)
{
    auto loaded = loadAll();
    if (!loaded)
        return loaded;
    if (!sql) {
        auto opened = openAll(true);
        VoidResult result = opened;
        for (int i = 0; result && i < int(m_engines.size()); ++i) {
            logEngine(i);
            m_engines[i]->env->logOnlineContext();
            VersionTable table(*m_engines[i]->env->connection(), m_engines[i]->env->versionTable());
            result = table.ensureExists();
        }
        if (result)
            result = commitAll();
        rollbackAll();
        return result;
    }
    for (int i = 0; i < int(m_engines.size()); ++i) {
        MigrationEnvironment &env = *m_engines[i]->env;
        const QString fileName = m_engines[i]->name + QStringLiteral(".sql");
        logEngine(i);
        m_context.info(kEnvLogger, QStringLiteral("Writing output to %1").arg(fileName));
        QFile file(QDir::current().filePath(fileName));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return Error(QStringLiteral("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
        env.startOffline();
        file.write(DatabaseCommands::ensureVersionSql(env).toUtf8());
    }
    return {};
}

} // namespace retort
