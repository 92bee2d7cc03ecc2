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
#include <QStringList>
#include <QVector>
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
    // Answers many such statements (count() texts) into the cache in few round trips:
    // on PostgreSQL and MySQL/MariaDB up to kBatch of them as the scalar subqueries of one
    // SELECT, under the same limit as one count. A batch that fails is split in two until
    // the failing statement is alone (its answer is then count()'s: unknown); one that
    // runs out of time caches nothing, so count() then asks each with its own limit.
    // SQLite (no round trips): nothing.
    void prefetch(const QStringList &sqls) const;
    static constexpr int kBatch = 200;

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
    // The row of `columns` integers one statement returns (with the limit applied);
    // nullopt when it fails, `timedOut` set when the server stopped it.
    std::optional<QVector<qint64>> run(const QString &sql, int columns, bool *timedOut = nullptr) const;
    std::optional<QVector<qint64>> runLimited(const QString &sql, int columns, bool *timedOut) const;
    std::optional<QVector<qint64>> runLimitedPostgres(const QString &sql, int columns, bool *timedOut) const;
    QString limitedMySql(const QString &sql) const;
    void prefetchBatch(const QStringList &sqls) const;

    DatabaseConnection *m_connection;
    std::shared_ptr<State> m_state;
};

} // namespace retort
