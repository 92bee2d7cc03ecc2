#pragma once
// The counts a plan review asks the live database before a run, read-only: rows of a
// table, NULLs and values of a column, and values longer than a new string length.
// LiveRowCounter answers the first three (quoted identifiers, cached, errors = nullopt);
// the other questions' SQL is built here and run by LiveRowCounter::count().

#include "autogenerate/liverowcounter.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace retort {

class DatabaseConnection;
class Dialect;

class ReviewRowCounter
{
public:
    // Null connection: every count is unknown (an offline review).
    explicit ReviewRowCounter(DatabaseConnection *connection);

    bool isOnline() const { return m_connection != nullptr; }
    std::optional<qint64> rows(const QString &schema, const QString &table) const;
    std::optional<qint64> nulls(const QString &schema, const QString &table, const QString &column) const;
    std::optional<qint64> values(const QString &schema, const QString &table, const QString &column) const;
    // Values with more than `length` characters.
    std::optional<qint64> longerThan(const QString &schema, const QString &table, const QString &column,
                                     int length) const;

    // Values below `min` or above `max` (an integer column narrowed to a smaller type).
    std::optional<qint64> outside(const QString &schema, const QString &table, const QString &column,
                                  qint64 min, qint64 max) const;

    // Values equal to one of `labels` (enum labels a narrowed enum drops).
    std::optional<qint64> among(const QString &schema, const QString &table, const QString &column,
                                const QStringList &labels) const;

    // Collecting: each question is noted, not asked (every answer unknown meanwhile);
    // askCollected() then asks them all in a few round trips (LiveRowCounter::prefetch())
    // and the same questions asked again are answered from there.
    void collect() { m_collecting = true; m_collected.clear(); }
    void askCollected();

    static QString longerThanSql(const Dialect &dialect, const QString &schema, const QString &table,
                                 const QString &column, int length);

    static QString outsideSql(const Dialect &dialect, const QString &schema, const QString &table,
                              const QString &column, qint64 min, qint64 max);

    static QString amongSql(const Dialect &dialect, const QString &schema, const QString &table,
                            const QString &column, const QStringList &labels);

private:
    std::optional<qint64> ask(const QString &sql) const;
    // count(*) of the table, or of its rows whose column meets predicate ("IS NULL" ...).
    std::optional<qint64> askCount(const QString &schema, const QString &table, const QString &column,
                                   const QString &predicate) const;

    DatabaseConnection *m_connection;
    LiveRowCounter m_live;
    bool m_collecting = false;
    mutable QStringList m_collected;
};

} // namespace retort
