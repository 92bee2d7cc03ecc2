#include "stepbodyexecutor.h"

#include "databaseconnection.h"
#include "databaseerrorclass.h"
#include "statementjournal.h"

#include <QElapsedTimer>
#include <QSqlQuery>

namespace retort {

StepBodyExecutor::StepBodyExecutor(DatabaseConnection &connection, StatementJournal *journal, Hooks hooks)
    : m_conn(connection), m_journal(journal), m_hooks(std::move(hooks))
{
}

void StepBodyExecutor::number(const QVector<StepItem> &items)
{
    for (const StepItem &item : items) {
        if (item.kind == StepItem::Sql || item.kind == StepItem::Bridge)
            m_numbers.insert(&item, ++m_count);
        number(item.body);
        number(item.clauses);
    }
}

// A resumed step skips its completed statements; only a prefix outside try statements and
// autocommit blocks can be skipped without knowing which path the interrupted run took.
VoidResult StepBodyExecutor::checkResume(const StepBody &body) const
{
    int plain = 0;
    for (const StepItem &item : body.items) {
        if (item.kind == StepItem::Try || item.kind == StepItem::Autocommit || item.kind == StepItem::Deferred
            || item.kind == StepItem::Bridge)
            break;
        plain += item.kind == StepItem::Sql ? 1 : 0;
    }
    if (m_skip <= plain)
        return {};
    return Error(QStringLiteral("%1 was interrupted after statement %2 of %3, inside a try statement or "
                                "autocommit block: which statements it ran there is not recorded, so it "
                                "cannot resume. Undo its changes by hand and re-run with --restart-step.")
                     .arg(m_step->shortLog).arg(m_skip).arg(m_count));
}

VoidResult StepBodyExecutor::run(const MigrationStep &step, const StepBody &body)
{
    m_step = &step;
    m_numbers.clear();
    m_count = 0;
    number(body.items);
    m_skip = m_journal ? m_journal->resumeAfter(step) : 0;
    if (m_skip > 0 && !body.isPlain()) {
        VoidResult r = checkResume(body);
        if (!r)
            return r;
    }
    m_tries.clear();
    m_handling.clear();
    m_raised.reset();
    switch (runItems(body.items)) {
    case Normal: return {};
    case Raised: return m_raised->error;
    case Fatal: return m_fatal;
    }
    return {};
}

StepBodyExecutor::Flow StepBodyExecutor::fatal(const Error &error)
{
    m_fatal = error;
    return Fatal;
}

StepBodyExecutor::Flow StepBodyExecutor::runItems(const QVector<StepItem> &items)
{
    for (const StepItem &item : items) {
        const Flow f = runItem(item);
        if (f != Normal)
            return f;
    }
    return Normal;
}

StepBodyExecutor::Flow StepBodyExecutor::runItem(const StepItem &item)
{
    switch (item.kind) {
    case StepItem::Sql:
        return runSql(item);
    case StepItem::Print:
        if (m_hooks.print)
            m_hooks.print(item.text);
        return Normal;
    case StepItem::Log:
        if (m_hooks.log)
            m_hooks.log(item.level, item.logger, item.text);
        return Normal;
    case StepItem::Raise:
        if (m_handling.isEmpty())
            return fatal(Error(QStringLiteral("RuntimeError: No active exception to reraise")));
        m_raised = m_handling.last();
        return Raised;
    case StepItem::Try:
        return runTry(item);
    case StepItem::Autocommit:
        return runAutocommit(item);
    case StepItem::Deferred:
        return runDeferred(item);
    case StepItem::Bridge:
        return runBridge(item);
    case StepItem::Except:
    case StepItem::Else:
    case StepItem::Finally:
        break;
    }
    return fatal(Error(QStringLiteral("a try clause outside a try statement")));
}

bool StepBodyExecutor::caughtByEnclosingTry(const QStringList &chain) const
{
    for (const StepItem *t : m_tries)
        for (const StepItem &clause : t->clauses)
            if (clause.kind == StepItem::Except && DatabaseErrorClass::catches(clause.catches, chain))
                return true;
    return false;
}

StepBodyExecutor::Flow StepBodyExecutor::runSql(const StepItem &item)
{
    const int index = m_numbers.value(&item);
    if (index <= m_skip)
        return Normal;
    return exec(item.text, index);
}

// Rendered now, after the statements before it ran (the journal numbers statements ahead,
// so a journaled run never renders a batch here: providers defer those only in a
// transaction).
StepBodyExecutor::Flow StepBodyExecutor::runDeferred(const StepItem &item)
{
    // Chunks are numbered as they come (the journal records each statement with the count
    // so far); a run killed inside them cannot resume (checkResume), as inside a try.
    if (m_journal && !item.next)
        return fatal(Error(QStringLiteral("%1: a statement rendered as it runs cannot be journaled")
                               .arg(m_step->shortLog)));
    if (item.next) {
        // Each chunk runs before the next is produced: it may read what this one did.
        for (bool done = false; !done;) {
            const Result<QVector<StepItem>> chunk = item.next(&done);
            if (!chunk)
                return fatal(chunk.error());
            const QVector<StepItem> items = *chunk;   // numbered by address: kept while it runs
            number(items);
            if (const Flow f = runItems(items); f != Normal)
                return f;
        }
        return Normal;
    }
    const Result<QStringList> sql = item.render();
    if (!sql)
        return fatal(sql.error());
    for (const QString &statement : *sql)
        if (const Flow f = exec(statement, 0); f != Normal)
            return f;
    return Normal;
}

// The step's function runs in Python, its statements on this connection; an exception it
// lets escape fails the step (no native try surrounds it). Journaled as one statement: a
// run killed inside it re-runs it on resume, as a DDL statement caught running would be.
StepBodyExecutor::Flow StepBodyExecutor::runBridge(const StepItem &item)
{
    const int index = m_numbers.value(&item);
    if (index <= m_skip)
        return Normal;
    if (!item.bridge)
        return fatal(Error(QStringLiteral("%1: no bridge to Python").arg(m_step->shortLog)));
    if (m_journal) {
        VoidResult r = m_journal->beforeStatement(*m_step, index, m_count, item.text);
        if (!r)
            return fatal(r.error());
    }
    // The rehearsal's figures count a bridged step's statements like native ones.
    VoidResult ran = item.bridge(m_conn, [this](const QString &sql, qint64 ms, int rows) {
        if (m_hooks.executed)
            m_hooks.executed(sql, ms);
        if (m_hooks.affected && rows >= 0)
            m_hooks.affected(rows);
    });
    if (!ran)
        return fatal(m_journal ? m_journal->statementFailed(index, m_count, ran.error()) : ran.error());
    if (m_journal) {
        VoidResult r = m_journal->afterStatement(index);
        if (!r)
            return fatal(r.error());
    }
    return Normal;
}

// index: the statement's number in the journal (0: not journaled).
StepBodyExecutor::Flow StepBodyExecutor::exec(const QString &sql, int index)
{
    if (m_journal && index > 0) {
        VoidResult r = m_journal->beforeStatement(*m_step, index, m_count, sql);
        if (!r)
            return fatal(r.error());
    }
    QElapsedTimer timer;
    timer.start();
    Result<QSqlQuery> q = m_conn.exec(sql);
    if (!q) {
        Exception e{q.error(), DatabaseErrorClass::chain(m_conn.dialect(), m_conn.lastErrorCode())};
        if (m_journal) {
            if (caughtByEnclosingTry(e.chain)) {
                // Settled: it ran and a handler takes its error (nothing to roll back).
                VoidResult r = m_journal->afterStatement(index);
                if (!r)
                    return fatal(r.error());
            } else {
                e.error = m_journal->statementFailed(index, m_count, e.error);
            }
        }
        m_raised = e;
        return Raised;
    }
    if (m_hooks.executed)
        m_hooks.executed(sql, timer.elapsed());
    if (m_hooks.affected)
        m_hooks.affected(q->numRowsAffected());
    if (m_journal) {
        VoidResult r = m_journal->afterStatement(index);
        if (!r)
            return fatal(r.error());
    }
    return Normal;
}

StepBodyExecutor::Flow StepBodyExecutor::runTry(const StepItem &item)
{
    m_tries.append(&item);
    Flow f = runItems(item.body);
    m_tries.removeLast();
    if (f == Fatal)
        return f;
    const StepItem *orElse = nullptr;
    const StepItem *finally = nullptr;
    for (const StepItem &clause : item.clauses) {
        if (clause.kind == StepItem::Else)
            orElse = &clause;
        else if (clause.kind == StepItem::Finally)
            finally = &clause;
    }
    if (f == Raised) {
        for (const StepItem &clause : item.clauses) {
            if (clause.kind != StepItem::Except || !DatabaseErrorClass::catches(clause.catches, m_raised->chain))
                continue;
            m_handling.append(*m_raised);
            m_raised.reset();
            f = runItems(clause.body);
            m_handling.removeLast();
            break;
        }
    } else if (orElse) {
        f = runItems(orElse->body);
    }
    if (f == Fatal || !finally)
        return f;
    // The finally suite runs with the exception set aside; one it raises replaces it.
    const std::optional<Exception> pending = f == Raised ? m_raised : std::nullopt;
    m_raised.reset();
    const Flow after = runItems(finally->body);
    if (after != Normal)
        return after;
    m_raised = pending;
    return f;
}

StepBodyExecutor::Flow StepBodyExecutor::runAutocommit(const StepItem &item)
{
    const bool inTransaction = m_conn.inTransaction();
    if (inTransaction) {
        VoidResult r = m_conn.commit();
        if (!r)
            return fatal(r.error());
    }
    const Flow f = runItems(item.body);
    if (f == Fatal)
        return f;
    if (inTransaction) {
        VoidResult r = m_conn.begin();
        if (!r)
            return fatal(r.error());
    }
    return f;
}

} // namespace retort
