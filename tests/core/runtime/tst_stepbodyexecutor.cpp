// StepBodyExecutor through MigrationRunner online: try statements around a statement that
// fails on the database (handlers by the driver's exception class, else/finally, bare
// raise), print/logging effects and autocommit blocks, on SQLite, PostgreSQL and MariaDB
// (RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL). What Alembic does in the same cases is
// checked side by side in tests/conformance/test_tryrun.py.

#include "onlinetestsupport.h"
#include "runtime/databaseerrorclass.h"
#include "runtime/migrationrunner.h"
#include "runtime/stepbodyprovider.h"
#include "runtime/versiontable.h"
#include "runtimetestsupport.h"

#include <QSqlQuery>
#include <QtTest>

using namespace retort;
using namespace retort::test;

namespace {

StepItem sql(const QString &s) { return StepItem::sql(s); }

StepItem print(const QString &text)
{
    StepItem i;
    i.kind = StepItem::Print;
    i.text = text + QLatin1Char('\n');
    return i;
}

StepItem clause(StepItem::Kind kind, QVector<StepItem> body, QStringList catches = {})
{
    StepItem i;
    i.kind = kind;
    i.body = std::move(body);
    i.catches = std::move(catches);
    return i;
}

StepItem tryItem(QVector<StepItem> body, QVector<StepItem> clauses)
{
    StepItem i;
    i.kind = StepItem::Try;
    i.body = std::move(body);
    i.clauses = std::move(clauses);
    return i;
}

StepItem raise()
{
    StepItem i;
    i.kind = StepItem::Raise;
    return i;
}

class BodyOf : public StepBodyProvider
{
public:
    StepBody body_;
    Result<QStringList> statements(const MigrationStep &, const Dialect &) override { return body_.statements(); }
    Result<StepBody> body(const MigrationStep &, const Dialect &) override { return body_; }
};

const QString kBad = QStringLiteral("INSERT INTO no_such_table VALUES (1)");
const QString kCreate = QStringLiteral("CREATE TABLE t_one (id INTEGER)");
QString insert(int id) { return QStringLiteral("INSERT INTO t_one VALUES (%1)").arg(id); }

QStringList tableRows(DatabaseConnection &conn)
{
    Result<QSqlQuery> q = conn.exec(QStringLiteral("SELECT id FROM t_one ORDER BY id"));
    if (!q)
        return {QStringLiteral("<no table>")};
    QStringList out;
    while (q->next())
        out << q->value(0).toString();
    return out;
}

} // namespace

class TestStepBodyExecutor : public QObject
{
    Q_OBJECT

private slots:
    void tryStatements_data();
    void tryStatements();
    void autocommit_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void autocommit();
    void noResumeInsideTry();
    void chunks_data() { QTest::addColumn<QString>("backend"); addBackendRows(); }
    void chunks();
    void bridge_data();
    void bridge();
    void errorClasses_data();
    void errorClasses();
};

