#include "locklease.h"

#include "databaseconnection.h"
#include "leaseheartbeat.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSysInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace retort {

namespace {

// ER_DUP_ENTRY, ER_LOCK_DEADLOCK (Galera's certification failure), ER_LOCK_WAIT_TIMEOUT.
bool isConflict(const QSqlError &e)
{
    const QString code = e.nativeErrorCode();
    return code == QLatin1String("1062") || code == QLatin1String("1213")
        || code == QLatin1String("1205");
}

} // namespace

LockLease::LockLease(DatabaseConnection &connection, QString schema, QString name, int leaseSeconds)
    : m_conn(connection), m_schema(std::move(schema)), m_name(std::move(name)),
      m_leaseSeconds(leaseSeconds)
{
    // Unique per run, readable in the waiting message of the other run.
    m_holderId = QStringLiteral("retort pid %1 on %2 [%3]")
                     .arg(QCoreApplication::applicationPid())
                     .arg(QSysInfo::machineHostName(),
                          QUuid::createUuid().toString(QUuid::WithoutBraces).left(8));
}

LockLease::~LockLease()
{
    if (m_held)
        (void)release();
}

QString LockLease::table() const
{
    return m_conn.dialect().qualifiedName(m_schema, tableName());
}

VoidResult LockLease::ensureTable()
{
    if (m_tableReady)
        return {};
    auto created = m_conn.exec(QStringLiteral(
        "CREATE TABLE IF NOT EXISTS %1 (name VARCHAR(64) NOT NULL PRIMARY KEY, "
        "holder VARCHAR(255) NOT NULL, acquired_at DATETIME(6) NOT NULL, "
        "expires_at DATETIME(6) NOT NULL)").arg(table()));
    if (!created)
        return created.error();
    m_tableReady = true;
    return {};
}

Result<bool> LockLease::tryAcquire()
{
    if (m_held)
        return true;
    VoidResult ready = ensureTable();
    if (!ready)
        return ready.error();
    QSqlQuery q(m_conn.database());
    q.prepare(QStringLiteral("INSERT INTO %1 (name, holder, acquired_at, expires_at) VALUES "
                             "(?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL %2 SECOND)")
                  .arg(table())
                  .arg(m_leaseSeconds));
    q.addBindValue(m_name);
    q.addBindValue(m_holderId);
    bool got = q.exec();
    if (!got) {
        if (!isConflict(q.lastError()))
            return m_conn.driverError(QStringLiteral("Cannot take the migration lock"), q.lastError());
        // Held: take it over only when its lease ran out (the holder died). The holder
        // condition makes two runs taking over at once race like two inserts.
        QSqlQuery take(m_conn.database());
        take.prepare(QStringLiteral("UPDATE %1 SET holder = ?, acquired_at = UTC_TIMESTAMP(6), "
                                    "expires_at = UTC_TIMESTAMP(6) + INTERVAL %2 SECOND "
                                    "WHERE name = ? AND expires_at < UTC_TIMESTAMP(6)")
                         .arg(table())
                         .arg(m_leaseSeconds));
        take.addBindValue(m_holderId);
        take.addBindValue(m_name);
        if (!take.exec()) {
            if (isConflict(take.lastError()))
                return false;
            return m_conn.driverError(QStringLiteral("Cannot take over an expired migration lock"),
                                      take.lastError());
        }
        got = take.numRowsAffected() == 1;
        if (!got)
            return false;
    }
    m_held = true;
    m_heartbeat = std::make_unique<LeaseHeartbeat>(m_conn.url(), table(), m_name, m_holderId,
                                                   m_leaseSeconds);
    m_heartbeat->start();
    return true;
}

VoidResult LockLease::release()
{
    if (!m_held)
        return {};
    m_held = false;
    m_heartbeat.reset();   // stops and joins before the row goes
    auto deleted = m_conn.exec(QStringLiteral("DELETE FROM %1 WHERE name = ? AND holder = ?").arg(table()),
                               QVariantList{m_name, m_holderId});
    if (!deleted)
        return deleted.error();
    return {};
}

bool LockLease::lost() const
{
    return m_heartbeat && m_heartbeat->lost();
}

QString LockLease::holder()
{
    auto q = m_conn.exec(QStringLiteral("SELECT holder, acquired_at, expires_at < UTC_TIMESTAMP(6) "
                                        "FROM %1 WHERE name = ?").arg(table()),
                         QVariantList{m_name});
    if (!q || !q->next())
        return {};
    QString text = QStringLiteral("%1 since %2 UTC")
                       .arg(q->value(0).toString(),
                            q->value(1).toDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    if (q->value(2).toBool())
        text += QStringLiteral(" (lease expired)");
    return text;
}

} // namespace retort
