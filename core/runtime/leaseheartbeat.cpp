#include "leaseheartbeat.h"

#include "databaseconnection.h"

#include <QMutexLocker>
#include <QVariant>

namespace retort {

LeaseHeartbeat::LeaseHeartbeat(DatabaseUrl url, QString table, QString name, QString holderId,
                               int leaseSeconds)
    : m_url(std::move(url)), m_table(std::move(table)), m_name(std::move(name)),
      m_holderId(std::move(holderId)), m_leaseSeconds(leaseSeconds)
{
}

LeaseHeartbeat::~LeaseHeartbeat()
{
    stop();
    wait();
}

void LeaseHeartbeat::stop()
{
    QMutexLocker lock(&m_mutex);
    m_stop = true;
    m_wake.wakeAll();
}

void LeaseHeartbeat::run()
{
    // The connection belongs to this thread (Qt SQL connections are per thread).
    std::unique_ptr<DatabaseConnection> conn;
    const unsigned long periodMs = qMax(1000, m_leaseSeconds * 1000 / 3);
    for (;;) {
        {
            QMutexLocker lock(&m_mutex);
            if (!m_stop)
                m_wake.wait(&m_mutex, periodMs);
            if (m_stop)
                return;
        }
        if (!conn) {
            auto opened = DatabaseConnection::open(m_url);
            if (!opened)
                continue;   // a later beat retries; the lease still has time
            conn = std::move(opened).value();
        }
        auto renewed = conn->exec(
            QStringLiteral("UPDATE %1 SET expires_at = UTC_TIMESTAMP(6) + INTERVAL %2 SECOND "
                           "WHERE name = ? AND holder = ?")
                .arg(m_table)
                .arg(m_leaseSeconds),
            QVariantList{m_name, m_holderId});
        if (!renewed) {
            conn.reset();   // reconnect next time
            continue;
        }
        if (renewed->numRowsAffected() == 0) {
            // CLIENT_FOUND_ROWS: 0 means the row is gone or someone else's now.
            m_lost.storeRelease(1);
            return;
        }
    }
}

} // namespace retort
