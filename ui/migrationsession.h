#pragma once
// The planning half of `alembic upgrade/downgrade` for the studio, without widgets: open
// a project, read env.py, connect (or stay offline for a preview), read the database's
// heads, plan and render each step's SQL for previews. Running the plan is core's
// MigrationExecutor, shared with the CLI.
//
// Not thread-safe: create, use and destroy it in one thread (QtSql connections are
// per-thread), e.g. in MigrationController's worker.

#include "services/migrationenvironment.h"
#include "services/migrationlogsink.h"
#include "services/project.h"
#include "services/pythonworker.h"
#include "result.h"
#include "revision/migrationplanner.h"
#include "runtime/stepbodyprovider.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>
#include <functional>
#include <memory>

namespace retort {

// One step as the user is shown it before it runs.
struct StepPreview
{
    QString title;          // "upgrade a -> b, add a column" (MigrationStep.__str__)
    QString sql;            // the statements (offline rendering for the target dialect)
    QString needsPython;    // non-empty: why this step's body cannot be run natively
};

// The SQL preview's script: the text up to the first step that cannot be rendered, and
// why that step failed (the SQL preview shows it as a banner, not as a comment).
struct ScriptPreview
{
    QString sql;
    QString failedRevision;   // non-empty: the step that stopped the script
    QString failedPath;       // its script file
    QString error;            // why it cannot be rendered
    QStringList warnings;     // steps shown as comments only (Python not usable)
};

struct MigrationProjectSpec
{
    QString iniPath;
    QString section = QStringLiteral("alembic");
    QStringList xArguments;
    QString urlOverride;    // the studio's connection, like --url; empty = from the project
    QString engine;         // a multidb project's engine (MigrationEnvironment::setEngine)
};

class MigrationSession
{
public:
    enum Direction { Upgrade, Downgrade };
    // Builds the body provider for a project (the engine's ScriptStepBodyProvider in the
    // studio, a fake in tests). The default gives empty bodies with the scripts' docs.
    using BodyProviderFactory =
        std::function<std::unique_ptr<StepBodyProvider>(Project &project, const RevisionGraph &graph)>;

    MigrationSession(MigrationProjectSpec spec, MigrationLogSink &log,
                     BodyProviderFactory bodies = {});
    ~MigrationSession();

    // Reads the project and env.py; online also connects.
    VoidResult open(bool online);
    // Online: the version table's rows. Offline: none (use the caller's heads).
    Result<QStringList> currentHeads();
    Result<MigrationPlan> plan(Direction direction, const QString &target,
                               const QStringList &heads);

    // What each step will run, for the confirmation dialog and the SQL preview. A step
    // whose body needs Python gets needsPython set and a comment instead of SQL.
    QVector<StepPreview> previewSteps(const MigrationPlan &plan);
    // The whole script as `--sql` would print it from plan.startHeads, with steps that
    // need Python marked as "-- needs Python: ..." comments.
    Result<QString> previewScript(const MigrationPlan &plan);
    // The same, stopping at the first step that cannot be rendered. asSql: exactly what
    // `upgrade from:to --sql` prints (a downgrade to base drops the version table);
    // otherwise what an online run executes.
    Result<ScriptPreview> renderScript(const MigrationPlan &plan, bool asSql);
    // Render as an online run does (RenderOptions::online: PostgreSQL string literals as
    // the connected dialect writes them). Before the first preview.
    void setOnlineRendering(bool online) { m_onlineRendering = online; }

    StepBodyProvider *bodies();
    Project &project() { return m_project; }
    QString urlOverride() const { return m_spec.urlOverride; }
    QString engine() const { return m_spec.engine; }
    MigrationEnvironment &environment() { return *m_env; }
    DatabaseConnection *connection() const { return m_env ? m_env->connection() : nullptr; }
    // Closes the database (before a restore replaces the file).
    void close();

private:
    MigrationProjectSpec m_spec;
    Project m_project;
    MigrationLogSink &m_log;
    BodyProviderFactory m_factory;
    std::unique_ptr<MigrationEnvironment> m_env;
    std::unique_ptr<StepBodyProvider> m_bodies;
    // Steps that need Python, rendered by the project's Alembic in offline mode (one
    // worker for the session, started on the first such preview).
    std::unique_ptr<PythonWorker> m_python;
    QString m_pythonError;
    bool m_onlineRendering = false;
    QHash<QString, RenderedStep> m_rendered;   // "u:rev" / "d:rev"

    void renderWithAlembic(const MigrationPlan &plan);
};

} // namespace retort
