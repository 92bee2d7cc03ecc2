// "Rehearse on a copy first" in the run dialog: its state follows the request (disabled
// when the database cannot be copied); the default is off for SQLite and on for
// PostgreSQL/MySQL when the user may create databases (servers where
// RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set); ticked, the plan runs on a copy
// first, its report in the log before the real run's first step, and a failed rehearsal
// changes nothing. On a temporary copy of the demo project (SQLite).

#include "applyconfirmationdialog.h"
#include "migrationconfirmationdelegate.h"
#include "migrationcontroller.h"
#include "proof/databasecopy.h"
#include "runtime/databaseconnection.h"
#include "runtime/versiontable.h"
#include "uitestsupport.h"

#include <QCheckBox>
#include <QFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;
using namespace retort::test;

namespace {

class Delegate : public MigrationConfirmationDelegate
{
public:
    bool run = true;
    bool rehearse = true;
    QVector<ApplyRequest> requests;
    bool confirmApply(ApplyRequest &request) override
    {
        requests << request;
        request.backupFirst = false;
        request.rehearseFirst = rehearse;
        return run;
    }
    QString chooseHead(const QStringList &heads) override { return heads.value(0); }
    bool offerRestore(const QString &, const QString &) override { return false; }
};

} // namespace

class TestRehearseFirst : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void dialogCheckbox_data();
    void dialogCheckbox();
    void sqliteRehearsesThenRuns();
    void failedRehearsalChangesNothing();
    void serverDefaultIsOn_data();
    void serverDefaultIsOn();

private:
    bool run(const std::function<void()> &start, bool *ok, QString *message);
    QStringList snapshot();

    std::unique_ptr<QTemporaryDir> m_dir;
    Delegate m_delegate;
    std::unique_ptr<MigrationController> m_controller;
};

void TestRehearseFirst::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(copyTree(QStringLiteral(RETORT_DEMO_DIR), m_dir->filePath(QStringLiteral("demo"))));
    QVERIFY(QDir::setCurrent(m_dir->filePath(QStringLiteral("demo"))));
    qputenv("RETORT_PYTHON", "/usr/bin/python3");
    m_delegate = Delegate();
    m_controller = std::make_unique<MigrationController>();
    MigrationProjectSpec spec;
    spec.iniPath = m_dir->filePath(QStringLiteral("demo/alembic.ini"));
    m_controller->setProject(spec);
    m_controller->setConfirmationDelegate(&m_delegate);
    m_controller->setBackupLocation(BackupLocation(m_dir->filePath(QStringLiteral("backups"))));
}

bool TestRehearseFirst::run(const std::function<void()> &start, bool *ok, QString *message)
{
    QSignalSpy done(m_controller.get(), &MigrationController::finished);
    start();
    if (!done.wait(60000))
        return false;
    *ok = done.first().at(0).toBool();
    *message = done.first().at(1).toString();
    return true;
}

QStringList TestRehearseFirst::snapshot()
{
    auto conn = DatabaseConnection::openUrl(QStringLiteral("sqlite:///") + m_dir->filePath(QStringLiteral("demo/demo.db")));
    if (!conn)
        return {QStringLiteral("<no database>")};
    QStringList rows;
    auto q = (*conn)->exec(QStringLiteral("SELECT type, name, sql FROM sqlite_master ORDER BY name"));
    while (q && q->next())
        rows << q->value(1).toString() + QLatin1Char(' ') + q->value(2).toString();
    auto heads = VersionTable(**conn).currentHeads();
    return rows + (heads ? *heads : QStringList{QStringLiteral("<no heads>")});
}

void TestRehearseFirst::dialogCheckbox_data()
{
    QTest::addColumn<bool>("canRehearse");
    QTest::addColumn<bool>("rehearseFirst");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<bool>("checked");
    QTest::newRow("default on") << true << true << true << true;
    QTest::newRow("default off") << true << false << true << false;
    QTest::newRow("cannot copy") << false << true << false << false;
}

void TestRehearseFirst::dialogCheckbox()
{
    QFETCH(bool, canRehearse);
    QFETCH(bool, rehearseFirst);
    QFETCH(bool, enabled);
    QFETCH(bool, checked);
    ApplyRequest request;
    request.title = QStringLiteral("Upgrade to head");
    request.databaseUrl = QStringLiteral("postgresql://app:***@db/app");
    request.steps.append({QStringLiteral("upgrade  -> abc, t"), QStringLiteral("CREATE TABLE t (id INTEGER);\n"), {}});
    request.canRehearse = canRehearse;
    request.rehearseFirst = rehearseFirst;
    ApplyConfirmationDialog dialog(request);
    auto *box = dialog.findChild<QCheckBox *>(QStringLiteral("rehearseFirst"));
    QVERIFY(box);
    QCOMPARE(box->isEnabled(), enabled);
    QCOMPARE(box->isChecked(), checked);
    QCOMPARE(dialog.rehearseFirst(), checked);
    if (enabled) {
        box->setChecked(!checked);
        QCOMPARE(dialog.rehearseFirst(), !checked);
    }
}

