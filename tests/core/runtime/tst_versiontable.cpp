// VersionTable against live databases: SQLite always, PostgreSQL / MariaDB when
// RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set. Error texts are Alembic's
// (HeadMaintainer._update_version / _delete_version).

#include "onlinetestsupport.h"
#include "runtime/versiontable.h"
#include "runtimetestsupport.h"

#include <QtTest>

using namespace retort;
using namespace retort::test;

class TestVersionTable : public QObject
{
    Q_OBJECT
private slots:
    void missingTableHasNoHeads_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void missingTableHasNoHeads();
    void createAndApply_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void createAndApply();
    void rowCountChecks_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void rowCountChecks();
    void repeatedUpdatesAndDriverErrors_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void repeatedUpdatesAndDriverErrors();
    void updatePreparedOncePerTransaction_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void updatePreparedOncePerTransaction();
    void purge_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void purge();
    void customTableAndSchema_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void customTableAndSchema();
    void readsTableWrittenByAlembic();
    void hostileIdsAreData_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void hostileIdsAreData();
};

void TestVersionTable::missingTableHasNoHeads()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    VersionTable table(*conn);
    const Result<bool> exists = table.exists();
    QVERIFY2(exists.ok(), qPrintable(exists.error().message));
    QVERIFY(!*exists);
    const Result<QStringList> heads = table.currentHeads();
    QVERIFY(heads.ok());
    QVERIFY(heads->isEmpty());
}

void TestVersionTable::createAndApply()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    VersionTable table(*conn);
    QVERIFY(table.ensureExists().ok());
    QVERIFY(table.ensureExists().ok());   // checkfirst: a second call is a no-op
    QVERIFY(*table.exists());
    if (backend == QLatin1String("sqlite")) {
        // SQLite keeps the statement: it must be SQLAlchemy's, as when Alembic creates it.
        auto sql = conn->exec(QStringLiteral("SELECT sql FROM sqlite_master WHERE name = 'alembic_version'"));
        QVERIFY(sql && sql->next());
        QCOMPARE(sql->value(0).toString(),
                 QStringLiteral("CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n"
                                "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)"));
    }
    QVERIFY(table.apply(ins(R1)).ok());
    QVERIFY(table.apply(upd(R1, R2)).ok());
    QVERIFY(table.apply(ins(R3)).ok());
    QStringList heads = *table.currentHeads();
    heads.sort();
    QCOMPARE(heads, QStringList({R2, R3}));
    QVERIFY(table.apply(del(R3)).ok());
    QCOMPARE(*table.currentHeads(), QStringList{R2});
}

void TestVersionTable::rowCountChecks()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    VersionTable table(*conn);
    QVERIFY(table.ensureExists().ok());
    QVERIFY(table.apply(ins(R1)).ok());

    VoidResult r = table.apply(upd(R4, R5));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message, QStringLiteral("Online migration expected to match one row when "
                                               "updating '4d4d4d4d4d4d' to '5e5e5e5e5e5e' in "
                                               "'alembic_version'; 0 found"));
    r = table.apply(del(R3));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message, QStringLiteral("Online migration expected to match one row when "
                                               "deleting '3c3c3c3c3c3c' in 'alembic_version'; 0 found"));
    // An UPDATE to the same value still matches one row (MySQL counts found rows).
    QVERIFY(table.apply(upd(R1, R1)).ok());
    // The primary key refuses a duplicate; the driver's text comes back.
    r = table.apply(ins(R1));
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.contains(QStringLiteral("INSERT INTO alembic_version")));
}

// SQLite re-binds one prepared UPDATE across steps: later updates still land, and a
// failing one reports the statement with its values written out, as before.
void TestVersionTable::repeatedUpdatesAndDriverErrors()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    VersionTable table(*conn);
    QVERIFY(table.ensureExists().ok());
    QVERIFY(conn->begin().ok());
    QVERIFY(table.apply(ins(R1)).ok());
    QVERIFY(table.apply(ins(R3)).ok());
    QVERIFY(table.apply(upd(R1, R2)).ok());
    QVERIFY(table.apply(upd(R2, R4)).ok());
    // R3 is already a row: the primary key refuses it and nothing changes.
    VoidResult r = table.apply(upd(R4, R3));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(
                 QStringLiteral("UPDATE alembic_version SET version_num='%1' WHERE "
                                "alembic_version.version_num = '%2'").arg(R3, R4)),
             qPrintable(r.error().message));
    if (conn->dialect().kind() == Dialect::PostgreSQL) {
        // The failed statement aborted the transaction: only ROLLBACK is left (and the
        // prepared UPDATE goes with it, the next transaction prepares it afresh).
        QVERIFY(conn->rollback().ok());
        QVERIFY(table.currentHeads()->isEmpty());
        QVERIFY(conn->begin().ok());
        QVERIFY(table.apply(ins(R3)).ok());
        QVERIFY(table.apply(ins(R4)).ok());
        QVERIFY(conn->commit().ok());
    }
    QVERIFY(table.apply(upd(R4, R5)).ok());
    QStringList heads = *table.currentHeads();
    heads.sort();
    QCOMPARE(heads, QStringList({R3, R5}));
}

