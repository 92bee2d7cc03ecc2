#pragma once
// Crash recovery for dialects without transactional DDL (MySQL, MariaDB), beyond Alembic:
// each statement of the running migration step is recorded in a side table next to the
// version table (`retort_step_journal`, same schema; Alembic never looks at it), so that
// a run killed mid-step can be resumed after its last completed statement instead of
// failing on "Table ... already exists".
//
// Per statement k of a step (the runner holds the migration lock):
//   1. row k = 'running' (with the statement's SHA-256), committed;
//   2. the statement runs (DDL commits implicitly on MySQL);
//   3. row k = 'done', committed together with the statement when it is DML.
// The step's version-table row and the removal of its journal rows share one commit. A
// DDL statement that completed on the server while its row still says 'running' (kill
// during the statement or before step 3) cannot be told from one that did not: the
// resumed run re-runs it, and when that fails the error says so (see failureHint()).
// The table is created just before the first journaled statement and dropped again at
// the end of a run that leaves it empty, so autogenerate (Alembic's too) never sees it.

#include "dialect.h"
#include "result.h"
#include "revision/migrationstep.h"
#include "versiontableoptions.h"

#include <QString>
#include <QStringList>
#include <QVector>
#include <functional>
#include <optional>

namespace retort {

class DatabaseConnection;
class StepBodyProvider;

class StatementJournal
{
public:
    // What an interrupted step left behind.
    struct Entry
    {
        QString revision;
        bool upgrade = true;
        int completed = 0;        // statements 1..completed are 'done'
        int count = 0;            // statements the step had when it ran
        bool running = false;     // statement completed + 1 was running (may have completed)
        QStringList hashes;       // of statements 1..completed (+ the running one)

        QString describe(const QString &scriptPath) const;
    };

    static const QString &tableName();   // "retort_step_journal"
    // Only where DDL is not transactional; SQLite and PostgreSQL roll a step back instead.
    static bool appliesTo(const Dialect &dialect) { return dialect.isMySqlFamily(); }
    static QString hash(const QString &sql);

    StatementJournal(DatabaseConnection &connection, VersionTableOptions versionTable);

    void setBodyProvider(StepBodyProvider *bodies) { m_bodies = bodies; }
    // INFO lines for the run's log ("Resuming ...").
    void setNotice(std::function<void(const QString &)> notice) { m_notice = std::move(notice); }

    // The interrupted step recorded for this version table, if any.
    Result<std::optional<Entry>> pending();

    // Before the first step of a run: decides what to do with a pending entry. It must
    // belong to steps.first() and match what that step's script renders now (then that
    // step resumes), unless `restart` (--restart-step) discards it. A stamp discards it
    // too: the user states what the schema holds.
    VoidResult start(const QVector<MigrationStep> &steps, bool purge, bool restart);

    // The number of statements of `step` to skip (those the interrupted run completed);
    // 0 for any step but the one start() decided to resume.
    int resumeAfter(const MigrationStep &step);
    // Around statement `index` (1-based) of `count`.
    VoidResult beforeStatement(const MigrationStep &step, int index, int count, const QString &sql);
    VoidResult afterStatement(int index);
    // Statement `index` of `count` failed (not a crash): forget that it was running, and
    // add to `cause` what the journal knows.
    Error statementFailed(int index, int count, const Error &cause);
    // In the step's transaction, with its version-table row.
    VoidResult stepCompleted();
    // At the end of a successful run: drop the table when no version table needs it.
    VoidResult finish();

private:
    VoidResult clearRows();
    QString qualifiedTable() const;
    Result<bool> tableExists();
    VoidResult ensureTable();
    VoidResult discard(const QString &why);
    VoidResult commitInPlace();
    QString scriptPath(const QString &revision, bool upgrade) const;

    DatabaseConnection &m_conn;
    VersionTableOptions m_versionTable;
    StepBodyProvider *m_bodies = nullptr;
    std::function<void(const QString &)> m_notice;
    bool m_tableKnown = false;        // the table exists (seen or created by this run)
    bool m_hasRows = false;           // rows of this version table may exist
    std::optional<Entry> m_resume;    // the step start() decided to resume
    bool m_unavailable = false;       // the table could not be created: run unjournaled
    int m_rerun = 0;                  // resumed at this statement, left 'running' (1-based)
};

} // namespace retort
