#pragma once
// What one upgrade()/downgrade() does, in order: SQL statements plus the effects around
// them that are not SQL -- print() output, logging records, try/except/else/finally
// around statements (a statement failing on the database runs the matching handler, as
// under Alembic online), and autocommit blocks (MigrationContext.autocommit_block()).
// Most bodies are plain statement lists (StepBody::fromStatements).

#include "result.h"

#include <QString>
#include <QStringList>
#include <QVector>
#include <functional>

namespace retort {

class DatabaseConnection;

struct StepItem
{
    enum Kind {
        Sql,          // text: the statement
        Print,        // text: what print() writes, end included
        Log,          // text: the message; logger, level (Python's numbers: 20 INFO, 30 WARNING ...)
        Raise,        // bare `raise` in a handler: re-raises the exception being handled
        Try,          // body: the try suite; clauses: Except..., then Else, then Finally
        Except,       // catches: canonical class names ("" = bare except); body: the handler
        Else,         // body
        Finally,      // body
        Autocommit,   // body: runs outside the migration's transaction
        Deferred,     // render(): statements rendered only when reached, online -- batch
                      // mode reading a table the step's earlier statements renamed or made;
                      // or next(): items produced in chunks as the run reaches them (a
                      // function inspecting the live database between its statements)
        Bridge        // bridge(): online only, the step's function runs in Python (Alembic)
                      // and each statement it executes runs on this connection, in this
                      // transaction; text: a comment naming it (one journal entry)
    };
    // rowsAffected: what the statement changed (-1 for a query).
    using Executed = std::function<void(const QString &sql, qint64 elapsedMs, int rowsAffected)>;
    using BridgeRun = std::function<VoidResult(DatabaseConnection &, const Executed &)>;
    Kind kind = Sql;
    QString text;
    QString logger;
    int level = 0;
    QStringList catches;
    QVector<StepItem> body;
    QVector<StepItem> clauses;
    std::function<Result<QStringList>()> render;
    // Deferred: the next chunk of items to run; *done once it was the last.
    std::function<Result<QVector<StepItem>>(bool *done)> next;
    BridgeRun bridge;

    static StepItem sql(const QString &statement) { StepItem i; i.text = statement; return i; }
};

struct StepBody
{
    QVector<StepItem> items;

    static StepBody fromStatements(const QStringList &statements)
    {
        StepBody b;
        b.items.reserve(statements.size());
        for (const QString &s : statements)
            b.items.append(StepItem::sql(s));
        return b;
    }

    // Every statement the body may run, in source order (try suites, handlers, else and
    // finally suites alike): the numbering of the statement journal.
    QStringList statements() const
    {
        QStringList out;
        collect(items, out);
        return out;
    }

    // Whether an item is rendered only when the run reaches it.
    bool hasDeferred() const { return hasDeferred(items); }

    // Only statements: no effects and no control flow.
    bool isPlain() const
    {
        for (const StepItem &i : items)
            if (i.kind != StepItem::Sql)
                return false;
        return true;
    }

private:
    static bool hasDeferred(const QVector<StepItem> &items)
    {
        for (const StepItem &i : items)
            if (i.kind == StepItem::Deferred || hasDeferred(i.body) || hasDeferred(i.clauses))
                return true;
        return false;
    }

    static void collect(const QVector<StepItem> &items, QStringList &out)
    {
        for (const StepItem &i : items) {
            if (i.kind == StepItem::Sql || i.kind == StepItem::Bridge)
                out << i.text;
            if (i.kind == StepItem::Deferred && i.render)
                if (const Result<QStringList> r = i.render(); r)
                    out << *r;   // as the database is now: only a preview
            collect(i.body, out);
            collect(i.clauses, out);
        }
    }
};

} // namespace retort
