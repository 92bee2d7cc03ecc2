#include "liverowcounter.h"

#include "runtime/databaseconnection.h"

#include <QElapsedTimer>
#include <QSet>

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
    const std::optional<QVector<qint64>> row = runLimited(sql, 1, nullptr);
    const std::optional<qint64> n = row ? std::optional<qint64>(row->first()) : std::nullopt;
    m_state->cache.insert(sql, n);
    return n;
}

void LiveRowCounter::prefetch(const QStringList &sqls) const
{
    if (!m_connection || m_connection->dialect().kind() == Dialect::SQLite)
        return;
    QStringList pending;
    QSet<QString> seen;
    for (const QString &sql : sqls) {
        // Only count() texts ("SELECT count(*) FROM ..."): each becomes a scalar subquery.
        if (sql.isEmpty() || !sql.startsWith(QLatin1String("SELECT count(*) FROM ")) || m_state->cache.contains(sql)
            || seen.contains(sql))
            continue;
        seen.insert(sql);
        pending << sql;
    }
    for (qsizetype i = 0; i < pending.size(); i += kBatch)
        prefetchBatch(pending.mid(i, kBatch));
}

void LiveRowCounter::prefetchBatch(const QStringList &sqls) const
{
    if (sqls.isEmpty())
        return;
    if (sqls.size() == 1) {
        (void)count(sqls.first());
        return;
    }
    QString batch = QStringLiteral("SELECT ");
    for (qsizetype i = 0; i < sqls.size(); ++i)
        batch += (i ? QStringLiteral(", (") : QStringLiteral("(")) + sqls.at(i) + QLatin1Char(')');
    bool timedOut = false;
    if (const std::optional<QVector<qint64>> row = runLimited(batch, int(sqls.size()), &timedOut)) {
        for (qsizetype i = 0; i < sqls.size(); ++i)
            m_state->cache.insert(sqls.at(i), row->at(i));
        return;
    }
    // Out of time: each is asked alone later, with its own limit. Another error (a table
    // that does not exist): the halves, down to the statement that fails.
    if (timedOut)
        return;
    const qsizetype half = sqls.size() / 2;
    prefetchBatch(sqls.mid(0, half));
    prefetchBatch(sqls.mid(half));
}

std::optional<QVector<qint64>> LiveRowCounter::runLimited(const QString &sql, int columns, bool *timedOut) const
{
    const int limit = m_state->timeoutMs;
    switch (m_connection->dialect().kind()) {
    case Dialect::PostgreSQL:
        return limit > 0 ? runLimitedPostgres(sql, columns, timedOut) : run(sql, columns, timedOut);
    case Dialect::MySQL:
    case Dialect::MariaDB:
        return run(limit > 0 ? limitedMySql(sql) : sql, columns, timedOut);
    case Dialect::SQLite:
        break;
    }
    return run(sql, columns, timedOut);
}

std::optional<QVector<qint64>> LiveRowCounter::run(const QString &sql, int columns, bool *timedOut) const
{
    QElapsedTimer clock;
    clock.start();
    auto q = m_connection->exec(sql);
    if (q && q->next()) {
        QVector<qint64> row;
        row.reserve(columns);
        for (int i = 0; i < columns; ++i) {
            bool ok = false;
            const qint64 v = q->value(i).toLongLong(&ok);
            if (!ok)
                return std::nullopt;
            row << v;
        }
        return row;
    }
    if (timedOut && !q) {
        // The server's code for a statement it stopped (PostgreSQL query_canceled, MariaDB
        // ER_STATEMENT_TIMEOUT, MySQL ER_QUERY_TIMEOUT and its 5.7.7 number); a failure as
        // late as the limit counts too, whatever its code.
        static const QSet<QString> codes = {QStringLiteral("57014"), QStringLiteral("1969"), QStringLiteral("3024"),
                                            QStringLiteral("1907")};
        *timedOut = codes.contains(m_connection->lastErrorCode())
            || (m_state->timeoutMs > 0 && clock.elapsed() >= m_state->timeoutMs * 9 / 10);
    }
    return std::nullopt;
}

// statement_timeout for this one statement, the session's own value put back after it.
// Inside a transaction a failed statement would poison it: a savepoint keeps the
// caller's transaction usable (and its ROLLBACK TO undoes the setting as well).
std::optional<QVector<qint64>> LiveRowCounter::runLimitedPostgres(const QString &sql, int columns,
                                                                  bool *timedOut) const
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
    const std::optional<QVector<qint64>> n = limited ? run(sql, columns, timedOut) : std::nullopt;
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
