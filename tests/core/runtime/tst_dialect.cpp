// Dialect: identifier quoting and literals as SQLAlchemy 1.4.46 renders them
// (expected values from IdentifierPreparer.quote / literal_binds per dialect).

#include "runtime/dialect.h"

#include <QtTest>

using namespace retort;

class TestDialect : public QObject
{
    Q_OBJECT
private slots:
    void quoteIdentifier_data();
    void quoteIdentifier();
    void qualifiedName();
    void stringLiteral_data();
    void stringLiteral();
    void fromName_data();
    void fromName();
};

void TestDialect::quoteIdentifier_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("expected");   // sqlite, postgresql, mysql, mariadb
    auto row = [](const char *tag, const QString &n, const QStringList &e) {
        QTest::newRow(tag) << n << e;
    };
    row("plain", "alembic_version", {"alembic_version", "alembic_version", "alembic_version", "alembic_version"});
    row("uppercase", "Version", {"\"Version\"", "\"Version\"", "`Version`", "`Version`"});
    row("reserved everywhere", "select", {"\"select\"", "\"select\"", "`select`", "`select`"});
    row("reserved in pg only", "user", {"user", "\"user\"", "user", "user"});
    row("digit first", "1abc", {"\"1abc\"", "\"1abc\"", "`1abc`", "`1abc`"});
    row("dollar first", "$x", {"\"$x\"", "\"$x\"", "`$x`", "`$x`"});
    row("dollar inside", "a$b", {"a$b", "a$b", "a$b", "a$b"});
    row("space", "with space", {"\"with space\"", "\"with space\"", "`with space`", "`with space`"});
    row("dash", "my-table", {"\"my-table\"", "\"my-table\"", "`my-table`", "`my-table`"});
    row("double quote", "q\"uote", {"\"q\"\"uote\"", "\"q\"\"uote\"", "`q\"uote`", "`q\"uote`"});
    row("backtick", "q`uote", {"\"q`uote\"", "\"q`uote\"", "`q``uote`", "`q``uote`"});
    row("upper reserved", "ALTER", {"\"ALTER\"", "\"ALTER\"", "`ALTER`", "`ALTER`"});
    row("offset: mariadb only", "offset", {"\"offset\"", "\"offset\"", "offset", "`offset`"});
    row("rank: mysql only", "rank", {"rank", "rank", "`rank`", "rank"});
    row("underscore first", "_x", {"_x", "_x", "_x", "_x"});
    row("non-ascii", QString::fromUtf8("über"), {QString::fromUtf8("\"über\""), QString::fromUtf8("\"über\""), QString::fromUtf8("`über`"), QString::fromUtf8("`über`")});
    row("accessible", "accessible", {"accessible", "accessible", "`accessible`", "`accessible`"});
    row("analyze", "analyze", {"\"analyze\"", "\"analyze\"", "`analyze`", "`analyze`"});
    row("current_schema", "current_schema", {"current_schema", "\"current_schema\"", "current_schema", "current_schema"});
}

void TestDialect::quoteIdentifier()
{
    QFETCH(QString, name);
    QFETCH(QStringList, expected);
    const Dialect::Kind kinds[] = {Dialect::SQLite, Dialect::PostgreSQL, Dialect::MySQL, Dialect::MariaDB};
    for (int i = 0; i < 4; ++i)
        QCOMPARE(Dialect(kinds[i]).quoteIdentifier(name), expected.at(i));
}

void TestDialect::qualifiedName()
{
    QCOMPARE(Dialect(Dialect::PostgreSQL).qualifiedName(QStringLiteral("audit"), QStringLiteral("Deploy_Version")),
             QStringLiteral("audit.\"Deploy_Version\""));
    QCOMPARE(Dialect(Dialect::MySQL).qualifiedName(QStringLiteral("Ops"), QStringLiteral("v")),
             QStringLiteral("`Ops`.v"));
    QCOMPARE(Dialect(Dialect::SQLite).qualifiedName(QString(), QStringLiteral("v")), QStringLiteral("v"));
}

void TestDialect::stringLiteral_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    const QString v = QStringLiteral("a'b\\c%");
    QTest::newRow("sqlite") << int(Dialect::SQLite) << v << QStringLiteral("'a''b\\c%'");
    QTest::newRow("postgresql") << int(Dialect::PostgreSQL) << v << QStringLiteral("'a''b\\\\c%'");
    QTest::newRow("mysql") << int(Dialect::MySQL) << v << QStringLiteral("'a''b\\\\c%'");
    QTest::newRow("plain") << int(Dialect::SQLite) << QStringLiteral("abc") << QStringLiteral("'abc'");
}

void TestDialect::stringLiteral()
{
    QFETCH(int, kind);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QCOMPARE(Dialect(Dialect::Kind(kind)).stringLiteral(value), expected);
}

void TestDialect::fromName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("impl");       // "" = error expected
    QTest::addColumn<bool>("transactional");
    QTest::addColumn<QString>("qtDriver");
    QTest::newRow("sqlite") << "sqlite" << "SQLiteImpl" << false << "QSQLITE";
    QTest::newRow("postgresql+psycopg2") << "postgresql+psycopg2" << "PostgresqlImpl" << true << "QPSQL";
    QTest::newRow("mysql+pymysql") << "mysql+pymysql" << "MySQLImpl" << false << "QMYSQL";
    QTest::newRow("mariadb") << "mariadb" << "MariaDBImpl" << false << "QMYSQL";
    QTest::newRow("postgres (refused by 1.4)") << "postgres" << "" << false << "";
}

void TestDialect::fromName()
{
    QFETCH(QString, name);
    QFETCH(QString, impl);
    QFETCH(bool, transactional);
    QFETCH(QString, qtDriver);
    const Result<Dialect> d = Dialect::fromName(name);
    if (impl.isEmpty()) {
        QVERIFY(!d.ok());
        QCOMPARE(d.error().message, QStringLiteral("Can't load plugin: sqlalchemy.dialects:") + name);
        return;
    }
    QVERIFY(d.ok());
    QCOMPARE(d->implName(), impl);
    QCOMPARE(d->transactionalDdl(), transactional);
    QCOMPARE(d->qtDriverName(), qtDriver);
}

QTEST_GUILESS_MAIN(TestDialect)
#include "tst_dialect.moc"
