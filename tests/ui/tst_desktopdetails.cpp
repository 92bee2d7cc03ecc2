// Issue 12 items 8 and 9: the studio as a desktop application (Edit and Help menus,
// About, Preferences, colours readable in a dark palette, zoom per project, Go to
// Current Revision, the start page, first window size) and the small fixes (mnemonic
// labels, %(here)s URLs, New Revision's options, Merge Heads opening the merge, the
// status bar, sorted and bounded branch-label badges).

#include "aboutdialog.h"
#include "config/alembicconfig.h"
#include "connectionbar.h"
#include "editortheme.h"
#include "historymodel.h"
#include "mainwindow.h"
#include "migrationcontroller.h"
#include "messagebanner.h"
#include "newprojectdialog.h"
#include "newrevisiondialog.h"
#include "preferencesdialog.h"
#include "projectcreator.h"
#include "projectdocument.h"
#include "revisiongraphpainter.h"
#include "revisiongraphview.h"
#include "scripteditorview.h"
#include "services/pythoninterpreterlocator.h"
#include "startpage.h"
#include "studioactions.h"
#include "studiodocks.h"
#include "studiomenus.h"
#include "studiopreferences.h"
#include "studiotestutil.h"
#include "themecolors.h"

#include <Qsci/qscilexer.h>
#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDockWidget>
#include <QFontComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QTest>
#include <QTimer>

using namespace retort;

namespace {
const QString kDemoHead = QStringLiteral("e97a3b2d4c58");
const QString kDemoCurrent = QStringLiteral("5e07f3d8b6c9");
} // namespace

class tst_DesktopDetails : public QObject
{
    Q_OBJECT
private slots:
    void init();

    void mnemonicLabelsHaveBuddies();
    void hereUrlReadsBack_data();
    void hereUrlReadsBack();
    void newRevisionOptions();
    void newRevisionAutogenerateHandsOver();
    void mergeOpensTheMergeRevision();
    void statusTextLeavesTheCountVisible();
    void headBadgesSortedAndBounded_data();
    void headBadgesSortedAndBounded();

private:
    QString copyDemo(const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
};

void tst_DesktopDetails::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->path() + QStringLiteral("/studio.ini"), QSettings::IniFormat);
}

QString tst_DesktopDetails::copyDemo(const QString &name)
{
    const QString dir = m_dir->path() + QLatin1Char('/') + name;
    if (!studiotest::copyTree(QStringLiteral(RETORT_DEMO_DIR), dir))
        return {};
    return dir + QStringLiteral("/alembic.ini");
}

void tst_DesktopDetails::mnemonicLabelsHaveBuddies()
{
    // A label showing "&" needs a buddy; without one the ampersand is printed.
    const QString ini = copyDemo(QStringLiteral("demo"));
    NewProjectDialog project;
    NewRevisionDialog revision(ini, {kDemoHead});
    PreferencesDialog preferences(*m_settings);
    for (QDialog *dialog : {static_cast<QDialog *>(&project), static_cast<QDialog *>(&revision),
                            static_cast<QDialog *>(&preferences)}) {
        int labels = 0;
        for (QLabel *label : dialog->findChildren<QLabel *>()) {
            if (!label->text().contains(QLatin1Char('&')) || label->textFormat() == Qt::RichText)
                continue;
            ++labels;
            QVERIFY2(label->buddy(), qPrintable(label->text()));
        }
        QVERIFY(labels >= 3);
    }
}

void tst_DesktopDetails::hereUrlReadsBack_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("read");   // {here} = the project folder
    QTest::newRow("here") << QStringLiteral("sqlite:///%(here)s/x.db") << QStringLiteral("sqlite:///{here}/x.db");
    QTest::newRow("percent-encoded password") << QStringLiteral("postgresql://u:p%40ss@db/app")
                                              << QStringLiteral("postgresql://u:p%40ss@db/app");
    QTest::newRow("both") << QStringLiteral("sqlite:///%(here)s/a%20b.db") << QStringLiteral("sqlite:///{here}/a%20b.db");
}

