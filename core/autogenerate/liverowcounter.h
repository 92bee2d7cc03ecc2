#pragma once
// Answers DiffReviewer::RowCounter from the live database: SELECT count(*) over the
// affected table, optionally with "<column> IS [NOT] NULL". Identifiers are always
// quoted for the connection's dialect (names from the diff may need it). An error
// (missing table, lost connection) gives nullopt: the review then says "unknown", and
// autogenerate never fails because of it. Answers are cached per question.
// A count that takes longer than timeoutMs() is stopped by the server and unknown too
// (PostgreSQL statement_timeout, MariaDB max_statement_time, MySQL MAX_EXECUTION_TIME);
// SQLite counts are not limited (a local file).

#include "diffreviewer.h"

#include <QHash>
#include <memory>

namespace retort {

class DatabaseConnection;
class Dialect;

class LiveRowCounter
{
public:
    // The connection must outlive every copy (copies share the cache).
    explicit LiveRowCounter(DatabaseConnection *connection);

    std::optional<qint64> operator()(const QString &schema, const QString &table, const QString &column,
                                     const QString &condition) const;

    // The COUNT statement for a question; empty for a condition it does not know.
    static QString countSql(const Dialect &dialect, const QString &schema, const QString &table,
                            const QString &column, const QString &condition);
    static QString quoted(const Dialect &dialect, const QString &identifier);
    // Runs a SELECT count(...) statement built by the caller (the plan review's own
    // questions): cached, and inside a PostgreSQL transaction under a savepoint, as above.
    std::optional<qint64> count(const QString &sql) const;

    static constexpr int kDefaultTimeoutMs = 5000;
    int timeoutMs() const { return m_state->timeoutMs; }
    void setTimeoutMs(int ms) { m_state->timeoutMs = ms; }   // 0: no limit; shared by copies

private:
    struct State
    {
        QHash<QString, std::optional<qint64>> cache;
        int timeoutMs = kDefaultTimeoutMs;
        std::optional<bool> mariaDb;   // MySQL family: asked once
    };
    std::optional<qint64> run(const QString &sql) const;
    std::optional<qint64> runLimitedPostgres(const QString &sql) const;
    QString limitedMySql(const QString &sql) const;

    DatabaseConnection *m_connection;
    std::shared_ptr<State> m_state;
};

} // namespace retort
