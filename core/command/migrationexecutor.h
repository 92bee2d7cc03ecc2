#pragma once
// Runs a planned upgrade/downgrade/stamp for the CLI and the studio alike: steps the
// native engine can run go through MigrationRunner; a step whose script needs Python is
// handed to the project's own Alembic (PythonStepRunner), and the version table must then
// hold what the plan expects before the next step. A job object: progress as signals,
// cancel() between steps, log lines ("Running ...", "Handing ... to Python") to the
// MigrationLogSink, an optional ConfirmationDelegate asked once before anything runs.
//
// Not thread-safe apart from cancel(): use it in the thread that owns env's connection.

#include "command/migrationlogsink.h"
#include "result.h"
#include "revision/migrationplanner.h"
#include "runtime/migrationrunoptions.h"

#include <QAtomicInt>
#include <QAtomicPointer>
#include <QObject>
#include <QPair>
#include <QString>
#include <QVector>
#include <memory>

namespace retort {

class ConfirmationDelegate;
class MigrationEnvironment;
class MigrationRunner;
class Project;
class PythonStepRunner;
class ScriptStepBodyProvider;
class StepBodyProvider;
struct NeedsPython;

class MigrationExecutor : public QObject
{
    Q_OBJECT
public:
    // urlOverride: --url / the studio's connection, passed on to Python's Alembic.
    MigrationExecutor(Project &project, MigrationEnvironment &env, MigrationLogSink &log,
                      QString urlOverride = {}, QObject *parent = nullptr);
    ~MigrationExecutor() override;

    // Not owned. Default: a ScriptStepBodyProvider over the project's scripts (reading
    // live SQLite tables for batch mode when online).
    void setBodyProvider(StepBodyProvider *bodies) { m_bodies = bodies; }
    void setConfirmationDelegate(ConfirmationDelegate *delegate) { m_confirm = delegate; }
    // --sql: render instead of run (offlineSql() carries the text); steps needing
    // Python are refused, as retort cannot write their SQL.
    void setOffline(bool offline) { m_offline = offline; }
    // --restart-step: run an interrupted step (MySQL's statement journal) from its start.
    void setRestartStep(bool restart) { m_restartStep = restart; }

    VoidResult exec(const MigrationPlan &plan);
    void cancel();   // any thread; honoured before the next step

    bool wasCancelled() const { return m_cancelled.loadRelaxed() != 0; }
    int completedSteps() const { return m_completed; }

    // The runner's options for steps [from, ...) of a plan in this environment.
    static MigrationRunOptions runOptions(const MigrationEnvironment &env, const MigrationPlan &plan,
                                          int from, bool offline);

signals:
    // index is the plan's (0-based), count the plan's step count; also for Python steps.
    void stepStarted(int index, int count, const QString &shortLog);
    void statementExecuted(const QString &sql, qint64 elapsedMs);
    void pythonOutput(const QString &line);     // Python Alembic's stderr, line by line
    void offlineSql(const QString &sql);        // offline: the rendered script (also on failure)

private:
    StepBodyProvider &bodies(const RevisionGraph &graph);
    QVector<QPair<int, NeedsPython>> pythonSteps(const MigrationPlan &plan);
    QString describe(const MigrationStep &step, const NeedsPython &why);
    bool confirmed(const MigrationPlan &plan);
    VoidResult lockAndCheck(const MigrationPlan &plan);
    VoidResult runSteps(const MigrationPlan &plan, const QVector<QPair<int, NeedsPython>> &needPython);
    VoidResult runNative(const MigrationPlan &plan, int from, int to);
    VoidResult runPython(const MigrationPlan &plan, int index, const NeedsPython &why,
                         const PythonStepRunner &python);
    VoidResult cancelledError(const MigrationPlan &plan) const;

    Project &m_project;
    MigrationEnvironment &m_env;
    MigrationLogSink &m_log;
    QString m_urlOverride;
    StepBodyProvider *m_bodies = nullptr;
    std::unique_ptr<ScriptStepBodyProvider> m_ownBodies;
    ConfirmationDelegate *m_confirm = nullptr;
    bool m_offline = false;
    bool m_restartStep = false;
    QAtomicInt m_cancelled;
    QAtomicPointer<MigrationRunner> m_runner;
    int m_completed = 0;
};

} // namespace retort
