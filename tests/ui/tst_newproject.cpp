// "New Project…" and "New Revision…" driven through the main window's actions: the
// dialogs are opened without exec(), filled in and accepted, then the window is checked
// for the new project or the new head.

#include "historymodel.h"
#include "logview.h"
#include "mainwindow.h"
#include "newprojectdialog.h"
#include "newrevisiondialog.h"
#include "projectcreator.h"
#include "projectdocument.h"
#include "recentprojectsmenu.h"
#include "scripteditorview.h"
#include "studioactions.h"
#include "studiodocks.h"
#include "studiotestutil.h"
#include "template/projectinitializer.h"

#include <QAction>
#include <QSettings>
#include <QTest>

using namespace retort;

class tst_NewProject : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void createsGenericProject();
    void refusesUnusableFolder_data();
    void refusesUnusableFolder();
    void failedInitLeavesNothing_data();
    void failedInitLeavesNothing();
    void newRevisionBecomesHead();
    void severalHeadsNeedAChoice();

private:
    NewProjectDialog *openProjectDialog(MainWindow &window);
    NewRevisionDialog *openRevisionDialog(MainWindow &window);
    QString openDemo(MainWindow &window, bool secondHead);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
};

void tst_NewProject::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->path() + QStringLiteral("/studio.ini"),
                                             QSettings::IniFormat);
}

NewProjectDialog *tst_NewProject::openProjectDialog(MainWindow &window)
{
    window.actions()->newProject->trigger();
    return window.creator()->projectDialog();
}

NewRevisionDialog *tst_NewProject::openRevisionDialog(MainWindow &window)
{
    if (!window.actions()->newRevision->isEnabled())
        return nullptr;
    window.actions()->newRevision->trigger();
    return window.creator()->revisionDialog();
}

QString tst_NewProject::openDemo(MainWindow &window, bool secondHead)
{
    const QString demo = m_dir->path() + QStringLiteral("/demo");
    if (!studiotest::copyTree(QStringLiteral(RETORT_DEMO_DIR), demo))
        return {};
    if (secondHead && !studiotest::addSecondHead(demo + QStringLiteral("/migrations/versions")))
        return {};
    window.openProject(demo + QStringLiteral("/alembic.ini"));
    return demo;
}

void tst_NewProject::createsGenericProject()
{
    MainWindow window(*m_settings);
    window.show();
    NewProjectDialog *dialog = openProjectDialog(window);
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->templateNames(), ProjectInitializer::templateNames());

    const QString folder = m_dir->path() + QStringLiteral("/shop");   // does not exist yet
    dialog->setProjectFolder(folder);
    dialog->setScriptsDirectory(QStringLiteral("migrations"));
    dialog->setTemplateName(QStringLiteral("generic"));
    dialog->setDatabaseUrl(QStringLiteral("sqlite:///shop%20db.sqlite"));
    QCOMPARE(dialog->errorText(), QString());
    dialog->accept();
    QVERIFY(!window.creator()->projectDialog() || !window.creator()->projectDialog()->isVisible());

    const QString ini = folder + QStringLiteral("/alembic.ini");
    for (const QString &file : {ini, folder + QStringLiteral("/migrations/env.py"),
                                folder + QStringLiteral("/migrations/script.py.mako")})
        QVERIFY2(QFileInfo(file).isFile(), qPrintable(file));
    QVERIFY(QFileInfo(folder + QStringLiteral("/migrations/versions")).isDir());
    QFile written(ini);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QByteArray text = written.readAll();
    QVERIFY(text.contains("\nscript_location = migrations\n"));
    QVERIFY(text.contains("\nsqlalchemy.url = sqlite:///shop%%20db.sqlite\n"));

    // Opened as "Open Project" opens it, and remembered.
    QVERIFY(window.document()->isOpen());
    QCOMPARE(QFileInfo(window.document()->iniPath()).canonicalFilePath(), QFileInfo(ini).canonicalFilePath());
    QVERIFY(window.windowTitle().startsWith(QStringLiteral("shop")));
    QCOMPARE(window.historyModel()->rowCount(), 0);
    QCOMPARE(RecentProjectsMenu(*m_settings).projects().value(0), window.document()->iniPath());
    QVERIFY(window.docks()->log()->text().contains(QStringLiteral("Generating ") + ini));
}

void tst_NewProject::refusesUnusableFolder_data()
{
    QTest::addColumn<QString>("existingFile");   // created inside the project folder first
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("scripts directory not empty")
        << QStringLiteral("migrations/notes.txt")
        << QStringLiteral("Directory migrations already exists and is not empty");
    QTest::newRow("alembic.ini already there")
        << QStringLiteral("alembic.ini") << QStringLiteral("alembic.ini already exists");
}

void tst_NewProject::refusesUnusableFolder()
{
    QFETCH(QString, existingFile);
    QFETCH(QString, expectedError);
    const QString folder = m_dir->path() + QStringLiteral("/taken");
    const QString existing = folder + QLatin1Char('/') + existingFile;
    QVERIFY(QDir().mkpath(QFileInfo(existing).absolutePath()));
    QFile f(existing);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();

    MainWindow window(*m_settings);
    NewProjectDialog *dialog = openProjectDialog(window);
    QVERIFY(dialog);
    dialog->setProjectFolder(folder);
    QVERIFY2(dialog->errorText().contains(expectedError), qPrintable(dialog->errorText()));
    dialog->accept();   // refused: stays open, writes nothing
    QVERIFY(dialog->isVisible());
    QVERIFY(!window.document()->isOpen());
    QCOMPARE(QDir(folder).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size(), 1);
}

