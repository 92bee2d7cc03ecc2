// LiveRowCounter: the COUNT statements per dialect (identifiers always quoted, schema
// qualified), and real counts on SQLite, and on PostgreSQL / MariaDB when
// RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set. Errors are "unknown", never fatal.

#include "autogenerate/liverowcounter.h"
#include "config/databaseurl.h"
#include "runtime/databaseconnection.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

class tst_LiveRowCounter : public QObject
{
    Q_OBJECT

private slots:
    void countSql_data();
    void countSql();
    void counts_data();
    void counts();
    void timeout_data();
    void timeout();
    void prefetch_data();
    void prefetch();
    void prefetchTimeout();
};

void tst_LiveRowCounter::countSql_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("condition");
    QTest::addColumn<QString>("sql");
    QTest::newRow("sqlite rows") << "sqlite" << "" << "users" << "" << "" << "SELECT count(*) FROM \"users\"";
    QTest::newRow("postgresql schema, NULLs") << "postgresql" << "shop" << "Order" << "e\"mail" << "IS NULL"
        << "SELECT count(*) FROM \"shop\".\"Order\" WHERE \"e\"\"mail\" IS NULL";
    QTest::newRow("mysql backticks") << "mysql" << "shop" << "order" << "bi`o" << "IS NOT NULL"
        << "SELECT count(*) FROM `shop`.`order` WHERE `bi``o` IS NOT NULL";
    QTest::newRow("mariadb backticks") << "mariadb" << "" << "t" << "" << "" << "SELECT count(*) FROM `t`";
    QTest::newRow("unknown condition") << "sqlite" << "" << "t" << "c" << "= 1" << "";
    QTest::newRow("condition without column") << "sqlite" << "" << "t" << "" << "IS NULL" << "";
    QTest::newRow("column without condition") << "sqlite" << "" << "t" << "c" << "" << "";
    QTest::newRow("no table") << "sqlite" << "" << "" << "" << "" << "";
}

void tst_LiveRowCounter::countSql()
{
    QFETCH(QString, dialect);
    QFETCH(QString, schema);
    QFETCH(QString, table);
    QFETCH(QString, column);
    QFETCH(QString, condition);
    QFETCH(QString, sql);
    auto d = Dialect::fromName(dialect);
    QVERIFY(d.ok());
    QCOMPARE(LiveRowCounter::countSql(*d, schema, table, column, condition), sql);
}

void tst_LiveRowCounter::counts_data()
{
    QTest::addColumn<QString>("envVar");   // the server's admin URL; "" = a temp SQLite file
    QTest::newRow("sqlite") << QString();
    QTest::newRow("postgresql") << QStringLiteral("RETORT_TEST_PG_URL");
    QTest::newRow("mysql") << QStringLiteral("RETORT_TEST_MYSQL_URL");
}

