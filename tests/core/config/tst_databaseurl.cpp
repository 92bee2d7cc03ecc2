// DatabaseUrl against sqlalchemy.engine.url.make_url (SQLAlchemy 1.4.46): backend, drivername,
// username, password, host, database, port, repr() (password masked) and str().
#include "config/databaseurl.h"

#include <QtTest>

using namespace retort;

class tst_DatabaseUrl : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void qtDrivers_data();
    void qtDrivers();
    void errors_data();
    void errors();
    void queryPasswordMasked_data();
    void queryPasswordMasked();
    void sqlitePaths();
};

void tst_DatabaseUrl::parse_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("drivername");
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("database");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("repr");
    QTest::addColumn<QString>("str");
    QTest::newRow("postgresql+psycopg2://us%40er:p%40ss:w@host:5432/db%20x?sslmode=require&a=1&a=2&b=") << QStringLiteral("postgresql+psycopg2://us%40er:p%40ss:w@host:5432/db%20x?sslmode=require&a=1&a=2&b=") << QStringLiteral("postgresql") << QStringLiteral("postgresql+psycopg2") << QStringLiteral("us@er") << QStringLiteral("p@ss:w") << QStringLiteral("host") << QStringLiteral("db%20x") << 5432 << QStringLiteral("postgresql+psycopg2://us%40er:***@host:5432/db%20x?a=1&a=2&sslmode=require") << QStringLiteral("postgresql+psycopg2://us%40er:p%40ss%3Aw@host:5432/db%20x?a=1&a=2&sslmode=require");
    QTest::newRow("sqlite:///rel.db") << QStringLiteral("sqlite:///rel.db") << QStringLiteral("sqlite") << QStringLiteral("sqlite") << QStringLiteral("") << QStringLiteral("") << QStringLiteral("") << QStringLiteral("rel.db") << -1 << QStringLiteral("sqlite:///rel.db") << QStringLiteral("sqlite:///rel.db");
    QTest::newRow("sqlite:////abs/p.db") << QStringLiteral("sqlite:////abs/p.db") << QStringLiteral("sqlite") << QStringLiteral("sqlite") << QStringLiteral("") << QStringLiteral("") << QStringLiteral("") << QStringLiteral("/abs/p.db") << -1 << QStringLiteral("sqlite:////abs/p.db") << QStringLiteral("sqlite:////abs/p.db");
    QTest::newRow("sqlite://") << QStringLiteral("sqlite://") << QStringLiteral("sqlite") << QStringLiteral("sqlite") << QStringLiteral("") << QStringLiteral("") << QStringLiteral("") << QStringLiteral("") << -1 << QStringLiteral("sqlite://") << QStringLiteral("sqlite://");
    QTest::newRow("mysql://u@[::1]:3306/d") << QStringLiteral("mysql://u@[::1]:3306/d") << QStringLiteral("mysql") << QStringLiteral("mysql") << QStringLiteral("u") << QStringLiteral("") << QStringLiteral("::1") << QStringLiteral("d") << 3306 << QStringLiteral("mysql://u@[::1]:3306/d") << QStringLiteral("mysql://u@[::1]:3306/d");
    QTest::newRow("mariadb+pymysql://u:pw@h/d?charset=utf8mb4") << QStringLiteral("mariadb+pymysql://u:pw@h/d?charset=utf8mb4") << QStringLiteral("mariadb") << QStringLiteral("mariadb+pymysql") << QStringLiteral("u") << QStringLiteral("pw") << QStringLiteral("h") << QStringLiteral("d") << -1 << QStringLiteral("mariadb+pymysql://u:***@h/d?charset=utf8mb4") << QStringLiteral("mariadb+pymysql://u:pw@h/d?charset=utf8mb4");
    QTest::newRow("postgresql://scott:tiger%40x@localhost:5432/edge?sslmode=require") << QStringLiteral("postgresql://scott:tiger%40x@localhost:5432/edge?sslmode=require") << QStringLiteral("postgresql") << QStringLiteral("postgresql") << QStringLiteral("scott") << QStringLiteral("tiger@x") << QStringLiteral("localhost") << QStringLiteral("edge") << 5432 << QStringLiteral("postgresql://scott:***@localhost:5432/edge?sslmode=require") << QStringLiteral("postgresql://scott:tiger%40x@localhost:5432/edge?sslmode=require");
    QTest::newRow("mysql+mysqldb://root@localhost/test") << QStringLiteral("mysql+mysqldb://root@localhost/test") << QStringLiteral("mysql") << QStringLiteral("mysql+mysqldb") << QStringLiteral("root") << QStringLiteral("") << QStringLiteral("localhost") << QStringLiteral("test") << -1 << QStringLiteral("mysql+mysqldb://root@localhost/test") << QStringLiteral("mysql+mysqldb://root@localhost/test");
    QTest::newRow("sqlite:///:memory:") << QStringLiteral("sqlite:///:memory:") << QStringLiteral("sqlite") << QStringLiteral("sqlite") << QStringLiteral("") << QStringLiteral("") << QStringLiteral("") << QStringLiteral(":memory:") << -1 << QStringLiteral("sqlite:///:memory:") << QStringLiteral("sqlite:///:memory:");
    QTest::newRow("postgresql:///dbonly") << QStringLiteral("postgresql:///dbonly") << QStringLiteral("postgresql") << QStringLiteral("postgresql") << QStringLiteral("") << QStringLiteral("") << QStringLiteral("") << QStringLiteral("dbonly") << -1 << QStringLiteral("postgresql:///dbonly") << QStringLiteral("postgresql:///dbonly");
    QTest::newRow("empty user") << QStringLiteral("sqlite://@/x.db") << QStringLiteral("sqlite") << QStringLiteral("sqlite") << QStringLiteral("") << QStringLiteral("") << QStringLiteral("") << QStringLiteral("x.db") << -1 << QStringLiteral("sqlite://@/x.db") << QStringLiteral("sqlite://@/x.db");
}

