#pragma once
// Beyond Alembic: migrations run on a ScratchDatabase, never on the user's database. The
// user's URL (--url, else what the project resolves) only decides the dialect and server;
// the environment, the executor (native steps and Python hand-offs alike) and the schema
// reads all use the scratch URL. Python hand-offs run env.py: a URL env.py takes from an
// environment variable is pointed at the scratch database for the run; one env.py fixes
// in its text, or connects with whatever it was told, makes steps needing Python refuse
// to run (said in the error). Before each plan the open connection is checked to be on
// the scratch database.

#include "proof/scratchdatabase.h"
#include "result.h"
#include "revision/migrationplanner.h"
#include "schema/schemamodel.h"

#include <QAtomicInt>
#include <QAtomicPointer>
#include <QByteArray>
#include <functional>
#include <memory>

namespace retort {

class MigrationEnvironment;
class MigrationExecutor;
class MigrationLogSink;
class Project;
class RevisionGraph;
class ScriptStepBodyProvider;

class ScratchRun
{
public:
    ScratchRun(Project &project, MigrationLogSink &log);
    ~ScratchRun();   // closes the connection, drops the scratch database

    // userUrl: --url / the studio's connection, else the project's own URL. sqlite: an
    // SQLite scratch file whatever the project's dialect.
    VoidResult open(const QString &userUrl, bool sqlite);
    // Closes the connection and drops the database: the error a failed drop gives.
    VoidResult close();

    const RevisionGraph &graph() const { return *m_graph; }
    const ScratchDatabase &database() const { return *m_db; }
    QString dialectName() const;
    QStringList heads() const { return m_heads; }

    // Runs a plan on the scratch database (after checking the connection is on it).
    VoidResult run(const MigrationPlan &plan);
    // Upgrades from the current heads to `target` ("heads", a revision).
    VoidResult upgradeTo(const QString &target);
    Result<SchemaModel> introspect();

    // The exact reverse of a one-step upgrade: that revision's downgrade, the version
    // table put back as it was.
    static MigrationPlan reversed(const MigrationPlan &upgrade);

    void cancel();   // any thread: stops before the next step
    bool cancelled() const { return m_cancelled.loadRelaxed() != 0; }
    // Python Alembic's stderr lines of hand-offs.
    void setPythonOutput(std::function<void(const QString &)> sink) { m_pythonOutput = std::move(sink); }

private:
    VoidResult guardEnvPy();
    VoidResult refusePython(const MigrationPlan &plan);

    Project &m_project;
    MigrationLogSink &m_log;
    // Declared before m_env: the environment's connection closes before the drop.
    std::unique_ptr<ScratchDatabase> m_db;
    std::unique_ptr<MigrationEnvironment> m_env;
    std::unique_ptr<ScriptStepBodyProvider> m_bodies;
    const RevisionGraph *m_graph = nullptr;
    QStringList m_heads;
    QString m_unsafePython;            // why steps needing Python must not run, or ""
    QByteArray m_envVar;               // set to the scratch URL for env.py, restored by close()
    QByteArray m_envVarOld;
    bool m_envVarWasSet = false;
    QAtomicInt m_cancelled;
    QAtomicPointer<MigrationExecutor> m_executor;
    std::function<void(const QString &)> m_pythonOutput;
};

} // namespace retort
