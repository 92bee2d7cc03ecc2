// `retort diff URL_A URL_B` on PostgreSQL compares server defaults the way
// `revision --autogenerate` does: the server says whether two defaults are equal
// (PostgresDefaultProbe), so now() and CURRENT_TIMESTAMP, or a SERIAL's own sequence on
// both sides, are no difference; a changed literal still is. Needs RETORT_TEST_PG_URL.

#include "command/commandline.h"
#include "command/commandoutput.h"
#include "config/databaseurl.h"
#include "runtime/databaseconnection.h"

#include <QCoreApplication>
#include <QtTest>

using namespace retort;

namespace {

// The URL with another database name (path part replaced).
QString withDatabase(const QString &url, const QString &database)
{
    const int q = url.indexOf(QLatin1Char('?'));
    const QString base = q >= 0 ? url.left(q) : url;
    const int slash = base.indexOf(QLatin1Char('/'), base.indexOf(QStringLiteral("//")) + 2);
    return (slash >= 0 ? base.left(slash) : base) + QLatin1Char('/') + database + (q >= 0 ? url.mid(q) : QString());
}

} // namespace

class TestSchemaDiff : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void postgresDefaults_data();
    void postgresDefaults();
    void cleanupTestCase();

private:
    // Creates database `name` holding one table t whose `at` / `n` columns have these defaults.
    void createDatabase(const QString &name, const QString &atDefault, const QString &nDefault);

    QString m_admin;
    QStringList m_databases;
};

void TestSchemaDiff::initTestCase()
{
    m_admin = qEnvironmentVariable("RETORT_TEST_PG_URL");
    if (m_admin.isEmpty())
        QSKIP("RETORT_TEST_PG_URL not set");
}

void TestSchemaDiff::createDatabase(const QString &name, const QString &atDefault, const QString &nDefault)
{
    auto admin = DatabaseConnection::openUrl(m_admin);
    QVERIFY2(admin.ok(), qPrintable(admin.error().message));
    (void)(*admin)->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(name));
    QVERIFY((*admin)->exec(QStringLiteral("CREATE DATABASE %1").arg(name)).ok());
    m_databases << name;
    auto conn = DatabaseConnection::openUrl(withDatabase(m_admin, name));
    QVERIFY2(conn.ok(), qPrintable(conn.error().message));
    const auto created = (*conn)->exec(QStringLiteral(
        "CREATE TABLE t (id SERIAL PRIMARY KEY, at TIMESTAMP DEFAULT %1, n NUMERIC(5, 1) DEFAULT %2, "
        "s VARCHAR(5) DEFAULT 'x')").arg(atDefault, nDefault));
    QVERIFY2(created.ok(), qPrintable(created.error().message));
}

void TestSchemaDiff::postgresDefaults_data()
{
    QTest::addColumn<QString>("atDefault");   // of the target; the source has now() and 0
    QTest::addColumn<QString>("nDefault");
    QTest::addColumn<QString>("expected");    // stdout
    QTest::addColumn<int>("code");
    const QString none = QStringLiteral("No new upgrade operations detected.\n");
    QTest::newRow("same") << "now()" << "0" << none << 0;
    QTest::newRow("equal by the server") << "CURRENT_TIMESTAMP" << "0.0" << none << 0;
    QTest::newRow("changed literal") << "now()" << "1"
                                     << "New upgrade operations detected:\n  modify_column t.n (server default)\n" << 1;
}

void TestSchemaDiff::postgresDefaults()
{
    QFETCH(QString, atDefault);
    QFETCH(QString, nDefault);
    QFETCH(QString, expected);
    QFETCH(int, code);
    const QString pid = QString::number(QCoreApplication::applicationPid());
    const QString source = QStringLiteral("retort_diff_src_") + pid;
    const QString target = QStringLiteral("retort_diff_dst_") + pid;
    createDatabase(source, QStringLiteral("now()"), QStringLiteral("0"));
    createDatabase(target, atDefault, nDefault);
    if (QTest::currentTestFailed())
        return;
    BufferCommandOutput output;
    CommandLine cli(QStringLiteral("retort"), &output);
    const int exit = cli.run({QStringLiteral("diff"), withDatabase(m_admin, source), withDatabase(m_admin, target)});
    QVERIFY2(output.err.isEmpty() || exit == code, qPrintable(output.err));
    QCOMPARE(output.out, expected);
    QCOMPARE(exit, code);
}

void TestSchemaDiff::cleanupTestCase()
{
    if (m_admin.isEmpty())
        return;
    auto admin = DatabaseConnection::openUrl(m_admin);
    if (!admin)
        return;
    for (const QString &name : std::as_const(m_databases))
        (void)(*admin)->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(name));
}

QTEST_GUILESS_MAIN(TestSchemaDiff)
#include "tst_schemadiff.moc"
