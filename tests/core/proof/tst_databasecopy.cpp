// DatabaseCopy: the copy holds the same rows as the source, its name is Retort's, it is
// gone after drop() and the source is untouched. SQLite always; PostgreSQL and
// MySQL/MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set. PostgreSQL both
// ways: TEMPLATE when nobody else is connected, pg_dump | psql when someone is; a dump
// that fails still drops the half-made scratch database.

#include "proof/databasecopy.h"
#include "runtime/databaseconnection.h"

#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

std::unique_ptr<DatabaseConnection> open(const DatabaseUrl &url)
{
    auto conn = DatabaseConnection::open(url);
    return conn ? std::move(*conn) : nullptr;
}

QStringList rows(DatabaseConnection &conn)
{
    QStringList out;
    auto q = conn.exec(QStringLiteral("SELECT * FROM rh_accounts ORDER BY 1"));
    if (!q)
        return {QStringLiteral("<missing>")};
    while (q->next()) {
        QStringList cols;
        for (int i = 0; i < q->record().count(); ++i)
            cols << q->value(i).toString();
        out << cols.join(QLatin1Char('|'));
    }
    return out;
}

void seed(DatabaseConnection &conn)
{
    if (conn.dialect().kind() == Dialect::PostgreSQL)
        (void)conn.exec(QStringLiteral("SET client_min_messages TO WARNING"));
    (void)conn.exec(QStringLiteral("DROP TABLE IF EXISTS rh_accounts"));
    QVERIFY(conn.exec(QStringLiteral("CREATE TABLE rh_accounts (id INTEGER PRIMARY KEY, name VARCHAR(50))")).ok());
    QVERIFY(conn.exec(QStringLiteral("INSERT INTO rh_accounts VALUES (1, 'ada'), (2, 'grace'), (3, 'Zoë')")).ok());
}

} // namespace

class TestDatabaseCopy : public QObject
{
    Q_OBJECT

private slots:
    void withDatabase();
    void sqliteCopy();
    void sqliteMissingFile();
    void serverCopy_data();
    void serverCopy();
    void postgresWhileConnected();
    void postgresFailedDumpDropsScratch();
    void canCreateDatabases();
    void mysqlWithoutCreatePrivilege();
};

void TestDatabaseCopy::withDatabase()
{
    auto url = DatabaseUrl::parse(QStringLiteral("postgresql://u:p%40ss@h:5433/app?sslmode=require"));
    QVERIFY(url.ok());
    // The copy's URL: another database, the source's credentials and options.
    const DatabaseUrl other = url->withDatabase(QStringLiteral("retort_rehearse_x"));
    QCOMPARE(other.database(), QStringLiteral("retort_rehearse_x"));
    QCOMPARE(other.password(), QStringLiteral("p@ss"));
    QCOMPARE(other.port(), 5433);
    QCOMPARE(other.query(), url->query());
    QCOMPARE(other.toString(), QStringLiteral("postgresql://u:p%40ss@h:5433/retort_rehearse_x?sslmode=require"));
}

void TestDatabaseCopy::sqliteCopy()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.db"));
    auto source = DatabaseUrl::parse(QStringLiteral("sqlite:///") + path);
    QVERIFY(source.ok());
    QStringList before;
    {
        auto conn = open(*source);
        QVERIFY(conn);
        seed(*conn);
        before = rows(*conn);
    }
    const QByteArray bytes = [&] { QFile f(path); f.open(QIODevice::ReadOnly); return f.readAll(); }();
    auto copy = DatabaseCopy::create(*source);
    QVERIFY2(copy.ok(), qPrintable(copy.error().message));
    QCOMPARE((*copy)->method(), QStringLiteral("VACUUM INTO"));
    QVERIFY((*copy)->name().startsWith(QLatin1String("retort_rehearse_")));
    const QString copyPath = (*copy)->url().sqliteFilePath();
    QVERIFY(copyPath != path);
    {
        auto conn = open((*copy)->url());
        QVERIFY(conn);
        QCOMPARE(rows(*conn), before);
        QVERIFY(conn->exec(QStringLiteral("DELETE FROM rh_accounts")).ok());   // the copy only
    }
    QVERIFY((*copy)->drop().ok());
    QVERIFY(!QFile::exists(copyPath));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), bytes);   // the source, byte for byte
}

