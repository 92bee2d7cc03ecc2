// MigrationLock: a second holder waits, is told so once, and times out with a clear
// error; after release it gets the lock. Two connections to the same database each.

#include "onlinetestsupport.h"
#include "runtime/migrationlock.h"
#include "runtime/migrationrunner.h"
#include "runtimetestsupport.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace retort;
using namespace retort::test;

class TestMigrationLock : public QObject
{
    Q_OBJECT
private slots:
    void secondHolderTimesOut_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void secondHolderTimesOut();
    void runnerTakesLock();
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
    QVERIFY2(r.error().message.startsWith(QStringLiteral("Timed out after 400 ms waiting for the "
                                                         "migration lock \"retort:alembic_version\" on ")),
             qPrintable(r.error().message));
    QVERIFY(r.error().message.endsWith(QStringLiteral(": another migration is running")));
    QCOMPARE(waits.size(), 1);
    QVERIFY(waits.first().startsWith(QStringLiteral("Waiting for the migration lock \"retort:alembic_version\"")));

    QVERIFY(a.release().ok());
    QVERIFY(!a.isHeld());
    QVERIFY2(b.acquire(2000).ok(), "lock not free after release");
    QVERIFY(b.release().ok());
}

void TestMigrationLock::runnerTakesLock()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(first, QStringLiteral("sqlite"), dir);
    std::unique_ptr<DatabaseConnection> second = openBackend(QStringLiteral("sqlite"), dir, &skipReason_);
    QVERIFY(second);
    MigrationLock holder(*second);
    QVERIFY(holder.acquire(1000).ok());

    MigrationRunOptions opts;
    opts.takeLock = true;
    opts.lockTimeoutMs = 300;
    MigrationRunner blocked(first.get(), upgradeAll(), opts);
    QStringList log;
    connect(&blocked, &MigrationRunner::log, [&log](const QString &l) { log << l; });
    QVERIFY(!blocked.exec());
    QVERIFY(blocked.error().message.startsWith(QStringLiteral("Timed out after 300 ms")));
    QCOMPARE(log.size(), 1);   // the wait message only: nothing ran

    QVERIFY(holder.release().ok());
    MigrationRunner runner(first.get(), upgradeAll(), opts);
    QVERIFY2(runner.exec(), qPrintable(runner.error().message));
    QCOMPARE(runner.completedSteps(), 5);
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
