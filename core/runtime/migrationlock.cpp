#include "migrationlock.h"

#include "databaseconnection.h"

#include <QDeadlineTimer>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

namespace retort {

MigrationLock::MigrationLock(DatabaseConnection &connection, VersionTableOptions versionTable)
    : m_conn(connection), m_versionTable(std::move(versionTable))
{
}

MigrationLock::~MigrationLock()
{
    if (m_held)
        (void)release();
}

QString MigrationLock::lockName() const
{
    const QString schema = m_versionTable.schema.isEmpty() ? QString()
                                                           : m_versionTable.schema + QLatin1Char('.');
    // MySQL caps lock names at 64 characters.
    return (QStringLiteral("retort:") + schema + m_versionTable.table).left(64);
}

qint64 MigrationLock::advisoryKey(const QString &name)
{
    quint64 hash = 1469598103934665603ULL;
    for (char c : name.toUtf8()) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return static_cast<qint64>(hash);
}

Result<bool> MigrationLock::tryAcquire()
{
    switch (m_conn.dialect().kind()) {
    case Dialect::PostgreSQL: {
        Result<QSqlQuery> q = m_conn.exec(QStringLiteral("SELECT pg_try_advisory_lock(%1)")
                                              .arg(advisoryKey(lockName())));
        if (!q)
            return q.error();
        return q->next() && q->value(0).toBool();
    }
    case Dialect::MySQL:
    case Dialect::MariaDB: {
        Result<QSqlQuery> q = m_conn.exec(QStringLiteral("SELECT GET_LOCK(?, 0)"),
                                          QVariantList{lockName()});
        if (!q)
            return q.error();
        return q->next() && q->value(0).toInt() == 1;
    }
    case Dialect::SQLite: {
        // In exclusive locking mode the lock taken by BEGIN EXCLUSIVE outlives the
        // transaction and is kept until the mode is switched back.
        Result<QSqlQuery> mode = m_conn.exec(QStringLiteral("PRAGMA locking_mode = EXCLUSIVE"));
        if (!mode)
            return mode.error();
        // Poll without the connection's busy timeout, so waiting is reported promptly.
        Result<QSqlQuery> busy = m_conn.exec(QStringLiteral("PRAGMA busy_timeout"));
        if (!busy)
            return busy.error();
        const int savedBusy = busy->next() ? busy->value(0).toInt() : 0;
        (void)m_conn.exec(QStringLiteral("PRAGMA busy_timeout = 0"));
        Result<QSqlQuery> q = m_conn.exec(QStringLiteral("BEGIN EXCLUSIVE"));
        (void)m_conn.exec(QStringLiteral("PRAGMA busy_timeout = %1").arg(savedBusy));
        if (!q)
            return false;   // "database is locked": someone else holds it
        Result<QSqlQuery> c = m_conn.exec(QStringLiteral("COMMIT"));
        if (!c)
            return c.error();
        return true;
    }
    }
    return false;
}

VoidResult MigrationLock::acquire(int timeoutMs)
{
    if (m_held)
        return {};
    QDeadlineTimer deadline(timeoutMs);
    bool reported = false;
    for (;;) {
        Result<bool> got = tryAcquire();
        if (!got)
            return got.error();
        if (*got) {
            m_held = true;
            return {};
        }
        if (deadline.hasExpired()) {
            return Error(QStringLiteral("Timed out after %1 ms waiting for the migration lock "
                                        "\"%2\" on %3: another migration is running")
                             .arg(timeoutMs).arg(lockName(), m_conn.displayUrl()));
        }
        if (!reported && m_onWait) {
            m_onWait(QStringLiteral("Waiting for the migration lock \"%1\" on %2 ...")
                         .arg(lockName(), m_conn.displayUrl()));
            reported = true;
        }
        QThread::msleep(qMin<qint64>(m_pollMs, qMax<qint64>(1, deadline.remainingTime())));
    }
}

VoidResult MigrationLock::release()
{
    if (!m_held)
        return {};
    m_held = false;
    Result<QSqlQuery> q = Error();
    switch (m_conn.dialect().kind()) {
    case Dialect::PostgreSQL:
        q = m_conn.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(advisoryKey(lockName())));
        break;
    case Dialect::MySQL:
    case Dialect::MariaDB:
        q = m_conn.exec(QStringLiteral("SELECT RELEASE_LOCK(?)"), QVariantList{lockName()});
        break;
    case Dialect::SQLite:
        // The exclusive lock goes with the next access after leaving exclusive mode.
        q = m_conn.exec(QStringLiteral("PRAGMA locking_mode = NORMAL"));
        if (q)
            q = m_conn.exec(QStringLiteral("SELECT count(*) FROM sqlite_master"));
        break;
    }
    if (!q)
        return q.error();
    return {};
}

} // namespace retort