void tst_LiveRowCounter::counts()
{
    QFETCH(QString, envVar);
    QTemporaryDir dir;
    QString url = QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("rows.db"));
    if (!envVar.isEmpty()) {
        url = qEnvironmentVariable(qPrintable(envVar));
        if (url.isEmpty())
            QSKIP(qPrintable(envVar + QStringLiteral(" not set")));
    }
    auto conn = DatabaseConnection::openUrl(url);
    QVERIFY2(conn.ok(), qPrintable(conn.error().message));
    DatabaseConnection &c = **conn;
    const Dialect &d = c.dialect();
    // Names that need quoting, in their own schema (database on MySQL) on the servers.
    QString schema;
    if (!envVar.isEmpty()) {
        schema = QStringLiteral("retort_rows_%1").arg(QCoreApplication::applicationPid());
        const QString kind = d.isMySqlFamily() ? QStringLiteral("DATABASE") : QStringLiteral("SCHEMA");
        const QString cascade = d.isMySqlFamily() ? QString() : QStringLiteral(" CASCADE");
        (void)c.exec(QStringLiteral("DROP %1 IF EXISTS %2%3").arg(kind, schema, cascade));
        QVERIFY(c.exec(QStringLiteral("CREATE %1 %2").arg(kind, schema)).ok());
    }
    QString qualified = LiveRowCounter::quoted(d, QStringLiteral("Order Items"));
    if (!schema.isEmpty())
        qualified = LiveRowCounter::quoted(d, schema) + QLatin1Char('.') + qualified;
    const QString col = LiveRowCounter::quoted(d, QStringLiteral("Gift Note"));
    QVERIFY(c.exec(QStringLiteral("CREATE TABLE %1 (id INTEGER, %2 VARCHAR(20))").arg(qualified, col)).ok());
    QVERIFY(c.exec(QStringLiteral("INSERT INTO %1 (id, %2) VALUES (1, 'a'), (2, NULL), (3, 'c')").arg(qualified, col)).ok());

    LiveRowCounter rows(&c);
    const QString t = QStringLiteral("Order Items");
    const QString n = QStringLiteral("Gift Note");
    QCOMPARE(rows(schema, t, {}, {}), std::optional<qint64>(3));
    QCOMPARE(rows(schema, t, n, QStringLiteral("IS NULL")), std::optional<qint64>(1));
    QCOMPARE(rows(schema, t, n, QStringLiteral("IS NOT NULL")), std::optional<qint64>(2));
    // A missing table is unknown, and inside a transaction it does not poison it.
    QVERIFY(c.begin().ok());
    QCOMPARE(rows(schema, QStringLiteral("no_such_table"), {}, {}), std::optional<qint64>());
    QCOMPARE(rows(schema, t, n, QStringLiteral("= 'a'")), std::optional<qint64>());
    QVERIFY2(c.exec(QStringLiteral("SELECT count(*) FROM %1").arg(qualified)).ok(), "transaction still usable");
    QVERIFY(c.rollback().ok());
    // Answers are cached: a copy sees the first answer after the rows changed.
    LiveRowCounter copy = rows;
    QVERIFY(c.exec(QStringLiteral("DELETE FROM %1").arg(qualified)).ok());
    QCOMPARE(copy(schema, t, {}, {}), std::optional<qint64>(3));
    QCOMPARE(LiveRowCounter(&c)(schema, t, {}, {}), std::optional<qint64>(0));
    if (!schema.isEmpty())
        (void)c.exec(QStringLiteral("DROP %1 %2%3").arg(d.isMySqlFamily() ? QStringLiteral("DATABASE") : QStringLiteral("SCHEMA"),
                                                      schema, d.isMySqlFamily() ? QString() : QStringLiteral(" CASCADE")));
}

void tst_LiveRowCounter::timeout_data()
{
    QTest::addColumn<QString>("envVar");
    QTest::addColumn<bool>("inTransaction");
    QTest::newRow("postgresql") << QStringLiteral("RETORT_TEST_PG_URL") << false;
    QTest::newRow("postgresql, in a transaction") << QStringLiteral("RETORT_TEST_PG_URL") << true;
    QTest::newRow("mysql") << QStringLiteral("RETORT_TEST_MYSQL_URL") << false;
    QTest::newRow("mysql, in a transaction") << QStringLiteral("RETORT_TEST_MYSQL_URL") << true;
}

