#pragma once
// Group commit on SQLite: the steps of a run share one transaction, each inside its own
// SAVEPOINT (released when it succeeds), and the transaction commits once it has been open
// for a second or more (after the step during which that second passed), at the end of
// the run and before anything that needs the database committed. Each commit costs SQLite
// four fsyncs; one per group instead of one per step is what makes long runs fast.
//
// A failing step is rolled back to its savepoint and the steps before it committed, so a
// failure leaves what one transaction per step would. If SQLite rolled the whole
// transaction back itself (SQLITE_FULL, IOERR, BUSY, NOMEM, INTERRUPT may), or a COMMIT
// fails, the steps since the last commit are gone too: lost() names them for the caller,
// which must say so and stop counting them as applied. A crash undoes at most the last
// group, each step whole with its version row.
//
// An autocommit block inside a step (it commits the transaction, releasing the savepoint)
// commits the group with it, as it commits the step's earlier statements today; the rest
// of that step then runs as its own transaction.

#include "result.h"

#include <QElapsedTimer>
#include <QVector>

namespace retort {

class DatabaseConnection;

class GroupCommit
{
public:
    GroupCommit(DatabaseConnection &connection, int intervalMs);

    VoidResult beginStep(int index);   // BEGIN when no group is open, then SAVEPOINT
    VoidResult endStep();              // the step succeeded: RELEASE its savepoint
    // The step failed: ROLLBACK TO its savepoint, then COMMIT the steps before it. Never
    // fails itself; lost() says what could not be kept.
    void failStep();
    bool due() const;                  // the group has been open for the interval
    VoidResult commit();               // COMMIT the group, if one is open
    // Steps (runner indexes) reported done that are not in the database: rolled back with
    // a transaction SQLite ended itself, or with a COMMIT that failed. Taken once.
    QVector<int> takeLost();
    QString lostReason() const { return m_lostReason; }

private:
    void loseGroup(const QString &reason);
    bool savepointGone() const;

    DatabaseConnection &m_conn;
    int m_intervalMs;
    QElapsedTimer m_sinceCommit;
    QVector<int> m_pending;   // released, not committed
    QVector<int> m_lost;
    QString m_lostReason;
    int m_current = -1;
    int m_commitsAtStep = 0;
    bool m_inStep = false;   // a savepoint is open for m_current
};

} // namespace retort