void TestDatabaseCopy::sqliteMissingFile()
{
    // A project's first run creates the file: the copy starts empty, the source stays absent.
    QTemporaryDir dir;
    auto copy = DatabaseCopy::create(*DatabaseUrl::parse(QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("none.db"))));
    QVERIFY2(copy.ok(), qPrintable(copy.error().message));
    QCOMPARE((*copy)->method(), QStringLiteral("empty: the source file does not exist yet"));
    {
        auto conn = open((*copy)->url());
        QVERIFY(conn);
        QCOMPARE(rows(*conn), QStringList{QStringLiteral("<missing>")});
    }
    const QString copyPath = (*copy)->url().sqliteFilePath();
    QVERIFY(QFile::exists(copyPath));
    QVERIFY((*copy)->drop().ok());
    QVERIFY(!QFile::exists(copyPath));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("none.db"))));
}

void TestDatabaseCopy::serverCopy_data()
{
    QTest::addColumn<QString>("variable");
    QTest::newRow("postgresql") << QStringLiteral("RETORT_TEST_PG_URL");
    QTest::newRow("mysql") << QStringLiteral("RETORT_TEST_MYSQL_URL");
}

void TestDatabaseCopy::serverCopy()
{
    QFETCH(QString, variable);
    const QString text = qEnvironmentVariable(qPrintable(variable));
    if (text.isEmpty())
        QSKIP(qPrintable(QStringLiteral("set %1 to test against this server").arg(variable)));
    auto source = DatabaseUrl::parse(text);
    QVERIFY(source.ok());
    QStringList before;
    {
        auto conn = open(*source);
        QVERIFY(conn);
        seed(*conn);
        before = rows(*conn);
    }   // closed: PostgreSQL can copy with TEMPLATE
    auto copy = DatabaseCopy::create(*source);
    QVERIFY2(copy.ok(), qPrintable(copy.error().message));
    QVERIFY((*copy)->name().startsWith(QLatin1String("retort_rehearse_")));
    if (source->backendName() == QLatin1String("postgresql"))
        QCOMPARE((*copy)->method(), QStringLiteral("CREATE DATABASE ... TEMPLATE"));
    else
        QCOMPARE((*copy)->method(), QStringLiteral("mysqldump | mysql"));
    {
        auto conn = open((*copy)->url());
        QVERIFY(conn);
        QCOMPARE(rows(*conn), before);
        QVERIFY(conn->exec(QStringLiteral("DELETE FROM rh_accounts")).ok());
    }
    auto conn = open(*source);
    QVERIFY(conn);
    QVERIFY(DatabaseCopy::exists(*conn, (*copy)->name()).value());
    QVERIFY((*copy)->drop().ok());
    QVERIFY(!DatabaseCopy::exists(*conn, (*copy)->name()).value());
    QCOMPARE(rows(*conn), before);
}

void TestDatabaseCopy::postgresWhileConnected()
{
    const QString text = qEnvironmentVariable("RETORT_TEST_PG_URL");
    if (text.isEmpty())
        QSKIP("set RETORT_TEST_PG_URL to test against this server");
    auto source = DatabaseUrl::parse(text);
    auto conn = open(*source);   // held open: TEMPLATE is refused
    QVERIFY(conn);
    seed(*conn);
    QStringList progress;
    auto copy = DatabaseCopy::create(*source, [&](const QString &line) { progress << line; });
    QVERIFY2(copy.ok(), qPrintable(copy.error().message));
    QCOMPARE((*copy)->method(), QStringLiteral("pg_dump | psql"));
    QVERIFY(progress.first().contains(QLatin1String("being accessed by other users")));
    {
        auto c = open((*copy)->url());
        QVERIFY(c);
        QCOMPARE(rows(*c), rows(*conn));
    }
    const QString name = (*copy)->name();
    QVERIFY((*copy)->drop().ok());
    QVERIFY(!DatabaseCopy::exists(*conn, name).value());
}