void tst_DesktopDetails::hereUrlReadsBack()
{
    QFETCH(QString, typed);
    QFETCH(QString, read);
    const QString folder = m_dir->path() + QStringLiteral("/project");
    NewProjectDialog dialog;
    dialog.setProjectFolder(folder);
    dialog.setDatabaseUrl(typed);
    dialog.accept();
    QCOMPARE(dialog.errorText(), QString());
    auto config = AlembicConfig::load(dialog.iniPath());
    QVERIFY(config.ok());
    auto url = config->mainOption(QStringLiteral("sqlalchemy.url"));
    QVERIFY2(url.ok(), qPrintable(url.ok() ? QString() : url.error().toString()));
    QCOMPARE(url->value_or(QString()), QString(read).replace(QStringLiteral("{here}"), folder));
}

void tst_DesktopDetails::newRevisionOptions()
{
    const QString ini = copyDemo(QStringLiteral("demo"));
    QVERIFY(studiotest::addSecondHead(QFileInfo(ini).absolutePath() + QStringLiteral("/migrations/versions")));
    MainWindow window(*m_settings);
    window.show();
    QVERIFY(window.openProject(ini));
    window.actions()->newRevision->trigger();
    NewRevisionDialog *dialog = window.creator()->revisionDialog();
    QVERIFY(dialog);

    // Heads with their messages, not bare ids.
    const QStringList choices = dialog->headChoices();
    QVERIFY2(choices.contains(QStringLiteral("c0ffee000001 \u2014 side branch")), qPrintable(choices.join(QLatin1Char('|'))));
    const RevisionNode *head = window.document()->graph().node(kDemoHead);
    QVERIFY(choices.contains(QStringLiteral("%1 \u2014 %2").arg(kDemoHead, head->doc())));
    QVERIFY(!dialog->findChild<QCheckBox *>()->isEnabled());   // not connected: no autogenerate

    dialog->setMessage(QStringLiteral("reporting"));
    dialog->setHead(QStringLiteral("c0ffee000001"));
    dialog->setBranchLabel(QStringLiteral("reports"));
    dialog->setDependsOn(kDemoHead.left(6));   // a partial id, expanded as Alembic does
    dialog->accept();
    QCOMPARE(dialog->errorText(), QString());
    const QString path = dialog->writtenPath();
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY2(text.contains(QStringLiteral("branch_labels = ('reports',)")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("depends_on = '%1'").arg(kDemoHead)), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("down_revision = 'c0ffee000001'")));

    // An unknown dependency is Alembic's error, in the dialog, with nothing written.
    const int files = QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files).size();
    window.actions()->newRevision->trigger();
    dialog = window.creator()->revisionDialog();
    dialog->setHead(kDemoHead);
    dialog->setDependsOn(QStringLiteral("nosuchrev"));
    dialog->accept();
    QVERIFY2(dialog->errorText().contains(QStringLiteral("nosuchrev")), qPrintable(dialog->errorText()));
    QCOMPARE(QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files).size(), files);
    dialog->reject();
}

void tst_DesktopDetails::newRevisionAutogenerateHandsOver()
{
    const QString ini = copyDemo(QStringLiteral("demo"));
    QAction review(QStringLiteral("review"));
    QSignalSpy triggered(&review, &QAction::triggered);
    NewRevisionDialog dialog(ini, {kDemoHead});
    dialog.setAutogenerateAction(&review);
    auto *box = dialog.findChild<QCheckBox *>();
    QVERIFY(box->isEnabled());
    const int files = QDir(QFileInfo(ini).absolutePath() + QStringLiteral("/migrations/versions"))
                          .entryList(QDir::Files).size();
    dialog.setMessage(QStringLiteral("from models"));
    dialog.setAutogenerate(true);
    dialog.accept();
    QCOMPARE(triggered.count(), 1);
    QCOMPARE(dialog.writtenPath(), QString());
    QCOMPARE(QDir(QFileInfo(ini).absolutePath() + QStringLiteral("/migrations/versions")).entryList(QDir::Files).size(),
             files);
    review.setEnabled(false);   // e.g. disconnected: the option goes away
    NewRevisionDialog again(ini, {kDemoHead});
    again.setAutogenerateAction(&review);
    QVERIFY(!again.findChild<QCheckBox *>()->isEnabled());
}