void TestRehearseFirst::sqliteRehearsesThenRuns()
{
    QSignalSpy log(m_controller.get(), &MigrationController::logLine);
    bool ok = false;
    QString message;
    QVERIFY(run([&] { m_controller->upgradeTo(QStringLiteral("head")); }, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QCOMPARE(m_delegate.requests.size(), 1);
    QVERIFY(m_delegate.requests.first().canRehearse);
    QVERIFY(!m_delegate.requests.first().rehearseFirst);   // SQLite: off by default
    QStringList lines;
    for (const QList<QVariant> &args : log)
        lines << args.first().toString();
    const int succeeded = lines.indexOf(QStringLiteral("Rehearsal succeeded: 7 of 7 steps ran on the copy"));
    QVERIFY2(succeeded >= 0, qPrintable(lines.join(QLatin1Char('\n'))));
    const int rehearsed = lines.indexOf(QRegularExpression(QStringLiteral("\\[rehearsal\\] Running upgrade  -> 3f9a1c2b7d10.*")));
    const int real = lines.indexOf(QRegularExpression(QStringLiteral("Running upgrade  -> 3f9a1c2b7d10.*")));
    QVERIFY2(rehearsed >= 0 && real > succeeded && succeeded > rehearsed,
             qPrintable(QStringLiteral("%1 %2 %3\n").arg(rehearsed).arg(succeeded).arg(real) + lines.join(QLatin1Char('\n'))));
    QVERIFY(lines.contains(QRegularExpression(QStringLiteral("^Rehearsal: dropped the copy retort_rehearse_\\w+\\.db$"))));
    QCOMPARE(snapshot().last(), QStringLiteral("e97a3b2d4c58"));
}

void TestRehearseFirst::failedRehearsalChangesNothing()
{
    QFile broken(m_dir->filePath(QStringLiteral("demo/migrations/versions/ff00_broken.py")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("revision = 'ff00aa00bb01'\ndown_revision = 'e97a3b2d4c58'\nbranch_labels = None\n"
                 "depends_on = None\nfrom alembic import op\n\n"
                 "def upgrade():\n    op.execute('INSERT INTO no_such_table VALUES (1)')\n\n"
                 "def downgrade():\n    pass\n");
    broken.close();
    const QStringList before = snapshot();
    bool ok = true;
    QString message;
    QVERIFY(run([&] { m_controller->upgradeTo(QStringLiteral("head")); }, &ok, &message));
    QVERIFY(!ok);
    QVERIFY2(message.contains(QLatin1String("Rehearsal on a copy failed, nothing was changed")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("no_such_table")), qPrintable(message));
    QCOMPARE(snapshot(), before);
}

void TestRehearseFirst::serverDefaultIsOn_data()
{
    QTest::addColumn<QString>("variable");
    QTest::newRow("postgresql") << QStringLiteral("RETORT_TEST_PG_URL");
    QTest::newRow("mysql") << QStringLiteral("RETORT_TEST_MYSQL_URL");
}

void TestRehearseFirst::serverDefaultIsOn()
{
    QFETCH(QString, variable);
    const QString serverText = qEnvironmentVariable(qPrintable(variable));
    if (serverText.isEmpty())
        QSKIP(qPrintable(QStringLiteral("set %1 to test against this server").arg(variable)));
    // A database of its own on the server: nothing other tests left behind gets in the way.
    auto serverUrl = DatabaseUrl::parse(serverText);
    QVERIFY(serverUrl.ok());
    auto admin = DatabaseConnection::open(*serverUrl);
    QVERIFY(admin.ok());
    const QString name = QStringLiteral("retort_ui_rh_%1").arg(QCoreApplication::applicationPid());
    (void)(*admin)->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(name));
    QVERIFY((*admin)->exec(QStringLiteral("CREATE DATABASE %1").arg(name)).ok());
    const QString url = serverUrl->withDatabase(name).toString();
    const QString force = (*admin)->dialect().kind() == Dialect::PostgreSQL ? QStringLiteral(" WITH (FORCE)") : QString();
    auto dropDatabase = qScopeGuard([&] {
        m_controller.reset();   // its worker's connection first
        (void)(*admin)->exec(QStringLiteral("DROP DATABASE IF EXISTS %1%2").arg(name, force));
    });
    MigrationProjectSpec spec;
    spec.iniPath = m_dir->filePath(QStringLiteral("demo/alembic.ini"));
    spec.urlOverride = url;
    m_controller->setProject(spec);
    m_delegate.run = false;   // look at the request only
    bool ok = true;
    QString message;
    QVERIFY(run([&] { m_controller->upgradeTo(QStringLiteral("head")); }, &ok, &message));
    QVERIFY2(m_delegate.requests.size() == 1, qPrintable(message));
    QVERIFY(m_delegate.requests.first().canRehearse);
    QVERIFY(m_delegate.requests.first().rehearseFirst);   // the test servers' users may create databases

    // Ticked: rehearsed on a scratch copy on the server, then run for real.
    m_delegate.run = true;
    QSignalSpy log(m_controller.get(), &MigrationController::logLine);
    QVERIFY(run([&] { m_controller->upgradeTo(QStringLiteral("head")); }, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QStringList lines;
    for (const QList<QVariant> &args : log)
        lines << args.first().toString();
    QVERIFY2(lines.contains(QStringLiteral("Rehearsal succeeded: 7 of 7 steps ran on the copy")),
             qPrintable(lines.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestRehearseFirst)
#include "tst_rehearsefirst.moc"
