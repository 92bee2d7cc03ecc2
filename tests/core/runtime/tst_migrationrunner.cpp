// MigrationRunner online (SQLite; PostgreSQL / MariaDB with RETORT_TEST_*_URL) and
// offline. Log lines are compared with what `alembic` printed for the same runs
// (tests/fixtures/runtime/expected/online-<backend>/).

#include "onlinetestsupport.h"
#include "runtime/confirmationdelegate.h"
#include "runtime/migrationrunner.h"
#include "runtime/scriptchecksumtable.h"
#include "runtime/stepbodyprovider.h"
#include "runtime/versiontable.h"
#include "runtimetestsupport.h"

#include <QSignalSpy>
#include <QtTest>

using namespace retort;
using namespace retort::test;

namespace {

class Refuse : public ConfirmationDelegate
{
public:
    QString question;
    QStringList details;
    bool confirm(const QString &q, const QStringList &d) override
    {
        question = q;
        details = d;
        return false;
    }
};

// The MySQL logs were captured with a mysql:// URL; a mariadb:// test URL differs only
// in the impl Alembic names (MariaDBImpl).
QString expectedLog(const QString &backend, const QString &name, const DatabaseConnection &conn)
{
    QString log = QString::fromUtf8(readFixture(QStringLiteral("expected/online-%1/%2.log").arg(backend, name)));
    if (conn.dialect().kind() == Dialect::MariaDB)
        log.replace(QStringLiteral("Context impl MySQLImpl."), QStringLiteral("Context impl MariaDBImpl."));
    return log;
}

struct Recorder
{
    QStringList log;
    explicit Recorder(MigrationRunner &r)
    {
        QObject::connect(&r, &MigrationRunner::log, [this](const QString &l) { log << l; });
    }
    QString text() const { return log.join(QLatin1Char('\n')) + QLatin1Char('\n'); }
};

QStringList heads(DatabaseConnection &conn, const VersionTableOptions &o = {})
{
    Result<QStringList> h = VersionTable(conn, o).currentHeads();
    return h.ok() ? *h : QStringList{QStringLiteral("<error: %1>").arg(h.error().message)};
}

bool tableExists(DatabaseConnection &conn, const QString &name)
{
    VersionTableOptions o;
    o.table = name;
    return *VersionTable(conn, o).exists();
}

} // namespace

class TestMigrationRunner : public QObject
{
    Q_OBJECT
private slots:
    void upgradeThenDowngrade_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void upgradeThenDowngrade();
    void stampAndPurge_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void stampAndPurge();
    void failureKeepsLastCompleted_data();
    void failureKeepsLastCompleted();
    void cancelBetweenSteps();
    void bodiesRenderedAsTheyRun();
    void refusedConfirmationTouchesNothing();
    void startRunsFromEventLoop();
    void offlineRun();
    void carriedChecksumsCommitWithFirstStep_data();
    void carriedChecksumsCommitWithFirstStep();
};

void TestMigrationRunner::upgradeThenDowngrade()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    MapBodies bodies;
    bodies.bodies[R1] = QStringList{QStringLiteral("CREATE TABLE t_one (id INTEGER)")};
    bodies.bodies[R1 + QStringLiteral(":down")] = QStringList{QStringLiteral("DROP TABLE t_one")};
    MigrationRunner up(conn.get(), upgradeAll());
    up.setBodyProvider(&bodies);
    Recorder rec(up);
    QSignalSpy started(&up, &MigrationRunner::stepStarted);
    QSignalSpy finishedStep(&up, &MigrationRunner::stepFinished);
    QSignalSpy executed(&up, &MigrationRunner::statementExecuted);
    QSignalSpy finished(&up, &MigrationRunner::finished);
    QVERIFY2(up.exec(), qPrintable(up.error().toString()));
    QCOMPARE(rec.text(), expectedLog(backend, QStringLiteral("up_heads"), *conn));
    QCOMPARE(heads(*conn), QStringList{R5});
    QCOMPARE(started.size(), 5);
    QCOMPARE(started.at(4).at(0).toInt(), 4);
    QCOMPARE(started.at(4).at(1).toInt(), 5);
    QCOMPARE(started.at(4).at(2).toString(), QStringLiteral("upgrade 3c3c3c3c3c3c, 4d4d4d4d4d4d -> 5e5e5e5e5e5e"));
    QCOMPARE(finishedStep.size(), 5);
    QCOMPARE(executed.size(), 1);
    QCOMPARE(executed.at(0).at(0).toString(), QStringLiteral("CREATE TABLE t_one (id INTEGER)"));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(tableExists(*conn, QStringLiteral("t_one")));

    MigrationRunner downRunner(conn.get(), downgradeAll());
    downRunner.setBodyProvider(&bodies);
    Recorder downLog(downRunner);
    QVERIFY2(downRunner.exec(), qPrintable(downRunner.error().toString()));
    QCOMPARE(downLog.text(), expectedLog(backend, QStringLiteral("down_all"), *conn));
    QCOMPARE(heads(*conn), QStringList());
    QVERIFY(!tableExists(*conn, QStringLiteral("t_one")));
    // Online, Alembic leaves the emptied version table in place.
    QVERIFY(tableExists(*conn, QStringLiteral("alembic_version")));
}

