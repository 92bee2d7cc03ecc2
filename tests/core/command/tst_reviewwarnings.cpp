// The CLI logs the plan review before an online run, as Alembic-style WARNING lines of
// the retort.review logger: on the demo project (SQLite), `downgrade -1` with data in
// the two columns it drops names them and the values they hold; without data, or on an
// upgrade that loses nothing, nothing is logged; --sql never counts; a multidb project
// reviews each engine on its own database.

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
    void multidbReviewsEachEngine();

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

// A multidb project: each engine's plan is reviewed on its own database, after its
// "Migrating database" line.
void TestReviewWarnings::multidbReviewsEachEngine()
{
    QTemporaryDir dir;
    QVERIFY(QDir::setCurrent(dir.path()));
    BufferCommandOutput init;
    CommandLine initCli(QStringLiteral("retort"), &init);
    QCOMPARE(initCli.run({QStringLiteral("init"), QStringLiteral("-t"), QStringLiteral("multidb"), QStringLiteral("mig")}), 0);
    m_ini = dir.filePath(QStringLiteral("alembic.ini"));
    QFile ini(m_ini);
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(ini.readAll());
    ini.close();
    text.replace(QStringLiteral("driver://user:pass@localhost/dbname2"), QStringLiteral("sqlite:///e2.db"));
    text.replace(QStringLiteral("driver://user:pass@localhost/dbname"), QStringLiteral("sqlite:///e1.db"));
    QVERIFY(ini.open(QIODevice::WriteOnly | QIODevice::Truncate));
    ini.write(text.toUtf8());
    ini.close();
    BufferCommandOutput rev;
    QCOMPARE(run({QStringLiteral("revision"), QStringLiteral("-m"), QStringLiteral("one"), QStringLiteral("--rev-id"), QStringLiteral("aaa")}, rev), 0);
    const QString script = dir.filePath(QStringLiteral("mig/versions/aaa_one.py"));
    QFile f(script);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QString body = QString::fromUtf8(f.readAll());
    f.close();
    body.replace(QStringLiteral("def upgrade_engine1() -> None:\n    pass"),
                 QStringLiteral("def upgrade_engine1() -> None:\n    op.create_table('t', sa.Column('id', sa.Integer()))"));
    body.replace(QStringLiteral("def downgrade_engine1() -> None:\n    pass"),
                 QStringLiteral("def downgrade_engine1() -> None:\n    op.drop_table('t')"));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(body.toUtf8());
    f.close();
    BufferCommandOutput up;
    QCOMPARE(run({QStringLiteral("upgrade"), QStringLiteral("head")}, up), 0);
    {
        auto conn = DatabaseConnection::openUrl(QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("e1.db")));
        QVERIFY(conn.ok());
        QVERIFY((*conn)->exec(QStringLiteral("INSERT INTO t VALUES (1), (2)")).ok());
    }
    BufferCommandOutput down;
    QCOMPARE(run({QStringLiteral("downgrade"), QStringLiteral("-1")}, down), 0);
    const QString engine1 = QStringLiteral("INFO  [alembic.env] Migrating database engine1\n");
    const QString warning = QStringLiteral("WARNI [retort.review] This downgrade drops 1 table holding 2 rows\n"
                                           "WARNI [retort.review] downgrade aaa -> : drops table t: 2 rows\n");
    const QString engine2 = QStringLiteral("INFO  [alembic.env] Migrating database engine2\n");
    const int at = down.err.indexOf(warning);
    QVERIFY2(at > down.err.indexOf(engine1) && down.err.indexOf(engine1) >= 0, qPrintable(down.err));
    QVERIFY2(at < down.err.indexOf(engine2), qPrintable(down.err));
    QCOMPARE(down.err.count(QLatin1String("retort.review")), 2);
}

QTEST_GUILESS_MAIN(TestReviewWarnings)
#include "tst_reviewwarnings.moc"
