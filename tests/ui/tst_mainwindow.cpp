// MainWindow on temporary copies of the demo project: opens it, connects in the
// background, shows heads, current and pending revisions; the banners for several heads
// (and Merge heads) and for a database revision no script defines.

#include "connectionbar.h"
#include "historymodel.h"
#include "historyview.h"
#include "mainwindow.h"
#include "migrationconfirmationdelegate.h"
#include "migrationcontroller.h"
#include "messagebanner.h"
#include "projectbanners.h"
#include "projectdocument.h"
#include "revisiongraphview.h"
#include "studioactions.h"
#include "studiotestutil.h"

#include <QAction>
#include <QDockWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace retort;

namespace {
// Answers the run dialog: declines the first time, then runs.
class AnsweringDelegate : public MigrationConfirmationDelegate
{
public:
    int asked = 0;
    bool confirmApply(ApplyRequest &request) override
    {
        request.backupFirst = false;
        return ++asked > 1;
    }
    QString chooseHead(const QStringList &heads) override { return heads.value(0); }
    bool offerRestore(const QString &, const QString &) override { return false; }
};
} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void opensDemoAndShowsDatabaseState();
    void selectionIsShared();
    void multipleHeadsBannerAndMerge();
    void unknownDatabaseRevision();
    void badProject();
    void windowStateAndRecentProjects();
    void typedUrlKeepsPasswordOutOfSettings();
    void declinedRunIsNotAnError();

private:
    // Opens the project and waits for the background connection.
    bool openAndConnect(MainWindow &window, const QString &ini);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    QString m_ini;
};

void tst_MainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(studiotest::copyTree(QStringLiteral(RETORT_DEMO_DIR), m_dir->path() + QStringLiteral("/demo")));
    m_ini = m_dir->path() + QStringLiteral("/demo/alembic.ini");
    m_settings = std::make_unique<QSettings>(m_dir->path() + QStringLiteral("/studio.ini"),
                                             QSettings::IniFormat);
}

bool tst_MainWindow::openAndConnect(MainWindow &window, const QString &ini)
{
    QSignalSpy spy(window.connectionBar(), &ConnectionBar::finished);
    if (!window.openProject(ini))
        return false;
    return spy.count() > 0 || spy.wait(15000);
}

void tst_MainWindow::opensDemoAndShowsDatabaseState()
{
    // Upgraded as far as the orders branch: the catalog and the merge are pending.
    QVERIFY(studiotest::setVersionRows(m_dir->path() + QStringLiteral("/demo/demo.db"),
                                       {QStringLiteral("5e07f3d8b6c9")}));
    MainWindow window(*m_settings);
    window.show();
    QVERIFY(openAndConnect(window, m_ini));
    QVERIFY(window.connectionBar()->isConnected());
    QCOMPARE(window.connectionBar()->dialectName(), QStringLiteral("sqlite"));
    QCOMPARE(window.connectionBar()->heads(), QStringList{QStringLiteral("5e07f3d8b6c9")});

    HistoryModel *model = window.historyModel();
    QCOMPARE(model->rowCount(), 7);
    QCOMPARE(window.document()->graph().heads(), QStringList{QStringLiteral("e97a3b2d4c58")});
    QVERIFY(model->flagsAt(model->rowOf(QStringLiteral("e97a3b2d4c58"))) & HistoryModel::Head);
    QVERIFY(model->flagsAt(model->rowOf(QStringLiteral("5e07f3d8b6c9"))) & HistoryModel::Current);
    QVERIFY(model->flagsAt(model->rowOf(QStringLiteral("a6d90c13e7f4"))) & HistoryModel::Pending);
    QVERIFY(model->flagsAt(model->rowOf(QStringLiteral("3f9a1c2b7d10"))) & HistoryModel::Applied);
    QVERIFY(window.banners()->headsBanner()->isHidden());
    QVERIFY(window.banners()->problemBanner()->isHidden());
    QVERIFY(window.actions()->upgrade->isEnabled());
    QVERIFY(!window.actions()->mergeHeads->isEnabled());
    QVERIFY(window.windowTitle().startsWith(QLatin1String("demo")));
    // The head is selected and the graph paints.
    QCOMPARE(window.graphView()->currentRevision(), QStringLiteral("e97a3b2d4c58"));
    QVERIFY(!window.grab().isNull());
}

