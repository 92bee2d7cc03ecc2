#pragma once
// The migration lock on a MariaDB Galera cluster, where GET_LOCK() locks only the node it
// runs on (a run on another node takes the same name at once): a row in a small lock table (`retort_lock`, next to the version table)
// holding the lock's name, its holder and a lease. The row is inserted with autocommit, so
// two runs on two nodes race through Galera's certification: one insert commits, the other
// fails with a duplicate key or a certification deadlock, both read as "held". The holder
// renews the lease from a heartbeat thread on its own connection; a run that crashed
// (kill -9) leaves a row whose lease runs out, and the next run takes it over.

#include "result.h"
#include "sidetables.h"

#include <QAtomicInt>
#include <QString>
#include <memory>

namespace retort {

class DatabaseConnection;
class LeaseHeartbeat;

class LockLease
{
public:
    // schema: the version table's schema (empty: the connection's database).
    LockLease(DatabaseConnection &connection, QString schema, QString name, int leaseSeconds = 30);
    ~LockLease();

    LockLease(const LockLease &) = delete;
    LockLease &operator=(const LockLease &) = delete;

    static QString tableName() { return SideTables::lockTable(); }

    Result<bool> tryAcquire();
    VoidResult release();
    // Who holds the row now (holder text and since when), for the waiting message.
    QString holder();
    // Set when the heartbeat found the row gone or taken over (the lease ran out).
    bool lost() const;
    const QString &holderId() const { return m_holderId; }

private:
    VoidResult ensureTable();
    QString table() const;

    DatabaseConnection &m_conn;
    QString m_schema;
    QString m_name;
    int m_leaseSeconds;
    QString m_holderId;
    bool m_tableReady = false;
    bool m_held = false;
    std::unique_ptr<LeaseHeartbeat> m_heartbeat;
};

} // namespace retort
