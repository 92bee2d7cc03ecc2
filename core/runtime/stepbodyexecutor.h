#pragma once
// Runs one step's StepBody on the database inside the runner's transaction, with
// Python's meaning for the body's try statements: a statement failing inside a try suite
// raises the SQLAlchemy exception Alembic's driver would (DatabaseErrorClass), the rest
// of the suite is skipped and the first except clause naming a class of it runs; else
// and finally suites run as in Python, a bare `raise` in a handler re-raises. What a
// failed statement does to the transaction is the server's business, as under Alembic:
// PostgreSQL aborts it (later statements fail with "current transaction is aborted"),
// MySQL/MariaDB and SQLite do not. An autocommit block commits the transaction, runs
// outside one and begins a new one (MigrationContext.autocommit_block()).
//
// With the MySQL statement journal each statement keeps its number in the body
// (StepBody::statements() order); a statement whose error a handler catches is recorded
// as done. A resumed step must not resume inside a try statement or autocommit block.

#include "result.h"
#include "revision/migrationstep.h"
#include "stepbody.h"

#include <QHash>
#include <QString>
#include <QVector>
#include <functional>
#include <optional>

namespace retort {

class DatabaseConnection;
class StatementJournal;

class StepBodyExecutor
{
public:
    struct Hooks
    {
        std::function<void(const QString &sql, qint64 elapsedMs)> executed;
        // After executed: the driver's count of rows the statement changed (-1: none given).
        std::function<void(int rows)> affected;
        std::function<void(const QString &text)> print;
        std::function<void(int level, const QString &logger, const QString &message)> log;
    };

    StepBodyExecutor(DatabaseConnection &connection, StatementJournal *journal, Hooks hooks);

    VoidResult run(const MigrationStep &step, const StepBody &body);

private:
    enum Flow { Normal, Raised, Fatal };
    struct Exception
    {
        Error error;
        QStringList chain;   // DatabaseErrorClass::chain()
    };

    Flow runItems(const QVector<StepItem> &items);
    Flow runItem(const StepItem &item);
    Flow runSql(const StepItem &item);
    Flow runDeferred(const StepItem &item);
    Flow runBridge(const StepItem &item);
    Flow exec(const QString &sql, int index);
    Flow runTry(const StepItem &item);
    Flow runAutocommit(const StepItem &item);
    Flow fatal(const Error &error);
    bool caughtByEnclosingTry(const QStringList &chain) const;
    void number(const QVector<StepItem> &items);
    VoidResult checkResume(const StepBody &body) const;

    DatabaseConnection &m_conn;
    StatementJournal *m_journal;
    Hooks m_hooks;
    const MigrationStep *m_step = nullptr;
    QHash<const StepItem *, int> m_numbers;   // 1-based statement numbers
    int m_count = 0;
    int m_skip = 0;                            // statements a resumed run already completed
    QVector<const StepItem *> m_tries;         // try statements whose suite is running
    QVector<Exception> m_handling;             // exceptions whose handler is running
    std::optional<Exception> m_raised;         // the exception propagating
    Error m_fatal;
};

} // namespace retort
