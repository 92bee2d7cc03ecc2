#pragma once
// Renews a LockLease's row every few seconds from its own thread and connection, so the
// lease outlives statements that run for longer than the lease itself.

#include "config/databaseurl.h"

#include <QAtomicInt>
#include <QMutex>
#include <QString>
#include <QThread>
#include <QWaitCondition>

namespace retort {

class LeaseHeartbeat : public QThread
{
public:
    LeaseHeartbeat(DatabaseUrl url, QString table, QString name, QString holderId, int leaseSeconds);
    ~LeaseHeartbeat() override;

    void stop();
    bool lost() const { return m_lost.loadAcquire() != 0; }

protected:
    void run() override;

private:
    DatabaseUrl m_url;
    QString m_table;
    QString m_name;
    QString m_holderId;
    int m_leaseSeconds;
    QAtomicInt m_lost;
    QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_stop = false;
};

} // namespace retort
