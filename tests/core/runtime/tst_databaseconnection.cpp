// DatabaseConnection: opening from SQLAlchemy URLs, connection-name hygiene and the
// errors a user sees (password masked, driver's own text kept).

#include "onlinetestsupport.h"

#include <QSqlDatabase>
#include <QtTest>

using namespace retort;
using namespace retort::test;

namespace {
Result<std::unique_ptr<DatabaseConnection>> openUrl(const QString &url, int timeoutSecs = 3)
{
    Result<DatabaseUrl> parsed = DatabaseUrl::parse(url);
    if (!parsed)
        return parsed.error();
    DatabaseConnection::Options o;
    o.connectTimeoutSecs = timeoutSecs;
    return DatabaseConnection::open(*parsed, o);
}
} // namespace

class TestDatabaseConnection : public QObject
{
    Q_OBJECT
private slots:
    void sqliteOpenAndQuery();
    void uniqueNamesRemovedOnDestruction();
    void transactions();
    void heldTransaction_data();
    void heldTransaction();
    void sqliteMissingDirectory();
    void sqliteReadOnly();
    void unreachableServer_data();
    void unreachableServer();
    void badCredentials();
    void statementErrorNamesSql();
};

void TestDatabaseConnection::sqliteOpenAndQuery()
{
    QTemporaryDir dir;
    auto conn = openUrl(QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("a.db")));
    QVERIFY2(conn.ok(), qPrintable(conn.error().message));
    QCOMPARE((*conn)->dialect().kind(), Dialect::SQLite);
    Result<QSqlQuery> q = (*conn)->exec(QStringLiteral("SELECT 40 + 2"));
    QVERIFY(q.ok());
    QVERIFY(q->next());
    QCOMPARE(q->value(0).toInt(), 42);
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("a.db"))));

    auto mem = openUrl(QStringLiteral("sqlite://"));
    QVERIFY(mem.ok());
    QCOMPARE((*mem)->database().databaseName(), QStringLiteral(":memory:"));
}

// The studio's look at a database: no file is created, nothing can be written.
void TestDatabaseConnection::sqliteReadOnly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ro.db"));
    auto parsed = DatabaseUrl::parse(QStringLiteral("sqlite:///") + path);
    QVERIFY(parsed.ok());
    DatabaseConnection::Options readOnly;
    readOnly.sqliteReadOnly = true;
    QVERIFY(!DatabaseConnection::open(*parsed, readOnly).ok());
    QVERIFY(!QFile::exists(path));
    {
        auto writer = DatabaseConnection::open(*parsed);
        QVERIFY(writer.ok());
        QVERIFY((*writer)->exec(QStringLiteral("CREATE TABLE t (x INTEGER)")).ok());
    }
    auto reader = DatabaseConnection::open(*parsed, readOnly);
    QVERIFY2(reader.ok(), qPrintable(reader.error().message));
    QVERIFY((*reader)->exec(QStringLiteral("SELECT count(*) FROM t")).ok());
    QVERIFY(!(*reader)->exec(QStringLiteral("INSERT INTO t VALUES (1)")).ok());
}

void TestDatabaseConnection::uniqueNamesRemovedOnDestruction()
{
    auto a = openUrl(QStringLiteral("sqlite://"));
    auto b = openUrl(QStringLiteral("sqlite://"));
    QVERIFY(a.ok() && b.ok());
    const QString nameA = (*a)->connectionName();
    QVERIFY(nameA != (*b)->connectionName());
    QVERIFY(QSqlDatabase::contains(nameA));
    a->reset();
    QVERIFY(!QSqlDatabase::contains(nameA));
    QVERIFY((*b)->database().isOpen());
}

void TestDatabaseConnection::transactions()
{
    QTemporaryDir dir;
    auto conn = openUrl(QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("t.db")));
    QVERIFY(conn.ok());
    DatabaseConnection &c = **conn;
    QVERIFY(c.exec(QStringLiteral("CREATE TABLE t (x INTEGER)")).ok());
    QVERIFY(c.begin().ok());
    QVERIFY(c.inTransaction());
    QCOMPARE(*c.execAffected(QStringLiteral("INSERT INTO t VALUES (1)")), 1);
    QVERIFY(c.rollback().ok());
    QVERIFY(!c.inTransaction());
    Result<QSqlQuery> q = c.exec(QStringLiteral("SELECT count(*) FROM t"));
    QVERIFY(q->next());
    QCOMPARE(q->value(0).toInt(), 0);
}

// The multidb engines' transaction: begin()/commit() inside it join it, rollback() (a
// failure) ends it; only commitHeld() makes the work permanent.
void TestDatabaseConnection::heldTransaction_data()
{
    QTest::addColumn<QString>("end");   // how the holder ends it
    QTest::addColumn<bool>("innerRollback");
    QTest::addColumn<int>("rows");
    QTest::newRow("commitHeld") << QStringLiteral("commit") << false << 2;
    QTest::newRow("rollbackHeld") << QStringLiteral("rollback") << false << 0;
    QTest::newRow("inner rollback, then commitHeld") << QStringLiteral("commit") << true << 0;
}