void tst_DesktopDetails::mergeOpensTheMergeRevision()
{
    const QString ini = copyDemo(QStringLiteral("demo"));
    QVERIFY(studiotest::addSecondHead(QFileInfo(ini).absolutePath() + QStringLiteral("/migrations/versions")));
    MainWindow window(*m_settings);
    window.show();
    QVERIFY(window.openProject(ini));
    QCOMPARE(window.document()->graph().heads().size(), 2);
    QTimer::singleShot(0, &window, [] {
        auto *input = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        if (input) {
            input->setTextValue(QStringLiteral("join the branches"));
            input->accept();
        }
    });
    window.actions()->mergeHeads->trigger();
    const QStringList heads = window.document()->graph().heads();
    QCOMPARE(heads.size(), 1);
    QCOMPARE(window.graphView()->currentRevision(), heads.first());
    QCOMPARE(window.docks()->script()->filePath(), window.document()->scriptPath(heads.first()));
    QVERIFY(window.docks()->script()->text().contains(QLatin1String("join the branches")));
}

void tst_DesktopDetails::statusTextLeavesTheCountVisible()
{
    // A long project path in a narrow window.
    QString folder = m_dir->path();
    for (int i = 0; i < 4; ++i)
        folder += QStringLiteral("/a_rather_long_folder_name_for_the_project_%1").arg(i);
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(studiotest::copyTree(QStringLiteral(RETORT_DEMO_DIR), folder));
    MainWindow window(*m_settings);
    window.resize(700, 500);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(folder + QStringLiteral("/alembic.ini")));
    QApplication::processEvents();
    QLabel *path = nullptr;
    QLabel *counts = nullptr;
    for (QLabel *label : window.statusBar()->findChildren<QLabel *>()) {
        if (label->text().contains(QLatin1String("a_rather_long")))
            path = label;
        else if (label->text().contains(QLatin1String("revision")))
            counts = label;
    }
    QVERIFY(path && counts);
    QTRY_VERIFY(counts->isVisible());
    QVERIFY(!path->geometry().intersects(counts->geometry()));
    QVERIFY(counts->width() >= counts->fontMetrics().horizontalAdvance(counts->text()));
    QVERIFY(path->geometry().right() < counts->geometry().left());
    QVERIFY(path->width() < path->fontMetrics().horizontalAdvance(path->text()));   // elided, not overflowing

    // While a run starts, the status bar says once what runs (not again in the progress).
    const QString what = QStringLiteral("Upgrading to e97a3b2d4c58");
    emit window.controller()->started(what);
    QApplication::processEvents();
    int saying = window.statusBar()->currentMessage() == what ? 1 : 0;
    for (QLabel *label : window.statusBar()->findChildren<QLabel *>())
        saying += label->isVisible() && label->text() == what ? 1 : 0;
    QCOMPARE(saying, 1);
}

void tst_DesktopDetails::headBadgesSortedAndBounded_data()
{
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QStringList>("shown");
    QTest::newRow("none") << QStringList{} << QStringList{};
    QTest::newRow("few, sorted") << QStringList{QStringLiteral("zeta"), QStringLiteral("Alpha")}
                                 << QStringList{QStringLiteral("Alpha"), QStringLiteral("zeta")};
    QTest::newRow("exactly three") << QStringList{QStringLiteral("c"), QStringLiteral("b"), QStringLiteral("a")}
                                   << QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
    QStringList eleven;
    for (int i = 11; i >= 1; --i)
        eleven << QStringLiteral("branch%1").arg(i);
    QTest::newRow("eleven") << eleven
                            << QStringList{QStringLiteral("branch1"), QStringLiteral("branch2"), QStringLiteral("+9")};
}

void tst_DesktopDetails::headBadgesSortedAndBounded()
{
    QFETCH(QStringList, labels);
    QFETCH(QStringList, shown);
    QCOMPARE(RevisionGraphPainter::boundedLabels(labels), shown);
}

QTEST_MAIN(tst_DesktopDetails)
#include "tst_desktopdetails.moc"
