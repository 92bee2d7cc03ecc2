// retort_script_checksums (ScriptChecksumTable) on each backend, and the runner writing it
// in each step's transaction: upgrade records, downgrade removes, purge clears, a failed
// step records nothing, a run without recordChecksums leaves it alone.

#include "onlinetestsupport.h"
#include "runtime/migrationrunner.h"
#include "runtime/scriptchecksumtable.h"
#include "runtime/sidetables.h"
#include "runtime/versiontable.h"
#include "runtimetestsupport.h"

#include <QScopeGuard>
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
    void withVersionUpdate_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void withVersionUpdate();
    void bookkeepingStatementsPerStep_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void bookkeepingStatementsPerStep();
    void bookkeepingAfterStatements_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void bookkeepingAfterStatements();
    void failingLastStatementNamedAlone_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void failingLastStatementNamedAlone();
    void failedVersionUpdateRecordsNothing_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void failedVersionUpdateRecordsNothing();
    void inItsSchema_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void inItsSchema();
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

// PostgreSQL in a transaction: a version UPDATE and its checksum change in one statement,
// with apply()'s effects (a re-recorded revision replaced, another table's rows kept) and
// its one-row check; elsewhere (other databases, no transaction) not taken.
void TestScriptChecksumTable::withVersionUpdate()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    VersionTableOptions main;
    VersionTableOptions other;
    other.table = QStringLiteral("custom_version");
    ScriptChecksumTable table(*conn, main);
    QVERIFY(table.ensureExists().ok());
    QVERIFY(ScriptChecksumTable(*conn, other).apply(recordOf(R2, kSumA)).ok());
    VersionTable versions(*conn);
    QVERIFY(versions.ensureExists().ok());
    QVERIFY(versions.apply(ins(R1)).ok());
    QVERIFY(table.apply(recordOf(R2, kSumA)).ok());   // an earlier record of R2, replaced below

    const bool pg = conn->dialect().kind() == Dialect::PostgreSQL;
    QVERIFY(!versions.applyWithChecksums(upd(R1, R2), table, recordOf(R2, kSumB)));   // no transaction
    QVERIFY(conn->begin().ok());
    int before = conn->statementCount();
    std::optional<VoidResult> r = versions.applyWithChecksums(upd(R1, R2), table, recordOf(R2, kSumB));
    QCOMPARE(bool(r), pg);
    if (!pg) {
        QVERIFY(conn->rollback().ok());
        return;
    }
    QVERIFY2(r->ok(), qPrintable(r->error().message));
    QCOMPARE(conn->statementCount() - before, 1);
    QCOMPARE(*versions.currentHeads(), QStringList{R2});
    QCOMPARE(recorded(*conn), (QHash<QString, QString>{{R2, kSumB}}));
    before = conn->statementCount();
    r = versions.applyWithChecksums(upd(R2, R3), table, removeOf(R2));
    QVERIFY(r && r->ok());
    QCOMPARE(conn->statementCount() - before, 1);
    QCOMPARE(*versions.currentHeads(), QStringList{R3});
    QVERIFY(recorded(*conn).isEmpty());
    QCOMPARE(recorded(*conn, other.table), (QHash<QString, QString>{{R2, kSumA}}));
    // Two changes at once: not this statement's shape.
    ScriptChecksumChange both = recordOf(R4, kSumA);
    both.remove << R3;
    QVERIFY(!versions.applyWithChecksums(upd(R3, R4), table, both));
    QVERIFY(!versions.applyWithChecksums(ins(R4), table, recordOf(R4, kSumA)));
    // No row to update: apply()'s error, word for word.
    r = versions.applyWithChecksums(upd(R4, R5), table, recordOf(R5, kSumA));
    QVERIFY(r && !r->ok());
    QCOMPARE(r->error().message, QStringLiteral("Online migration expected to match one row when "
                                                "updating '4d4d4d4d4d4d' to '5e5e5e5e5e5e' in "
                                                "'alembic_version'; 0 found"));
    QVERIFY(conn->commit().ok());
}

