// ReflectedTypeRepr against Alembic 1.8.1's render._repr_type for the classes
// SQLAlchemy 1.4's reflection builds (expected strings printed by the reference:
// render._repr_type(<reflected type>, AutogenContext(...)) per dialect).

#include "autogenerate/reflectedtyperepr.h"
#include "autogeneratetestsupport.h"
#include "schema/mysqltypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace retort;
using namespace retort::test;

class tst_ReflectedTypeRepr : public QObject
{
    Q_OBJECT

private slots:
    void render_data();
    void render();
    void reflectedDefaults_data();
    void reflectedDefaults();
    void mysqlMatchesAlembic_data();
    void mysqlMatchesAlembic();
};

void tst_ReflectedTypeRepr::render_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("cls");
    QTest::addColumn<int>("length");      // -1 = none
    QTest::addColumn<int>("precision");
    QTest::addColumn<int>("scale");
    QTest::addColumn<bool>("timezone");
    QTest::addColumn<QStringList>("enumValues");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("importsDialect");

    const QStringList none;
    QTest::newRow("sqlite varchar") << "sqlite" << "VARCHAR" << 30 << -1 << -1 << false << none << "sa.VARCHAR(length=30)" << false;
    QTest::newRow("sqlite integer") << "sqlite" << "INTEGER" << -1 << -1 << -1 << false << none << "sa.INTEGER()" << false;
    QTest::newRow("sqlite datetime") << "sqlite" << "DATETIME" << -1 << -1 << -1 << false << none << "sa.DATETIME()" << false;
    QTest::newRow("sqlite numeric") << "sqlite" << "NUMERIC" << -1 << 10 << 2 << false << none << "sa.NUMERIC(precision=10, scale=2)" << false;
    QTest::newRow("pg timestamptz") << "postgresql" << "TIMESTAMP" << -1 << -1 << -1 << true << none << "postgresql.TIMESTAMP(timezone=True)" << true;
    QTest::newRow("pg timestamp") << "postgresql" << "TIMESTAMP" << -1 << -1 << -1 << false << none << "postgresql.TIMESTAMP()" << true;
    QTest::newRow("pg varchar") << "postgresql" << "VARCHAR" << 50 << -1 << -1 << false << none << "sa.VARCHAR(length=50)" << false;
    QTest::newRow("pg double") << "postgresql" << "DOUBLE_PRECISION" << -1 << 53 << -1 << false << none << "postgresql.DOUBLE_PRECISION(precision=53)" << true;
    QTest::newRow("pg uuid") << "postgresql" << "UUID" << -1 << -1 << -1 << false << none << "postgresql.UUID()" << true;
    QTest::newRow("pg jsonb") << "postgresql" << "JSONB" << -1 << -1 << -1 << false << none << "postgresql.JSONB(astext_type=sa.Text())" << true;
    QTest::newRow("pg text") << "postgresql" << "TEXT" << -1 << -1 << -1 << false << none << "sa.TEXT()" << false;
    QTest::newRow("pg timestamp(3)") << "postgresql" << "TIMESTAMP" << -1 << 3 << -1 << false << none << "postgresql.TIMESTAMP(precision=3)" << true;
    QTest::newRow("pg time(4) tz") << "postgresql" << "TIME" << -1 << 4 << -1 << true << none << "postgresql.TIME(timezone=True, precision=4)" << true;
    QTest::newRow("pg bit(3)") << "postgresql" << "BIT" << 3 << -1 << -1 << false << none << "postgresql.BIT(length=3)" << true;
    QTest::newRow("pg interval(2)") << "postgresql" << "INTERVAL" << -1 << 2 << -1 << false << none << "postgresql.INTERVAL(precision=2)" << true;
    QTest::newRow("mysql varchar") << "mysql" << "VARCHAR" << 50 << -1 << -1 << false << none << "mysql.VARCHAR(length=50)" << true;
    QTest::newRow("mysql enum") << "mysql" << "ENUM" << -1 << -1 << -1 << false << QStringList{"a", "b"} << "mysql.ENUM('a', 'b')" << true;
    QTest::newRow("mysql decimal") << "mysql" << "DECIMAL" << -1 << 10 << 2 << false << none << "mysql.DECIMAL(precision=10, scale=2)" << true;
}

