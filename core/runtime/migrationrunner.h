#pragma once
// Runs a migration plan against a database (or renders it with --sql), as a job in the
// style of KDE's KJob: start() runs it from the event loop, exec() runs it synchronously,
// progress arrives through signals, cancel() stops between steps. The CLI and the studio
// share it; each plugs in its own ConfirmationDelegate.
//
// Transactions follow Alembic's begin_transaction(): one for the whole run on
// transactional-DDL dialects (PostgreSQL) unless transaction_per_migration; otherwise one
// per migration (MySQL, and SQLite, where Alembic has none but a failed migration should
// not leave half its changes behind). The version table is updated inside each step's
// transaction, so after a failure it names the last revision that really completed.
// On SQLite the per-migration transactions are grouped (GroupCommit): a savepoint per
// migration, one commit per second of run; transaction_per_migration turns it off.
// Without transactional DDL (MySQL) each statement is journaled instead, so a killed run
// resumes where it stopped (StatementJournal).

#include "dialect.h"
#include "migrationrunoptions.h"
#include "result.h"
#include "revision/migrationstep.h"

#include <QAtomicInt>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <memory>
#include <optional>

namespace retort {

class ConfirmationDelegate;
class DatabaseConnection;
class GroupCommit;
class ScriptChecksumTable;
class StatementJournal;
class StepBodyProvider;
class VersionTable;

class MigrationRunner : public QObject
{
    Q_OBJECT
public:
    // `connection` may be null for an offline run, which then needs setDialect().
    MigrationRunner(DatabaseConnection *connection, QVector<MigrationStep> steps,
                    MigrationRunOptions options = {}, QObject *parent = nullptr);
    ~MigrationRunner() override;

    void setBodyProvider(StepBodyProvider *provider) { m_bodies = provider; }
    void setConfirmationDelegate(ConfirmationDelegate *delegate) { m_confirm = delegate; }
    void setOfflineDialect(const Dialect &dialect) { m_offlineDialect = dialect; }

    void start();        // runs on the next event-loop turn; ends with finished()
    bool exec();         // runs now; returns the same as finished()
    void cancel();       // thread-safe; honoured before the next step starts

    const Error &error() const { return m_error; }
    bool wasCancelled() const { return m_cancelled.loadRelaxed() != 0; }
    int completedSteps() const { return m_completed; }
    QString offlineSql() const { return m_offlineSql; }

signals:
    void stepStarted(int index, int count, const QString &shortLog);
    void statementExecuted(const QString &sql, qint64 elapsedMs);
    void statementRowsAffected(int rows);   // right after statementExecuted (a rehearsal's count)
    void stepFinished(int index);
    void log(const QString &line);     // Alembic-format log lines (see MigrationLog)
    void notice(const QString &logger, const QString &message);   // Retort's own INFO records; also log()
    // The scripts' own effects: print() output (stdout under Alembic; offline it is part
    // of offlineSql() instead) and logging records (level as Python's: 20 INFO ...).
    void scriptOutput(const QString &text);
    void scriptLog(int level, const QString &logger, const QString &message);
    void finished(bool ok);

private:
    bool run();
    bool fail(const Error &error);
    bool confirmed();
    bool runOffline();
    bool runOnline();
    VoidResult runSteps(VersionTable &table, bool perMigration);
    VoidResult startJournal();
    VoidResult startChecksums();
    VoidResult runStep(int index, VersionTable &table, bool perMigration);
    VoidResult recordStep(int index, VersionTable &table);
    VoidResult runBody(const MigrationStep &step);
    Error stepError(const MigrationStep &step, const Error &cause) const;
    bool groupCommits() const;
    Error withLost(VersionTable &table, const Error &error);
    void planHeads(const QStringList &start);
    bool transactionalDdl() const;
    Dialect dialect() const;

    DatabaseConnection *m_conn;
    QVector<MigrationStep> m_steps;
    MigrationRunOptions m_options;
    StepBodyProvider *m_bodies = nullptr;
    ConfirmationDelegate *m_confirm = nullptr;
    std::optional<Dialect> m_offlineDialect;
    std::unique_ptr<StatementJournal> m_journal;   // MySQL family, online only
    std::unique_ptr<ScriptChecksumTable> m_checksums;   // online with recordChecksums
    std::unique_ptr<GroupCommit> m_group;   // SQLite: one commit per group of steps
    QVector<QStringList> m_headsAfter;   // [i]: the version table's rows before step i
    QAtomicInt m_cancelled;
    int m_completed = 0;
    Error m_error;
    QString m_offlineSql;
};

} // namespace retort