// What a step adds to its own statements for the version table and the checksums: on
// PostgreSQL one statement (one round trip), elsewhere one each as before.
void TestScriptChecksumTable::bookkeepingStatementsPerStep()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    MapBodies bodies;
    MigrationRunOptions opts;
    opts.recordChecksums = true;
    opts.checksums = {recordOf(R1, kSumA), recordOf(R2, kSumB), recordOf(R3, kSumA), recordOf(R4, kSumB)};
    MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)}), up(R2, {R1}, {upd(R1, R2)}), up(R3, {R2}, {upd(R2, R3)}),
                                        up(R4, {R3}, {upd(R3, R4)})}, opts);
    runner.setBodyProvider(&bodies);
    QVector<int> sent;
    QObject::connect(&runner, &MigrationRunner::stepFinished, [&] { sent << conn->statementCount(); });
    QVERIFY2(runner.exec(), qPrintable(runner.error().message));
    QCOMPARE(sent.size(), 4);
    const Dialect::Kind kind = conn->dialect().kind();
    for (int i = 2; i < 4; ++i) {
        const int perStep = sent.at(i) - sent.at(i - 1);
        if (kind == Dialect::PostgreSQL)
            QCOMPARE(perStep, 1);
        else
            QVERIFY2(perStep >= 3, qPrintable(QString::number(perStep)));   // UPDATE, DELETE, INSERT (+ journal)
    }
    QCOMPARE(*VersionTable(*conn).currentHeads(), QStringList{R4});
    QCOMPARE(recorded(*conn), (QHash<QString, QString>{{R1, kSumA}, {R2, kSumB}, {R3, kSumA}, {R4, kSumB}}));
    // And back: one statement a step on PostgreSQL too, the records gone.
    MigrationRunOptions back;
    back.recordChecksums = true;
    back.checksums = {removeOf(R4), removeOf(R3)};
    MigrationRunner down1(conn.get(), {down(R4, {R3}, {upd(R4, R3)}), down(R3, {R2}, {upd(R3, R2)})}, back);
    down1.setBodyProvider(&bodies);
    sent.clear();
    QObject::connect(&down1, &MigrationRunner::stepFinished, [&] { sent << conn->statementCount(); });
    QVERIFY2(down1.exec(), qPrintable(down1.error().message));
    QCOMPARE(sent.size(), 2);
    if (kind == Dialect::PostgreSQL)
        QCOMPARE(sent.at(1) - sent.at(0), 1);
    QCOMPARE(*VersionTable(*conn).currentHeads(), QStringList{R2});
    QCOMPARE(recorded(*conn), (QHash<QString, QString>{{R1, kSumA}, {R2, kSumB}}));
}

// Steps with statements of their own: on PostgreSQL each adds one statement for its
// bookkeeping, also for an id with a quote and a backslash (bound, never SQL).
void TestScriptChecksumTable::bookkeepingAfterStatements()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    MapBodies bodies;
    bodies.bodies[R2] = QStringList{QStringLiteral("CREATE TABLE t_one (id INTEGER)")};
    bodies.bodies[R3] = QStringList{QStringLiteral("INSERT INTO t_one (id) VALUES (1)"),
                                    QStringLiteral("INSERT INTO t_one (id) VALUES (2)")};
    const QString hostile = QStringLiteral("6f'6f\\6f");
    bodies.bodies[hostile] = QStringList{QStringLiteral("CREATE TABLE t_two (id INTEGER)")};
    MigrationRunOptions opts;
    opts.recordChecksums = true;
    opts.checksums = {recordOf(R1, kSumA), recordOf(R2, kSumB), recordOf(R3, kSumA), recordOf(hostile, kSumA)};
    MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)}), up(R2, {R1}, {upd(R1, R2)}), up(R3, {R2}, {upd(R2, R3)}),
                                        up(hostile, {R3}, {upd(R3, hostile)})}, opts);
    runner.setBodyProvider(&bodies);
    QVector<int> sent;
    QObject::connect(&runner, &MigrationRunner::stepFinished, [&] { sent << conn->statementCount(); });
    QVERIFY2(runner.exec(), qPrintable(runner.error().message));
    QCOMPARE(sent.size(), 4);
    if (conn->dialect().kind() == Dialect::PostgreSQL) {
        QCOMPARE(sent.at(1) - sent.at(0), 2);   // CREATE TABLE, bookkeeping
        QCOMPARE(sent.at(2) - sent.at(1), 3);   // two INSERTs, bookkeeping
        QCOMPARE(sent.at(3) - sent.at(2), 2);
    }
    QCOMPARE(*VersionTable(*conn).currentHeads(), QStringList{hostile});
    QCOMPARE(recorded(*conn), (QHash<QString, QString>{{R1, kSumA}, {R2, kSumB}, {R3, kSumA}, {hostile, kSumA}}));
    auto rows = conn->exec(QStringLiteral("SELECT count(*) FROM t_one"));
    QVERIFY(rows && rows->next());
    QCOMPARE(rows->value(0).toInt(), 2);
}

// A step's last statement fails: the error names it alone, and neither the version row
// nor the checksum moves.
void TestScriptChecksumTable::failingLastStatementNamedAlone()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    MapBodies bodies;
    const QString bad = QStringLiteral("INSERT INTO no_such_table (id) VALUES (1)");
    bodies.bodies[R2] = QStringList{QStringLiteral("CREATE TABLE t_one (id INTEGER)"), bad};
    MigrationRunOptions opts;
    opts.recordChecksums = true;
    opts.transactionPerMigration = true;
    opts.checksums = {recordOf(R1, kSumA), recordOf(R2, kSumB)};
    MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)}), up(R2, {R1}, {upd(R1, R2)})}, opts);
    runner.setBodyProvider(&bodies);
    QVERIFY(!runner.exec());
    const QString message = runner.error().message;
    QVERIFY2(message.startsWith(QStringLiteral("Migration %2 (upgrade %1 -> %2) failed: SQL failed: %3\non ")
                                    .arg(R1, R2, bad)),
             qPrintable(message));
    QVERIFY2(!message.contains(QLatin1String("version_moved")) && !message.contains(QLatin1String("retort_script")),
             qPrintable(message));
    QCOMPARE(*VersionTable(*conn).currentHeads(), QStringList{R1});
    QCOMPARE(recorded(*conn), (QHash<QString, QString>{{R1, kSumA}}));
}