void TestDatabaseCopy::postgresFailedDumpDropsScratch()
{
    const QString text = qEnvironmentVariable("RETORT_TEST_PG_URL");
    if (text.isEmpty())
        QSKIP("set RETORT_TEST_PG_URL to test against this server");
    auto source = DatabaseUrl::parse(text);
    auto conn = open(*source);
    QVERIFY(conn);
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", "/nonexistent");   // no pg_dump
    QStringList progress;
    auto copy = DatabaseCopy::create(*source, [&](const QString &line) { progress << line; });
    qputenv("PATH", path);
    QVERIFY(!copy.ok());
    QVERIFY2(copy.error().message.contains(QLatin1String("pg_dump not found")), qPrintable(copy.error().message));
    // The scratch database was created (TEMPLATE refused, then an empty one) and dropped.
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("CREATE DATABASE \"(retort_rehearse_\\w+)\""))
                                          .match(progress.value(0));
    QVERIFY2(m.hasMatch(), qPrintable(progress.join(QLatin1Char('\n'))));
    QVERIFY(!DatabaseCopy::exists(*conn, m.captured(1)).value());
}

void TestDatabaseCopy::canCreateDatabases()
{
    QTemporaryDir dir;
    auto sqlite = open(*DatabaseUrl::parse(QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("a.db"))));
    QVERIFY(sqlite);
    QCOMPARE(DatabaseCopy::canCreateDatabases(*sqlite).value(), true);
    const QString pg = qEnvironmentVariable("RETORT_TEST_PG_URL");
    if (pg.isEmpty())
        QSKIP("set RETORT_TEST_PG_URL to test against this server");
    auto conn = open(*DatabaseUrl::parse(pg));
    QVERIFY(conn);
    QCOMPARE(DatabaseCopy::canCreateDatabases(*conn).value(), true);   // the test server's superuser
    (void)conn->exec(QStringLiteral("DROP ROLE IF EXISTS retort_rh_plain"));
    QVERIFY(conn->exec(QStringLiteral("CREATE ROLE retort_rh_plain NOCREATEDB")).ok());
    QVERIFY(conn->exec(QStringLiteral("SET ROLE retort_rh_plain")).ok());
    const bool plain = DatabaseCopy::canCreateDatabases(*conn).value();
    QVERIFY(conn->exec(QStringLiteral("RESET ROLE")).ok());
    QVERIFY(conn->exec(QStringLiteral("DROP ROLE retort_rh_plain")).ok());
    QCOMPARE(plain, false);
}

void TestDatabaseCopy::mysqlWithoutCreatePrivilege()
{
    const QString text = qEnvironmentVariable("RETORT_TEST_MYSQL_URL");
    if (text.isEmpty())
        QSKIP("set RETORT_TEST_MYSQL_URL to test against this server");
    auto url = DatabaseUrl::parse(text);
    auto admin = open(*url);
    QVERIFY(admin);
    QCOMPARE(DatabaseCopy::canCreateDatabases(*admin).value(), true);   // the test server's user has ALL
    const QString host = url->host().isEmpty() ? QStringLiteral("localhost") : url->host();
    const QString account = QStringLiteral("'retort_rh_plain'@'%1'").arg(host);
    (void)admin->exec(QStringLiteral("DROP USER IF EXISTS %1").arg(account));
    QVERIFY(admin->exec(QStringLiteral("CREATE USER %1 IDENTIFIED BY 'rh-pw'").arg(account)).ok());
    QVERIFY(admin->exec(QStringLiteral("GRANT SELECT, INSERT ON `%1`.* TO %2").arg(url->database(), account)).ok());
    auto plainUrl = DatabaseUrl::parse(QStringLiteral("%1://retort_rh_plain:rh-pw@%2:%3/%4")
                                           .arg(url->drivername(), host).arg(url->port()).arg(url->database()));
    QVERIFY(plainUrl.ok());
    bool plain = true;
    {
        auto conn = open(*plainUrl);
        QVERIFY(conn);
        plain = DatabaseCopy::canCreateDatabases(*conn).value();
    }
    QVERIFY(admin->exec(QStringLiteral("DROP USER %1").arg(account)).ok());
    QCOMPARE(plain, false);
}

QTEST_GUILESS_MAIN(TestDatabaseCopy)
#include "tst_databasecopy.moc"