void TestDatabaseConnection::heldTransaction()
{
    QFETCH(QString, end);
    QFETCH(bool, innerRollback);
    QFETCH(int, rows);
    QTemporaryDir dir;
    const QString url = QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("h.db"));
    auto conn = openUrl(url);
    QVERIFY(conn.ok());
    DatabaseConnection &c = **conn;
    QVERIFY(c.exec(QStringLiteral("CREATE TABLE t (x INTEGER)")).ok());
    QVERIFY(c.holdTransaction().ok());
    QVERIFY(c.holdsTransaction() && c.inTransaction());
    // A runner's per-migration transactions inside the held one.
    for (int i = 0; i < 2; ++i) {
        QVERIFY(c.begin().ok());
        QCOMPARE(*c.execAffected(QStringLiteral("INSERT INTO t VALUES (1)")), 1);
        QVERIFY(c.commit().ok());
        QVERIFY(c.holdsTransaction());
    }
    QVERIFY(c.exec(QStringLiteral("CREATE TABLE u (y INTEGER)")).ok());
    // Nothing is visible to another connection yet.
    auto other = openUrl(url);
    QVERIFY(other.ok());
    auto seen = (*other)->exec(QStringLiteral("SELECT count(*) FROM t"));
    QVERIFY(seen.ok() && seen->next());
    QCOMPARE(seen->value(0).toInt(), 0);
    seen = QSqlQuery();
    if (innerRollback) {
        QVERIFY(c.rollback().ok());
        QVERIFY(!c.holdsTransaction() && !c.inTransaction());
    }
    QVERIFY((end == QLatin1String("commit") ? c.commitHeld() : c.rollbackHeld()).ok());
    QVERIFY(!c.holdsTransaction() && !c.inTransaction());
    auto count = (*other)->exec(QStringLiteral("SELECT count(*) FROM t"));
    QVERIFY(count.ok() && count->next());
    QCOMPARE(count->value(0).toInt(), rows);
    // The DDL went with it.
    QCOMPARE((*other)->exec(QStringLiteral("SELECT count(*) FROM u")).ok(), rows > 0);
}

void TestDatabaseConnection::sqliteMissingDirectory()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("no/such/dir/x.db"));
    auto conn = openUrl(QStringLiteral("sqlite:///") + path);
    QVERIFY(!conn.ok());
    QVERIFY2(conn.error().message.startsWith(QStringLiteral("Can't connect to sqlite:///") + path + QStringLiteral(": ")),
             qPrintable(conn.error().message));
}

void TestDatabaseConnection::unreachableServer_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("shown");
    // Port 9 (discard) on the loopback: nothing listens, the connection is refused.
    QTest::newRow("postgresql") << "postgresql://scott:tiger@127.0.0.1:9/test"
                                << "Can't connect to postgresql://scott:***@127.0.0.1:9/test: ";
    QTest::newRow("mysql") << "mysql+pymysql://scott:tiger@127.0.0.1:9/test"
                           << "Can't connect to mysql+pymysql://scott:***@127.0.0.1:9/test: ";
}

void TestDatabaseConnection::unreachableServer()
{
    QFETCH(QString, url);
    QFETCH(QString, shown);
    auto conn = openUrl(url, 2);
    QVERIFY(!conn.ok());
    const QString msg = conn.error().message;
    QVERIFY2(msg.startsWith(shown), qPrintable(msg));
    QVERIFY2(!msg.contains(QStringLiteral("tiger")), qPrintable(msg));
    QVERIFY2(msg.contains(QStringLiteral("refused"), Qt::CaseInsensitive)
                 || msg.contains(QStringLiteral("Can't connect"), Qt::CaseInsensitive),
             qPrintable(msg));
    QVERIFY(msg.size() > shown.size());   // the driver's own words follow
}

void TestDatabaseConnection::badCredentials()
{
    const QString base = qEnvironmentVariable("RETORT_TEST_MYSQL_URL");
    if (base.isEmpty())
        QSKIP("set RETORT_TEST_MYSQL_URL to test against mysql");
    Result<DatabaseUrl> good = DatabaseUrl::parse(base);
    QVERIFY(good.ok());
    const QString url = QStringLiteral("mysql://%1:wrong-secret@%2:%3/%4")
                            .arg(good->username(), good->host())
                            .arg(good->port())
                            .arg(good->database());
    auto conn = openUrl(url);
    QVERIFY(!conn.ok());
    const QString msg = conn.error().message;
    QVERIFY2(msg.contains(QStringLiteral(":***@")), qPrintable(msg));
    QVERIFY2(!msg.contains(QStringLiteral("wrong-secret")), qPrintable(msg));
    QVERIFY2(msg.contains(QStringLiteral("Access denied")), qPrintable(msg));
}

void TestDatabaseConnection::statementErrorNamesSql()
{
    auto conn = openUrl(QStringLiteral("sqlite://"));
    QVERIFY(conn.ok());
    Result<QSqlQuery> q = (*conn)->exec(QStringLiteral("SELEKT 1"));
    QVERIFY(!q.ok());
    QVERIFY2(q.error().message.startsWith(QStringLiteral("SQL failed: SELEKT 1\non sqlite://: ")),
             qPrintable(q.error().message));
    QVERIFY(q.error().message.contains(QStringLiteral("syntax error")));
}

QTEST_GUILESS_MAIN(TestDatabaseConnection)
#include "tst_databaseconnection.moc"
