// MigrationController end to end on a temporary copy of the demo project (SQLite):
// upgrade, roll back (one head and several), and a failing run restored from its backup.

#include "applyconfirmationdialog.h"
#include "backup/backuplocation.h"
#include "migrationconfirmationdelegate.h"
#include "migrationcontroller.h"
#include "runtime/databaseconnection.h"
#include "runtime/versiontable.h"
#include "uitestsupport.h"

#include <QCheckBox>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;
using namespace retort::test;

namespace {

class YesDelegate : public MigrationConfirmationDelegate
{
public:
    bool backupFirst = true;
    QString head;               // answer to chooseHead ("" = cancel)
    bool restore = true;
    QVector<ApplyRequest> requests;
    QStringList offeredHeads;
    QStringList restoreOffers;

    bool confirmApply(ApplyRequest &request) override
    {
        requests << request;
        request.backupFirst = backupFirst;
        return true;
    }
    QString chooseHead(const QStringList &heads) override
    {
        offeredHeads = heads;
        return head;
    }
    bool offerRestore(const QString &error, const QString &backupPath) override
    {
        restoreOffers << error << backupPath;
        return restore;
    }
};

} // namespace

class TestMigrationController : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void upgradeAndRollBack();
    void rollBackWithSeveralHeads();
    void failedRunIsRestoredFromBackup();
    void refusesWhileRunning();
    void needsPythonStepIsHandedToPython();
    void confirmationDialog();

private:
    bool run(const std::function<void()> &start, bool *ok = nullptr, QString *message = nullptr);
    QStringList heads();
    QStringList snapshot();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_ini;
    YesDelegate m_delegate;
    std::unique_ptr<MigrationController> m_controller;
};

void TestMigrationController::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(copyTree(QStringLiteral(RETORT_DEMO_DIR), m_dir->filePath(QStringLiteral("demo"))));
    m_ini = m_dir->filePath(QStringLiteral("demo/alembic.ini"));
    // Alembic resolves script_location against the working directory: the studio runs
    // with the project folder as its working directory, like `alembic` from a shell.
    QVERIFY(QDir::setCurrent(m_dir->filePath(QStringLiteral("demo"))));
    m_delegate = YesDelegate();
    m_controller = std::make_unique<MigrationController>();
    MigrationProjectSpec spec;
    spec.iniPath = m_ini;
    m_controller->setProject(spec);
    m_controller->setConfirmationDelegate(&m_delegate);
    m_controller->setBackupLocation(BackupLocation(m_dir->filePath(QStringLiteral("backups"))));
}

bool TestMigrationController::run(const std::function<void()> &start, bool *ok, QString *message)
{
    QSignalSpy done(m_controller.get(), &MigrationController::finished);
    start();
    if (!done.wait(30000))
        return false;
    if (ok)
        *ok = done.first().at(0).toBool();
    if (message)
        *message = done.first().at(1).toString();
    return true;
}

QStringList TestMigrationController::heads()
{
    auto url = DatabaseUrl::parse(QStringLiteral("sqlite:///") + m_dir->filePath(QStringLiteral("demo/demo.db")));
    auto conn = DatabaseConnection::open(*url);
    if (!conn)
        return {QStringLiteral("<error>")};
    auto h = VersionTable(**conn).currentHeads();
    QStringList out = h ? *h : QStringList{QStringLiteral("<error>")};
    out.sort();
    return out;
}

// Schema and version rows: what "the database equals the backup" compares.
QStringList TestMigrationController::snapshot()
{
    auto url = DatabaseUrl::parse(QStringLiteral("sqlite:///") + m_dir->filePath(QStringLiteral("demo/demo.db")));
    auto conn = DatabaseConnection::open(*url);
    if (!conn)
        return {QStringLiteral("<error>")};
    QStringList rows;
    auto q = (*conn)->exec(QStringLiteral("SELECT type, name, sql FROM sqlite_master ORDER BY name"));
    while (q && q->next())
        rows << q->value(0).toString() + QLatin1Char(' ') + q->value(1).toString() + QLatin1Char(' ')
                    + q->value(2).toString();
    return rows + heads();
}