void TestStepBodyExecutor::tryStatements_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QVector<StepItem>>("items");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QStringList>("printed");
    QTest::addColumn<QStringList>("rows");

    const QVector<StepItem> handled = {
        sql(kCreate),
        tryItem({sql(kBad), sql(insert(2))},
                {clause(StepItem::Except, {print("caught"), sql(insert(3))}, {"Exception"}),
                 clause(StepItem::Else, {print("else")}), clause(StepItem::Finally, {print("finally")})}),
        sql(insert(4))};
    // PostgreSQL: the failed statement aborted the transaction, so the handler's INSERT
    // fails ("current transaction is aborted"), finally still runs, the step fails and
    // the run's transaction rolls back.
    QTest::newRow("sqlite handled") << "sqlite" << handled << true << QStringList{"caught\n", "finally\n"}
                                    << QStringList{"3", "4"};
    QTest::newRow("postgresql handled") << "postgresql" << handled << false
                                        << QStringList{"caught\n", "finally\n"} << QStringList{"<no table>"};
    QTest::newRow("mysql handled") << "mysql" << handled << true << QStringList{"caught\n", "finally\n"}
                                   << QStringList{"3", "4"};

    // The driver's class decides: undefined table is ProgrammingError on psycopg2 (42P01)
    // and PyMySQL (1146), OperationalError on sqlite3.
    const QVector<StepItem> typed = {
        sql(kCreate),
        tryItem({sql(kBad)},
                {clause(StepItem::Except, {print("integrity")}, {"sa.exc.IntegrityError", "KeyError"}),
                 clause(StepItem::Except, {print("programming")}, {"sa.exc.ProgrammingError"}),
                 clause(StepItem::Except, {print("operational")}, {"sa.exc.OperationalError"})}),
        sql(insert(1))};
    QTest::newRow("sqlite typed") << "sqlite" << typed << true << QStringList{"operational\n"} << QStringList{"1"};
    QTest::newRow("postgresql typed") << "postgresql" << typed << false << QStringList{"programming\n"}
                                      << QStringList{"<no table>"};
    QTest::newRow("mysql typed") << "mysql" << typed << true << QStringList{"programming\n"} << QStringList{"1"};

    const QVector<StepItem> unmatched = {
        sql(kCreate),
        tryItem({sql(kBad)}, {clause(StepItem::Except, {print("never")}, {"KeyError"}),
                              clause(StepItem::Finally, {print("finally")})}),
        sql(insert(1))};
    const QVector<StepItem> reraised = {
        sql(kCreate), tryItem({sql(insert(1)), sql(kBad)}, {clause(StepItem::Except, {print("again"), raise()})}),
        sql(insert(2))};
    const QVector<StepItem> nested = {
        sql(kCreate),
        tryItem({tryItem({sql(kBad)}, {clause(StepItem::Except, {print("inner"), raise()}, {"sa.exc.DBAPIError"})})},
                {clause(StepItem::Except, {print("outer")}, {"BaseException"})}),
        sql(insert(7))};
    const QVector<StepItem> clean = {
        sql(kCreate),
        tryItem({sql(insert(5))}, {clause(StepItem::Except, {print("never")}),
                                   clause(StepItem::Else, {print("else"), sql(insert(6))})})};
    for (const char *b : {"sqlite", "postgresql", "mysql"}) {
        const bool pg = QLatin1String(b) == QLatin1String("postgresql");
        const bool mysql = QLatin1String(b) == QLatin1String("mysql");
        // A failed step rolls back; MySQL keeps its DDL (and here the committed DML).
        QTest::addRow("%s unmatched", b) << b << unmatched << false << QStringList{"finally\n"}
                                         << (mysql ? QStringList() : QStringList{"<no table>"});
        QTest::addRow("%s reraise", b) << b << reraised << false << QStringList{"again\n"}
                                       << (mysql ? QStringList{"1"} : QStringList{"<no table>"});
        QTest::addRow("%s nested", b) << b << nested << !pg << QStringList{"inner\n", "outer\n"}
                                      << (pg ? QStringList{"<no table>"} : QStringList{"7"});
        QTest::addRow("%s clean", b) << b << clean << true << QStringList{"else\n"} << QStringList{"5", "6"};
    }
}

void TestStepBodyExecutor::tryStatements()
{
    QFETCH(QString, backend);
    QFETCH(QVector<StepItem>, items);
    QFETCH(bool, ok);
    QFETCH(QStringList, printed);
    QFETCH(QStringList, rows);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    BodyOf bodies;
    bodies.body_.items = items;
    MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)})});
    runner.setBodyProvider(&bodies);
    QStringList out;
    QObject::connect(&runner, &MigrationRunner::scriptOutput, [&out](const QString &t) { out << t; });
    const bool ran = runner.exec();
    QVERIFY2(ran == ok, qPrintable(runner.error().message));
    if (!ok && backend == QLatin1String("postgresql") && printed.size() > 1)
        QVERIFY2(runner.error().message.contains(QLatin1String("current transaction is aborted")),
                 qPrintable(runner.error().message));
    QCOMPARE(out, printed);
    QCOMPARE(tableRows(*conn), rows);
    const QStringList heads = *VersionTable(*conn, {}).currentHeads();
    QCOMPARE(heads, ok ? QStringList{R1} : QStringList());
}

// The block runs outside the run's transaction: CREATE INDEX CONCURRENTLY on PostgreSQL
// fails inside one. The statements before it are committed then, as under Alembic.
void TestStepBodyExecutor::autocommit()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    const bool pg = backend == QLatin1String("postgresql");
    StepItem block;
    block.kind = StepItem::Autocommit;
    block.body = {sql(pg ? QStringLiteral("CREATE INDEX CONCURRENTLY ix_t_one ON t_one (id)")
                         : QStringLiteral("CREATE INDEX ix_t_one ON t_one (id)")),
                  print("in block")};
    BodyOf bodies;
    bodies.body_.items = {sql(kCreate), sql(insert(1)), block, sql(insert(2)), sql(kBad)};
    MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)})});
    runner.setBodyProvider(&bodies);
    QVERIFY(!runner.exec());   // kBad fails after the block
    QVERIFY2(runner.error().message.contains(QLatin1String("no_such_table")), qPrintable(runner.error().message));
    // Committed before the block: the table and row 1; after it rolled back (MySQL keeps DML
    // the journal committed with each statement).
    const QStringList expected = backend == QLatin1String("mysql") ? QStringList{"1", "2"} : QStringList{"1"};
    QCOMPARE(tableRows(*conn), expected);
    (void)conn->exec(QStringLiteral("DROP TABLE t_one"));
}