void tst_DatabaseUrl::parse()
{
    QFETCH(QString, url);
    auto u = DatabaseUrl::parse(url);
    QVERIFY2(u.ok(), qPrintable(u.error().toString()));
    QTEST(u->backendName(), "backend");
    QTEST(u->drivername(), "drivername");
    QTEST(u->username(), "username");
    QTEST(u->password(), "password");
    QTEST(u->host(), "host");
    QTEST(u->database(), "database");
    QTEST(u->port(), "port");
    QTEST(u->toDisplayString(), "repr");
    QTEST(u->toString(), "str");
}

void tst_DatabaseUrl::qtDrivers_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("qtDriver");
    QTest::addColumn<QString>("dialect");
    QTest::newRow("sqlite") << QStringLiteral("sqlite:///x.db") << QStringLiteral("QSQLITE") << QStringLiteral("sqlite");
    QTest::newRow("pg") << QStringLiteral("postgresql+asyncpg://h/d") << QStringLiteral("QPSQL") << QStringLiteral("postgresql");
    QTest::newRow("postgres") << QStringLiteral("postgres://h/d") << QStringLiteral("QPSQL") << QStringLiteral("postgresql");
    QTest::newRow("mysql") << QStringLiteral("mysql+pymysql://h/d") << QStringLiteral("QMYSQL") << QStringLiteral("mysql");
    QTest::newRow("mariadb") << QStringLiteral("mariadb://h/d") << QStringLiteral("QMYSQL") << QStringLiteral("mariadb");
}

void tst_DatabaseUrl::qtDrivers()
{
    QFETCH(QString, url);
    auto u = DatabaseUrl::parse(url);
    QVERIFY(u.ok());
    QTEST(u->qtDriverName(), "qtDriver");
    QTEST(u->dialectName(), "dialect");
}

