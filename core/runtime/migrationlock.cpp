#include "migrationlock.h"

#include "databaseconnection.h"
#include "filelock.h"
#include "locklease.h"

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

QString MigrationLock::where() const
{
    return QStringLiteral("\"%1\" on %2").arg(lockName(), m_conn.displayUrl());
}

Result<MigrationLock::Mechanism> MigrationLock::chooseMechanism()
{
    switch (m_conn.dialect().kind()) {
    case Dialect::PostgreSQL:
        return Mechanism::AdvisoryLock;
    case Dialect::MySQL:
    case Dialect::MariaDB: {
        // Oracle MySQL has no such variable: no rows, plain GET_LOCK.
        auto q = m_conn.exec(QStringLiteral("SHOW VARIABLES LIKE 'wsrep_on'"));
        if (!q)
            return q.error();
        if (!(q->next() && q->value(1).toString().compare(QLatin1String("ON"), Qt::CaseInsensitive) == 0))
            return Mechanism::GetLock;
        // Causal reads: after taking the lock, this node must see what the previous
        // holder committed on another node before the version table is read.
        auto sync = m_conn.exec(QStringLiteral("SET SESSION wsrep_sync_wait = 1"));
        if (!sync)
            return sync.error();
        m_lease = std::make_unique<LockLease>(m_conn, m_versionTable.schema, lockName());
        return Mechanism::LeaseRow;
    }
    case Dialect::SQLite: {
        const QString path = m_conn.url().sqliteFilePath();
        // An in-memory database is private to this connection: nothing to keep apart.
        if (path.isEmpty() || path == QLatin1String(":memory:") || path.startsWith(QLatin1String("file::memory:")))
            return Mechanism::None;
        m_file = std::make_unique<FileLock>(path);
        return Mechanism::FileLock;
    }
    }
    return Mechanism::None;
}

Result<bool> MigrationLock::tryAcquire()
{
    if (!m_chosen) {
        auto mechanism = chooseMechanism();
        if (!mechanism)
            return mechanism.error();
        m_mechanism = *mechanism;
        m_chosen = true;
    }
    switch (m_mechanism) {
    case Mechanism::None:
        return true;
    case Mechanism::AdvisoryLock: {
        auto q = m_conn.exec(QStringLiteral("SELECT pg_try_advisory_lock(%1)").arg(advisoryKey(lockName())));
        if (!q)
            return q.error();
        if (!q->next())
            return Error(QStringLiteral("pg_try_advisory_lock returned no row"));
        return q->value(0).toBool();
    }
    case Mechanism::GetLock: {
        auto q = m_conn.exec(QStringLiteral("SELECT GET_LOCK(?, 0)"), QVariantList{lockName()});
        if (!q)
            return q.error();
        // 1 taken, 0 held elsewhere, NULL an error (killed, out of memory).
        if (!q->next() || q->value(0).isNull())
            return Error(QStringLiteral("GET_LOCK(%1) failed on %2").arg(lockName(), m_conn.displayUrl()));
        return q->value(0).toInt() == 1;
    }
    case Mechanism::LeaseRow:
        return m_lease->tryAcquire();
    case Mechanism::FileLock:
        return m_file->tryLock();
    }
    return false;
}

// Who holds it, as far as the database tells; empty when unknown.
QString MigrationLock::holder()
{
    switch (m_mechanism) {
    case Mechanism::None:
        return {};
    case Mechanism::AdvisoryLock: {
        const quint64 key = static_cast<quint64>(advisoryKey(lockName()));
        auto q = m_conn.exec(QStringLiteral(
            "SELECT a.pid, a.application_name, a.client_addr, a.backend_start FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
            "AND l.classid = %1 AND l.objid = %2 AND l.objsubid = 1")
                                 .arg(key >> 32).arg(key & 0xffffffffULL));
        if (!q || !q->next())
            return {};
        QString text = QStringLiteral("PostgreSQL backend %1").arg(q->value(0).toString());
        QStringList details;
        if (!q->value(1).toString().isEmpty())
            details << QStringLiteral("application \"%1\"").arg(q->value(1).toString());
        if (!q->value(2).toString().isEmpty())
            details << QStringLiteral("from %1").arg(q->value(2).toString());
        if (!details.isEmpty())
            text += QStringLiteral(" (%1)").arg(details.join(QStringLiteral(", ")));
        return text;
    }
    case Mechanism::GetLock: {
        auto q = m_conn.exec(QStringLiteral("SELECT p.ID, p.USER, p.HOST FROM information_schema.PROCESSLIST p "
                                            "WHERE p.ID = IS_USED_LOCK(?)"),
                             QVariantList{lockName()});
        if (!q || !q->next())
            return {};
        return QStringLiteral("connection %1 (%2@%3)")
            .arg(q->value(0).toString(), q->value(1).toString(), q->value(2).toString());
    }
    case Mechanism::LeaseRow:
        return m_lease->holder();
    case Mechanism::FileLock:
        return m_file->holder();
    }
    return {};
}

VoidResult MigrationLock::acquire(int timeoutMs)
{
    if (m_held)
        return {};
    QDeadlineTimer deadline(timeoutMs < 0 ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(timeoutMs));
    bool reported = false;
    QString heldBy;
    for (;;) {
        Result<bool> got = tryAcquire();
        if (!got)
            return got.error();
        if (*got) {
            m_held = true;
            return {};
        }
        if (!reported || heldBy.isEmpty())
            heldBy = holder();
        const QString by = heldBy.isEmpty() ? QStringLiteral("another run") : heldBy;
        if (m_cancelled && m_cancelled())
            return Error(QStringLiteral("Cancelled while waiting for the migration lock %1, held by %2. "
                                        "Nothing was run.").arg(where(), by));
        if (deadline.hasExpired()) {
            return Error(QStringLiteral("Timed out after %1 s waiting for the migration lock %2, held by %3: "
                                        "another migration is running. Nothing was run.")
                             .arg(QString::number(timeoutMs / 1000.0), where(), by));
        }
        if (!reported && m_onWait) {
            m_onWait(QStringLiteral("waiting for the migration lock %1 held by %2%3")
                         .arg(where(), by,
                              timeoutMs < 0 ? QString()
                                            : QStringLiteral(" (up to %1 s)").arg(QString::number(timeoutMs / 1000.0))));
            reported = true;
        }
        QThread::msleep(qMin<qint64>(m_pollMs, qMax<qint64>(1, deadline.remainingTime())));
    }
}

VoidResult MigrationLock::checkHeld() const
{
    if (m_held && m_lease && m_lease->lost())
        return Error(QStringLiteral("Lost the migration lock %1: its lease was taken over by another run "
                                    "(was this run stalled for longer than the lease?). Stopped here.")
                         .arg(where()));
    return {};
}

VoidResult MigrationLock::release()
{
    if (!m_held)
        return {};
    m_held = false;
    switch (m_mechanism) {
    case Mechanism::None:
        return {};
    case Mechanism::AdvisoryLock: {
        auto q = m_conn.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(advisoryKey(lockName())));
        if (!q)
            return q.error();
        return {};
    }
    case Mechanism::GetLock: {
        auto q = m_conn.exec(QStringLiteral("SELECT RELEASE_LOCK(?)"), QVariantList{lockName()});
        if (!q)
            return q.error();
        return {};
    }
    case Mechanism::LeaseRow:
        return m_lease->release();
    case Mechanism::FileLock:
        m_file->release();
        return {};
    }
    return {};
}

} // namespace retort
