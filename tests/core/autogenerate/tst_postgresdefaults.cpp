// PostgreSQL server default comparison (PostgresqlImpl.compare_server_default): the
// comparator hands what it cannot decide from the texts to CompareOptions'
// serverDefaultsEqual hook (`SELECT <conn> = <meta>` on the live connection, which
// Autogenerator fills in through PostgresDefaultProbe), and the probe itself against a
// real server when RETORT_TEST_PG_URL is set.

#include "autogenerate/postgresdefaultprobe.h"
#include "autogenerate/schemacomparator.h"
#include "config/databaseurl.h"
#include "runtime/databaseconnection.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

class tst_PostgresDefaults : public QObject
{
    Q_OBJECT

private slots:
    void comparatorAsksTheHook_data();
    void comparatorAsksTheHook();
    void serialColumnNotAsked();
    void plainStringQuotedForTheServer_data();
    void plainStringQuotedForTheServer();
    void probeOnServer_data();
    void probeOnServer();
    void probeInsideTransaction();
    void noProbeForOtherDialects();
};

namespace {

struct Call { QString conn; QString meta; };

SchemaModel numericTable(const QString &name, const std::optional<QString> &serverDefault)
{
    SchemaColumn c;
    c.name = QStringLiteral("total");
    c.type = QStringLiteral("NUMERIC(12, 2)");
    c.typeInfo.affinity = QStringLiteral("Numeric");
    c.serverDefault = serverDefault;
    SchemaTable t;
    t.name = name;
    t.columns = {c};
    SchemaModel m;
    m.dialect = QStringLiteral("postgresql");
    m.defaultSchemaName = QStringLiteral("public");
    m.schema(QString()).tables << t;
    return m;
}

} // namespace

void tst_PostgresDefaults::comparatorAsksTheHook_data()
{
    QTest::addColumn<int>("answer");   // -1: no hook, 0 / 1: equal?, 2: cannot tell
    QTest::addColumn<int>("ops");
    // Offline the texts differ ("0.00" vs "0"): only the server can say they are equal.
    QTest::newRow("no hook: texts compared") << -1 << 1;
    QTest::newRow("server says equal") << 1 << 0;
    QTest::newRow("server says different") << 0 << 1;
    QTest::newRow("server cannot tell: texts compared") << 2 << 1;
}

void tst_PostgresDefaults::comparatorAsksTheHook()
{
    QFETCH(int, answer);
    QFETCH(int, ops);
    const SchemaModel db = numericTable(QStringLiteral("orders"), QStringLiteral("'0.00'::numeric"));
    const SchemaModel model = numericTable(QStringLiteral("orders"), QStringLiteral("0"));
    CompareOptions options;
    options.compareServerDefault = true;
    QVector<Call> calls;
    if (answer >= 0)
        options.serverDefaultsEqual = [&](const QString &c, const QString &m) -> std::optional<bool> {
            calls.append({c, m});
            return answer == 2 ? std::nullopt : std::optional<bool>(answer == 1);
        };
    const SchemaDiff diff = SchemaComparator(model, nullptr, db, options).compare();
    QCOMPARE(diff.flattened().size(), ops);
    if (ops)
        QVERIFY(diff.flattened().first().modifiesServerDefault);
    QCOMPARE(calls.size(), answer >= 0 ? 1 : 0);
    if (!calls.isEmpty()) {
        QCOMPARE(calls.first().conn, QStringLiteral("'0.00'::numeric"));
        QCOMPARE(calls.first().meta, QStringLiteral("0"));
    }
}

void tst_PostgresDefaults::serialColumnNotAsked()
{
    // A sequence default that is not the column's own SERIAL sequence is reflected, but
    // Alembic never compares defaults of the table's autoincrement primary key.
    SchemaModel db = numericTable(QStringLiteral("t"), QStringLiteral("nextval('other_seq'::regclass)"));
    SchemaModel model = numericTable(QStringLiteral("t"), std::nullopt);
    ModelRenderHints hints;
    TableHint th;
    th.name = QStringLiteral("t");
    ColumnHint ch;
    ch.autoincrementColumn = true;
    th.columns.insert(QStringLiteral("total"), ch);
    hints.addTable(th);
    CompareOptions options;
    options.compareServerDefault = true;
    int calls = 0;
    options.serverDefaultsEqual = [&](const QString &, const QString &) -> std::optional<bool> {
        ++calls;
        return false;
    };
    QVERIFY(SchemaComparator(model, &hints, db, options).compare().isEmpty());
    QCOMPARE(calls, 0);
    // Without the hint the column is an ordinary one and the removed default is reported
    // without asking the server (one side is None).
    QCOMPARE(SchemaComparator(model, nullptr, db, options).compare().flattened().size(), 1);
    QCOMPARE(calls, 0);
}

