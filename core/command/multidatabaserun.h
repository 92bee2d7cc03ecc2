#pragma once
// The multidb template (`alembic init -t multidb`): `databases = engine1, engine2` in the
// main section, one ini section per engine holding its sqlalchemy.url, and an env.py that
// runs each command once per engine, with the engine's own connection and version table,
// calling the script's upgrade(engine_name) (which dispatches to upgrade_<engine>()).
// What that env.py does, natively, one MigrationEnvironment + MigrationExecutor per engine:
// - online, every engine connects, takes its migration lock and begins its transaction
//   before the first one is migrated; then each engine in turn logs "Migrating database
//   <engine>", plans from its own version table and runs; the transactions are committed
//   together at the end, in engine order, and a failure in any engine rolls back every
//   engine (MySQL/MariaDB engines keep the DDL that already ran: it commits itself);
// - offline (--sql), each engine's SQL goes to <engine>.sql in the current directory
//   ("Writing output to <engine>.sql"), stdout stays empty.
// A step that needs Python is refused before anything runs: Alembic's multidb env.py
// migrates every engine at once, so one engine's step cannot be handed to it alone.

#include "result.h"
#include "revision/migrationplanner.h"

#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

namespace retort {

class CommandContext;
class MigrationEnvironment;
class Project;
class RevisionGraph;
class ScriptStepBodyProvider;

class MultiDatabaseRun
{
public:
    // The plan for one engine from its current heads (or, --sql, the range's start).
    using Planner = std::function<Result<MigrationPlan>(const RevisionGraph &, const QStringList &heads)>;
    // Called per engine after its log lines, with its version table's heads.
    using EngineVisitor = std::function<VoidResult(MigrationEnvironment &, const QStringList &heads)>;

    // The engine names when the project uses the multidb template (the main section's
    // `databases`, read by env.py), else an empty list.
    static Result<QStringList> engines(Project &project);

    MultiDatabaseRun(CommandContext &context, QStringList engines);
    ~MultiDatabaseRun();

    // upgrade / downgrade / stamp. sql: render into <engine>.sql files from offlineStart
    // (the part of the range before ':', or empty).
    VoidResult migrate(const Planner &planner, bool sql, const QString &offlineStart, bool purge);
    // current, history --indicate-current, show current: read-only, no lock.
    VoidResult visit(const EngineVisitor &visitor);
    VoidResult ensureVersion(bool sql);

private:
    struct Engine;

    VoidResult loadAll();
    VoidResult openAll(bool lockAndHold);
    void logEngine(int index);
    VoidResult migrateOnline(const Planner &planner);
    VoidResult migrateOffline(const Planner &planner, const QString &offlineStart, bool purge);
    VoidResult refuseNeedsPython(const RevisionGraph &graph, bool sql);
    VoidResult runPlan(Engine &engine, const MigrationPlan &plan, bool sql,
                       const std::function<void(const QString &)> &sqlOut);
    ScriptStepBodyProvider &bodies(Engine &engine, const RevisionGraph &graph, bool sql);
    VoidResult commitAll();
    void rollbackAll();

    CommandContext &m_context;
    QStringList m_names;
    std::vector<std::unique_ptr<Engine>> m_engines;
};

} // namespace retort
