#pragma once
// One open database, reached through a SQLAlchemy URL. Owns its QSqlDatabase under a
// connection name unique to this instance, so several connections (the runner's, the
// studio's browser, a lock holder) never share driver state; closed and removed in the
// destructor. Errors name the URL with the password masked, plus the driver's text.

#include "config/databaseurl.h"
#include "dialect.h"
#include "result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <map>
#include <memory>

namespace retort {

class DatabaseConnection
{
public:
    struct Options
    {
        int connectTimeoutSecs = 10;   // server dialects: how long to wait for the server
        int sqliteBusyTimeoutMs = 5000;  // SQLite: how long to wait on a locked file
        // SQLite: open read-only, so that looking at a database never creates its file
        // (a missing file is an error then; a run that writes opens read-write).
        bool sqliteReadOnly = false;
    };

    static Result<std::unique_ptr<DatabaseConnection>> open(const DatabaseUrl &url,
                                                            const Options &options);
    static Result<std::unique_ptr<DatabaseConnection>> open(const DatabaseUrl &url)
    { return open(url, Options()); }
    // A URL given as text (`retort diff`, tests): parse errors come back as values too.
    static Result<std::unique_ptr<DatabaseConnection>> openUrl(const QString &url);
    ~DatabaseConnection();

    DatabaseConnection(const DatabaseConnection &) = delete;
    DatabaseConnection &operator=(const DatabaseConnection &) = delete;

    const Dialect &dialect() const { return m_dialect; }
    const DatabaseUrl &url() const { return m_url; }
    QString displayUrl() const { return m_url.toDisplayString(); }
    QSqlDatabase database() const;
    QString connectionName() const { return m_name; }

    // Runs one statement; the error carries the statement and the driver's text.
    Result<QSqlQuery> exec(const QString &sql);
    // Runs a prepared statement with positional (?) values.
    Result<QSqlQuery> exec(const QString &sql, const QVariantList &values);
    // The same, with errors naming `shownAs` (the statement with its values written out,
    // as the user would recognise it) instead of the placeholders.
    Result<QSqlQuery> exec(const QString &sql, const QVariantList &values, const QString &shownAs);
    // The driver's code for the last exec() that failed ("" after one that succeeded):
    // SQLSTATE on PostgreSQL, the error number on MySQL/MariaDB, the result code on SQLite.
    QString lastErrorCode() const { return m_lastErrorCode; }
    // Rows affected by a DML statement.
    Result<int> execAffected(const QString &sql);
    Result<int> execAffected(const QString &sql, const QVariantList &values, const QString &shownAs);
    // The same for a DML statement a run executes again and again (the version table's
    // and the checksum table's, once per step): prepared once and re-bound. SQLite keeps it
    // for the connection (no recompiling per step); PostgreSQL for the transaction (instead
    // of PREPARE, EXECUTE and DEALLOCATE, three round trips, each time), deallocated when it
    // ends, so a pooler that gives each transaction another server session (PgBouncer's
    // transaction mode) never meets one; MySQL, and PostgreSQL outside a transaction,
    // execAffected().
    Result<int> execAffectedReused(const QString &sql, const QVariantList &values, const QString &shownAs);
    // The same for such a statement that answers one number (its first row's first value:
    // a data-modifying WITH counting what it changed).
    Result<qint64> execScalarReused(const QString &sql, const QVariantList &values, const QString &shownAs);

    VoidResult begin();
    VoidResult commit();
    VoidResult rollback();
    bool inTransaction() const { return m_inTransaction; }
    // How many COMMITs this connection has sent: a caller holding a savepoint can tell
    // that something it ran (an autocommit block) committed, and so released it.
    int commitCount() const { return m_commits; }
    // How many statements exec*() have sent (BEGIN/COMMIT/ROLLBACK not counted): what a
    // caller that batches its questions can be held to.
    int statementCount() const { return m_statements; }

    // A transaction held open by the caller across several runs (the multidb template
    // begins one per engine and commits them together). While held, begin() and commit()
    // join it (no-ops); rollback() rolls it back and ends the hold, as a failure anywhere
    // must. commitHeld()/rollbackHeld() end it; both are no-ops when nothing is held.
    VoidResult holdTransaction();
    VoidResult commitHeld();
    VoidResult rollbackHeld();
    bool holdsTransaction() const { return m_held; }

    // "<what>\non <masked url>: <driver text>".
    Error driverError(const QString &what, const QString &driverText) const;
    Error driverError(const QString &what, const QSqlError &error) const;

private:
    DatabaseConnection(DatabaseUrl url, Dialect dialect, QString name);
    static QString connectOptions(const DatabaseUrl &url, const Dialect &dialect,
                                  const Options &options);
    VoidResult configure(const Options &options);
    // execAffectedReused()'s statement kept for the transaction and run; null when it is
    // not kept here (then exec() it once).
    Result<QSqlQuery *> execReused(const QString &sql, const QVariantList &values, const QString &shownAs);

    DatabaseUrl m_url;
    Dialect m_dialect;
    QString m_name;
    bool m_inTransaction = false;
    bool m_held = false;
    int m_commits = 0;
    int m_statements = 0;
    QString m_lastErrorCode;
    std::map<QString, std::unique_ptr<QSqlQuery>> m_reused;   // execAffectedReused()
};

} // namespace retort