// A Deferred item with next(): each chunk runs before the next is produced (a function
// inspecting the database between its statements sees what the chunk before did); an
// error producing one fails the step. Under MariaDB's statement journal too (a run killed
// inside the chunks cannot resume: noResumeInsideTry's rule).
void TestStepBodyExecutor::chunks()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    DatabaseConnection *c = conn.get();
    int calls = 0;
    StepItem live;
    live.kind = StepItem::Deferred;
    live.next = [&calls, c](bool *done) -> Result<QVector<StepItem>> {
        *done = ++calls == 2;
        if (calls == 1)
            return QVector<StepItem>{sql(kCreate), sql(insert(1))};
        return QVector<StepItem>{sql(insert(int(tableRows(*c).size()) + 10)), print("second")};
    };
    BodyOf bodies;
    bodies.body_.items = {sql(QStringLiteral("SELECT 1")), live};
    QStringList printed;
    {
        MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)})});
        runner.setBodyProvider(&bodies);
        QObject::connect(&runner, &MigrationRunner::scriptOutput, [&](const QString &t) { printed << t; });
        QVERIFY2(runner.exec(), qPrintable(runner.error().message));
    }
    QCOMPARE(calls, 2);
    QCOMPARE(tableRows(*conn), (QStringList{"1", "11"}));
    QCOMPARE(printed, QStringList{"second\n"});
    (void)conn->exec(QStringLiteral("DROP TABLE t_one"));
    (void)conn->exec(QStringLiteral("DELETE FROM alembic_version"));

    // An error producing a chunk fails the step, after the chunks before it ran.
    calls = 0;
    live.next = [&calls](bool *done) -> Result<QVector<StepItem>> {
        *done = false;
        if (++calls == 1)
            return QVector<StepItem>{sql(kCreate)};
        return Error(QStringLiteral("needs Python on the path it took when it ran: x"));
    };
    bodies.body_.items = {live};
    MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)})});
    runner.setBodyProvider(&bodies);
    QVERIFY(!runner.exec());
    QVERIFY2(runner.error().message.contains(QLatin1String("when it ran")), qPrintable(runner.error().message));
    QCOMPARE(calls, 2);
    (void)conn->exec(QStringLiteral("DROP TABLE t_one"));
}

// MariaDB's statement journal: a step that failed after statement 1 inside a try suite
// cannot resume there (which path it took is not recorded); one whose completed statements
// all precede the try resumes as before.
void TestStepBodyExecutor::noResumeInsideTry()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("mysql"), dir);
    BodyOf bodies;
    const StepItem failing = tryItem({sql(kBad)}, {clause(StepItem::Except, {}, {"sa.exc.IntegrityError"})});
    bodies.body_.items = {sql(kCreate), failing};
    {
        MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)})});
        runner.setBodyProvider(&bodies);
        QVERIFY(!runner.exec());
        QVERIFY2(runner.error().message.contains(QLatin1String("resumes at statement 2")), qPrintable(runner.error().message));
    }
    {
        // Statement 1 is outside the try: the re-run resumes at statement 2 (and fails there again).
        MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)})});
        runner.setBodyProvider(&bodies);
        QVERIFY(!runner.exec());
        QVERIFY2(runner.error().message.contains(QLatin1String("no_such_table")), qPrintable(runner.error().message));
    }
    (void)conn->exec(QStringLiteral("DROP TABLE t_one"));
    (void)conn->exec(QStringLiteral("DELETE FROM retort_step_journal"));
    bodies.body_.items = {tryItem({sql(kCreate), sql(kBad)}, {clause(StepItem::Except, {}, {"sa.exc.IntegrityError"})})};
    {
        MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)})});
        runner.setBodyProvider(&bodies);
        QVERIFY(!runner.exec());
    }
    MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)})});
    runner.setBodyProvider(&bodies);
    QVERIFY(!runner.exec());
    QVERIFY2(runner.error().message.contains(QLatin1String("inside a try statement or autocommit block")),
             qPrintable(runner.error().message));
    QVERIFY2(runner.error().message.contains(QLatin1String("--restart-step")), qPrintable(runner.error().message));
    (void)conn->exec(QStringLiteral("DROP TABLE t_one"));
    (void)conn->exec(QStringLiteral("DROP TABLE retort_step_journal"));
}

void TestStepBodyExecutor::bridge_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<bool>("fails");
    for (const char *b : {"sqlite", "postgresql", "mysql"}) {
        QTest::addRow("%s ok", b) << QString::fromLatin1(b) << false;
        QTest::addRow("%s fails", b) << QString::fromLatin1(b) << true;
    }
}