void TestMigrationRunner::stampAndPurge()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    MigrationRunner stamp2(conn.get(), {stamp({}, {R2}, {ins(R2)})});
    Recorder rec(stamp2);
    QVERIFY(stamp2.exec());
    QCOMPARE(rec.text(), expectedLog(backend, QStringLiteral("stamp_2b"), *conn));
    QCOMPARE(heads(*conn), QStringList{R2});

    MigrationRunOptions purge;
    purge.purge = true;
    MigrationRunner stamp1(conn.get(), {stamp({}, {R1}, {ins(R1)})}, purge);
    Recorder rec1(stamp1);
    QVERIFY(stamp1.exec());
    QCOMPARE(rec1.text(), expectedLog(backend, QStringLiteral("stamp_purge"), *conn));
    QCOMPARE(heads(*conn), QStringList{R1});
}

void TestMigrationRunner::failureKeepsLastCompleted_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<bool>("perMigration");
    QTest::addRow("sqlite") << "sqlite" << false;
    QTest::addRow("postgresql") << "postgresql" << false;
    QTest::addRow("postgresql/transaction_per_migration") << "postgresql" << true;
    QTest::addRow("mysql") << "mysql" << false;
}

void TestMigrationRunner::failureKeepsLastCompleted()
{
    QFETCH(QString, backend);
    QFETCH(bool, perMigration);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    MapBodies bodies;
    bodies.bodies[R3] = QStringList{QStringLiteral("CREATE TABLE t_two (id INTEGER)"),
                                    QStringLiteral("INSERT INTO no_such_table VALUES (1)")};
    MigrationRunOptions opts;
    opts.transactionPerMigration = perMigration;
    MigrationRunner runner(conn.get(), upgradeAll(), opts);
    runner.setBodyProvider(&bodies);
    QSignalSpy finished(&runner, &MigrationRunner::finished);
    QVERIFY(!runner.exec());
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    const Error &e = runner.error();
    QVERIFY2(e.message.startsWith(QStringLiteral("Migration 3c3c3c3c3c3c (upgrade 2b2b2b2b2b2b -> "
                                                 "3c3c3c3c3c3c) failed: ")), qPrintable(e.message));
    QVERIFY2(e.message.contains(QStringLiteral("no_such_table")), qPrintable(e.message));
    QCOMPARE(e.file, QStringLiteral("/proj/versions/3c3c3c3c3c3c.py"));
    QCOMPARE(runner.completedSteps(), 3);

    const bool wholeRun = backend == QLatin1String("postgresql") && !perMigration;
    // PostgreSQL without transaction_per_migration rolls back the whole run, version
    // table included; elsewhere the steps before the failure stay committed.
    QCOMPARE(heads(*conn), wholeRun ? QStringList() : QStringList{R4});
    QCOMPARE(tableExists(*conn, QStringLiteral("alembic_version")), !wholeRun);
    // MySQL commits DDL implicitly: the failed step's CREATE TABLE survives there only.
    QCOMPARE(tableExists(*conn, QStringLiteral("t_two")), backend == QLatin1String("mysql"));
}

// A provider whose later SQL depends on what the step's earlier statements did (batch mode
// reflecting a table renamed just before) defers it: the item renders when the runner
// reaches it, online, in the step's transaction.
class IncrementalBodies : public MapBodies
{
public:
    QStringList seenTables;
    DatabaseConnection *conn = nullptr;
    Result<StepBody> body(const MigrationStep &step, const Dialect &) override
    {
        if (step.revision != R1)
            return StepBody();
        StepBody b = StepBody::fromStatements({QStringLiteral("CREATE TABLE block (id INTEGER)"),
                                               QStringLiteral("ALTER TABLE block RENAME TO block_document")});
        StepItem later;
        later.kind = StepItem::Deferred;
        later.render = [this]() -> Result<QStringList> {
            auto q = conn->exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
            while (q && q->next())
                seenTables << q->value(0).toString();
            return QStringList{QStringLiteral("INSERT INTO block_document (id) VALUES (1)")};
        };
        b.items.append(later);
        return b;
    }
};

