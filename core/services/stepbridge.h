#pragma once
// The bridge's part of a run (MigrationExecutor::bridgeOnlineSteps()): which of the steps
// Alembic must run online can run on Retort's connection instead, the worker's bridge
// (resources/python/retort_bridge.py) set up for that connection, and a bridged step's
// body: one StepItem::Bridge, run by MigrationRunner in its transaction like any step,
// each statement of it answered by SqlBridge on the runner's connection.

#include "result.h"
#include "revision/migrationplanner.h"
#include "runtime/stepbody.h"
#include "services/handoffrouter.h"
#include "services/pythonworker.h"

#include <QString>
#include <QVector>

namespace retort {

class DatabaseConnection;
class Project;
class StepBodyProvider;

class StepBridge
{
public:
    // retort_bridge = false (0, no, off) in the ini section.
    static bool disabledFor(Project &project);
    // The Online steps the bridge may take (indexes into the plan); `refused`: the first
    // Online step it may not (-1: none).
    static QVector<int> candidates(const MigrationPlan &plan, const QVector<StepRoute> &routes,
                                   const StepBodyProvider &scripts, int &refused);
    // What the bridge cannot give a script: COPY, the pool's raw connection, a COMMIT
    // statement (it would end Retort's transaction behind its back).
    static bool usesTheRawConnection(const QString &scriptPath);
    // Sets up the worker's bridge for `connection` (the dialect initialises through it).
    static VoidResult start(PythonWorker &python, DatabaseConnection &connection,
                            const PythonWorker::LineSink &sink);
    // The body of a bridged step (the URL as env.py has it: `connection`'s). more: another
    // bridged step follows in the run (PythonWorker::runBridged()).
    static StepBody body(PythonWorker &python, const MigrationStep &step, const DatabaseConnection &connection,
                         const PythonWorker::LineSink &sink, bool more = false);
    // For each candidate (in order): whether the next bridged step follows it with no
    // step for Alembic's own connection between (env.py then runs once for both).
    static QVector<bool> followedByBridged(const QVector<int> &candidates, const QVector<StepRoute> &routes);
};

} // namespace retort