void tst_DatabaseUrl::errors_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("message");
    QTest::newRow("no scheme") << QStringLiteral("a/b") << QStringLiteral("Could not parse SQLAlchemy URL from string 'a/b'");
    QTest::newRow("one slash") << QStringLiteral("sqlite:/x") << QStringLiteral("Could not parse SQLAlchemy URL from string 'sqlite:/x'");
    QTest::newRow("template placeholder") << QStringLiteral("driver://user:pass@localhost/dbname")
                                          << QStringLiteral("Can't load plugin: sqlalchemy.dialects:driver "
                                                            "(retort supports sqlite, postgresql, mysql and mariadb)");
    // sqlalchemy.exc.NoSuchModuleError's text for a driver the dialect package lacks.
    QTest::newRow("unknown pg driver") << QStringLiteral("postgresql+nosuch://u@h/db")
                                       << QStringLiteral("Can't load plugin: sqlalchemy.dialects:postgresql.nosuch");
    QTest::newRow("unknown sqlite driver") << QStringLiteral("sqlite+psycopg2:///x.db")
                                           << QStringLiteral("Can't load plugin: sqlalchemy.dialects:sqlite.psycopg2");
    QTest::newRow("unknown mariadb driver") << QStringLiteral("mariadb+pg8000://h/d")
                                            << QStringLiteral("Can't load plugin: sqlalchemy.dialects:mariadb.pg8000");
}

// A password in the query string is masked wherever the user:password@ form is (SQLAlchemy
// would print it; issue 9). str() keeps it, as the connection needs it.
void tst_DatabaseUrl::queryPasswordMasked_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("display");
    QTest::addColumn<QString>("password");
    QTest::newRow("only param") << QStringLiteral("postgresql://u@h/db?password=secret")
                                << QStringLiteral("postgresql://u@h/db?password=***") << QStringLiteral("secret");
    QTest::newRow("after another") << QStringLiteral("postgresql://u@h/db?sslmode=disable&password=se%26cret")
                                   << QStringLiteral("postgresql://u@h/db?password=***&sslmode=disable")
                                   << QStringLiteral("se&cret");
    QTest::newRow("both forms") << QStringLiteral("mysql+mysqldb://u:pw@h/db?passwd=secret")
                                << QStringLiteral("mysql+mysqldb://u:***@h/db?passwd=***") << QStringLiteral("secret");
    QTest::newRow("blank is no parameter") << QStringLiteral("postgresql://u@h/db?sslmode=disable&password=")
                                           << QStringLiteral("postgresql://u@h/db?sslmode=disable") << QString();
}

void tst_DatabaseUrl::queryPasswordMasked()
{
    QFETCH(QString, url);
    QFETCH(QString, display);
    QFETCH(QString, password);
    auto u = DatabaseUrl::parse(url);
    QVERIFY2(u.ok(), qPrintable(u.error().toString()));
    QCOMPARE(u->toDisplayString(), display);
    QCOMPARE(u->hasQueryPassword(), !password.isEmpty());
    QCOMPARE(u->queryPassword(), password);
    if (!password.isEmpty()) {
        QVERIFY(!u->toDisplayString().contains(QStringLiteral("secret")));
        QVERIFY(!u->toDisplayString(QStringLiteral("XXXXX")).contains(QStringLiteral("secret")));
        QVERIFY(u->toString().contains(QStringLiteral("secret")) || u->toString().contains(QStringLiteral("se%26cret")));
    }
}

void tst_DatabaseUrl::errors()
{
    QFETCH(QString, url);
    QFETCH(QString, message);
    auto u = DatabaseUrl::parse(url);
    QVERIFY(!u.ok());
    QCOMPARE(u.error().message, message);
}

void tst_DatabaseUrl::sqlitePaths()
{
    QVERIFY(DatabaseUrl::parse(QStringLiteral("sqlite://"))->isSqliteMemory());
    QVERIFY(DatabaseUrl::parse(QStringLiteral("sqlite:///:memory:"))->isSqliteMemory());
    QVERIFY(!DatabaseUrl::parse(QStringLiteral("sqlite:///a.db"))->isSqliteMemory());
    QCOMPARE(DatabaseUrl::parse(QStringLiteral("sqlite:////abs/p.db"))->sqliteFilePath(), QStringLiteral("/abs/p.db"));
    QCOMPARE(DatabaseUrl::parse(QStringLiteral("sqlite:///rel.db"))->sqliteFilePath(),
             QDir::current().absoluteFilePath(QStringLiteral("rel.db")));
}

QTEST_APPLESS_MAIN(tst_DatabaseUrl)
#include "tst_databaseurl.moc"
