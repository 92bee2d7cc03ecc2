#pragma once
// Decides, for every step of a plan and before anything runs, who runs it:
// - Native: the script interpreter reads the function and every op renders for the
//   dialect (rendered here, once; the statements are kept for the run);
// - Deferred: native, but its SQL depends on tables as they will be then (batch mode's
//   move-and-copy on SQLite reads the live table), so it is rendered when it runs;
// - Render: needs Python, and Alembic's offline mode can write its SQL, which Retort then
//   runs in its own transaction like a native step's (or splices into --sql);
// - Online: needs Python and must run inside Alembic against the database: the script
//   reads from it (op.get_bind() beyond .dialect, inspection, ORM sessions), tests
//   context.is_offline_mode(), catches exceptions from statements (try:) or uses an
//   autocommit block where the native engine cannot run them, or names the version table (Alembic updates it after the step,
//   and Retort then checks what the step left there). Offline mode (--sql) has no
//   Online steps.

#include "operations/migrationop.h"
#include "revision/migrationplanner.h"
#include "runtime/dialect.h"
#include "runtime/stepbody.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>
#include <functional>
#include <optional>

namespace retort {

class ScriptStepBodyProvider;

struct StepRoute
{
    // Bridge: an Online step whose function Alembic runs on Retort's connection, in
    // Retort's transaction (MigrationExecutor decides it online, once the bridge is up).
    enum Kind { Native, Deferred, Render, Online, Bridge };
    Kind kind = Native;
    NeedsPython why;            // Render/Online: why the native engine cannot run it
    QString onlineReason;       // why an online run has Alembic run it (also set in --sql)
    StepBody body;              // Native: the rendered body

    bool needsPython() const { return kind == Render || kind == Online || kind == Bridge; }
    // Whether an Online step may run through the bridge: not a script naming the version
    // table (Retort writes it; Alembic's check of what the script left needs the old route).
    bool bridgeable() const { return !onlineReason.startsWith(QLatin1String("names the version table")); }
};

class HandoffRouter
{
public:
    // versionTable: a script naming it writes to it, and Retort must check what it left.
    HandoffRouter(ScriptStepBodyProvider &bodies, Dialect dialect, bool offline,
                  QString versionTable = QStringLiteral("alembic_version"));

    // One route per plan step (stamps: Native with no statements).
    QVector<StepRoute> route(const MigrationPlan &plan);
    // Called once, as soon as route() finds the first step that needs Python (the caller
    // starts Python then, while the other steps are routed).
    void setOnFirstNeedsPython(std::function<void()> fn) { m_onFirstNeedsPython = std::move(fn); }

    // Why a script must run online in Alembic, from its text; nullopt when Alembic's
    // offline mode renders what it would run online.
    static std::optional<QString> onlineOnlyReason(const QString &scriptSource,
                                                   const QString &versionTable = QStringLiteral("alembic_version"));

private:
    StepRoute routeStep(const MigrationStep &step);
    bool runsLive(const MigrationStep &step);

    ScriptStepBodyProvider &m_bodies;
    Dialect m_dialect;
    bool m_offline;
    QString m_versionTable;
    QHash<QString, std::optional<QString>> m_onlineReasons;   // per script path
    std::function<void()> m_onFirstNeedsPython;
};

} // namespace retort