// A count slower than the limit is stopped by the server: unknown, and the session (its
// statement limit, an open transaction) is as it was.
void tst_LiveRowCounter::timeout()
{
    QFETCH(QString, envVar);
    QFETCH(bool, inTransaction);
    const QString url = qEnvironmentVariable(qPrintable(envVar));
    if (url.isEmpty())
        QSKIP(qPrintable(envVar + QStringLiteral(" not set")));
    auto conn = DatabaseConnection::openUrl(url);
    QVERIFY2(conn.ok(), qPrintable(conn.error().message));
    DatabaseConnection &c = **conn;
    const bool pg = c.dialect().kind() == Dialect::PostgreSQL;
    const QString view = QStringLiteral("retort_slow_%1").arg(QCoreApplication::applicationPid());
    (void)c.exec(QStringLiteral("DROP VIEW IF EXISTS %1").arg(view));
    // Two rows, each taking a second to produce.
    QVERIFY(c.exec(pg ? QStringLiteral("CREATE VIEW %1 AS SELECT g AS s FROM generate_series(1, 2) g WHERE pg_sleep(1)::text = ''").arg(view)
                      : QStringLiteral("CREATE VIEW %1 AS SELECT SLEEP(1) AS s UNION ALL SELECT SLEEP(1)").arg(view)).ok());
    auto dropView = qScopeGuard([&] { (void)c.exec(QStringLiteral("DROP VIEW IF EXISTS %1").arg(view)); });
    if (pg)
        QVERIFY(c.exec(QStringLiteral("SET statement_timeout = '45s'")).ok());
    if (inTransaction)
        QVERIFY(c.begin().ok());

    LiveRowCounter rows(&c);
    QCOMPARE(rows.timeoutMs(), LiveRowCounter::kDefaultTimeoutMs);
    rows.setTimeoutMs(300);
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(rows({}, view, {}, {}), std::optional<qint64>());
    QVERIFY2(clock.elapsed() < 1900, qPrintable(QString::number(clock.elapsed())));   // stopped, not waited out
    // Without a limit the same count completes (a fresh counter: answers are cached).
    LiveRowCounter unlimited(&c);
    unlimited.setTimeoutMs(0);
    QCOMPARE(unlimited({}, view, {}, {}), std::optional<qint64>(2));
    if (inTransaction) {
        QVERIFY2(c.exec(QStringLiteral("SELECT 1")).ok(), "transaction still usable");
        QVERIFY(c.commit().ok());
    }
    if (pg) {
        auto q = c.exec(QStringLiteral("SHOW statement_timeout"));
        QVERIFY(q.ok() && q->next());
        QCOMPARE(q->value(0).toString(), QStringLiteral("45s"));
    }
}

void tst_LiveRowCounter::prefetch_data()
{
    QTest::addColumn<QString>("envVar");
    QTest::addColumn<bool>("inTransaction");
    QTest::newRow("postgresql") << QStringLiteral("RETORT_TEST_PG_URL") << false;
    QTest::newRow("postgresql, in a transaction") << QStringLiteral("RETORT_TEST_PG_URL") << true;
    QTest::newRow("mysql") << QStringLiteral("RETORT_TEST_MYSQL_URL") << false;
}

// Many questions in a few statements: the answers are the counts at that moment (cached:
// later changes do not show), a table that does not exist is unknown without costing the
// others theirs, and an open transaction stays usable.
void tst_LiveRowCounter::prefetch()
{
    QFETCH(QString, envVar);
    QFETCH(bool, inTransaction);
    const QString url = qEnvironmentVariable(qPrintable(envVar));
    if (url.isEmpty())
        QSKIP(qPrintable(envVar + QStringLiteral(" not set")));
    auto conn = DatabaseConnection::openUrl(url);
    QVERIFY2(conn.ok(), qPrintable(conn.error().message));
    DatabaseConnection &c = **conn;
    const Dialect &d = c.dialect();
    const QString p = QStringLiteral("rp%1_").arg(QCoreApplication::applicationPid());
    const int tables = 12;
    auto cleanUp = [&] {
        for (int i = 0; i < tables; ++i)
            (void)c.exec(QStringLiteral("DROP TABLE IF EXISTS %1t%2").arg(p).arg(i));
    };
    cleanUp();
    auto dropAll = qScopeGuard(cleanUp);
    QStringList questions;
    for (int i = 0; i < tables; ++i) {
        QVERIFY(c.exec(QStringLiteral("CREATE TABLE %1t%2 (id INTEGER, note VARCHAR(10))").arg(p).arg(i)).ok());
        for (int r = 0; r < i; ++r)
            QVERIFY(c.exec(QStringLiteral("INSERT INTO %1t%2 VALUES (%3, %4)").arg(p).arg(i).arg(r)
                               .arg(r % 2 ? QStringLiteral("'x'") : QStringLiteral("NULL"))).ok());
        const QString t = QStringLiteral("%1t%2").arg(p).arg(i);
        questions << LiveRowCounter::countSql(d, {}, t, {}, {})
                  << LiveRowCounter::countSql(d, {}, t, QStringLiteral("note"), QStringLiteral("IS NOT NULL"));
    }
    const QString missing = LiveRowCounter::countSql(d, {}, p + QStringLiteral("missing"), {}, {});
    questions.insert(7, missing);
    if (inTransaction)
        QVERIFY(c.begin().ok());

    LiveRowCounter rows(&c);
    const int before = c.statementCount();
    rows.prefetch(questions);
    // 25 questions: with the missing table's batch split down to it, still fewer
    // statements than asking each (on PostgreSQL with the limit's set and reset, and a
    // savepoint in a transaction: 3 or 5 each).
    const int sent = c.statementCount() - before;
    QVERIFY2(sent < int(questions.size()) * (inTransaction ? 3 : 2), qPrintable(QString::number(sent)));
    QVERIFY2(c.exec(QStringLiteral("SELECT count(*) FROM %1t1").arg(p)).ok(), "transaction still usable");
    // Answered from the cache from now on: emptied tables still show what was counted.
    for (int i = 0; i < tables; ++i)
        QVERIFY(c.exec(QStringLiteral("DELETE FROM %1t%2").arg(p).arg(i)).ok());
    const int afterDelete = c.statementCount();
    for (int i = 0; i < tables; ++i) {
        const QString t = QStringLiteral("%1t%2").arg(p).arg(i);
        QCOMPARE(rows({}, t, {}, {}), std::optional<qint64>(i));
        QCOMPARE(rows({}, t, QStringLiteral("note"), QStringLiteral("IS NOT NULL")), std::optional<qint64>(i / 2));
    }
    QCOMPARE(rows.count(missing), std::optional<qint64>());
    QCOMPARE(c.statementCount(), afterDelete);   // nothing asked again
    if (inTransaction)
        QVERIFY(c.rollback().ok());

    // Everything in one statement when every table exists (one round trip, plus the
    // limit's set and reset on PostgreSQL, the server's version once on MySQL).
    LiveRowCounter fresh(&c);
    questions.removeAll(missing);
    const int start = c.statementCount();
    fresh.prefetch(questions);
    QVERIFY2(c.statementCount() - start <= 3, qPrintable(QString::number(c.statementCount() - start)));
    // Counted now: the rows deleted above (rolled back in a transaction).
    QCOMPARE(fresh({}, p + QStringLiteral("t3"), {}, {}), std::optional<qint64>(inTransaction ? 3 : 0));
    QCOMPARE(c.statementCount() - start, d.kind() == Dialect::PostgreSQL ? 3 : 2);
}

