#include "mysqlschemaobjects.h"

#include "runtime/databaseconnection.h"

#include <QString>

namespace retort {

namespace {

QString quoted(QString name)
{
    return QLatin1Char('`') + name.replace(QLatin1Char('`'), QStringLiteral("``")) + QLatin1Char('`');
}

} // namespace

Result<bool> MySqlSchemaObjects::hasEvents(DatabaseConnection &conn)
{
    auto q = conn.exec(QStringLiteral("SELECT COUNT(*) FROM information_schema.EVENTS "
                                      "WHERE EVENT_SCHEMA = DATABASE()"));
    if (!q)
        return q.error();
    return q->next() && q->value(0).toLongLong() > 0;
}

Result<QByteArray> MySqlSchemaObjects::dropStatements(DatabaseConnection &conn)
{
    QByteArray drops;
    auto routines = conn.exec(QStringLiteral("SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES "
                                             "WHERE ROUTINE_SCHEMA = DATABASE()"));
    if (!routines)
        return routines.error();
    while (routines->next()) {
        const QString kind = routines->value(0).toString() == QLatin1String("FUNCTION")
            ? QStringLiteral("FUNCTION") : QStringLiteral("PROCEDURE");
        drops += QStringLiteral("DROP %1 IF EXISTS %2;\n").arg(kind, quoted(routines->value(1).toString())).toUtf8();
    }
    auto events = conn.exec(QStringLiteral("SELECT EVENT_NAME FROM information_schema.EVENTS "
                                           "WHERE EVENT_SCHEMA = DATABASE()"));
    if (!events)
        return events.error();
    while (events->next())
        drops += QStringLiteral("DROP EVENT IF EXISTS %1;\n").arg(quoted(events->value(0).toString())).toUtf8();
    return drops;
}

} // namespace retort
