#include "groupcommit.h"

#include "databaseconnection.h"

#include <utility>

namespace retort {

namespace {
const QString kSavepoint = QStringLiteral("retort_step");
}

GroupCommit::GroupCommit(DatabaseConnection &connection, int intervalMs)
    : m_conn(connection), m_intervalMs(intervalMs)
{
}

VoidResult GroupCommit::beginStep(int index)
{
    m_current = index;
    if (!m_conn.inTransaction()) {
        if (VoidResult begun = m_conn.begin(); !begun)
            return begun;
        m_sinceCommit.start();
    }
    m_commitsAtStep = m_conn.commitCount();
    Result<QSqlQuery> made = m_conn.exec(QStringLiteral("SAVEPOINT ") + kSavepoint);
    if (!made)
        return made.error();
    m_inStep = true;
    return {};
}

// Something the step ran committed (an autocommit block): the group and the savepoint
// ended there, and what follows in the step is a transaction of its own.
bool GroupCommit::savepointGone() const
{
    return m_conn.commitCount() != m_commitsAtStep;
}

VoidResult GroupCommit::endStep()
{
    if (savepointGone()) {
        m_pending.clear();
        m_sinceCommit.start();
    } else {
        Result<QSqlQuery> released = m_conn.exec(QStringLiteral("RELEASE ") + kSavepoint);
        if (!released)
            return released.error();   // failStep() rolls back to it
    }
    m_inStep = false;
    m_pending << m_current;
    return {};
}

void GroupCommit::failStep()
{
    if (!std::exchange(m_inStep, false)) {
        (void)commit();   // no savepoint was made (or it was released): keep the steps before
        return;
    }
    if (savepointGone()) {
        // The steps before it were committed by the block; this step's rest goes, as
        // with one transaction per step.
        m_pending.clear();
        if (m_conn.inTransaction())
            (void)m_conn.rollback();
        return;
    }
    if (!m_conn.exec(QStringLiteral("ROLLBACK TO ") + kSavepoint)) {
        // "no such savepoint": SQLite already rolled the whole transaction back.
        (void)m_conn.rollback();
        loseGroup(QStringLiteral("SQLite rolled back the whole transaction"));
        return;
    }
    (void)commit();
}

bool GroupCommit::due() const
{
    return m_conn.inTransaction() && m_sinceCommit.isValid() && m_sinceCommit.elapsed() >= m_intervalMs;
}

VoidResult GroupCommit::commit()
{
    if (!m_conn.inTransaction()) {
        m_pending.clear();
        return {};
    }
    VoidResult done = m_conn.commit();
    if (!done) {
        (void)m_conn.rollback();
        loseGroup(QStringLiteral("the commit failed (%1)").arg(done.error().message));
        return done;
    }
    m_pending.clear();
    m_sinceCommit.invalidate();
    return {};
}

void GroupCommit::loseGroup(const QString &reason)
{
    m_lost += m_pending;
    m_pending.clear();
    m_lostReason = reason;
    m_sinceCommit.invalidate();
}

QVector<int> GroupCommit::takeLost()
{
    return std::exchange(m_lost, {});
}

} // namespace retort
