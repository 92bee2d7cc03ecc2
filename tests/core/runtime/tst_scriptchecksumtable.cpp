// retort_script_checksums (ScriptChecksumTable) on each backend, and the runner writing it
// in each step's transaction: upgrade records, downgrade removes, purge clears, a failed
// step records nothing, a run without recordChecksums leaves it alone.

#include "onlinetestsupport.h"
#include "runtime/migrationrunner.h"
#include "runtime/scriptchecksumtable.h"
#include "runtime/sidetables.h"
#include "runtime/versiontable.h"
#include "runtimetestsupport.h"

#include <QtTest>

using namespace retort;
using namespace retort::test;

namespace {

ScriptChecksumChange recordOf(const QString &rev, const QString &sum)
{
    ScriptChecksumChange c;
    c.record.insert(rev, sum);
    return c;
}

ScriptChecksumChange removeOf(const QString &rev)
{
    ScriptChecksumChange c;
    c.remove << rev;
    return c;
}

QHash<QString, QString> recorded(DatabaseConnection &conn, const QString &versionTable = QStringLiteral("alembic_version"))
{
    VersionTableOptions o;
    o.table = versionTable;
    auto r = ScriptChecksumTable(conn, o).read();
    return r ? *r : QHash<QString, QString>{{QStringLiteral("error"), r.error().message}};
}

const QString kSumA = QString(64, QLatin1Char('a'));
const QString kSumB = QString(64, QLatin1Char('b'));

} // namespace

class TestScriptChecksumTable : public QObject
{
    Q_OBJECT
private slots:
    void tableOperations_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void tableOperations();
    void runnerRecordsWithSteps_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void runnerRecordsWithSteps();
    void failedStepRecordsNothing_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void failedStepRecordsNothing();
    void isSideTable();
};

void TestScriptChecksumTable::tableOperations()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    VersionTableOptions main;
    VersionTableOptions other;
    other.table = QStringLiteral("custom_version");
    ScriptChecksumTable table(*conn, main);
    QVERIFY(!*table.exists());
    QVERIFY(table.read()->isEmpty());   // no table: nothing recorded, no error
    QVERIFY(table.clear().ok());
    QVERIFY(table.ensureExists().ok());
    QVERIFY(table.ensureExists().ok());
    QVERIFY(*table.exists());
    QVERIFY(table.apply(recordOf(R1, kSumA)).ok());
    QVERIFY(table.apply(recordOf(R1, kSumB)).ok());   // re-recorded: replaced
    QVERIFY(ScriptChecksumTable(*conn, other).apply(recordOf(R1, kSumA)).ok());
    QCOMPARE(recorded(*conn), (QHash<QString, QString>{{R1, kSumB}}));
    QCOMPARE(recorded(*conn, other.table), (QHash<QString, QString>{{R1, kSumA}}));
    QVERIFY(table.apply(removeOf(R1)).ok());
    QVERIFY(recorded(*conn).isEmpty());
    QCOMPARE(recorded(*conn, other.table).size(), 1);   // another environment's rows stay
    QVERIFY(table.apply(recordOf(R2, kSumA)).ok());
    QVERIFY(table.clear().ok());
    QVERIFY(recorded(*conn).isEmpty());
    QCOMPARE(recorded(*conn, other.table).size(), 1);
}

void TestScriptChecksumTable::runnerRecordsWithSteps()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    MapBodies bodies;
    MigrationRunOptions opts;
    opts.recordChecksums = true;
    opts.checksums = {recordOf(R1, kSumA), recordOf(R2, kSumB)};
    {
        MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)}), up(R2, {R1}, {upd(R1, R2)})}, opts);
        runner.setBodyProvider(&bodies);
        QVERIFY2(runner.exec(), qPrintable(runner.error().message));
    }
    QCOMPARE(recorded(*conn), (QHash<QString, QString>{{R1, kSumA}, {R2, kSumB}}));
    // Without recordChecksums (offline callers, tests) the table is left as it is.
    {
        MigrationRunner runner(conn.get(), {down(R2, {R1}, {upd(R2, R1)})}, MigrationRunOptions());
        runner.setBodyProvider(&bodies);
        QVERIFY(runner.exec());
    }
    QCOMPARE(recorded(*conn).size(), 2);
    {
        MigrationRunOptions back;
        back.recordChecksums = true;
        back.checksums = {removeOf(R1)};
        MigrationRunner runner(conn.get(), {down(R1, {}, {del(R1)})}, back);
        runner.setBodyProvider(&bodies);
        QVERIFY(runner.exec());
    }
    QCOMPARE(recorded(*conn), (QHash<QString, QString>{{R2, kSumB}}));
    // stamp --purge: the record is cleared before the stamp records its own.
    {
        MigrationRunOptions purge;
        purge.recordChecksums = true;
        purge.purge = true;
        purge.checksums = {recordOf(R1, kSumB)};
        MigrationRunner runner(conn.get(), {stamp({}, {R1}, {ins(R1)})}, purge);
        QVERIFY(runner.exec());
    }
    QCOMPARE(recorded(*conn), (QHash<QString, QString>{{R1, kSumB}}));
}

void TestScriptChecksumTable::failedStepRecordsNothing()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    MapBodies bodies;
    bodies.bodies[R2] = QStringList{QStringLiteral("INSERT INTO no_such_table VALUES (1)")};
    MigrationRunOptions opts;
    opts.recordChecksums = true;
    opts.transactionPerMigration = true;   // R1 commits on every backend
    opts.checksums = {recordOf(R1, kSumA), recordOf(R2, kSumB)};
    MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)}), up(R2, {R1}, {upd(R1, R2)})}, opts);
    runner.setBodyProvider(&bodies);
    QVERIFY(!runner.exec());
    QCOMPARE(recorded(*conn), (QHash<QString, QString>{{R1, kSumA}}));
    auto heads = VersionTable(*conn).currentHeads();
    QCOMPARE(*heads, QStringList{R1});
}

void TestScriptChecksumTable::isSideTable()
{
    QCOMPARE(ScriptChecksumTable::tableName(), QStringLiteral("retort_script_checksums"));
    QVERIFY(SideTables::isSideTable(ScriptChecksumTable::tableName()));
}

QTEST_GUILESS_MAIN(TestScriptChecksumTable)
#include "tst_scriptchecksumtable.moc"
