// The shell around a restore: a run on the demo (SQLite) fails after committing a step,
// the backup is restored with the SQL preview open. Before the file is replaced the
// window must hold no connection (a connection attempt still running is waited for and
// dropped); after databaseChanged() it reconnects and the preview and history follow.

#include "connectionbar.h"
#include "historymodel.h"
#include "mainwindow.h"
#include "migrationconfirmationdelegate.h"
#include "migrationcontroller.h"
#include "sqlpreviewview.h"
#include "studiodocks.h"
#include "uitestsupport.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace retort;
using namespace retort::test;

namespace {

class AcceptingDelegate : public MigrationConfirmationDelegate
{
public:
    bool confirmApply(ApplyRequest &) override { return true; }
    QString chooseHead(const QStringList &heads) override { return heads.value(0); }
    bool offerRestore(const QString &, const QString &) override { return true; }
};

} // namespace

class tst_StudioRestore : public QObject
{
    Q_OBJECT
private slots:
    void restoreWithPreviewOpen();

private:
    // Waits until the connection bar settled (connected or failed).
    static bool settled(ConnectionBar *bar)
    {
        return QTest::qWaitFor([bar] { return !bar->isBusy(); }, 20000);
    }
    static bool runTo(MigrationController *controller, const QString &target, bool *ok, QString *message)
    {
        QSignalSpy done(controller, &MigrationController::finished);
        controller->upgradeTo(target);
        if (!done.wait(30000))
            return false;
        *ok = done.first().at(0).toBool();
        *message = done.first().at(1).toString();
        return true;
    }
};

void tst_StudioRestore::restoreWithPreviewOpen()
{
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("demo"));
    QVERIFY(copyTree(QStringLiteral(RETORT_DEMO_DIR), project));
    const QString versions = project + QStringLiteral("/migrations/versions/");
    QVERIFY(writeFile(versions + QStringLiteral("f1a2b3c4d5e6_notes.py"),
                      revisionScript(QStringLiteral("f1a2b3c4d5e6"), QStringLiteral("e97a3b2d4c58"),
                                     QStringLiteral("    op.create_table(\"notes\", sa.Column(\"id\", sa.Integer(), primary_key=True))\n"))));
    QVERIFY(writeFile(versions + QStringLiteral("0badc0ffee00_broken.py"),
                      revisionScript(QStringLiteral("0badc0ffee00"), QStringLiteral("f1a2b3c4d5e6"),
                                     QStringLiteral("    op.execute(\"INSERT INTO no_such_table VALUES (1)\")\n"))));
    QVERIFY(QDir::setCurrent(project));   // script_location is relative, as in Alembic

    QSettings settings(dir.filePath(QStringLiteral("studio.ini")), QSettings::IniFormat);
    AcceptingDelegate delegate;   // outlives the window
    MainWindow window(settings);
    window.show();
    MigrationController *controller = window.controller();
    controller->setConfirmationDelegate(&delegate);
    controller->setBackupLocation(BackupLocation(dir.filePath(QStringLiteral("backups"))));
    ConnectionBar *bar = window.connectionBar();
    QVERIFY(window.openProject(project + QStringLiteral("/alembic.ini")));
    QVERIFY(settled(bar));
    QVERIFY(bar->isConnected());

    bool ok = false;
    QString message;
    QVERIFY(runTo(controller, QStringLiteral("e97a3b2d4c58"), &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QVERIFY(settled(bar));
    QCOMPARE(bar->heads(), QStringList{QStringLiteral("e97a3b2d4c58")});

    SqlPreviewView *preview = window.docks()->sqlPreview();
    window.docks()->previewSql(QStringLiteral("0badc0ffee00"));
    QVERIFY2(preview->sql().contains(QLatin1String("CREATE TABLE notes")), qPrintable(preview->errorText()));

    // Connected after the window's own slot: what the window left open when the restore starts.
    bool heldConnection = true;
    bool knewDatabase = true;
    connect(controller, &MigrationController::aboutToRestore, this, [&] {
        heldConnection = bar->isConnected() || bar->isBusy();
        knewDatabase = window.historyModel()->isDatabaseKnown();
    });
    QVERIFY(runTo(controller, QStringLiteral("head"), &ok, &message));
    QVERIFY(!ok);
    QVERIFY2(message.contains(QLatin1String("The backup was restored")), qPrintable(message));
    QVERIFY(!heldConnection);
    QVERIFY(!knewDatabase);

    // databaseChanged(): reconnected to the restored file, preview planned from its heads.
    QVERIFY(QTest::qWaitFor([bar] { return !bar->isBusy() && bar->isConnected(); }, 20000));
    QCOMPARE(bar->heads(), QStringList{QStringLiteral("e97a3b2d4c58")});
    QVERIFY(window.historyModel()->isDatabaseKnown());
    HistoryModel *model = window.historyModel();
    QVERIFY(model->flagsAt(model->rowOf(QStringLiteral("e97a3b2d4c58"))) & HistoryModel::Current);
    QVERIFY(!(model->flagsAt(model->rowOf(QStringLiteral("f1a2b3c4d5e6"))) & HistoryModel::Applied));
    QVERIFY2(preview->sql().contains(QLatin1String("CREATE TABLE notes")), qPrintable(preview->errorText()));
}

QTEST_MAIN(tst_StudioRestore)
#include "tst_studiorestore.moc"
