#pragma once
// What running env.py does for a command, without Python: read env.py statically for
// the URL and context.configure() options, switch on logging like fileConfig(), open the
// database (online) and log the MigrationContext lines Alembic logs.
// URL precedence: --url, $RETORT_DATABASE_URL, what env.py sets (read statically:
// set_main_option("sqlalchemy.url", literal / os.environ); or, when the static reading
// cannot settle it, what env.py run by EnvPyEvaluator connected with), then sqlalchemy.url
// from the ini section.

#include "services/migrationlogsink.h"
#include "services/project.h"
#include "config/databaseurl.h"
#include "services/envpyevaluator.h"
#include "config/envpyinfo.h"
#include "result.h"
#include "runtime/databaseconnection.h"
#include "runtime/dialect.h"
#include "runtime/versiontableoptions.h"

#include <functional>
#include <memory>
#include <optional>

namespace retort {

class MigrationLock;
class MigrationLogSink;
class Project;

class MigrationEnvironment
{
public:
    // urlOverride: --url / $RETORT_DATABASE_URL, or empty.
    MigrationEnvironment(Project &project, MigrationLogSink &log, QString urlOverride = {});
    ~MigrationEnvironment();

    // Reads env.py and resolves the URL; configures logging. Nothing is opened yet.
    VoidResult load();
    // Online: connects and logs "Context impl ...", "Will assume ... DDL.".
    VoidResult connect();
    // connect() in two halves, for the multidb template: every engine connects before
    // the first one logs its context lines.
    VoidResult openConnection();
    // Before connect(): a SQLite database is opened read-only (the studio looking at it:
    // no file is created, nothing can be written). Other dialects are unaffected.
    void setReadOnly(bool readOnly) { m_readOnly = readOnly; }
    // SQLite with a file that does not exist yet (after load()): the first run creates it.
    bool isMissingSqliteFile() const;
    void logOnlineContext() { logContext(false); }

    // The multidb template: this environment is the engine `name` (a section of the ini
    // holding its sqlalchemy.url; --url / $RETORT_DATABASE_URL are refused). Before load().
    void setEngine(const QString &name) { m_engine = name; }
    QString engine() const { return m_engine; }
    // load() + connect(), then the version table's heads (what most commands need first).
    Result<QStringList> connectAndReadHeads();
    // The version table's heads on the open connection.
    Result<QStringList> currentHeads();
    // Offline (--sql): logs the context lines with "Generating static SQL".
    void startOffline();

    // Online: takes the migration lock, saying so when another run holds it, and keeps it
    // until releaseLock() or the environment goes. Commands that change the database take
    // it right after connect(), before the version table is read, so the plan is made
    // from what a concurrent run left behind. A no-op when already held.
    VoidResult lockForMigration();
    VoidResult releaseLock();
    bool holdsLock() const;
    // An error when the lock was lost since (a Galera lease taken over).
    VoidResult checkLock() const;
    static constexpr int kDefaultLockTimeoutMs = 300000;
    void setLockTimeoutMs(int ms) { m_lockTimeoutMs = ms; }   // < 0: wait without end
    int lockTimeoutMs() const { return m_lockTimeoutMs; }
    // Asked while waiting for the lock: true gives up (a studio run's Stop).
    void setLockCancelCheck(std::function<bool()> cancelled) { m_lockCancelled = std::move(cancelled); }

    const DatabaseUrl &url() const { return *m_url; }
    const Dialect &dialect() const { return m_dialect; }
    DatabaseConnection *connection() const { return m_connection.get(); }
    const VersionTableOptions &versionTable() const { return m_versionTable; }
    bool transactionPerMigration() const { return m_transactionPerMigration; }
    std::optional<bool> transactionalDdl() const { return m_transactionalDdl; }
    bool effectiveTransactionalDdl() const
    { return m_transactionalDdl.value_or(m_dialect.transactionalDdl()); }
    // util.obfuscate_url_pw: the URL with the password as XXXXX.
    QString obfuscatedUrl() const;
    const EnvPyInfo *envPy() const { return m_envPy ? &*m_envPy : nullptr; }
    // What running env.py configured, when the static reading could not settle it.
    const EnvPyEvaluation *envPyEvaluation() const { return m_evaluated ? &*m_evaluated : nullptr; }

private:
    Result<QString> resolveUrlText();
    VoidResult evaluateEnvPy(const QString &envPath);
    Result<QString> engineUrlText();
    void readConfigureOptions();
    void logContext(bool asSql);

    Project &m_project;
    MigrationLogSink &m_log;
    QString m_urlOverride;
    QString m_engine;
    std::optional<EnvPyInfo> m_envPy;
    std::optional<EnvPyEvaluation> m_evaluated;
    std::optional<DatabaseUrl> m_url;
    Dialect m_dialect;
    std::unique_ptr<DatabaseConnection> m_connection;
    std::unique_ptr<MigrationLock> m_lock;   // after m_connection: released before it closes
    int m_lockTimeoutMs = kDefaultLockTimeoutMs;
    std::function<bool()> m_lockCancelled;
    VersionTableOptions m_versionTable;
    bool m_transactionPerMigration = false;
    bool m_readOnly = false;
    std::optional<bool> m_transactionalDdl;
};

} // namespace retort