void tst_PostgresDefaults::plainStringQuotedForTheServer_data()
{
    QTest::addColumn<QString>("affinity");
    QTest::addColumn<bool>("isString");
    QTest::addColumn<QString>("meta");
    QTest::addColumn<QString>("sent");
    QTest::newRow("integer column, str default") << "Integer" << true << "5" << "'5'";
    QTest::newRow("numeric column, str default") << "Numeric" << true << "5" << "5";
    QTest::newRow("integer column, text() default") << "Integer" << false << "5" << "5";
    QTest::newRow("already quoted") << "String" << true << "'abc'" << "'abc'";
}

void tst_PostgresDefaults::plainStringQuotedForTheServer()
{
    QFETCH(QString, affinity);
    QFETCH(bool, isString);
    QFETCH(QString, meta);
    QFETCH(QString, sent);
    SchemaColumn c;
    c.name = QStringLiteral("c");
    c.typeInfo.affinity = affinity;
    ServerDefaultComparator::Sides s;
    s.conn = &c;
    s.meta = &c;
    s.connDefault = QStringLiteral("7");
    s.metaDefault = meta;
    s.metaDefaultIsString = isString;
    QString got;
    const bool differ = ServerDefaultComparator::differ(
        QStringLiteral("postgresql"), s, [&](const QString &, const QString &m) -> std::optional<bool> {
            got = m;
            return true;
        });
    QVERIFY(!differ);
    QCOMPARE(got, sent);
}

void tst_PostgresDefaults::probeOnServer_data()
{
    QTest::addColumn<QString>("conn");
    QTest::addColumn<QString>("meta");
    QTest::addColumn<int>("expected");   // 0 / 1: equal?, 2: no answer
    QTest::newRow("numeric cast") << "'0.00'::numeric" << "0" << 1;
    QTest::newRow("enum label") << "'active'::text" << "'active'" << 1;
    QTest::newRow("now() vs CURRENT_TIMESTAMP") << "now()" << "CURRENT_TIMESTAMP" << 1;
    QTest::newRow("different values") << "'a'::text" << "'b'" << 0;
    QTest::newRow("NULL is not equal") << "NULL" << "NULL" << 0;
    QTest::newRow("invalid comparison") << "1" << "'x'::text" << 2;
}

void tst_PostgresDefaults::probeOnServer()
{
    const QString url = qEnvironmentVariable("RETORT_TEST_PG_URL");
    if (url.isEmpty())
        QSKIP("RETORT_TEST_PG_URL not set");
    QFETCH(QString, conn);
    QFETCH(QString, meta);
    QFETCH(int, expected);
    auto c = DatabaseConnection::openUrl(url);
    QVERIFY2(c.ok(), qPrintable(c.error().message));
    const auto probe = PostgresDefaultProbe::forConnection(**c);
    QVERIFY(probe);
    const std::optional<bool> equal = probe(conn, meta);
    QCOMPARE(equal.has_value(), expected != 2);
    if (equal)
        QCOMPARE(*equal, expected == 1);
}

void tst_PostgresDefaults::probeInsideTransaction()
{
    const QString url = qEnvironmentVariable("RETORT_TEST_PG_URL");
    if (url.isEmpty())
        QSKIP("RETORT_TEST_PG_URL not set");
    auto c = DatabaseConnection::openUrl(url);
    QVERIFY2(c.ok(), qPrintable(c.error().message));
    DatabaseConnection &conn = **c;
    QVERIFY(conn.begin().ok());
    const auto probe = PostgresDefaultProbe::forConnection(conn);
    QCOMPARE(probe(QStringLiteral("1"), QStringLiteral("'x'::text")), std::optional<bool>());
    // The failed comparison did not abort the surrounding transaction.
    QCOMPARE(probe(QStringLiteral("'0'::numeric"), QStringLiteral("0.0")), std::optional<bool>(true));
    QVERIFY(conn.exec(QStringLiteral("SELECT 1")).ok());
    QVERIFY(conn.rollback().ok());
}

void tst_PostgresDefaults::noProbeForOtherDialects()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto c = DatabaseConnection::openUrl(QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("x.db")));
    QVERIFY2(c.ok(), qPrintable(c.error().message));
    QVERIFY(!PostgresDefaultProbe::forConnection(**c));
}

QTEST_GUILESS_MAIN(tst_PostgresDefaults)
#include "tst_postgresdefaults.moc"