// A step run through the bridge: its statements run on the runner's connection, in the
// step's transaction (reported as executed), between the step's other statements; the
// exception Python reports fails the step, which then rolls back with its transaction.
void TestStepBodyExecutor::bridge()
{
    QFETCH(QString, backend);
    QFETCH(bool, fails);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    StepItem bridged;
    bridged.kind = StepItem::Bridge;
    bridged.text = QStringLiteral("-- bridged");
    bool sawTransaction = false;
    bridged.bridge = [&](DatabaseConnection &c, const StepItem::Executed &executed) -> VoidResult {
        sawTransaction = c.inTransaction() && &c == conn.get();
        if (auto r = c.exec(insert(1)); !r)
            return r.error();
        executed(insert(1), 0, 7);   // a count only the bridge reports: it reaches the runner
        if (fails)
            return Error(QStringLiteral("RuntimeError: boom in Python"));
        return {};
    };
    BodyOf bodies;
    bodies.body_.items = {sql(kCreate), bridged, sql(insert(2))};
    MigrationRunner runner(conn.get(), {up(R1, {}, {ins(R1)})});
    runner.setBodyProvider(&bodies);
    QStringList executed;
    QObject::connect(&runner, &MigrationRunner::statementExecuted, [&](const QString &s, qint64) { executed << s; });
    QList<int> affected;
    QObject::connect(&runner, &MigrationRunner::statementRowsAffected, [&](int rows) { affected << rows; });
    QCOMPARE(runner.exec(), !fails);
    QVERIFY(affected.contains(7));
    QVERIFY(sawTransaction);
    const bool mysql = backend == QLatin1String("mysql");
    if (fails) {
        QVERIFY2(runner.error().message.contains(QLatin1String("boom in Python")), qPrintable(runner.error().message));
        // Rolled back with the step (MySQL: its CREATE TABLE committed, the row did not).
        QCOMPARE(tableRows(*conn), mysql ? QStringList() : QStringList{"<no table>"});
        QCOMPARE(*VersionTable(*conn, {}).currentHeads(), QStringList());
    } else {
        QCOMPARE(executed, (QStringList{kCreate, insert(1), insert(2)}));
        QCOMPARE(tableRows(*conn), (QStringList{"1", "2"}));
        QCOMPARE(*VersionTable(*conn, {}).currentHeads(), QStringList{R1});
    }
    (void)conn->exec(QStringLiteral("DROP TABLE t_one"));
    if (mysql)
        (void)conn->exec(QStringLiteral("DROP TABLE IF EXISTS retort_step_journal"));
}

void TestStepBodyExecutor::errorClasses_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("expected");
    // psycopg2.errors.lookup(code).__mro__, PyMySQL's err.error_map, sqlite3's result codes.
    QTest::newRow("pg undefined object") << "postgresql" << "42704" << "ProgrammingError";
    QTest::newRow("pg in failed transaction") << "postgresql" << "25P02" << "InternalError";
    QTest::newRow("pg unique violation") << "postgresql" << "23505" << "IntegrityError";
    QTest::newRow("pg object in use") << "postgresql" << "55006" << "OperationalError";
    QTest::newRow("pg feature") << "postgresql" << "0A000" << "NotSupportedError";
    QTest::newRow("pg warning class") << "postgresql" << "01000" << "DatabaseError";
    QTest::newRow("mysql cant drop key") << "mysql" << "1091" << "OperationalError";
    QTest::newRow("mysql no such table") << "mysql" << "1146" << "ProgrammingError";
    QTest::newRow("mysql duplicate") << "mysql" << "1062" << "IntegrityError";
    QTest::newRow("mysql client error") << "mysql" << "999" << "InternalError";
    QTest::newRow("sqlite error") << "sqlite" << "1" << "OperationalError";
    QTest::newRow("sqlite constraint unique") << "sqlite" << "2067" << "IntegrityError";
    QTest::newRow("sqlite misuse") << "sqlite" << "21" << "InterfaceError";
}

void TestStepBodyExecutor::errorClasses()
{
    QFETCH(QString, dialect);
    QFETCH(QString, code);
    QFETCH(QString, expected);
    const Dialect d = *Dialect::fromName(dialect);
    QCOMPARE(DatabaseErrorClass::dbapiClass(d, code), expected);
    const QStringList chain = DatabaseErrorClass::chain(d, code);
    QCOMPARE(chain.first(), QStringLiteral("sa.exc.") + expected);
    QVERIFY(DatabaseErrorClass::catches({QStringLiteral("Exception")}, chain));
    QVERIFY(DatabaseErrorClass::catches({}, chain));
    QCOMPARE(DatabaseErrorClass::catches({QStringLiteral("sa.exc.DatabaseError")}, chain),
             expected != QLatin1String("InterfaceError"));
    QVERIFY(!DatabaseErrorClass::catches({QStringLiteral("KeyError"), QStringLiteral("sa.exc.NoSuchTableError")},
                                         chain));
}

QTEST_GUILESS_MAIN(TestStepBodyExecutor)
#include "tst_stepbodyexecutor.moc"