void TestMigrationRunner::bodiesRenderedAsTheyRun()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    IncrementalBodies bodies;
    bodies.conn = conn.get();
    MigrationRunner runner(conn.get(), upgradeAll().mid(0, 2));
    runner.setBodyProvider(&bodies);
    QSignalSpy executed(&runner, &MigrationRunner::statementExecuted);
    QVERIFY2(runner.exec(), qPrintable(runner.error().message));
    QCOMPARE(executed.size(), 3);
    QVERIFY2(bodies.seenTables.contains(QStringLiteral("block_document")), qPrintable(bodies.seenTables.join(',')));
    QVERIFY(!bodies.seenTables.contains(QStringLiteral("block")));
    QCOMPARE(heads(*conn), QStringList{R2});
}

void TestMigrationRunner::cancelBetweenSteps()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    MigrationRunner runner(conn.get(), upgradeAll());
    connect(&runner, &MigrationRunner::stepFinished, &runner, [&runner](int i) {
        if (i == 1)
            runner.cancel();
    });
    QSignalSpy started(&runner, &MigrationRunner::stepStarted);
    QVERIFY(!runner.exec());
    QVERIFY(runner.wasCancelled());
    QCOMPARE(runner.error().message, QStringLiteral("Cancelled after 2 of 5 migration step(s)"));
    QCOMPARE(started.size(), 2);
    QCOMPARE(heads(*conn), QStringList{R2});
}

void TestMigrationRunner::refusedConfirmationTouchesNothing()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    Refuse refuse;
    MigrationRunner runner(conn.get(), upgradeAll().mid(0, 2));
    runner.setConfirmationDelegate(&refuse);
    QVERIFY(!runner.exec());
    QCOMPARE(runner.error().message, QStringLiteral("Cancelled by user"));
    QVERIFY(refuse.question.startsWith(QStringLiteral("Run 2 migration step(s) against sqlite:///")));
    QCOMPARE(refuse.details, QStringList({QStringLiteral("upgrade  -> 1a1a1a1a1a1a"),
                                          QStringLiteral("upgrade 1a1a1a1a1a1a -> 2b2b2b2b2b2b")}));
    QVERIFY(!tableExists(*conn, QStringLiteral("alembic_version")));
}

void TestMigrationRunner::startRunsFromEventLoop()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    MigrationRunner runner(conn.get(), upgradeAll().mid(0, 1));
    QSignalSpy finished(&runner, &MigrationRunner::finished);
    runner.start();
    QCOMPARE(finished.size(), 0);   // nothing happens before the event loop runs
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(heads(*conn), QStringList{R1});
}

void TestMigrationRunner::offlineRun()
{
    MapBodies bodies;
    MigrationRunOptions opts;
    opts.offline = true;
    MigrationRunner runner(nullptr, upgradeAll(), opts);
    runner.setOfflineDialect(Dialect(Dialect::PostgreSQL));
    runner.setBodyProvider(&bodies);
    Recorder rec(runner);
    QVERIFY(runner.exec());
    QCOMPARE(runner.offlineSql(), QString::fromUtf8(readFixture(QStringLiteral("expected/postgresql/up_heads.sql"))));
    QCOMPARE(rec.text(), QString::fromUtf8(readFixture(QStringLiteral("expected/postgresql/up_heads.log"))));
}

QTEST_GUILESS_MAIN(TestMigrationRunner)
// Checksums of steps Alembic ran just before the runner are written in its first step's
// transaction (no commit of their own): committed with that step, rolled back with it.
void TestMigrationRunner::carriedChecksumsCommitWithFirstStep_data()
{
    QTest::addColumn<bool>("firstStepFails");
    QTest::addRow("first step commits") << false;
    QTest::addRow("first step fails") << true;
}

void TestMigrationRunner::carriedChecksumsCommitWithFirstStep()
{
    QFETCH(bool, firstStepFails);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    MapBodies bodies;
    if (firstStepFails)
        bodies.bodies[R1] = QStringList{QStringLiteral("INSERT INTO no_such_table VALUES (1)")};
    MigrationRunOptions opts;
    opts.recordChecksums = true;
    ScriptChecksumChange carried;
    carried.record.insert(QStringLiteral("c0ffee000000"), QStringLiteral("sum-of-c0ffee"));
    opts.carriedChecksums = {carried};
    MigrationRunner runner(conn.get(), upgradeAll(), opts);
    runner.setBodyProvider(&bodies);
    QCOMPARE(runner.exec(), !firstStepFails);
    ScriptChecksumTable table(*conn, VersionTableOptions());
    auto rows = table.read();
    QVERIFY2(rows.ok(), rows.ok() ? "" : qPrintable(rows.error().message));
    QCOMPARE(rows->value(QStringLiteral("c0ffee000000")), firstStepFails ? QString() : QStringLiteral("sum-of-c0ffee"));
}

#include "tst_migrationrunner.moc"
