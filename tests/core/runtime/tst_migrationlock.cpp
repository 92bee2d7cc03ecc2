// MigrationLock: a second holder waits, is told once who holds it, and times out with a
// clear error; after release it gets the lock. Real errors are not taken for "held". The
// SQLite lock leaves the file writable for other connections (a Python hand-off), and the
// Galera lease row (tested on plain MariaDB: it is ordinary SQL) is taken over only when
// its lease ran out, with a lost lease reported.

#include "onlinetestsupport.h"
#include "runtime/locklease.h"
#include "runtime/migrationlock.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSqlQuery>
#include <QtTest>

using namespace retort;
using namespace retort::test;

class TestMigrationLock : public QObject
{
    Q_OBJECT
private slots:
    void secondHolderTimesOut_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void secondHolderTimesOut();
    void sqliteLockLeavesFileWritable();
    void sqliteRealErrorIsNotAConflict();
    void sqliteMemoryNeedsNoLock();
    void leaseRow();
    void leaseTakeoverAndLoss();
    void keyAndName();
};

void TestMigrationLock::secondHolderTimesOut()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(first, backend, dir);
    std::unique_ptr<DatabaseConnection> second = openBackend(backend, dir, &skipReason_);
    QVERIFY2(second, qPrintable(skipReason_));

    MigrationLock a(*first);
    QVERIFY2(a.acquire(1000).ok(), qPrintable(a.acquire(1000).error().message));
    QVERIFY(a.isHeld());

    MigrationLock b(*second);
    b.setPollIntervalMs(50);
    QStringList waits;
    b.setWaitCallback([&waits](const QString &m) { waits << m; });
    QElapsedTimer t;
    t.start();
    VoidResult r = b.acquire(400);
    QVERIFY(!r.ok());
    QVERIFY(t.elapsed() >= 350);
    const QString &msg = r.error().message;
    QVERIFY2(msg.startsWith(QStringLiteral("Timed out after 0.4 s waiting for the migration lock "
                                           "\"retort:alembic_version\" on ")), qPrintable(msg));
    QVERIFY2(msg.endsWith(QStringLiteral(": another migration is running. Nothing was run.")), qPrintable(msg));
    QCOMPARE(waits.size(), 1);
    QVERIFY2(waits.first().startsWith(QStringLiteral("waiting for the migration lock \"retort:alembic_version\"")),
             qPrintable(waits.first()));
    // The holder is named, as far as each database can tell.
    const QString expectHolder = backend == QLatin1String("sqlite")
        ? QStringLiteral(" held by pid %1").arg(QCoreApplication::applicationPid())
        : backend == QLatin1String("postgresql") ? QStringLiteral(" held by PostgreSQL backend ")
                                                 : QStringLiteral(" held by connection ");
    QVERIFY2(waits.first().contains(expectHolder), qPrintable(waits.first()));

    QVERIFY(a.release().ok());
    QVERIFY(!a.isHeld());
    QVERIFY2(b.acquire(2000).ok(), "lock not free after release");
    QVERIFY(b.release().ok());
}

void TestMigrationLock::sqliteLockLeavesFileWritable()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(holderConn, QStringLiteral("sqlite"), dir);
    QVERIFY(holderConn->exec(QStringLiteral("CREATE TABLE t (x INTEGER)")).ok());
    MigrationLock lock(*holderConn);
    QVERIFY(lock.acquire(1000).ok());
    QCOMPARE(lock.mechanism(), MigrationLock::Mechanism::FileLock);
    // Another connection (as a Python Alembic step would open) still reads and writes.
    std::unique_ptr<DatabaseConnection> other = openBackend(QStringLiteral("sqlite"), dir, &skipReason_);
    QVERIFY(other);
    auto wrote = other->exec(QStringLiteral("INSERT INTO t VALUES (1)"));
    QVERIFY2(wrote.ok(), qPrintable(wrote.error().message));
    // ... and so does the holder's own connection.
    QVERIFY(holderConn->exec(QStringLiteral("INSERT INTO t VALUES (2)")).ok());
    auto count = other->exec(QStringLiteral("SELECT count(*) FROM t"));
    QVERIFY(count.ok() && count->next());
    QCOMPARE(count->value(0).toInt(), 2);
}

