#include "statementjournal.h"

#include "sidetables.h"

#include "databaseconnection.h"
#include "stepbodyprovider.h"

#include <QCryptographicHash>
#include <QSqlQuery>
#include <QVariant>

namespace retort {

namespace {

const QString kDone = QStringLiteral("done");
const QString kRunning = QStringLiteral("running");

QString directionName(bool upgrade)
{
    return upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade");
}

const QString kRestartHint = QStringLiteral(
    "or undo the interrupted run's changes by hand and re-run with --restart-step, which runs "
    "the step from its first statement");

} // namespace

const QString &StatementJournal::tableName()
{
    static const QString &name = SideTables::journalTable();
    return name;
}

QString StatementJournal::hash(const QString &sql)
{
    return QString::fromLatin1(QCryptographicHash::hash(sql.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString StatementJournal::Entry::describe(const QString &scriptPath) const
{
    QString s = scriptPath.isEmpty()
        ? QStringLiteral("migration %1").arg(revision)
        : QStringLiteral("migration %1 (%2)").arg(revision, scriptPath);
    const QString of = upgrade ? QString() : QStringLiteral(" of its downgrade");
    if (completed == 0)   // only the first statement had started
        return s + QStringLiteral(" was interrupted during statement 1 of %1%2, which may have completed")
                       .arg(count).arg(of);
    s += QStringLiteral(" was interrupted after statement %1 of %2%3").arg(completed).arg(count).arg(of);
    if (running)
        s += QStringLiteral("; statement %1 was running and may have completed").arg(completed + 1);
    return s;
}

StatementJournal::StatementJournal(DatabaseConnection &connection, VersionTableOptions versionTable)
    : m_conn(connection), m_versionTable(std::move(versionTable))
{
}

QString StatementJournal::qualifiedTable() const
{
    return m_conn.dialect().qualifiedName(m_versionTable.schema, tableName());
}

QString StatementJournal::scriptPath(const QString &revision, bool upgrade) const
{
    if (!m_bodies)
        return {};
    MigrationStep step;
    step.kind = upgrade ? MigrationStep::Upgrade : MigrationStep::Downgrade;
    step.revision = revision;
    return m_bodies->scriptPath(step);
}

Result<bool> StatementJournal::tableExists()
{
    QVariantList values{tableName()};
    QString sql = QStringLiteral("SELECT table_name FROM information_schema.tables WHERE table_name = ? "
                                 "AND table_schema = ");
    if (m_versionTable.schema.isEmpty()) {
        sql += QStringLiteral("DATABASE()");
    } else {
        sql += QStringLiteral("?");
        values << m_versionTable.schema;
    }
    Result<QSqlQuery> q = m_conn.exec(sql, values);
    if (!q)
        return q.error();
    m_tableKnown = q->next();
    return m_tableKnown;
}

Result<std::optional<StatementJournal::Entry>> StatementJournal::pending()
{
    Result<bool> exists = tableExists();
    if (!exists)
        return exists.error();
    if (!*exists)
        return std::optional<Entry>();
    Result<QSqlQuery> q = m_conn.exec(
        QStringLiteral("SELECT revision, direction, statement_index, statement_count, statement_hash, state "
                       "FROM %1 WHERE version_table = ? ORDER BY statement_index").arg(qualifiedTable()),
        {m_versionTable.table});
    if (!q)
        return q.error();
    std::optional<Entry> entry;
    while (q->next()) {
        const QString revision = q->value(0).toString();
        const bool upgrade = q->value(1).toString() == directionName(true);
        if (!entry) {
            entry.emplace();
            entry->revision = revision;
            entry->upgrade = upgrade;
        } else if (entry->revision != revision || entry->upgrade != upgrade) {
            return Error(QStringLiteral("%1 holds statements of more than one migration step for version "
                                        "table %2; check the schema and delete its rows by hand")
                             .arg(qualifiedTable(), m_versionTable.table));
        }
        const int index = q->value(2).toInt();
        // Rows are written in order: a gap or anything after a running row means the
        // table was edited by hand; trust only the unbroken prefix.
        if (index != entry->completed + 1 || entry->running)
            break;
        entry->count = q->value(3).toInt();
        entry->hashes << q->value(4).toString();
        if (q->value(5).toString() == kDone)
            entry->completed = index;
        else
            entry->running = true;
    }
    m_hasRows = entry.has_value();
    return entry;
}

VoidResult StatementJournal::start(const QVector<MigrationStep> &steps, bool purge, bool restart)
{
    m_resume.reset();
    Result<std::optional<Entry>> found = pending();
    if (!found)
        return found.error();
    // With nothing to run there is nothing to conflict with; `current` keeps reporting it.
    if (!*found || steps.isEmpty())
        return {};
    const Entry &e = **found;
    const QString what = e.describe(scriptPath(e.revision, e.upgrade));
    QString What = what;   // starting a FAILED line
    What[0] = What[0].toUpper();
    const MigrationStep &first = steps.first();
    if (purge || first.kind == MigrationStep::Stamp)
        return discard(QStringLiteral("Discarding the record that %1: stamped").arg(what));
    const bool same = first.revision == e.revision && first.isUpgrade() == e.upgrade;
    if (restart) {
        return discard(same ? QStringLiteral("Restarting %1 from its first statement (--restart-step): %2")
                                  .arg(first.shortLog, what)
                            : QStringLiteral("Discarding the record that %1 (--restart-step)").arg(what));
    }
    if (!same) {
        const QString finish = e.upgrade
            ? QStringLiteral("finish it first with `retort upgrade %1`").arg(e.revision)
            : QStringLiteral("finish that downgrade first");
        return Error(QStringLiteral("%1, but this run starts with %2. To continue, %3; or, once its changes "
                                    "are undone or completed by hand, re-run with --restart-step to discard "
                                    "the record of it.").arg(What, first.shortLog, finish));
    }
    Result<QStringList> now = m_bodies ? m_bodies->statements(first, m_conn.dialect()) : QStringList();
    if (!now)
        return now.error();
    for (int i = 0; i < e.hashes.size(); ++i) {
        if (i >= now->size() || hash(now->at(i)) != e.hashes.at(i)) {
            const QString differs = i >= now->size()
                ? QStringLiteral("now renders only %1 statement(s)").arg(now->size())
                : QStringLiteral("now renders different SQL for statement %1").arg(i + 1);
            return Error(QStringLiteral("%1, but its script %2 than the interrupted run executed: it changed "
                                        "since, so the run cannot resume there. Restore the script as it was "
                                        "to resume, %3.").arg(What, differs, kRestartHint));
        }
    }
    m_resume = e;
    return {};
}

VoidResult StatementJournal::discard(const QString &why)
{
    if (m_notice)
        m_notice(why);
    return clearRows();
}

int StatementJournal::resumeAfter(const MigrationStep &step)
{
    m_rerun = 0;
    if (!m_resume || step.revision != m_resume->revision || step.isUpgrade() != m_resume->upgrade)
        return 0;
    const Entry e = *m_resume;
    m_resume.reset();
    if (e.running)
        m_rerun = e.completed + 1;
    if (m_notice) {
        m_notice(e.running
                     ? QStringLiteral("Resuming %1 at statement %2 of %3, which was running when an earlier "
                                      "run was interrupted").arg(step.shortLog).arg(e.completed + 1).arg(e.count)
                     : QStringLiteral("Resuming %1 after statement %2 of %3, where an earlier run "
                                      "stopped").arg(step.shortLog).arg(e.completed).arg(e.count));
    }
    return e.completed;
}

VoidResult StatementJournal::ensureTable()
{
    if (m_tableKnown)
        return {};
    // InnoDB so that a DML statement and its 'done' row commit together.
    Result<QSqlQuery> q = m_conn.exec(QStringLiteral(
        "CREATE TABLE IF NOT EXISTS %1 (version_table VARCHAR(64) NOT NULL, revision VARCHAR(255) NOT NULL, "
        "direction VARCHAR(9) NOT NULL, statement_index INTEGER NOT NULL, statement_count INTEGER NOT NULL, "
        "statement_hash CHAR(64) NOT NULL, state VARCHAR(7) NOT NULL, "
        "PRIMARY KEY (version_table, statement_index)) ENGINE=InnoDB").arg(qualifiedTable()));
    if (!q)
        return q.error();
    m_tableKnown = true;
    return {};
}

// Ends the step's transaction here (what it holds is journaled now) and opens the next.
VoidResult StatementJournal::commitInPlace()
{
    if (!m_conn.inTransaction())
        return {};
    VoidResult r = m_conn.commit();
    if (!r)
        return r;
    return m_conn.begin();
}

VoidResult StatementJournal::beforeStatement(const MigrationStep &step, int index, int count, const QString &sql)
{
    if (m_unavailable)
        return {};
    VoidResult r = ensureTable();
    if (!r) {
        // A user who may change data but not create tables still gets the run, as Alembic
        // gives it, only without crash recovery.
        m_unavailable = true;
        if (m_notice)
            m_notice(QStringLiteral("Running without the statement journal (a killed run cannot resume): %1")
                         .arg(r.error().message));
        return {};
    }
    // REPLACE: a resumed run re-runs the statement an interrupted one left 'running'.
    Result<QSqlQuery> q = m_conn.exec(
        QStringLiteral("REPLACE INTO %1 (version_table, revision, direction, statement_index, statement_count, "
                       "statement_hash, state) VALUES (?, ?, ?, ?, ?, ?, ?)").arg(qualifiedTable()),
        {m_versionTable.table, step.revision, directionName(step.isUpgrade()), index, count, hash(sql), kRunning});
    if (!q)
        return q.error();
    m_hasRows = true;
    return commitInPlace();
}

VoidResult StatementJournal::afterStatement(int index)
{
    if (m_unavailable)
        return {};
    Result<QSqlQuery> q = m_conn.exec(
        QStringLiteral("UPDATE %1 SET state = ? WHERE version_table = ? AND statement_index = ?").arg(qualifiedTable()),
        {kDone, m_versionTable.table, index});
    if (!q)
        return q.error();
    return commitInPlace();
}

Error StatementJournal::statementFailed(int index, int count, const Error &cause)
{
    if (m_unavailable)
        return cause;
    // The statement failed rather than being cut off: it is not "running" any more. Its
    // partial DML rolls back first; best effort, as the server may be the one that failed.
    if (m_conn.inTransaction())
        (void)m_conn.rollback();
    (void)m_conn.exec(QStringLiteral("DELETE FROM %1 WHERE version_table = ? AND statement_index = ? AND state = ?")
                          .arg(qualifiedTable()),
                      {m_versionTable.table, index, kRunning});
    QString note;
    if (index == m_rerun) {
        note = QStringLiteral("Statement %1 of %2 was running when an earlier run of this step was interrupted, "
                              "and MySQL may have completed it then (DDL commits at once, before Retort can "
                              "record it). If its change is already in the database, undo that change by hand "
                              "and run again to resume at statement %1, %3.").arg(index).arg(count).arg(kRestartHint);
    } else if (index > 1) {
        const QString done = index == 2
            ? QStringLiteral("Statement 1 of %1 completed and is").arg(count)
            : QStringLiteral("Statements 1-%1 of %2 completed and are").arg(index - 1).arg(count);
        note = QStringLiteral("%1 recorded in %2: a new run resumes at statement %3 (--restart-step runs the "
                              "step from its first statement instead).")
                   .arg(done, tableName()).arg(index);
    }
    if (note.isEmpty())
        return cause;
    return Error(cause.message + QLatin1Char('\n') + note, cause.file, cause.line);
}

VoidResult StatementJournal::stepCompleted()
{
    m_rerun = 0;
    if (!m_hasRows)
        return {};
    return clearRows();
}

// This version table's rows (another project's version table may share the journal).
VoidResult StatementJournal::clearRows()
{
    Result<QSqlQuery> q = m_conn.exec(QStringLiteral("DELETE FROM %1 WHERE version_table = ?").arg(qualifiedTable()),
                                      {m_versionTable.table});
    if (!q)
        return q.error();
    m_hasRows = false;
    return {};
}

VoidResult StatementJournal::finish()
{
    if (!m_tableKnown)
        return {};
    Result<QSqlQuery> q = m_conn.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(qualifiedTable()));
    if (!q)
        return q.error();
    if (q->next() && q->value(0).toInt() > 0)
        return {};   // another version table's interrupted step
    q = m_conn.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(qualifiedTable()));
    if (!q)
        return q.error();
    m_tableKnown = false;
    return {};
}

} // namespace retort