void tst_MainWindow::selectionIsShared()
{
    MainWindow window(*m_settings);
    QVERIFY(openAndConnect(window, m_ini));
    window.graphView()->setCurrentRevision(QStringLiteral("a6d90c13e7f4"));
    QCOMPARE(window.historyView()->currentRevision(), QStringLiteral("a6d90c13e7f4"));
    window.historyView()->setCurrentRevision(QStringLiteral("3f9a1c2b7d10"));
    QCOMPARE(window.graphView()->currentRevision(), QStringLiteral("3f9a1c2b7d10"));
    // Through the table's own selection, as a click does.
    QTableView *table = window.historyView()->tableView();
    table->setCurrentIndex(table->model()->index(0, 0));
    QCOMPARE(window.graphView()->currentRevision(), QStringLiteral("e97a3b2d4c58"));
}

void tst_MainWindow::multipleHeadsBannerAndMerge()
{
    QVERIFY(studiotest::addSecondHead(m_dir->path() + QStringLiteral("/demo/migrations/versions")));
    MainWindow window(*m_settings);
    window.show();
    QVERIFY(openAndConnect(window, m_ini));
    QCOMPARE(window.document()->graph().heads().size(), 2);
    QVERIFY(window.banners()->headsBanner()->isVisible());
    QVERIFY(window.banners()->headsBanner()->text().contains(QLatin1String("c0ffee000001")));
    QVERIFY(window.actions()->mergeHeads->isEnabled());

    auto written = window.document()->mergeHeads(QStringLiteral("merge heads"));
    QVERIFY2(written.ok(), qPrintable(written.error().toString()));
    QVERIFY(QFile::exists(*written));
    QCOMPARE(window.document()->graph().heads().size(), 1);
    QCOMPARE(window.historyModel()->rowCount(), 9);
    QVERIFY(window.historyModel()->flagsAt(0) & HistoryModel::Merge);
    QVERIFY(window.banners()->headsBanner()->isHidden());
}

void tst_MainWindow::unknownDatabaseRevision()
{
    QVERIFY(studiotest::setVersionRows(m_dir->path() + QStringLiteral("/demo/demo.db"),
                                       {QStringLiteral("deadbeef0000")}));
    MainWindow window(*m_settings);
    window.show();
    QVERIFY(openAndConnect(window, m_ini));
    QVERIFY(window.banners()->problemBanner()->isVisible());
    QVERIFY(window.banners()->problemBanner()->text().contains(QLatin1String("deadbeef0000")));
    QVERIFY(window.banners()->problemBanner()->text().contains(QLatin1String("Can't locate revision")));
}

void tst_MainWindow::badProject()
{
    MainWindow window(*m_settings);
    QVERIFY(!window.openProject(m_dir->path() + QStringLiteral("/nothing/alembic.ini")));
    QVERIFY(!window.banners()->problemBanner()->isHidden());
    QVERIFY(!window.document()->isOpen());
    QVERIFY(!window.actions()->reload->isEnabled());
}

void tst_MainWindow::windowStateAndRecentProjects()
{
    {
        MainWindow window(*m_settings);
        window.show();
        QVERIFY(openAndConnect(window, m_ini));
        window.findChild<QDockWidget *>(QStringLiteral("logDock"))->hide();
        window.graphView()->setZoom(1.44);
        window.close();
    }
    QVERIFY(m_settings->contains(QStringLiteral("mainWindow/state")));
    QCOMPARE(m_settings->value(QStringLiteral("recentProjects")).toStringList().value(0),
             QFileInfo(m_ini).absoluteFilePath());
    MainWindow again(*m_settings);
    again.show();
    QVERIFY(again.findChild<QDockWidget *>(QStringLiteral("logDock"))->isHidden());
    QCOMPARE(again.graphView()->zoom(), 1.44);
}