void TestMigrationController::upgradeAndRollBack()
{
    QSignalSpy progress(m_controller.get(), &MigrationController::stepProgress);
    QSignalSpy statements(m_controller.get(), &MigrationController::statementExecuted);
    QSignalSpy changed(m_controller.get(), &MigrationController::databaseChanged);
    QSignalSpy backups(m_controller.get(), &MigrationController::backupCreated);
    QSignalSpy started(m_controller.get(), &MigrationController::started);
    bool ok = false;
    QString message;
    QVERIFY(run([&] { m_controller->upgradeTo(QStringLiteral("head")); }, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QCOMPARE(started.size(), 1);
    QCOMPARE(heads(), QStringList{QStringLiteral("e97a3b2d4c58")});
    QCOMPARE(m_delegate.requests.size(), 1);
    const ApplyRequest &request = m_delegate.requests.first();
    QCOMPARE(request.steps.size(), 7);
    QVERIFY(request.steps.first().title.startsWith(QLatin1String("upgrade  -> 3f9a1c2b7d10")));
    QVERIFY2(request.steps.first().sql.contains(QLatin1String("CREATE TABLE accounts")),
             qPrintable(request.steps.first().sql));
    QCOMPARE(progress.size(), 7);
    QCOMPARE(progress.last().at(1).toInt(), 7);
    QVERIFY(statements.size() >= 7);
    QVERIFY(changed.size() >= 1);
    QCOMPARE(backups.size(), 1);
    QVERIFY(QFileInfo::exists(backups.first().first().toString()));
    QVERIFY(!m_controller->isRunning());

    m_delegate.backupFirst = false;
    QVERIFY(run([&] { m_controller->rollBackLast(); }, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QCOMPARE(heads(), QStringList{QStringLiteral("b2c8e4f15a67")});
    QCOMPARE(backups.size(), 1);   // unchecked "Back up first"
    QVERIFY(m_delegate.requests.last().title.startsWith(QLatin1String("Downgrade to")));

    // Nothing to do is a success without a confirmation.
    const int asked = m_delegate.requests.size();
    QVERIFY(run([&] { m_controller->upgradeTo(QStringLiteral("b2c8e4f15a67")); }, &ok, &message));
    QVERIFY(ok);
    QCOMPARE(m_delegate.requests.size(), asked);

    QVERIFY(run([&] { m_controller->downgradeTo(QStringLiteral("base")); }, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QCOMPARE(heads(), QStringList());
}

void TestMigrationController::rollBackWithSeveralHeads()
{
    bool ok = false;
    QString message;
    QVERIFY(run([&] { m_controller->upgradeTo(QStringLiteral("5e07f3d8b6c9")); }, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QVERIFY(run([&] { m_controller->upgradeTo(QStringLiteral("a6d90c13e7f4")); }, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QCOMPARE(heads(), (QStringList{QStringLiteral("5e07f3d8b6c9"), QStringLiteral("a6d90c13e7f4")}));

    m_delegate.head.clear();   // cancel the head picker: nothing happens
    QVERIFY(run([&] { m_controller->rollBackLast(); }, &ok, &message));
    QVERIFY(!ok);
    QCOMPARE(m_delegate.offeredHeads.size(), 2);
    QCOMPARE(heads().size(), 2);

    m_delegate.head = QStringLiteral("a6d90c13e7f4");
    QVERIFY(run([&] { m_controller->rollBackLast(); }, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QCOMPARE(heads(), QStringList{QStringLiteral("5e07f3d8b6c9")});
}

void TestMigrationController::failedRunIsRestoredFromBackup()
{
    const QString versions = m_dir->filePath(QStringLiteral("demo/migrations/versions/"));
    QVERIFY(writeFile(versions + QStringLiteral("f1a2b3c4d5e6_notes.py"),
                      revisionScript(QStringLiteral("f1a2b3c4d5e6"), QStringLiteral("e97a3b2d4c58"),
                                     QStringLiteral("    op.create_table(\"notes\", sa.Column(\"id\", sa.Integer(), primary_key=True))\n"))));
    QVERIFY(writeFile(versions + QStringLiteral("0badc0ffee00_broken.py"),
                      revisionScript(QStringLiteral("0badc0ffee00"), QStringLiteral("f1a2b3c4d5e6"),
                                     QStringLiteral("    op.execute(\"INSERT INTO no_such_table VALUES (1)\")\n"))));
    bool ok = false;
    QString message;
    QVERIFY(run([&] { m_controller->upgradeTo(QStringLiteral("e97a3b2d4c58")); }, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    const QStringList before = snapshot();

    QSignalSpy restoring(m_controller.get(), &MigrationController::aboutToRestore);
    QSignalSpy log(m_controller.get(), &MigrationController::logLine);
    QVERIFY(run([&] { m_controller->upgradeTo(QStringLiteral("head")); }, &ok, &message));
    QVERIFY(!ok);
    QVERIFY2(message.contains(QLatin1String("no_such_table")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("restored")), qPrintable(message));
    QCOMPARE(m_delegate.restoreOffers.size(), 2);
    QCOMPARE(m_delegate.restoreOffers.at(1), m_controller->lastBackupPath());
    QCOMPARE(restoring.size(), 1);
    QCOMPARE(snapshot(), before);   // the notes table of the first, committed step is gone
    bool logged = false;
    for (const QList<QVariant> &line : log)
        logged = logged || line.first().toString().contains(m_controller->lastBackupPath());
    QVERIFY(logged);

    // Declining the restore keeps the first step's work.
    m_delegate.restore = false;
    QVERIFY(run([&] { m_controller->upgradeTo(QStringLiteral("head")); }, &ok, &message));
    QVERIFY(!ok);
    QCOMPARE(heads(), QStringList{QStringLiteral("f1a2b3c4d5e6")});
}

void TestMigrationController::refusesWhileRunning()
{
    QSignalSpy done(m_controller.get(), &MigrationController::finished);
    m_controller->upgradeTo(QStringLiteral("head"));
    QVERIFY(m_controller->isRunning());
    m_controller->upgradeTo(QStringLiteral("head"));   // refused at once
    QCOMPARE(done.size(), 1);
    QCOMPARE(done.first().at(0).toBool(), false);
    QVERIFY(done.wait(30000));
    QCOMPARE(done.last().at(0).toBool(), true);
}

void TestMigrationController::needsPythonStepIsHandedToPython()
{
    // The loop needs Python: the project's Alembic renders it and the studio runs that SQL, as the CLI does.
    qputenv("RETORT_PYTHON", "/usr/bin/python3");
    QVERIFY(writeFile(m_dir->filePath(QStringLiteral("demo/migrations/versions/f1a2b3c4d5e6_loop.py")),
                      revisionScript(QStringLiteral("f1a2b3c4d5e6"), QStringLiteral("e97a3b2d4c58"),
                                     QStringLiteral("    for t in {\"loop_a\", \"loop_b\"}:\n"
                                                    "        op.create_table(t, sa.Column(\"id\", sa.Integer()))\n"),
                                     QStringLiteral("    for t in {\"loop_a\", \"loop_b\"}:\n        op.drop_table(t)\n"))));
    QSignalSpy log(m_controller.get(), &MigrationController::logLine);
    QSignalSpy progress(m_controller.get(), &MigrationController::stepProgress);
    QSignalSpy backups(m_controller.get(), &MigrationController::backupCreated);
    bool ok = false;
    QString message;
    QVERIFY(run([&] { m_controller->upgradeTo(QStringLiteral("head")); }, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QCOMPARE(heads(), QStringList{QStringLiteral("f1a2b3c4d5e6")});
    QCOMPARE(backups.size(), 1);   // taken before the run, as for native plans
    QCOMPARE(m_delegate.requests.size(), 1);
    const ApplyRequest &request = m_delegate.requests.first();
    QCOMPARE(request.steps.size(), 8);
    QVERIFY2(request.steps.last().needsPython.contains(QLatin1String("for loop")),
             qPrintable(request.steps.last().needsPython));
    QCOMPARE(progress.size(), 8);
    QCOMPARE(progress.last().at(0).toInt(), 7);
    QCOMPARE(progress.last().at(1).toInt(), 8);
    QStringList lines;
    for (const QList<QVariant> &line : log)
        lines << line.first().toString();
    QVERIFY2(lines.filter(QStringLiteral("Rendered by Alembic: upgrade e97a3b2d4c58 -> f1a2b3c4d5e6")).size() == 1,
             qPrintable(lines.join(QLatin1Char('\n'))));
    // Alembic wrote the SQL; Retort ran it and logged the step as for native ones.
    QVERIFY2(!lines.filter(QStringLiteral("Running upgrade e97a3b2d4c58 -> f1a2b3c4d5e6")).isEmpty(),
             qPrintable(lines.join(QLatin1Char('\n'))));
    const QString tables = snapshot().join(QLatin1Char('\n'));
    QVERIFY2(tables.contains(QLatin1String("table loop_a")) && tables.contains(QLatin1String("table loop_b")),
             qPrintable(tables));

    // Back down: Python first (its downgrade loops too), then one native step.
    log.clear();
    QVERIFY(run([&] { m_controller->downgradeTo(QStringLiteral("b2c8e4f15a67")); }, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QCOMPARE(heads(), QStringList{QStringLiteral("b2c8e4f15a67")});
    lines.clear();
    for (const QList<QVariant> &line : log)
        lines << line.first().toString();
    QCOMPARE(lines.filter(QStringLiteral("Rendered by Alembic: downgrade f1a2b3c4d5e6 -> e97a3b2d4c58")).size(), 1);
    QVERIFY(!snapshot().join(QLatin1Char('\n')).contains(QLatin1String("loop_a")));
}

void TestMigrationController::confirmationDialog()
{
    ApplyRequest request;
    request.title = QStringLiteral("Upgrade to head");
    request.databaseUrl = QStringLiteral("sqlite:///demo.db");
    request.steps.append({QStringLiteral("upgrade  -> abc, create t"), QStringLiteral("CREATE TABLE t (id INTEGER);\n"), {}});
    ApplyConfirmationDialog dialog(request);
    QVERIFY(dialog.backupFirst());   // on by default
    auto *steps = dialog.findChild<QPlainTextEdit *>(QStringLiteral("steps"));
    QVERIFY(steps);
    QVERIFY(steps->toPlainText().contains(QLatin1String("-- upgrade  -> abc, create t")));
    QVERIFY(steps->toPlainText().contains(QLatin1String("CREATE TABLE t (id INTEGER);")));
    dialog.findChild<QCheckBox *>(QStringLiteral("backupFirst"))->setChecked(false);
    QVERIFY(!dialog.backupFirst());
}

QTEST_MAIN(TestMigrationController)
#include "tst_migrationcontroller.moc"
