// The CLI logs the plan review before an online run, as Alembic-style WARNING lines of
// the retort.review logger: on the demo project (SQLite), `downgrade -1` with data in
// the two columns it drops names them and the values they hold; without data, or on an
// upgrade that loses nothing, nothing is logged; --sql never counts.

#include "command/commandline.h"
#include "command/commandoutput.h"
#include "runtime/databaseconnection.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        const QString dst = to + QLatin1Char('/') + QDir(from).relativeFilePath(src);
        if (!QDir().mkpath(QFileInfo(dst).absolutePath()) || !QFile::copy(src, dst))
            return false;
    }
    return true;
}

} // namespace

class TestReviewWarnings : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void downgradeNamesLostValues_data();
    void downgradeNamesLostValues();
    void offlineDoesNotReview();

private:
    int run(const QStringList &args, BufferCommandOutput &output);
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_ini;
};

void TestReviewWarnings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    // The studio's demo project, next to the fixtures.
    const QString demo = QDir::cleanPath(QStringLiteral(RETORT_FIXTURES_DIR "/../../resources/demo"));
    QVERIFY(copyTree(demo, m_dir->filePath(QStringLiteral("demo"))));
    m_ini = m_dir->filePath(QStringLiteral("demo/alembic.ini"));
    QVERIFY(QDir::setCurrent(m_dir->filePath(QStringLiteral("demo"))));
}

int TestReviewWarnings::run(const QStringList &args, BufferCommandOutput &output)
{
    CommandLine cli(QStringLiteral("retort"), &output);
    return cli.run(QStringList{QStringLiteral("-c"), m_ini} + args);
}

void TestReviewWarnings::downgradeNamesLostValues_data()
{
    QTest::addColumn<bool>("withData");
    QTest::newRow("data in the dropped columns") << true;
    QTest::newRow("empty tables") << false;
}

void TestReviewWarnings::downgradeNamesLostValues()
{
    QFETCH(bool, withData);
    BufferCommandOutput up;
    QCOMPARE(run({QStringLiteral("upgrade"), QStringLiteral("head")}, up), 0);
    QVERIFY2(!up.err.contains(QLatin1String("retort.review")), qPrintable(up.err));
    if (withData) {
        auto conn = DatabaseConnection::openUrl(QStringLiteral("sqlite:///") + m_dir->filePath(QStringLiteral("demo/demo.db")));
        QVERIFY(conn.ok());
        for (int i = 1; i <= 30; ++i)
            QVERIFY((*conn)->exec(QStringLiteral("INSERT INTO accounts (id, email, last_login_at) VALUES (%1, 'a%1@x', '2026-01-01')").arg(i)).ok());
        for (int i = 1; i <= 20; ++i)
            QVERIFY((*conn)->exec(QStringLiteral("INSERT INTO orders (id, account_id, total_cents) VALUES (%1, 1, %1)").arg(i)).ok());
    }
    BufferCommandOutput down;
    QCOMPARE(run({QStringLiteral("downgrade"), QStringLiteral("-1")}, down), 0);
    // The demo's ini logs with Alembic's console format: "%(levelname)-5.5s [%(name)s] %(message)s".
    const QString expected = QStringLiteral(
        "WARNI [retort.review] This downgrade drops 2 columns holding 50 values\n"
        "WARNI [retort.review] downgrade e97a3b2d4c58 -> b2c8e4f15a67: drops column orders.total_cents: 20 rows have a value\n"
        "WARNI [retort.review] downgrade e97a3b2d4c58 -> b2c8e4f15a67: drops column accounts.last_login_at: 30 rows have a value\n"
        "INFO  [alembic.runtime.migration] Running downgrade e97a3b2d4c58 -> b2c8e4f15a67, add account last login\n");
    if (withData)
        QVERIFY2(down.err.endsWith(expected), qPrintable(down.err));
    else
        QVERIFY2(!down.err.contains(QLatin1String("retort.review")), qPrintable(down.err));
}

void TestReviewWarnings::offlineDoesNotReview()
{
    BufferCommandOutput sql;
    QCOMPARE(run({QStringLiteral("downgrade"), QStringLiteral("e97a3b2d4c58:b2c8e4f15a67"), QStringLiteral("--sql")}, sql), 0);
    QVERIFY2(sql.out.contains(QLatin1String("DROP COLUMN total_cents")), qPrintable(sql.out));
    QVERIFY(!sql.err.contains(QLatin1String("retort.review")));
}

QTEST_GUILESS_MAIN(TestReviewWarnings)
#include "tst_reviewwarnings.moc"