void tst_ReflectedTypeRepr::render()
{
    QFETCH(QString, dialect);
    QFETCH(QString, cls);
    QFETCH(int, length);
    QFETCH(int, precision);
    QFETCH(int, scale);
    QFETCH(bool, timezone);
    QFETCH(QStringList, enumValues);
    QFETCH(QString, expected);
    QFETCH(bool, importsDialect);

    SchemaColumn c;
    c.name = QStringLiteral("c");
    c.typeInfo.typeClass = cls;
    if (length >= 0)
        c.typeInfo.length = length;
    if (precision >= 0)
        c.typeInfo.precision = precision;
    if (scale >= 0)
        c.typeInfo.scale = scale;
    if (timezone)
        c.typeInfo.timezone = true;
    c.typeInfo.enumValues = enumValues;
    QSet<QString> imports;
    QCOMPARE(ReflectedTypeRepr::render(c, dialect, &imports), expected);
    QCOMPARE(imports.contains(QStringLiteral("from sqlalchemy.dialects import %1")
                                  .arg(dialect == QLatin1String("mysql") ? QStringLiteral("mysql") : dialect)),
             importsDialect);
}

void tst_ReflectedTypeRepr::reflectedDefaults_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("affinity");
    QTest::addColumn<QString>("reflected");
    QTest::addColumn<QString>("expected");   // "<none>" = no default
    // SQLiteImpl.autogen_column_reflect parenthesizes what looks like an expression.
    QTest::newRow("sqlite digit") << "sqlite" << "Integer" << "1" << "1";
    QTest::newRow("sqlite number") << "sqlite" << "Integer" << "10" << "(10)";
    QTest::newRow("sqlite string") << "sqlite" << "String" << "'n/a'" << "'n/a'";
    QTest::newRow("sqlite expression") << "sqlite" << "DateTime" << "CURRENT_TIMESTAMP" << "(CURRENT_TIMESTAMP)";
    QTest::newRow("sqlite parenthesized") << "sqlite" << "DateTime" << "(CURRENT_TIMESTAMP)" << "(CURRENT_TIMESTAMP)";
    QTest::newRow("pg serial") << "postgresql" << "Integer" << "nextval('t_c_seq'::regclass)" << "<none>";
    QTest::newRow("pg other sequence") << "postgresql" << "Integer" << "nextval('shared_seq'::regclass)"
                                       << "nextval('shared_seq'::regclass)";
}

void tst_ReflectedTypeRepr::reflectedDefaults()
{
    QFETCH(QString, dialect);
    QFETCH(QString, affinity);
    QFETCH(QString, reflected);
    QFETCH(QString, expected);
    SchemaColumn c;
    c.name = QStringLiteral("c");
    c.typeInfo.affinity = affinity;
    c.serverDefault = reflected;
    QCOMPARE(ReflectedTypeRepr::reflectedDefault(c, QStringLiteral("t"), dialect).value_or(QStringLiteral("<none>")),
             expected);
}

// expected/mysql_reprs.json (expected_mysql_reprs.py on MariaDB): COLUMN_TYPE and the
// charset / collation SHOW CREATE TABLE names -> render._repr_type of SQLAlchemy's type.
void tst_ReflectedTypeRepr::mysqlMatchesAlembic_data()
{
    QTest::addColumn<QString>("columnType");
    QTest::addColumn<QString>("charset");
    QTest::addColumn<QString>("collation");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QStringList>("imports");
    const QJsonArray types = QJsonDocument::fromJson(
        readText(autogenFixture(QStringLiteral("expected/mysql_reprs.json"))).toUtf8()).object()
        .value(QStringLiteral("types")).toArray();
    QVERIFY(types.size() > 40);
    for (const QJsonValue &v : types) {
        const QJsonObject o = v.toObject();
        QStringList imports;
        for (const QJsonValue &i : o.value(QStringLiteral("imports")).toArray())
            imports << i.toString();
        QTest::newRow(qPrintable(o.value(QStringLiteral("name")).toString()))
            << o.value(QStringLiteral("column_type")).toString() << o.value(QStringLiteral("charset")).toString()
            << o.value(QStringLiteral("collation")).toString() << o.value(QStringLiteral("python")).toString()
            << imports;
    }
}

void tst_ReflectedTypeRepr::mysqlMatchesAlembic()
{
    QFETCH(QString, columnType);
    QFETCH(QString, charset);
    QFETCH(QString, collation);
    QFETCH(QString, expected);
    QFETCH(QStringList, imports);
    SchemaColumn c;
    c.name = QStringLiteral("c");
    MySqlTypes::resolve(columnType, charset, collation, c);
    QSet<QString> actualImports;
    QCOMPARE(ReflectedTypeRepr::render(c, QStringLiteral("mysql"), &actualImports), expected);
    QStringList sorted(actualImports.begin(), actualImports.end());
    sorted.sort();
    QCOMPARE(sorted, imports);
}

QTEST_GUILESS_MAIN(tst_ReflectedTypeRepr)
#include "tst_reflectedtyperepr.moc"
