#include "postgresdefaultprobe.h"

#include "runtime/databaseconnection.h"

namespace retort {

namespace {

std::optional<bool> evaluate(DatabaseConnection &connection, const QString &sql)
{
    // Inside a transaction a failed statement would abort it: fence it with a savepoint.
    const bool fenced = connection.inTransaction();
    if (fenced && !connection.exec(QStringLiteral("SAVEPOINT retort_default_probe")))
        return std::nullopt;
    Result<QSqlQuery> q = connection.exec(sql);
    std::optional<bool> equal;
    if (q && q->next())
        equal = !q->value(0).isNull() && q->value(0).toBool();   // NULL: not equal, as in Python
    if (fenced) {
        const auto done = connection.exec(q ? QStringLiteral("RELEASE SAVEPOINT retort_default_probe")
                                            : QStringLiteral("ROLLBACK TO SAVEPOINT retort_default_probe"));
        if (!done)
            return std::nullopt;
    }
    return equal;
}

} // namespace

QString PostgresDefaultProbe::statement(const QString &connDefault, const QString &metaDefault)
{
    return QStringLiteral("SELECT %1 = %2").arg(connDefault, metaDefault);
}

ServerDefaultComparator::EqualityProbe PostgresDefaultProbe::forConnection(DatabaseConnection &connection)
{
    if (connection.dialect().kind() != Dialect::PostgreSQL)
        return {};
    return [&connection](const QString &connDefault, const QString &metaDefault) {
        return evaluate(connection, statement(connDefault, metaDefault));
    };
}

} // namespace retort
