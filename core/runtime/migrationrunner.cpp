#include "migrationrunner.h"

#include "confirmationdelegate.h"
#include "databaseconnection.h"
#include "groupcommit.h"
#include "migrationlog.h"
#include "scriptchecksumtable.h"
#include "offlinesqlwriter.h"
#include "statementjournal.h"
#include "stepbodyexecutor.h"
#include "stepbodyprovider.h"
#include "versiontable.h"

#include <QHash>
#include <QMetaMethod>
#include <QSet>
#include <QTimer>
#include <algorithm>
#include <memory>
#include <utility>

namespace retort {

MigrationRunner::MigrationRunner(DatabaseConnection *connection, QVector<MigrationStep> steps,
                                 MigrationRunOptions options, QObject *parent)
    : QObject(parent), m_conn(connection), m_steps(std::move(steps)),
      m_options(std::move(options))
{
}

MigrationRunner::~MigrationRunner() = default;

void MigrationRunner::start()
{
    QTimer::singleShot(0, this, [this] { run(); });
}

bool MigrationRunner::exec()
{
    return run();
}

void MigrationRunner::cancel()
{
    m_cancelled.storeRelaxed(1);
}

Dialect MigrationRunner::dialect() const
{
    if (m_conn)
        return m_conn->dialect();
    return m_offlineDialect.value_or(Dialect());
}

bool MigrationRunner::transactionalDdl() const
{
    return m_options.transactionalDdl.value_or(dialect().transactionalDdl());
}

bool MigrationRunner::run()
{
    m_error = Error();
    m_completed = 0;
    if (!confirmed())
        return fail(Error(QStringLiteral("Cancelled by user")));
    const bool ok = m_options.offline ? runOffline() : runOnline();
    if (ok)
        emit finished(true);
    return ok;
}

bool MigrationRunner::fail(const Error &error)
{
    m_error = error;
    emit finished(false);
    return false;
}

bool MigrationRunner::confirmed()
{
    if (!m_confirm || m_options.offline)
        return true;
    QStringList details;
    for (const MigrationStep &s : m_steps)
        details << s.shortLog;
    const QString where = m_conn ? m_conn->displayUrl() : QString();
    return m_confirm->confirm(
        QStringLiteral("Run %1 migration step(s) against %2?").arg(m_steps.size()).arg(where),
        details);
}

bool MigrationRunner::runOffline()
{
    if (!m_conn && !m_offlineDialect)
        return fail(Error(QStringLiteral("No dialect given for offline SQL generation")));
    const Dialect d = dialect();
    for (const QString &line : MigrationLog::contextLines(d, true, transactionalDdl()))
        emit log(line);
    OfflineSqlWriter writer(d, m_options.versionTable);
    writer.setTransactionPerMigration(m_options.transactionPerMigration);
    writer.setTransactionalDdl(m_options.transactionalDdl);
    writer.setBodyProvider(m_bodies);
    writer.setPurge(m_options.purge);
    // Logging calls of the scripts: emitted after their step's "Running" line.
    QHash<QString, QVector<StepItem>> records;
    writer.setLogHandler([&records](const MigrationStep &step, const StepItem &record) {
        records[step.shortLog].append(record);
    });
    m_offlineSql.clear();
    VoidResult r = writer.write(m_options.startingHeads, m_steps, m_offlineSql);
    if (!r)
        return fail(r.error());
    // The "Running ..." text is built only for a listener: the command line logs its own.
    const bool logged = isSignalConnected(QMetaMethod::fromSignal(&MigrationRunner::log));
    for (int i = 0; i < m_steps.size(); ++i) {
        emit stepStarted(i, m_steps.size(), m_steps[i].shortLog);
        if (logged)
            emit log(MigrationLog::runningLine(m_steps[i], m_bodies ? m_bodies->doc(m_steps[i]) : QString()));
        for (const StepItem &record : records.value(m_steps[i].shortLog))
            emit scriptLog(record.level, record.logger, record.text);
        emit stepFinished(i);
        ++m_completed;
    }
    return true;
}

bool MigrationRunner::runOnline()
{
    if (!m_conn)
        return fail(Error(QStringLiteral("No database connection for an online run")));
    for (const QString &line : MigrationLog::contextLines(dialect(), false, transactionalDdl()))
        emit log(line);

    // begin_transaction(): the whole run for transactional DDL without per-migration.
    const bool outer = transactionalDdl() && !m_options.transactionPerMigration;
    if (outer) {
        VoidResult r = m_conn->begin();
        if (!r)
            return fail(r.error());
    }
    m_group.reset();
    if (!outer && groupCommits())
        m_group = std::make_unique<GroupCommit>(*m_conn, m_options.groupCommitMs);
    VersionTable table(*m_conn, m_options.versionTable);
    VoidResult r = runSteps(table, !outer && !m_group);
    if (m_group) {
        // The end of the run, a failure outside a step, or Stop: what completed is kept.
        VoidResult committed = m_group->commit();
        if (r && !committed)
            r = committed;
        if (!r)
            return fail(withLost(table, r.error()));
    }
    if (!r) {
        if (m_conn->inTransaction())
            (void)m_conn->rollback();
        return fail(r.error());
    }
    if (outer) {
        r = m_conn->commit();
        if (!r)
            return fail(r.error());
    }
    if (wasCancelled() && m_completed < m_steps.size()) {
        return fail(Error(QStringLiteral("Cancelled after %1 of %2 migration step(s)")
                              .arg(m_completed).arg(m_steps.size())));
    }
    return true;
}

VoidResult MigrationRunner::runSteps(VersionTable &table, bool perMigration)
{
    if (m_options.purge) {
        VoidResult r = table.purge();
        if (!r)
            return r;
        planHeads({});
    } else {
        Result<QStringList> heads = table.currentHeads();
        if (!heads)
            return heads.error();
        planHeads(*heads);
        if (heads->isEmpty()) {
            VoidResult r = table.ensureExists();
            if (!r)
                return r;
        }
    }
    VoidResult r = startChecksums();
    if (r)
        r = startJournal();
    for (int i = 0; r && i < m_steps.size() && !wasCancelled(); ++i) {
        if (m_options.stepGuard)
            r = m_options.stepGuard();
        if (r)
            r = runStep(i, table, perMigration);
    }
    if (r && m_journal && !wasCancelled())
        r = m_journal->finish();
    return r;
}

// Before any step's transaction: creating the table commits on MySQL. Not created for a
// run that only removes (a downgrade of revisions applied before Retort).
VoidResult MigrationRunner::startChecksums()
{
    m_checksums.reset();
    if (!m_options.recordChecksums)
        return {};
    auto table = std::make_unique<ScriptChecksumTable>(*m_conn, m_options.versionTable);
    if (m_options.purge) {
        if (VoidResult cleared = table->clear(); !cleared)
            return cleared;
    }
    bool records = false;
    for (const ScriptChecksumChange &c : m_options.checksums)
        records = records || !c.record.isEmpty();
    for (const ScriptChecksumChange &c : m_options.carriedChecksums)
        records = records || !c.record.isEmpty();
    if (records) {
        if (VoidResult made = table->ensureExists(); !made)
            return made;
    } else {
        Result<bool> has = table->exists();
        if (!has)
            return has.error();
        if (!*has)
            return {};
    }
    m_checksums = std::move(table);
    return {};
}

// MySQL/MariaDB: statements are journaled so a killed run can resume (StatementJournal).
VoidResult MigrationRunner::startJournal()
{
    m_journal.reset();
    if (!StatementJournal::appliesTo(dialect()))
        return {};
    m_journal = std::make_unique<StatementJournal>(*m_conn, m_options.versionTable);
    m_journal->setBodyProvider(m_bodies);
    m_journal->setNotice([this](const QString &message) {
        const QString logger = QStringLiteral("retort.journal");
        emit notice(logger, message);
        emit log(MigrationLog::line(MigrationLog::Info, logger, message));
    });
    return m_journal->start(m_steps, m_options.purge, m_options.restartStep);
}

// SQLite, one transaction per migration asked for by neither env.py nor the caller: the
// steps share a transaction, a savepoint each, committed about once a second (GroupCommit).
// Not inside a transaction the caller holds (the multidb template's, across engines).
bool MigrationRunner::groupCommits() const
{
    return m_conn->dialect().kind() == Dialect::SQLite && !m_options.transactionPerMigration
        && m_options.groupCommitMs > 0 && !m_conn->holdsTransaction() && !m_conn->inTransaction();
}

// The version table's rows after each step, from the heads the run starts at (the group's
// losses are checked against what the table really holds).
void MigrationRunner::planHeads(const QStringList &start)
{
    m_headsAfter.clear();
    m_headsAfter.reserve(m_steps.size() + 1);
    QStringList heads = start;
    m_headsAfter << heads;
    for (const MigrationStep &step : m_steps) {
        for (const VersionTableOp &op : step.versionOps) {
            if (op.kind != VersionTableOp::Insert)
                heads.removeAll(op.from);
            if (op.kind != VersionTableOp::Delete)
                heads << op.to;
        }
        m_headsAfter << heads;
    }
}

// Steps counted as applied that the database lost with their group: no longer counted,
// and the error says which, and where the database is now. Which ones is read from the
// version table: a statement of a step may have committed some of them itself.
Error MigrationRunner::withLost(VersionTable &table, const Error &error)
{
    QVector<int> lost = m_group ? m_group->takeLost() : QVector<int>();
    if (lost.isEmpty())
        return error;
    Result<QStringList> heads = table.currentHeads();
    QString at;
    if (!heads) {
        at = QStringLiteral("unknown (%1)").arg(heads.error().message);
    } else {
        at = heads->isEmpty() ? QStringLiteral("no revision (empty version table)") : heads->join(QStringLiteral(", "));
        const QSet<QString> now(heads->begin(), heads->end());
        auto matches = [&](int after) {
            const QStringList &h = m_headsAfter.value(after);
            return m_headsAfter.size() > after && QSet<QString>(h.begin(), h.end()) == now;
        };
        // The table after lost[0]-1 .. the step that failed (one after the last lost).
        int kept = -1;
        for (int j = qMin(lost.last() + 2, int(m_headsAfter.size()) - 1); kept < 0 && j >= lost.first(); --j)
            kept = matches(j) ? j : -1;
        if (kept < 0)
            at += QStringLiteral(", which none of these steps leaves");
        else
            lost.erase(std::remove_if(lost.begin(), lost.end(), [kept](int i) { return i < kept; }), lost.end());
    }
    if (lost.isEmpty())
        return Error(error.message + QStringLiteral("; the database is at ") + at, error.file, error.line);
    m_completed -= int(lost.size());
    QStringList names;
    for (int i : lost)
        names << m_steps.at(i).shortLog;
    return Error(QStringLiteral("%1; %2, so the %3 step(s) applied since the last commit were rolled back "
                                "too (%4); the database is at %5")
                     .arg(error.message, m_group->lostReason())
                     .arg(lost.size())
                     .arg(names.join(QStringLiteral("; ")), at),
                 error.file, error.line);
}

VoidResult MigrationRunner::runStep(int index, VersionTable &table, bool perMigration)
{
    const MigrationStep &step = m_steps[index];
    if (perMigration) {
        VoidResult r = m_conn->begin();
        if (!r)
            return r;
    } else if (m_group) {
        VoidResult r = m_group->beginStep(index);
        if (!r) {
            m_group->failStep();
            return withLost(table, stepError(step, r.error()));
        }
    }
    emit stepStarted(index, m_steps.size(), step.shortLog);
    emit log(MigrationLog::runningLine(step, m_bodies ? m_bodies->doc(step) : QString()));
    VoidResult r = runBody(step);
    if (r)
        r = recordStep(index, table);
    if (r && m_journal)
        r = m_journal->stepCompleted();   // committed with the version row
    if (r && perMigration)
        r = m_conn->commit();
    if (r && m_group)
        r = m_group->endStep();
    if (!r) {
        if (!m_group)
            return stepError(step, r.error());
        m_group->failStep();
        return withLost(table, stepError(step, r.error()));
    }
    ++m_completed;
    emit stepFinished(index);
    if (m_group && m_group->due()) {
        if (VoidResult committed = m_group->commit(); !committed)
            return withLost(table, committed.error());
    }
    return {};
}

// The step's version rows, then its scripts' checksums; on PostgreSQL in a transaction
// one statement for both where the step has one UPDATE (VersionTable::applyWithChecksums()).
VoidResult MigrationRunner::recordStep(int index, VersionTable &table)
{
    const MigrationStep &step = m_steps[index];
    const bool carried = index == 0 && !m_options.carriedChecksums.isEmpty();
    if (m_checksums && !carried && step.versionOps.size() == 1 && index < m_options.checksums.size()) {
        if (std::optional<VoidResult> r = table.applyWithChecksums(step.versionOps.first(), *m_checksums,
                                                                   m_options.checksums.at(index)))
            return *r;
    }
    VoidResult r;
    for (int i = 0; r && i < step.versionOps.size(); ++i)
        r = table.apply(step.versionOps[i]);
    for (int i = 0; r && m_checksums && index == 0 && i < m_options.carriedChecksums.size(); ++i)
        r = m_checksums->apply(m_options.carriedChecksums.at(i));
    if (r && m_checksums && index < m_options.checksums.size())
        r = m_checksums->apply(m_options.checksums.at(index));
    return r;
}

VoidResult MigrationRunner::runBody(const MigrationStep &step)
{
    if (!m_bodies || step.kind == MigrationStep::Stamp)
        return {};
    Result<StepBody> body = m_bodies->body(step, m_conn->dialect());
    if (!body)
        return body.error();
    StepBodyExecutor::Hooks hooks;
    hooks.executed = [this](const QString &sql, qint64 ms) { emit statementExecuted(sql, ms); };
    hooks.affected = [this](int rows) { emit statementRowsAffected(rows); };
    hooks.print = [this](const QString &text) { emit scriptOutput(text); };
    hooks.log = [this](int level, const QString &logger, const QString &message) {
        emit scriptLog(level, logger, message);
    };
    return StepBodyExecutor(*m_conn, m_journal.get(), hooks).run(step, *body);
}

Error MigrationRunner::stepError(const MigrationStep &step, const Error &cause) const
{
    const QString path = m_bodies ? m_bodies->scriptPath(step) : QString();
    const QString what = step.kind == MigrationStep::Stamp
        ? QStringLiteral("Stamp %1 failed").arg(step.shortLog)
        : QStringLiteral("Migration %1 (%2) failed").arg(step.revision, step.shortLog);
    return Error(what + QStringLiteral(": ") + cause.message, path.isEmpty() ? cause.file : path,
                 path.isEmpty() ? cause.line : 0);
}

} // namespace retort