// PostgreSQL: the per-step UPDATE is prepared once per transaction and re-bound (one round
// trip a step instead of PREPARE, EXECUTE and DEALLOCATE), even across a failing one.
void TestVersionTable::updatePreparedOncePerTransaction()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    VersionTable table(*conn);
    QVERIFY(table.ensureExists().ok());
    QVERIFY(conn->begin().ok());
    QVERIFY(table.apply(ins(R1)).ok());
    QVERIFY(table.apply(ins(R3)).ok());
    QVERIFY(table.apply(upd(R1, R2)).ok());
    QVERIFY(!table.apply(upd(R1, R3)).ok());   // no row R1 any more: refused, not a driver error
    QVERIFY(table.apply(upd(R2, R4)).ok());
    QVERIFY(table.apply(upd(R4, R5)).ok());
    QStringList heads = *table.currentHeads();
    heads.sort();
    QCOMPARE(heads, QStringList({R3, R5}));
    auto prepared = [&conn]() {
        auto q = conn->exec(QStringLiteral("SELECT count(*) FROM pg_prepared_statements "
                                           "WHERE statement LIKE '%UPDATE alembic_version SET%'"));
        return q && q->next() ? q->value(0).toInt() : -1;
    };
    const bool pg = conn->dialect().kind() == Dialect::PostgreSQL;
    if (pg)
        QCOMPARE(prepared(), 1);
    QVERIFY(conn->commit().ok());
    // Gone with its transaction: a pooler's next transaction may be another session.
    if (pg)
        QCOMPARE(prepared(), 0);
    QCOMPARE(table.currentHeads()->size(), 2);
}

void TestVersionTable::purge()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    VersionTable table(*conn);
    QVERIFY(table.purge().ok());          // creates the table when missing
    QVERIFY(*table.exists());
    QVERIFY(table.apply(ins(R3)).ok());
    QVERIFY(table.apply(ins(R4)).ok());
    QVERIFY(table.purge().ok());
    QVERIFY(table.currentHeads()->isEmpty());
    QVERIFY(*table.exists());
}

void TestVersionTable::customTableAndSchema()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    VersionTableOptions opts;
    opts.table = QStringLiteral("custom_version");
    opts.primaryKey = false;
    if (backend == QLatin1String("sqlite")) {
        // SQLite schemas are attached databases.
        QVERIFY(conn->exec(QStringLiteral("ATTACH DATABASE '%1' AS audit")
                               .arg(dir.filePath(QStringLiteral("audit.db")))).ok());
    }
    opts.schema = QStringLiteral("audit");   // the test servers have an "audit" schema/database
    VersionTable table(*conn, opts);
    QVERIFY(!*table.exists());
    QVERIFY2(table.ensureExists().ok(), qPrintable(table.ensureExists().error().message));
    QVERIFY(table.apply(ins(R1)).ok());
    QVERIFY(table.apply(ins(R1)).ok());   // no primary key: duplicates allowed
    QCOMPARE(*table.currentHeads(), QStringList({R1, R1}));
    // The default table in the default schema is untouched.
    QVERIFY(!*VersionTable(*conn).exists());
}

void TestVersionTable::readsTableWrittenByAlembic()
{
    // `alembic upgrade 3c3c3c3c3c3c; alembic upgrade 4d4d4d4d4d4d` on SQLite; `alembic
    // current` printed the heads in expected/two-heads-current.out.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("two-heads.db"));
    QVERIFY(QFile::copy(QStringLiteral(RETORT_FIXTURES_DIR "/runtime/alembic-two-heads.db"), path));
    Result<DatabaseUrl> url = DatabaseUrl::parse(QStringLiteral("sqlite:///") + path);
    QVERIFY(url.ok());
    auto conn = DatabaseConnection::open(*url);
    QVERIFY(conn.ok());
    VersionTable table(**conn);
    QStringList expected = QString::fromUtf8(readFixture(QStringLiteral("expected/two-heads-current.out")))
                               .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    // `alembic current` prints a Python set, whose order changes from run to run.
    QStringList actual = *table.currentHeads();
    actual.sort();
    expected.sort();
    QCOMPARE(actual, expected);
}

// Revision ids go to the database as bound values: quotes, semicolons and backslashes in
// an id are stored verbatim and never run (issue 9: a script's id dropped a table).
void TestVersionTable::hostileIdsAreData()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    QVERIFY(conn->exec(QStringLiteral("CREATE TABLE t_one (x INTEGER)")).ok());
    const QString drop = QStringLiteral("r'); DROP TABLE t_one; SELECT ('");
    const QString backslash = QStringLiteral("b\\'); DROP TABLE t_one; --");
    const QString update = QStringLiteral("u' OR 1=1; DROP TABLE t_one;--");
    QVERIFY(drop.size() <= 32 && backslash.size() <= 32 && update.size() <= 32);
    VersionTable table(*conn);
    QVERIFY(table.ensureExists().ok());
    for (const QString &id : {drop, backslash}) {
        const VoidResult r = table.apply(ins(id));
        QVERIFY2(r.ok(), qPrintable(r.error().message));
    }
    QStringList heads = *table.currentHeads();
    heads.sort();
    QStringList expected{drop, backslash};
    expected.sort();
    QCOMPARE(heads, expected);
    VoidResult r = table.apply(upd(drop, update));
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    r = table.apply(del(backslash));
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    QCOMPARE(*table.currentHeads(), QStringList{update});
    // A second UPDATE from the same id matches no row: the id was compared, not run.
    r = table.apply(upd(drop, R1));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(QStringLiteral("0 found")), qPrintable(r.error().message));
    QVERIFY(conn->exec(QStringLiteral("SELECT x FROM t_one")).ok());
}

QTEST_GUILESS_MAIN(TestVersionTable)
#include "tst_versiontable.moc"