void TestMigrationLock::sqliteRealErrorIsNotAConflict()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    QVERIFY(conn->exec(QStringLiteral("CREATE TABLE t (x INTEGER)")).ok());
    // The file disappears under the run: an error at once, not a 5 s wait for a holder.
    QVERIFY(QFile::remove(dir.filePath(QStringLiteral("test.db"))));
    MigrationLock lock(*conn);
    QElapsedTimer t;
    t.start();
    VoidResult r = lock.acquire(5000);
    QVERIFY(!r.ok());
    QVERIFY(t.elapsed() < 4000);
    QVERIFY2(r.error().message.contains(QStringLiteral("No such file or directory")), qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(dir.filePath(QStringLiteral("test.db"))), qPrintable(r.error().message));
}

void TestMigrationLock::sqliteMemoryNeedsNoLock()
{
    auto conn = DatabaseConnection::openUrl(QStringLiteral("sqlite://"));
    QVERIFY(conn.ok());
    MigrationLock lock(**conn);
    QVERIFY(lock.acquire(100).ok());
    QCOMPARE(lock.mechanism(), MigrationLock::Mechanism::None);
}

void TestMigrationLock::leaseRow()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(a, QStringLiteral("mysql"), dir);
    std::unique_ptr<DatabaseConnection> b = openBackend(QStringLiteral("mysql"), dir, &skipReason_);
    QVERIFY(b);
    (void)a->exec(QStringLiteral("DROP TABLE IF EXISTS retort_lock"));
    LockLease first(*a, QString(), QStringLiteral("retort:alembic_version"));
    LockLease second(*b, QString(), QStringLiteral("retort:alembic_version"));
    auto got = first.tryAcquire();
    QVERIFY2(got.ok() && *got, got.ok() ? "not taken" : qPrintable(got.error().message));
    got = second.tryAcquire();
    QVERIFY2(got.ok(), qPrintable(got.error().message));
    QVERIFY(!*got);
    QVERIFY2(second.holder().startsWith(first.holderId() + QStringLiteral(" since ")), qPrintable(second.holder()));
    QVERIFY(first.release().ok());
    got = second.tryAcquire();
    QVERIFY(got.ok() && *got);
    QVERIFY(second.release().ok());
    auto rows = a->exec(QStringLiteral("SELECT count(*) FROM retort_lock"));
    QVERIFY(rows.ok() && rows->next());
    QCOMPARE(rows->value(0).toInt(), 0);
}

void TestMigrationLock::leaseTakeoverAndLoss()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(a, QStringLiteral("mysql"), dir);
    (void)a->exec(QStringLiteral("DROP TABLE IF EXISTS retort_lock"));
    {
        // A holder that died: its row stays with a lease in the past.
        LockLease dead(*a, QString(), QStringLiteral("retort:alembic_version"));
        QVERIFY(dead.tryAcquire().ok());
        QVERIFY(a->exec(QStringLiteral("UPDATE retort_lock SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND, "
                                       "holder = 'crashed run'")).ok());
    }   // its release finds no row of its own
    std::unique_ptr<DatabaseConnection> b = openBackend(QStringLiteral("mysql"), dir, &skipReason_);
    QVERIFY(b);
    LockLease next(*b, QString(), QStringLiteral("retort:alembic_version"), 3);
    QVERIFY2(next.holder().contains(QStringLiteral("(lease expired)")), qPrintable(next.holder()));
    auto got = next.tryAcquire();
    QVERIFY2(got.ok() && *got, "an expired lease is taken over");
    QVERIFY(!next.lost());
    // Someone else takes the row: the heartbeat (every second for a 3 s lease) notices.
    QVERIFY(a->exec(QStringLiteral("UPDATE retort_lock SET holder = 'thief'")).ok());
    QTRY_VERIFY_WITH_TIMEOUT(next.lost(), 5000);
}

void TestMigrationLock::keyAndName()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    VersionTableOptions o;
    o.table = QStringLiteral("v");
    o.schema = QStringLiteral("s");
    QCOMPARE(MigrationLock(*conn, o).lockName(), QStringLiteral("retort:s.v"));
    o.table = QString(80, QLatin1Char('x'));
    QCOMPARE(MigrationLock(*conn, o).lockName().size(), 64);
    QCOMPARE(MigrationLock::advisoryKey(QStringLiteral("retort:alembic_version")),
             MigrationLock::advisoryKey(QStringLiteral("retort:alembic_version")));
    QVERIFY(MigrationLock::advisoryKey(QStringLiteral("retort:a"))
            != MigrationLock::advisoryKey(QStringLiteral("retort:b")));
}

QTEST_GUILESS_MAIN(TestMigrationLock)
#include "tst_migrationlock.moc"
