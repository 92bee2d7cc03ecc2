#pragma once
// Beyond Alembic: rehearse a planned run on a copy of the database before the real run
// (`retort upgrade head --rehearse`, the studio's apply dialog). DatabaseCopy copies the
// target; the plan runs there with the same MigrationExecutor as a real run, pointed at the
// copy's URL (Python's Alembic gets it as --url and RETORT_DATABASE_URL); then the copy is
// introspected, compared with itself before the run and dropped - also when a step failed.
//
// Steps that only Python's Alembic can run online connect the way env.py says: when env.py
// sets its own URL (a literal, an environment variable other than RETORT_DATABASE_URL, an
// engine made from something else than the ini), nothing guarantees they reach the copy,
// and the rehearsal refuses before copying anything.
//
// Locks: the ones each statement kind is documented to take (RehearsalLocks), and on
// PostgreSQL the ones pg_locks shows for the copy's session after each statement.
//
// Blocking: run it where the real run would run (the CLI's thread, the studio's worker).

#include "result.h"
#include "revision/migrationplanner.h"
#include "services/migrationlogsink.h"

#include <QAtomicInt>
#include <QAtomicPointer>
#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

class DatabaseUrl;
class MigrationExecutor;
class MigrationEnvironment;
class Project;

struct RehearsalStep
{
    QString shortLog;             // "upgrade a -> b, message"
    qint64 elapsedMs = 0;
    int statements = 0;           // run by Retort (0 for a step Python's Alembic ran)
    qint64 rowsChanged = 0;       // rows INSERT/UPDATE/DELETE reported changed
    bool ranInPython = false;     // online in Alembic: no per-statement figures
    QStringList locks;            // expected from the statement kinds (RehearsalLocks)
    // PostgreSQL: relation locks pg_locks showed for the copy's session after each statement,
    // while the step's transaction held them ("AccessExclusiveLock on accounts"); new ones only.
    QStringList observedLocks;
    bool finished = false;        // false: the step that failed
};

struct RehearsalReport
{
    QString copyMethod;           // DatabaseCopy::method()
    QString copyName;
    qint64 copyMs = 0;
    QVector<RehearsalStep> steps;
    int plannedSteps = 0;
    QStringList schemaDiff;       // RehearsalSchemaDiff::lines()
    bool copyDropped = false;
    bool ok = false;
    Error error;                  // when !ok

    // The report as log lines (the CLI's INFO lines, the studio's log).
    QStringList lines() const;
};

class Rehearsal
{
public:
    // log: the run's own lines on the copy, prefixed "[rehearsal] ".
    Rehearsal(Project &project, MigrationLogSink &log);

    // Copies `source`, runs `plan` (made from `source`'s version table) on the copy, drops
    // it. The report also on failure (ok false, error set).
    RehearsalReport run(const DatabaseUrl &source, const MigrationPlan &plan);
    void cancel();   // any thread: stops before the next step

    // Whether env.py lets Retort's URL reach steps Python's Alembic runs online; the
    // reason when it does not. `env` is loaded.
    static bool pythonFollowsUrl(const MigrationEnvironment &env, QString *why);

private:
    VoidResult runOnCopy(const QString &copyUrl, const MigrationPlan &plan, RehearsalReport &report);

    Project &m_project;
    MigrationLogSink &m_log;
    QAtomicInt m_cancelled;
    QAtomicPointer<MigrationExecutor> m_executor;
};

} // namespace retort
