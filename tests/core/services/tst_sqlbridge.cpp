// SqlBridge: what the bridge's proxy cursor gets back for a statement run on Retort's
// connection -- columns and rows (JSON's own types, the others tagged), the row count, or
// the database's error with the DBAPI class sqlite3 raises for it -- and that it runs in
// the transaction the connection holds.

#include "services/sqlbridge.h"

#include "runtime/databaseconnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

class TestSqlBridge : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void answers_data();
    void answers();
    void errorsCarryTheDriverClass_data();
    void errorsCarryTheDriverClass();
    void runsInTheConnectionsTransaction();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<DatabaseConnection> m_conn;
};

void TestSqlBridge::init()
{
    QFile::remove(m_dir.filePath(QStringLiteral("b.db")));
    auto conn = DatabaseConnection::openUrl(QStringLiteral("sqlite:///") + m_dir.filePath(QStringLiteral("b.db")));
    QVERIFY2(conn, qPrintable(conn ? QString() : conn.error().message));
    m_conn = std::move(*conn);
    QVERIFY(m_conn->exec(QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB, x REAL)")));
    QVERIFY(m_conn->exec(QStringLiteral("INSERT INTO t VALUES (1, 'a', X'00ff', 1.5), (2, NULL, NULL, NULL)")));
}

void TestSqlBridge::answers_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("json");   // the answer, compact
    QTest::newRow("select") << "SELECT id, name, data, x FROM t ORDER BY id"
                            << R"({"columns":["id","name","data","x"],"ok":true,"rowcount":-1,)"
                               R"("rows":[[1,"a",{"t":"bytes","v":"AP8="},1.5],[2,null,null,null]]})";
    QTest::newRow("whole floats stay floats") << "SELECT 2.0, 1e300 * 1e300"
                                              << R"({"columns":["2.0","1e300 * 1e300"],"ok":true,"rowcount":-1,)"
                                                 R"("rows":[[{"t":"float","v":"2"},{"t":"float","v":"inf"}]]})";
    QTest::newRow("no rows") << "SELECT id FROM t WHERE id > 5"
                             << R"({"columns":["id"],"ok":true,"rowcount":-1,"rows":[]})";
    QTest::newRow("update counts rows") << "UPDATE t SET x = 2"
                                        << R"({"columns":null,"ok":true,"rowcount":2})";
    QTest::newRow("insert gives the row id") << "INSERT INTO t (id, name) VALUES (7, 'it''s')"
                                             << R"({"columns":null,"lastrowid":7,"ok":true,"rowcount":1})";
}

void TestSqlBridge::answers()
{
    QFETCH(QString, sql);
    QFETCH(QString, json);
    QStringList executed;
    const QJsonObject answer = SqlBridge::answer(*m_conn, sql, [&](const QString &s, qint64, int) { executed << s; });
    QCOMPARE(QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Compact)), json);
    QCOMPARE(executed, QStringList{sql});
}

void TestSqlBridge::errorsCarryTheDriverClass_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("cls");
    QTest::addColumn<QString>("message");
    QTest::newRow("no such table") << "SELECT * FROM missing" << "OperationalError" << "no such table: missing";
    QTest::newRow("unique") << "INSERT INTO t (id) VALUES (1)" << "IntegrityError" << "UNIQUE constraint failed: t.id";
}

void TestSqlBridge::errorsCarryTheDriverClass()
{
    QFETCH(QString, sql);
    QFETCH(QString, cls);
    QFETCH(QString, message);
    bool called = false;
    const QJsonObject answer = SqlBridge::answer(*m_conn, sql, [&](const QString &, qint64, int) { called = true; });
    QCOMPARE(answer.value(QStringLiteral("ok")).toBool(), false);
    QCOMPARE(answer.value(QStringLiteral("class")).toString(), cls);
    QCOMPARE(answer.value(QStringLiteral("message")).toString(), message);
    QVERIFY(!answer.value(QStringLiteral("code")).toString().isEmpty());
    QVERIFY(!called);
}

void TestSqlBridge::runsInTheConnectionsTransaction()
{
    QVERIFY(m_conn->begin());
    QVERIFY(SqlBridge::answer(*m_conn, QStringLiteral("DELETE FROM t")).value(QStringLiteral("ok")).toBool());
    QCOMPARE(SqlBridge::answer(*m_conn, QStringLiteral("SELECT COUNT(*) FROM t"))
                 .value(QStringLiteral("rows")).toArray().at(0).toArray().at(0).toInt(), 0);
    QVERIFY(m_conn->rollback());
    QCOMPARE(SqlBridge::answer(*m_conn, QStringLiteral("SELECT COUNT(*) FROM t"))
                 .value(QStringLiteral("rows")).toArray().at(0).toArray().at(0).toInt(), 2);
}

QTEST_GUILESS_MAIN(TestSqlBridge)
#include "tst_sqlbridge.moc"