// A batch the server stops for time caches nothing: each question is then asked alone,
// with its own limit, so a fast count is still answered next to a slow one.
void tst_LiveRowCounter::prefetchTimeout()
{
    const QString url = qEnvironmentVariable("RETORT_TEST_PG_URL");
    if (url.isEmpty())
        QSKIP("RETORT_TEST_PG_URL not set");
    auto conn = DatabaseConnection::openUrl(url);
    QVERIFY2(conn.ok(), qPrintable(conn.error().message));
    DatabaseConnection &c = **conn;
    const QString p = QStringLiteral("rpt%1_").arg(QCoreApplication::applicationPid());
    auto cleanUp = [&] {
        (void)c.exec(QStringLiteral("DROP VIEW IF EXISTS %1slow").arg(p));
        (void)c.exec(QStringLiteral("DROP TABLE IF EXISTS %1fast").arg(p));
    };
    cleanUp();
    auto dropAll = qScopeGuard(cleanUp);
    QVERIFY(c.exec(QStringLiteral("CREATE VIEW %1slow AS SELECT g AS s FROM generate_series(1, 2) g "
                                  "WHERE pg_sleep(0.3)::text = ''").arg(p)).ok());
    QVERIFY(c.exec(QStringLiteral("CREATE TABLE %1fast (id INTEGER)").arg(p)).ok());
    QVERIFY(c.exec(QStringLiteral("INSERT INTO %1fast VALUES (1), (2), (3)").arg(p)).ok());
    const Dialect &d = c.dialect();
    const QString slow = LiveRowCounter::countSql(d, {}, p + QStringLiteral("slow"), {}, {});
    const QString fast = LiveRowCounter::countSql(d, {}, p + QStringLiteral("fast"), {}, {});
    LiveRowCounter rows(&c);
    rows.setTimeoutMs(400);
    rows.prefetch({slow, fast});
    QCOMPARE(rows.count(fast), std::optional<qint64>(3));
    QCOMPARE(rows.count(slow), std::optional<qint64>());
}

QTEST_GUILESS_MAIN(tst_LiveRowCounter)
#include "tst_liverowcounter.moc"
