#pragma once
// Runs a planned upgrade/downgrade/stamp for the CLI and the studio alike. Before anything
// runs, HandoffRouter decides per step: native (MigrationRunner), rendered by the project's
// Alembic in offline mode and run by MigrationRunner in Retort's own transaction like a
// native step, or run online by Alembic. One PythonWorker process serves the whole run;
// contiguous online steps go to it in one request, and the version table must then hold
// what the plan expects. --sql splices Alembic's SQL for needs-Python steps. A job object:
// progress as signals, cancel() between steps, log lines ("Running ...", "Handing ... to
// Python", "[retort.python] ...") to the MigrationLogSink, an optional
// ConfirmationDelegate asked once before anything runs.
//
// Not thread-safe apart from cancel(): use it in the thread that owns env's connection.

#include "operations/scriptcontext.h"
#include "services/migrationlogsink.h"
#include "result.h"
#include "revision/migrationplanner.h"
#include "runtime/migrationrunoptions.h"
#include "runtime/scriptchecksumtable.h"

#include <QAtomicInt>
#include <QAtomicPointer>
#include <QObject>
#include <QPair>
#include <QString>
#include <QVector>
#include <memory>
#include <QHash>

namespace retort {

class ConfirmationDelegate;
class MigrationEnvironment;
class MigrationRunner;
class Project;
class HandoffBodyProvider;
class PythonWorker;
class RevisionGraph;
class ScriptStepBodyProvider;
class StepBodyProvider;
struct NeedsPython;
struct StepRoute;

class MigrationExecutor : public QObject
{
    Q_OBJECT
public:
    // urlOverride: --url / the studio's connection, passed on to Python's Alembic.
    MigrationExecutor(Project &project, MigrationEnvironment &env, MigrationLogSink &log,
                      QString urlOverride = {}, QObject *parent = nullptr);
    ~MigrationExecutor() override;

    // Not owned. Default: defaultBodies().
    void setBodyProvider(StepBodyProvider *bodies) { m_bodies = bodies; }
    void setConfirmationDelegate(ConfirmationDelegate *delegate) { m_confirm = delegate; }
    // --sql: render instead of run (offlineSql() carries the text); steps needing
    // Python are rendered by the project's Alembic in offline mode.
    void setOffline(bool offline) { m_offline = offline; }
    // --restart-step: run an interrupted step (MySQL's statement journal) from its start.
    void setRestartStep(bool restart) { m_restartStep = restart; }

    VoidResult exec(const MigrationPlan &plan);
    void cancel();   // any thread; honoured before the next step

    bool wasCancelled() const { return m_cancelled.loadRelaxed() != 0; }
    int completedSteps() const { return m_completed; }

    // A ScriptStepBodyProvider over the project's scripts (reading live SQLite tables for
    // batch mode when online): what a run uses unless given another provider.
    // `base` with what op.get_bind().engine.url answers: the URL this run connects with
    // (online), or the one the worker gives Alembic's mock connection (offline;
    // _offline_bind in retort_worker.py).
    static ScriptContext withUrl(ScriptContext base, const MigrationEnvironment &env);
    static std::unique_ptr<ScriptStepBodyProvider> defaultBodies(MigrationEnvironment &env,
                                                                 const RevisionGraph &graph, bool offline);
    // The runner's options for steps [from, ...) of a plan in this environment.
    static MigrationRunOptions runOptions(const MigrationEnvironment &env, const MigrationPlan &plan,
                                          int from, bool offline);

signals:
    // index is the plan's (0-based), count the plan's step count; also for Python steps.
    void stepStarted(int index, int count, const QString &shortLog);
    void statementExecuted(const QString &sql, qint64 elapsedMs);
    void statementRowsAffected(int rows);       // right after statementExecuted
    void pythonOutput(const QString &line);     // Python Alembic's stderr, line by line
    void offlineSql(const QString &sql);        // offline: the rendered script (also on failure)

private:
    StepBodyProvider &bodies(const RevisionGraph &graph);
    QVector<StepRoute> routes(const MigrationPlan &plan, const RevisionGraph &graph);
    QString describe(const MigrationStep &step, const NeedsPython &why);
    bool confirmed(const MigrationPlan &plan);
    VoidResult lockAndCheck(const MigrationPlan &plan);
    VoidResult prepare(const MigrationPlan &plan, QVector<StepRoute> &routes);
    void spawnPython(const RevisionGraph &graph);
    VoidResult startPython(const QStringList &revisions);
    VoidResult renderWithAlembic(const MigrationPlan &plan, QVector<StepRoute> &routes);
    void bridgeOnlineSteps(const MigrationPlan &plan, QVector<StepRoute> &routes);
    VoidResult refuseOnlineEngineSteps(const MigrationPlan &plan, const QVector<StepRoute> &routes);
    VoidResult runSteps(const MigrationPlan &plan, const QVector<StepRoute> &routes);
    VoidResult runNative(const MigrationPlan &plan, int from, int to);
    VoidResult runOnline(const MigrationPlan &plan, const QVector<StepRoute> &routes, int from, int to,
                         bool wholeRun = false, bool carryChecksums = false);
    bool runsInOneAlembicTransaction(const MigrationPlan &plan, const QVector<StepRoute> &routes) const;
    VoidResult cancelledError(const MigrationPlan &plan) const;
    VoidResult recordChecksums(int from, int to);
    void recordCommittedChecksums(const MigrationPlan &plan, int from, int failed);

    Project &m_project;
    MigrationEnvironment &m_env;
    MigrationLogSink &m_log;
    QString m_urlOverride;
    StepBodyProvider *m_bodies = nullptr;
    std::unique_ptr<ScriptStepBodyProvider> m_ownBodies;
    std::unique_ptr<HandoffBodyProvider> m_handoff;   // this run's bodies, over m_bodies
    std::unique_ptr<PythonWorker> m_python;
    ConfirmationDelegate *m_confirm = nullptr;
    bool m_offline = false;
    bool m_restartStep = false;
    QAtomicInt m_cancelled;
    QAtomicPointer<MigrationRunner> m_runner;
    int m_completed = 0;
    QVector<ScriptChecksumChange> m_checksums;   // per plan step (ScriptChecksums::forPlan)
    QHash<QString, QString> m_bridged;   // HandoffBodyProvider::key -> why Alembic runs it
    // Steps Alembic ran whose checksums the next native segment writes (runOnline's carry).
    int m_carryFrom = 0;
    int m_carryTo = 0;
};

} // namespace retort
