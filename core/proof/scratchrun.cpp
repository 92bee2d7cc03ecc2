#include "scratchrun.h"

#include "config/envpyinfo.h"
#include "ddl/scriptstepbodyprovider.h"
#include "revision/revisiongraph.h"
#include "schema/schemaintrospector.h"
#include "script/scriptdirectory.h"
#include "services/migrationenvironment.h"
#include "services/migrationexecutor.h"
#include "services/project.h"

#include <algorithm>

namespace retort {

namespace {

bool sameUrl(const QString &a, const DatabaseUrl &b)
{
    auto parsed = DatabaseUrl::parse(a);
    return parsed && parsed->toString() == b.toString();
}

} // namespace

ScratchRun::ScratchRun(Project &project, MigrationLogSink &log) : m_project(project), m_log(log)
{
}

ScratchRun::~ScratchRun()
{
    (void)close();   // best effort: an explicit close() reports its error
}

QString ScratchRun::dialectName() const
{
    return m_db ? m_db->url().dialectName() : QString();
}

VoidResult ScratchRun::open(const QString &userUrl, bool sqlite)
{
    auto graph = m_project.graph();
    if (!graph)
        return graph.error();
    m_graph = *graph;
    if (sqlite) {
        auto db = ScratchDatabase::createSqlite();
        if (!db)
            return db.error();
        m_db = std::move(*db);
    } else {
        // The user's URL only says where: which dialect, which server.
        MigrationEnvironment user(m_project, m_log, userUrl);
        if (auto loaded = user.load(); !loaded)
            return loaded;
        auto db = ScratchDatabase::create(user.url());
        if (!db)
            return db.error();
        m_db = std::move(*db);
    }
    if (auto guarded = guardEnvPy(); !guarded)
        return guarded;
    m_env = std::make_unique<MigrationEnvironment>(m_project, m_log, m_db->url().toString());
    if (auto loaded = m_env->load(); !loaded)
        return loaded;
    // After load(): env.py's fileConfig() has switched logging on.
    m_log.info(QStringLiteral("retort.proof"),
               QStringLiteral("Scratch database %1 (%2)").arg(m_db->name(), m_db->url().dialectName()));
    if (m_env->url().toString() != m_db->url().toString())
        return Error(QStringLiteral("refusing to run: the environment resolved %1, not the scratch database")
                         .arg(m_env->obfuscatedUrl()));
    // env.py run by Python connected with another URL than the one it was given.
    if (const EnvPyEvaluation *ev = m_env->envPyEvaluation())
        if (const EnvPyConfigureCall *call = ev->urlCall(); call && !sameUrl(call->url, m_db->url()))
            m_unsafePython = QStringLiteral("env.py connects with its own URL, not the one Retort passes it "
                                            "(%1:%2), so a step that needs Python could reach your database")
                                 .arg(ev->envPyPath).arg(call->line);
    if (auto connected = m_env->connect(); !connected)
        return connected;
    if (auto checked = m_db->checkConnection(*m_env->connection()); !checked)
        return checked;
    m_bodies = MigrationExecutor::defaultBodies(*m_env, *m_graph, false);
    auto heads = m_env->currentHeads();
    if (!heads)
        return heads.error();
    m_heads = *heads;
    return {};
}

// env.py reading sqlalchemy.url from os.environ would override the URL the hand-off
// passes; the variable is pointed at the scratch database instead. A URL written into
// env.py cannot be: steps needing Python then refuse.
VoidResult ScratchRun::guardEnvPy()
{
    auto scripts = m_project.scriptDirectory();
    if (!scripts)
        return scripts.error();
    auto info = EnvPyInfo::read((*scripts)->envPyPath());
    if (!info)
        return {};   // load() reports it
    const auto override = info->urlOverride();
    if (!override)
        return {};
    if (override->source == UrlOverride::Literal) {
        m_unsafePython = QStringLiteral("env.py sets sqlalchemy.url to a fixed URL (%1:%2), so a step that "
                                        "needs Python would run on that database, not on the scratch one")
                             .arg((*scripts)->envPyPath()).arg(override->line);
        return {};
    }
    m_envVar = override->envVar.toLocal8Bit();
    m_envVarWasSet = qEnvironmentVariableIsSet(m_envVar.constData());
    m_envVarOld = qgetenv(m_envVar.constData());
    qputenv(m_envVar.constData(), m_db->url().toString().toUtf8());
    return {};
}

// Every step needing Python, not only those routed online: a step Alembic renders offline
// falls back to running online when the rendering fails.
VoidResult ScratchRun::refusePython(const MigrationPlan &plan)
{
    if (m_unsafePython.isEmpty())
        return {};
    for (const MigrationStep &step : plan.steps)
        if (auto why = m_bodies->needsPython(step))
            return Error(QStringLiteral("Not run on the scratch database: %1 needs Python (%2), and %3. "
                                        "Let env.py use the URL it is given (config.get_main_option("
                                        "\"sqlalchemy.url\") or $RETORT_DATABASE_URL).")
                             .arg(step.revision, why->reason, m_unsafePython));
    return {};
}

VoidResult ScratchRun::run(const MigrationPlan &plan)
{
    if (cancelled())
        return Error(QStringLiteral("cancelled"));
    if (auto checked = m_db->checkConnection(*m_env->connection()); !checked)
        return checked;
    if (auto refused = refusePython(plan); !refused)
        return refused;
    MigrationExecutor executor(m_project, *m_env, m_log, m_db->url().toString());
    executor.setBodyProvider(m_bodies.get());
    if (m_pythonOutput)
        QObject::connect(&executor, &MigrationExecutor::pythonOutput, m_pythonOutput);
    m_executor.storeRelease(&executor);
    if (cancelled())
        executor.cancel();
    const VoidResult ran = executor.exec(plan);
    m_executor.storeRelease(nullptr);
    // What the version table says now, whatever happened (a failed step rolled back).
    if (auto heads = m_env->currentHeads())
        m_heads = *heads;
    return ran;
}

VoidResult ScratchRun::upgradeTo(const QString &target)
{
    auto plan = MigrationPlanner::upgrade(*m_graph, m_heads, target);
    if (!plan)
        return plan.error();
    if (plan->steps.isEmpty())
        return {};
    return run(*plan);
}

Result<SchemaModel> ScratchRun::introspect()
{
    IntrospectOptions options;
    options.versionTable = m_env->versionTable().table;
    options.versionTableSchema = m_env->versionTable().schema;
    auto model = SchemaIntrospector::read(*m_env->connection(), options);
    if (model)
        model->normalize();
    return model;
}

MigrationPlan ScratchRun::reversed(const MigrationPlan &upgrade)
{
    MigrationPlan down;
    down.startHeads = upgrade.endHeads;
    down.endHeads = upgrade.startHeads;
    for (auto it = upgrade.steps.crbegin(); it != upgrade.steps.crend(); ++it) {
        MigrationStep step = *it;
        step.kind = MigrationStep::Downgrade;
        std::swap(step.fromRevisions, step.toRevisions);
        step.shortLog = MigrationPlanner::shortLog(QStringLiteral("downgrade"), step.fromRevisions, step.toRevisions);
        step.versionOps.clear();
        for (auto op = it->versionOps.crbegin(); op != it->versionOps.crend(); ++op) {
            VersionTableOp back;
            back.kind = op->kind == VersionTableOp::Insert   ? VersionTableOp::Delete
                        : op->kind == VersionTableOp::Delete ? VersionTableOp::Insert
                                                             : VersionTableOp::Update;
            back.from = op->to;
            back.to = op->from;
            step.versionOps.append(back);
        }
        down.steps.append(step);
    }
    return down;
}

void ScratchRun::cancel()
{
    m_cancelled.storeRelaxed(1);
    if (MigrationExecutor *e = m_executor.loadAcquire())
        e->cancel();
}

VoidResult ScratchRun::close()
{
    m_bodies.reset();
    m_env.reset();
    if (!m_envVar.isEmpty()) {
        if (m_envVarWasSet)
            qputenv(m_envVar.constData(), m_envVarOld);
        else
            qunsetenv(m_envVar.constData());
        m_envVar.clear();
    }
    if (!m_db || m_db->dropped())
        return {};
    VoidResult dropped = m_db->drop();
    if (dropped)
        m_log.info(QStringLiteral("retort.proof"), QStringLiteral("Dropped scratch database %1").arg(m_db->name()));
    return dropped;
}

} // namespace retort
