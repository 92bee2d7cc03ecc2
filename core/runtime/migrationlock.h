#pragma once
// Keeps two migration runs off the same database at once. Taken before the version table
// is read and held until the run ends, Python hand-offs included, so the second run plans
// from what the first one left. Per database:
//   PostgreSQL  session advisory lock (key derived from the version table's name)
//   MySQL       GET_LOCK() on the run's connection
//   Galera      a lease row in `retort_lock` (GET_LOCK locks only the node it runs on)
//   SQLite      flock(2) on the database file (separate from SQLite's own locks)
// Each lock dies with its holder (connection, process), except the Galera lease, which
// runs out. acquire() polls, reports the holder once through the wait callback, and
// fails with a clear error after the timeout; a real error (permissions, a lost
// connection) is returned as such, never taken for "someone else holds it".

#include "result.h"
#include "versiontableoptions.h"

#include <QString>
#include <functional>
#include <memory>

namespace retort {

class DatabaseConnection;
class FileLock;
class LockLease;

class MigrationLock
{
public:
    enum class Mechanism { None, AdvisoryLock, GetLock, LeaseRow, FileLock };

    MigrationLock(DatabaseConnection &connection, VersionTableOptions versionTable = {});
    ~MigrationLock();   // releases when held

    MigrationLock(const MigrationLock &) = delete;
    MigrationLock &operator=(const MigrationLock &) = delete;

    void setWaitCallback(std::function<void(const QString &)> callback)
    { m_onWait = std::move(callback); }
    void setPollIntervalMs(int ms) { m_pollMs = ms; }
    // Asked between attempts: true stops waiting (the user pressed Stop).
    void setCancelCheck(std::function<bool()> cancelled) { m_cancelled = std::move(cancelled); }

    // timeoutMs < 0 waits for as long as it takes.
    VoidResult acquire(int timeoutMs);
    VoidResult release();
    bool isHeld() const { return m_held; }
    // An error when a held lock was lost since (a Galera lease taken over).
    VoidResult checkHeld() const;
    Mechanism mechanism() const { return m_mechanism; }

    // "retort:<schema>.<table>": the name the lock is known by (MySQL's GET_LOCK name,
    // PostgreSQL's key source, the lease row's key).
    QString lockName() const;
    // A stable signed 64-bit key for pg_advisory_lock (FNV-1a over lockName()).
    static qint64 advisoryKey(const QString &name);

private:
    Result<Mechanism> chooseMechanism();
    Result<bool> tryAcquire();
    QString holder();
    QString where() const;

    DatabaseConnection &m_conn;
    VersionTableOptions m_versionTable;
    std::function<void(const QString &)> m_onWait;
    std::function<bool()> m_cancelled;
    int m_pollMs = 200;
    bool m_held = false;
    Mechanism m_mechanism = Mechanism::None;
    bool m_chosen = false;
    std::unique_ptr<FileLock> m_file;
    std::unique_ptr<LockLease> m_lease;
};

} // namespace retort
