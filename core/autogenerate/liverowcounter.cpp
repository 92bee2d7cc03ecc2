#include "liverowcounter.h"

#include "runtime/databaseconnection.h"

namespace retort {

LiveRowCounter::LiveRowCounter(DatabaseConnection *connection)
    : m_connection(connection), m_state(std::make_shared<State>())
{
}

QString LiveRowCounter::quoted(const Dialect &dialect, const QString &identifier)
{
    const QChar q = dialect.isMySqlFamily() ? QLatin1Char('`') : QLatin1Char('"');
    QString escaped = identifier;
    escaped.replace(q, QString(2, q));
    return q + escaped + q;
}

QString LiveRowCounter::countSql(const Dialect &dialect, const QString &schema, const QString &table,
                                 const QString &column, const QString &condition)
{
    if (table.isEmpty())
        return {};
    QString from = quoted(dialect, table);
    if (!schema.isEmpty())
        from = quoted(dialect, schema) + QLatin1Char('.') + from;
    QString sql = QStringLiteral("SELECT count(*) FROM %1").arg(from);
    if (condition.isEmpty())
        return column.isEmpty() ? sql : QString();
    // Only the two conditions the reviewer asks; nothing else reaches the SQL text.
    if (column.isEmpty()
        || (condition != QLatin1String("IS NULL") && condition != QLatin1String("IS NOT NULL")))
        return {};
    return sql + QStringLiteral(" WHERE %1 %2").arg(quoted(dialect, column), condition);
}

std::optional<qint64> LiveRowCounter::operator()(const QString &schema, const QString &table,
                                                 const QString &column, const QString &condition) const
{
    if (!m_connection)
        return std::nullopt;
    const QString sql = countSql(m_connection->dialect(), schema, table, column, condition);
    if (sql.isEmpty())
        return std::nullopt;
    return count(sql);
}

std::optional<qint64> LiveRowCounter::count(const QString &sql) const
{
    if (!m_connection || sql.isEmpty())
        return std::nullopt;
    if (auto hit = m_state->cache.constFind(sql); hit != m_state->cache.constEnd())
        return *hit;
    const int limit = m_state->timeoutMs;
    std::optional<qint64> n;
    switch (m_connection->dialect().kind()) {
    case Dialect::PostgreSQL:
        n = limit > 0 ? runLimitedPostgres(sql) : run(sql);
        break;
    case Dialect::MySQL:
    case Dialect::MariaDB:
        n = run(limit > 0 ? limitedMySql(sql) : sql);
        break;
    case Dialect::SQLite:
        n = run(sql);
        break;
    }
    m_state->cache.insert(sql, n);
    return n;
}

std::optional<qint64> LiveRowCounter::run(const QString &sql) const
{
    auto q = m_connection->exec(sql);
    if (q && q->next()) {
        bool ok = false;
        const qint64 v = q->value(0).toLongLong(&ok);
        if (ok)
            return v;
    }
    return std::nullopt;
}

// statement_timeout for this one statement, the session's own value put back after it.
// Inside a transaction a failed statement would poison it: a savepoint keeps the
// caller's transaction usable (and its ROLLBACK TO undoes the setting as well).
std::optional<qint64> LiveRowCounter::runLimitedPostgres(const QString &sql) const
{
    DatabaseConnection &c = *m_connection;
    const bool inTransaction = c.inTransaction();
    const QString local = inTransaction ? QStringLiteral("true") : QStringLiteral("false");
    if (inTransaction)
        (void)c.exec(QStringLiteral("SAVEPOINT retort_row_count"));
    // One round trip reads the session's value and sets the limit (PostgreSQL evaluates
    // the select list in order), one puts it back: a review counts hundreds of tables.
    QString before;
    if (auto q = c.exec(QStringLiteral("SELECT current_setting('statement_timeout'), "
                                       "set_config('statement_timeout', '%1', %2)").arg(m_state->timeoutMs).arg(local));
        q && q->next())
        before = q->value(0).toString();
    const bool limited = !before.isEmpty();
    const std::optional<qint64> n = limited ? run(sql) : std::nullopt;
    if (inTransaction && !n)
        (void)c.exec(QStringLiteral("ROLLBACK TO SAVEPOINT retort_row_count"));
    if (limited) {
        // A literal, not a bound value: QPSQL prepares bound statements (three round trips).
        QString literal = before;
        literal.replace(QLatin1Char('\''), QStringLiteral("''"));
        (void)c.exec(QStringLiteral("SELECT set_config('statement_timeout', '%1', %2)").arg(literal, local));
    }
    if (inTransaction)
        (void)c.exec(QStringLiteral("RELEASE SAVEPOINT retort_row_count"));
    return n;
}

// The server's own per-statement limit: MariaDB's SET STATEMENT, MySQL's optimizer hint.
QString LiveRowCounter::limitedMySql(const QString &sql) const
{
    if (!m_state->mariaDb) {
        auto q = m_connection->exec(QStringLiteral("SELECT VERSION()"));
        m_state->mariaDb = q && q->next() && q->value(0).toString().contains(QLatin1String("MariaDB"), Qt::CaseInsensitive);
    }
    if (*m_state->mariaDb)
        return QStringLiteral("SET STATEMENT max_statement_time=%1 FOR ").arg(m_state->timeoutMs / 1000.0) + sql;
    if (!sql.startsWith(QLatin1String("SELECT "), Qt::CaseInsensitive))
        return sql;
    QString hinted = sql;
    return hinted.replace(0, 6, QStringLiteral("SELECT /*+ MAX_EXECUTION_TIME(%1) */").arg(m_state->timeoutMs));
}

} // namespace retort