// A step whose own statements take the version row away: its UPDATE matches nothing, the
// step fails with Alembic's message and its checksum is not kept (written with the
// UPDATE on PostgreSQL, rolled back with the step's transaction).
void TestScriptChecksumTable::failedVersionUpdateRecordsNothing()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    MapBodies bodies;
    bodies.bodies[R2] = QStringList{QStringLiteral("DELETE FROM alembic_version")};
    for (const bool perMigration : {true, false}) {
        // MySQL has no run-long transaction, and its journal would hold the failed step.
        if (!perMigration && conn->dialect().isMySqlFamily())
            break;
        MigrationRunOptions opts;
        opts.recordChecksums = true;
        opts.transactionPerMigration = perMigration;
        opts.checksums = {recordOf(R1, kSumA), recordOf(R2, kSumB)};
        MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)}), up(R2, {R1}, {upd(R1, R2)})}, opts);
        runner.setBodyProvider(&bodies);
        QVERIFY(!runner.exec());
        QVERIFY2(runner.error().message.contains(QStringLiteral("Online migration expected to match one row when "
                                                                "updating '%1' to '%2' in 'alembic_version'; 0 found")
                                                     .arg(R1, R2)),
                 qPrintable(runner.error().message));
        QVERIFY(!recorded(*conn).contains(R2));
        const bool whole = !perMigration && conn->dialect().transactionalDdl();
        if (whole) {
            QVERIFY(recorded(*conn).isEmpty());   // the run's one transaction
            QVERIFY(VersionTable(*conn).currentHeads()->isEmpty());
        } else {
            QCOMPARE(recorded(*conn), (QHash<QString, QString>{{R1, kSumA}}));
            if (conn->dialect().kind() != Dialect::MySQL && conn->dialect().kind() != Dialect::MariaDB)
                QCOMPARE(*VersionTable(*conn).currentHeads(), QStringList{R1});
        }
        // Start over for the next round.
        (void)conn->exec(QStringLiteral("DELETE FROM alembic_version"));
        (void)ScriptChecksumTable(*conn, VersionTableOptions()).clear();
    }
}

// A version table of another name in another schema: the one-statement bookkeeping names
// both tables there, and the records are that version table's.
void TestScriptChecksumTable::inItsSchema()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    if (backend == QLatin1String("sqlite"))
        QVERIFY(conn->exec(QStringLiteral("ATTACH DATABASE '%1' AS audit").arg(dir.filePath(QStringLiteral("audit.db")))).ok());
    MigrationRunOptions opts;
    opts.versionTable.table = QStringLiteral("custom_version");
    opts.versionTable.schema = QStringLiteral("audit");   // the test servers have an "audit" schema/database
    auto cleanUp = [&] {
        for (const QString &t : {QStringLiteral("custom_version"), ScriptChecksumTable::tableName()})
            (void)conn->exec(QStringLiteral("DROP TABLE IF EXISTS audit.%1").arg(t));
    };
    cleanUp();
    auto dropped = qScopeGuard(cleanUp);
    opts.recordChecksums = true;
    opts.checksums = {recordOf(R1, kSumA), recordOf(R2, kSumB), recordOf(R3, kSumA)};
    MapBodies bodies;
    {
        MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)}), up(R2, {R1}, {upd(R1, R2)}), up(R3, {R2}, {upd(R2, R3)})},
                               opts);
        runner.setBodyProvider(&bodies);
        QVERIFY2(runner.exec(), qPrintable(runner.error().message));
    }
    auto read = ScriptChecksumTable(*conn, opts.versionTable).read();
    QVERIFY2(read.ok(), qPrintable(read.error().message));
    QCOMPARE(*read, (QHash<QString, QString>{{R1, kSumA}, {R2, kSumB}, {R3, kSumA}}));
    QCOMPARE(*VersionTable(*conn, opts.versionTable).currentHeads(), QStringList{R3});
    MigrationRunOptions back = opts;
    back.checksums = {removeOf(R3)};
    {
        MigrationRunner runner(conn.get(), {down(R3, {R2}, {upd(R3, R2)})}, back);
        runner.setBodyProvider(&bodies);
        QVERIFY2(runner.exec(), qPrintable(runner.error().message));
    }
    read = ScriptChecksumTable(*conn, opts.versionTable).read();
    QCOMPARE(*read, (QHash<QString, QString>{{R1, kSumA}, {R2, kSumB}}));
    QCOMPARE(*VersionTable(*conn, opts.versionTable).currentHeads(), QStringList{R2});
}

void TestScriptChecksumTable::isSideTable()
{
    QCOMPARE(ScriptChecksumTable::tableName(), QStringLiteral("retort_script_checksums"));
    QVERIFY(SideTables::isSideTable(ScriptChecksumTable::tableName()));
}

QTEST_GUILESS_MAIN(TestScriptChecksumTable)
#include "tst_scriptchecksumtable.moc"
