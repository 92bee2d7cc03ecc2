#pragma once
// Keeps two migration runs off the same database at once: a PostgreSQL advisory lock
// (key derived from the version table's name), MySQL GET_LOCK, or SQLite's exclusive
// locking mode. acquire() polls, reporting once through the wait callback when another
// holder is found, and fails with a clear error after the timeout.

#include "result.h"
#include "versiontableoptions.h"

#include <QString>
#include <functional>

namespace retort {

class DatabaseConnection;

class MigrationLock
{
public:
    MigrationLock(DatabaseConnection &connection, VersionTableOptions versionTable = {});
    ~MigrationLock();   // releases when held

    MigrationLock(const MigrationLock &) = delete;
    MigrationLock &operator=(const MigrationLock &) = delete;

    void setWaitCallback(std::function<void(const QString &)> callback)
    { m_onWait = std::move(callback); }
    void setPollIntervalMs(int ms) { m_pollMs = ms; }

    VoidResult acquire(int timeoutMs);
    VoidResult release();
    bool isHeld() const { return m_held; }

    // "retort:<schema>.<table>": the name the lock is known by (MySQL's GET_LOCK name,
    // PostgreSQL's key source).
    QString lockName() const;
    // A stable signed 64-bit key for pg_advisory_lock (FNV-1a over lockName()).
    static qint64 advisoryKey(const QString &name);

private:
    Result<bool> tryAcquire();

    DatabaseConnection &m_conn;
    VersionTableOptions m_versionTable;
    std::function<void(const QString &)> m_onWait;
    int m_pollMs = 200;
    bool m_held = false;
};

} // namespace retort
