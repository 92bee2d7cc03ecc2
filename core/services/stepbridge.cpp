#include "stepbridge.h"

#include "services/project.h"
#include "services/sqlbridge.h"
#include "runtime/databaseconnection.h"
#include "runtime/stepbodyprovider.h"

#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>

namespace retort {

bool StepBridge::disabledFor(Project &project)
{
    auto cfg = project.config();
    if (!cfg)
        return false;
    const QString setting = (*cfg)->mainOption(QStringLiteral("retort_bridge")).value().value_or(QString());
    return QStringList{QStringLiteral("false"), QStringLiteral("0"), QStringLiteral("no"), QStringLiteral("off")}
        .contains(setting.trimmed().toLower());
}

QVector<int> StepBridge::candidates(const MigrationPlan &plan, const QVector<StepRoute> &routes,
                                    const StepBodyProvider &scripts, int &refused)
{
    QVector<int> out;
    refused = -1;
    for (int i = 0; i < routes.size(); ++i) {
        if (routes.at(i).kind != StepRoute::Online)
            continue;
        if (routes.at(i).bridgeable() && !usesTheRawConnection(scripts.scriptPath(plan.steps.at(i))))
            out << i;
        else if (refused < 0)
            refused = i;
    }
    return out;
}

// Autocommit (autocommit_block(), isolation_level="AUTOCOMMIT") is passed on
// (SqlBridge::handle()); a raw cursor (op.get_bind().connection.cursor()) is the bridge's
// and works; session.commit() commits nothing on the bridge's connection (the step's
// transaction is Retort's and ends with the step).
bool StepBridge::usesTheRawConnection(const QString &scriptPath)
{
    static const QRegularExpression raw(
        QStringLiteral("\\b(copy_expert|copy_from|copy_to|raw_connection|driver_connection)\\b|"
                       "['\"]\\s*(COMMIT|END)\\s*;?\\s*['\"]"),
        QRegularExpression::CaseInsensitiveOption);
    QFile f(scriptPath);
    if (!f.open(QIODevice::ReadOnly))
        return true;
    return raw.match(QString::fromUtf8(f.readAll())).hasMatch();
}

VoidResult StepBridge::start(PythonWorker &python, DatabaseConnection &connection, const PythonWorker::LineSink &sink)
{
    auto probe = [&connection](const QJsonObject &request) {
        bool reopen = false;   // no autocommit while the dialect initialises
        return SqlBridge::handle(connection, request, {}, reopen);
    };
    // The URL as env.py has it (bind.engine.url), password included.
    return python.startBridge(connection.url().toString(), probe, sink);
}

QVector<bool> StepBridge::followedByBridged(const QVector<int> &candidates, const QVector<StepRoute> &routes)
{
    QVector<bool> out(candidates.size(), false);
    for (int k = 0; k + 1 < candidates.size(); ++k) {
        bool alembicBetween = false;
        for (int j = candidates.at(k) + 1; j < candidates.at(k + 1) && !alembicBetween; ++j)
            alembicBetween = routes.at(j).kind == StepRoute::Online;
        out[k] = !alembicBetween;
    }
    return out;
}

StepBody StepBridge::body(PythonWorker &python, const MigrationStep &step, const DatabaseConnection &connection,
                          const PythonWorker::LineSink &sink, bool more)
{
    StepItem item;
    item.kind = StepItem::Bridge;
    item.text = QStringLiteral("-- revision %1 (%2) runs in Alembic on Retort's connection")
                    .arg(step.revision, step.isUpgrade() ? QStringLiteral("upgrade") : QStringLiteral("downgrade"));
    PythonWorker *worker = &python;
    const QString url = connection.url().toString();
    item.bridge = [worker, step, url, sink, more](DatabaseConnection &c, const StepItem::Executed &executed) {
        bool reopen = false;   // inside an autocommit block: the transaction to begin again
        VoidResult ran = worker->runBridged(step, url, [&c, &executed, &reopen](const QJsonObject &request) {
            return SqlBridge::handle(c, request, executed, reopen);
        }, sink, more);
        if (reopen) {   // the script left autocommit on: the runner's transaction goes on
            VoidResult begun = c.begin();
            if (ran && !begun)
                return begun;
        }
        return ran;
    };
    StepBody body;
    body.items << item;
    return body;
}

} // namespace retort