void tst_MainWindow::typedUrlKeepsPasswordOutOfSettings()
{
    using P = QPair<QString, QString>;
    QCOMPARE(ConnectionBar::splitPassword(QStringLiteral("postgresql+psycopg2://scott:ti%40ger@db:5432/app")),
             P(QStringLiteral("postgresql+psycopg2://scott@db:5432/app"), QStringLiteral("ti%40ger")));
    QCOMPARE(ConnectionBar::splitPassword(QStringLiteral("sqlite:///x.db")),
             P(QStringLiteral("sqlite:///x.db"), QString()));
    QCOMPARE(ConnectionBar::joinPassword(QStringLiteral("mysql://u@h/d"), QStringLiteral("p")),
             QStringLiteral("mysql://u:p@h/d"));
    QCOMPARE(ConnectionBar::splitQueryPassword(QStringLiteral("postgresql://u@h/d?sslmode=x&password=p%26w&a=1")),
             P(QStringLiteral("postgresql://u@h/d?sslmode=x&a=1"), QStringLiteral("password=p%26w")));
    QCOMPARE(ConnectionBar::splitQueryPassword(QStringLiteral("postgresql://u@h/d?password=")),
             P(QStringLiteral("postgresql://u@h/d?password="), QString()));
    QCOMPARE(ConnectionBar::joinQueryPassword(QStringLiteral("postgresql://u@h/d"), QStringLiteral("password=p")),
             QStringLiteral("postgresql://u@h/d?password=p"));
    QCOMPARE(ConnectionBar::withoutPasswords(QStringLiteral("mysql://u:pw@h/d?passwd=pw2")),
             QStringLiteral("mysql://u@h/d"));

    MainWindow window(*m_settings);
    QVERIFY(openAndConnect(window, m_ini));
    // Nothing listens on port 1: the attempt fails in the worker, the window stays usable.
    QSignalSpy spy(window.connectionBar(), &ConnectionBar::finished);
    window.connectionBar()->setUrlOverride(QStringLiteral("postgresql://scott:tiger@127.0.0.1:1/app"));
    QVERIFY(spy.wait(20000));
    QCOMPARE(spy.first().at(0).toBool(), false);
    QVERIFY(!window.historyModel()->isDatabaseKnown());
    m_settings->sync();
    QFile file(m_settings->fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray stored = file.readAll();
    QVERIFY(stored.contains("scott@127.0.0.1:1/app"));
    QVERIFY(!stored.contains("tiger"));
}

// Cancel in the run dialog is the user's choice, not a failure: no error banner; and a
// new run clears an earlier run's error.
void tst_MainWindow::declinedRunIsNotAnError()
{
    MainWindow window(*m_settings);
    QVERIFY(openAndConnect(window, m_ini));
    AnsweringDelegate delegate;
    window.controller()->setConfirmationDelegate(&delegate);
    QSignalSpy done(window.controller(), &MigrationController::finished);
    window.controller()->upgradeTo(QStringLiteral("head"));
    QVERIFY(done.wait(30000));
    QCOMPARE(done.last().at(0).toBool(), false);
    QCOMPARE(done.last().at(1).toString(), MigrationController::cancelledMessage());
    QVERIFY(window.banners()->problemBanner()->isHidden());

    window.banners()->showError(QStringLiteral("an earlier failure"));
    window.controller()->upgradeTo(QStringLiteral("head"));
    QVERIFY(done.wait(30000));
    QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
    QVERIFY(window.banners()->problemBanner()->isHidden());
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
