#include "reviewrowcounter.h"

#include "runtime/databaseconnection.h"

namespace retort {

ReviewRowCounter::ReviewRowCounter(DatabaseConnection *connection)
    : m_connection(connection), m_live(connection)
{
}

std::optional<qint64> ReviewRowCounter::ask(const QString &sql) const
{
    if (!m_connection || sql.isEmpty())
        return std::nullopt;
    if (m_collecting) {
        m_collected << sql;
        return std::nullopt;
    }
    return m_live.count(sql);
}

void ReviewRowCounter::askCollected()
{
    m_collecting = false;
    m_live.prefetch(m_collected);
    m_collected.clear();
}

std::optional<qint64> ReviewRowCounter::askCount(const QString &schema, const QString &table, const QString &column,
                                                 const QString &predicate) const
{
    if (!m_connection)
        return std::nullopt;
    return ask(LiveRowCounter::countSql(m_connection->dialect(), schema, table, column, predicate));
}

std::optional<qint64> ReviewRowCounter::rows(const QString &schema, const QString &table) const
{
    return askCount(schema, table, {}, {});
}

std::optional<qint64> ReviewRowCounter::nulls(const QString &schema, const QString &table,
                                              const QString &column) const
{
    return askCount(schema, table, column, QStringLiteral("IS NULL"));
}

std::optional<qint64> ReviewRowCounter::values(const QString &schema, const QString &table,
                                               const QString &column) const
{
    return askCount(schema, table, column, QStringLiteral("IS NOT NULL"));
}

QString ReviewRowCounter::longerThanSql(const Dialect &dialect, const QString &schema, const QString &table,
                                        const QString &column, int length)
{
    const QString count = LiveRowCounter::countSql(dialect, schema, table, {}, {});
    if (count.isEmpty() || column.isEmpty() || length < 0)
        return {};
    // SQLite's length() counts characters of text; the servers' char_length() too.
    const QString fn = dialect.kind() == Dialect::SQLite ? QStringLiteral("length") : QStringLiteral("char_length");
    return count + QStringLiteral(" WHERE %1(%2) > %3").arg(fn, LiveRowCounter::quoted(dialect, column)).arg(length);
}

QString ReviewRowCounter::outsideSql(const Dialect &dialect, const QString &schema, const QString &table,
                                     const QString &column, qint64 min, qint64 max)
{
    const QString count = LiveRowCounter::countSql(dialect, schema, table, {}, {});
    if (count.isEmpty() || column.isEmpty() || min > max)
        return {};
    const QString c = LiveRowCounter::quoted(dialect, column);
    return count + QStringLiteral(" WHERE %1 < %2 OR %1 > %3").arg(c).arg(min).arg(max);
}

std::optional<qint64> ReviewRowCounter::longerThan(const QString &schema, const QString &table,
                                                   const QString &column, int length) const
{
    if (!m_connection)
        return std::nullopt;
    return ask(longerThanSql(m_connection->dialect(), schema, table, column, length));
}

std::optional<qint64> ReviewRowCounter::outside(const QString &schema, const QString &table, const QString &column,
                                                qint64 min, qint64 max) const
{
    if (!m_connection)
        return std::nullopt;
    return ask(outsideSql(m_connection->dialect(), schema, table, column, min, max));
}

QString ReviewRowCounter::amongSql(const Dialect &dialect, const QString &schema, const QString &table,
                                   const QString &column, const QStringList &labels)
{
    const QString count = LiveRowCounter::countSql(dialect, schema, table, {}, {});
    if (count.isEmpty() || column.isEmpty() || labels.isEmpty())
        return {};
    QStringList literals;
    for (QString label : labels) {
        // Standard string literals; MySQL also treats a backslash as an escape.
        if (dialect.isMySqlFamily())
            label.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
        literals << QLatin1Char('\'') + label.replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
    }
    return count + QStringLiteral(" WHERE %1 IN (%2)").arg(LiveRowCounter::quoted(dialect, column),
                                                             literals.join(QStringLiteral(", ")));
}

std::optional<qint64> ReviewRowCounter::among(const QString &schema, const QString &table, const QString &column,
                                              const QStringList &labels) const
{
    if (!m_connection)
        return std::nullopt;
    return ask(amongSql(m_connection->dialect(), schema, table, column, labels));
}

} // namespace retort