void tst_NewProject::failedInitLeavesNothing_data()
{
    QTest::addColumn<QString>("blocker");   // what makes init fail, and stays
    QTest::addColumn<QString>("expectedError");
    // The project folder cannot be created below a regular file.
    QTest::newRow("folder below a file") << QStringLiteral("file") << QStringLiteral("Permission denied");
    // alembic.ini, written last, is a dangling link: the scripts are written by then.
    QTest::newRow("alembic.ini unwritable") << QStringLiteral("link") << QStringLiteral("No such file or directory");
}

void tst_NewProject::failedInitLeavesNothing()
{
    QFETCH(QString, blocker);
    QFETCH(QString, expectedError);
    const QString work = m_dir->path() + QStringLiteral("/work");
    QVERIFY(QDir().mkpath(work));
    QString folder = work;
    if (blocker == QLatin1String("file")) {
        QFile f(work + QStringLiteral("/file"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        folder = f.fileName() + QStringLiteral("/shop");
    } else {
        QVERIFY(QFile::link(m_dir->path() + QStringLiteral("/missing/target.ini"),
                            work + QStringLiteral("/alembic.ini")));
    }
    MainWindow window(*m_settings);
    NewProjectDialog *dialog = openProjectDialog(window);
    QVERIFY(dialog);
    dialog->setProjectFolder(folder);
    QCOMPARE(dialog->errorText(), QString());
    dialog->accept();
    QVERIFY(dialog->isVisible());
    QVERIFY2(dialog->errorText().contains(expectedError), qPrintable(dialog->errorText()));
    QVERIFY(dialog->errorText().contains(QStringLiteral("Nothing was created")));
    QVERIFY(!window.document()->isOpen());
    // Only the blocker is left; what the attempt wrote is gone again.
    QCOMPARE(QDir(work).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot).size(), 1);
    QVERIFY(!QFileInfo::exists(work + QStringLiteral("/migrations")));
}

void tst_NewProject::newRevisionBecomesHead()
{
    MainWindow window(*m_settings);
    window.show();
    const QString demo = openDemo(window, false);
    QVERIFY(!demo.isEmpty());
    const QStringList before = window.document()->graph().heads();
    QCOMPARE(before.size(), 1);
    NewRevisionDialog *dialog = openRevisionDialog(window);
    QVERIFY(dialog);
    dialog->setMessage(QStringLiteral("add notes table"));
    dialog->accept();
    QCOMPARE(dialog->errorText(), QString());

    const QString path = dialog->writtenPath();
    QVERIFY(path.startsWith(demo + QStringLiteral("/migrations/versions/")));
    QVERIFY(path.endsWith(QStringLiteral("_add_notes_table.py")));
    const QStringList heads = window.document()->graph().heads();
    QCOMPARE(heads.size(), 1);
    QVERIFY(heads.first() != before.first());
    QCOMPARE(window.document()->scriptPath(heads.first()), path);
    HistoryModel *model = window.historyModel();
    QVERIFY(model->flagsAt(model->rowOf(heads.first())) & HistoryModel::Head);
    QVERIFY(!(model->flagsAt(model->rowOf(before.first())) & HistoryModel::Head));
    QCOMPARE(window.docks()->script()->filePath(), path);
    QVERIFY(window.docks()->script()->text().contains(QStringLiteral("down_revision = '%1'").arg(before.first())));
}

void tst_NewProject::severalHeadsNeedAChoice()
{
    MainWindow window(*m_settings);
    const QString demo = openDemo(window, true);
    QVERIFY(!demo.isEmpty());
    QCOMPARE(window.document()->graph().heads().size(), 2);
    const QString versions = demo + QStringLiteral("/migrations/versions");
    const int files = QDir(versions).entryList(QDir::Files).size();

    NewRevisionDialog *dialog = openRevisionDialog(window);
    QVERIFY(dialog);
    dialog->setMessage(QStringLiteral("on the side"));
    dialog->accept();   // no head chosen: Alembic's refusal
    QVERIFY(dialog->isVisible());
    QVERIFY2(dialog->errorText().startsWith(QStringLiteral("Multiple heads are present")),
             qPrintable(dialog->errorText()));
    QCOMPARE(QDir(versions).entryList(QDir::Files).size(), files);

    dialog->setHead(QStringLiteral("c0ffee000001"));
    dialog->accept();
    const QStringList heads = window.document()->graph().heads();
    QCOMPARE(heads.size(), 2);
    QVERIFY(!heads.contains(QStringLiteral("c0ffee000001")));
    QVERIFY(heads.contains(QStringLiteral("e97a3b2d4c58")));   // the other head is untouched
    const QString added = heads.at(heads.first() == QLatin1String("e97a3b2d4c58") ? 1 : 0);
    QCOMPARE(window.document()->graph().node(added)->downRevisions(), QStringList{QStringLiteral("c0ffee000001")});
}

QTEST_MAIN(tst_NewProject)
#include "tst_newproject.moc"
