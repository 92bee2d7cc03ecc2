// One project state that every view follows (issue 12, items 4 and 7): a single click
// loads the revision's script (Save / Discard / Cancel on unsaved edits, Cancel keeps
// the selection); switching projects empties the editor, SQL preview and autogenerate
// review; a failed open leaves the window as it was; a project whose scripts fail links
// to them from the banner; files changed on disk refresh the graph and the open script
// (asking when it has edits), and so does Reload; opening never creates the SQLite
// file; File > Save / Save All; quitting with edits asks.

#include "autogeneratereviewmodel.h"
#include "autogeneratereviewview.h"
#include "services/autogeneratejob.h"
#include "connectionbar.h"
#include "fakescriptprompts.h"
#include "historymodel.h"
#include "historyview.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "projectbanners.h"
#include "projectdocument.h"
#include "revisiongraphview.h"
#include "scripteditorview.h"
#include "sqlpreviewview.h"
#include "studioactions.h"
#include "studiodocks.h"
#include "studiotestutil.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace retort;
using retort::test::FakeScriptPrompts;

namespace {
const QString kHead = QStringLiteral("e97a3b2d4c58");
const QString kOther = QStringLiteral("a6d90c13e7f4");
const QString kVersions = QStringLiteral("/demo/migrations/versions");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

QString messageOf(HistoryModel *model, const QString &id)
{
    return model->index(model->rowOf(id), HistoryModel::MessageColumn).data().toString();
}

QString script(const QString &id, const QString &down, const QString &message)
{
    return QStringLiteral("\"\"\"%3\n\nRevision ID: %1\nRevises: %2\n\"\"\"\n"
                          "revision = '%1'\ndown_revision = %4\nbranch_labels = None\n"
                          "depends_on = None\n\n\ndef upgrade():\n    pass\n\n\n"
                          "def downgrade():\n    pass\n")
        .arg(id, down, message, down.isEmpty() ? QStringLiteral("None") : QLatin1Char('\'') + down + QLatin1Char('\''));
}
} // namespace

class tst_ProjectState : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void singleClickLoadsScript();
    void unsavedEditsOnSelection_data();
    void unsavedEditsOnSelection();
    void switchingProjectsClearsEveryView();
    void comparisonInFlightIsDroppedOnSwitch();
    void failedOpenLeavesTheWindowAsItWas();
    void brokenScriptsLinkFromTheBanner_data();
    void brokenScriptsLinkFromTheBanner();
    void changeOnDiskRefreshesGraphAndScript();
    void changeOnDiskWhileDirtyAsks_data();
    void changeOnDiskWhileDirtyAsks();
    void reloadRereadsChangedScript();
    void iniChangeIsPickedUp();
    void openingCreatesNoSqliteFile();
    void saveAndSaveAll();
    void quitWithEditsAsks();

private:
    std::unique_ptr<MainWindow> newWindow();
    bool openAndConnect(MainWindow &window, const QString &ini);
    QString versions() const { return m_dir->path() + kVersions; }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    FakeScriptPrompts m_prompts;
    QString m_ini;
};

void tst_ProjectState::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(studiotest::copyTree(QStringLiteral(RETORT_DEMO_DIR), m_dir->path() + QStringLiteral("/demo")));
    m_ini = m_dir->path() + QStringLiteral("/demo/alembic.ini");
    m_settings = std::make_unique<QSettings>(m_dir->path() + QStringLiteral("/studio.ini"), QSettings::IniFormat);
    m_prompts = FakeScriptPrompts();
}

std::unique_ptr<MainWindow> tst_ProjectState::newWindow()
{
    auto window = std::make_unique<MainWindow>(*m_settings);
    window->docks()->setPrompts(&m_prompts);
    window->document()->setWatchDelay(50);
    return window;
}

bool tst_ProjectState::openAndConnect(MainWindow &window, const QString &ini)
{
    QSignalSpy spy(window.connectionBar(), &ConnectionBar::finished);
    if (!window.openProject(ini))
        return false;
    return spy.count() > 0 || spy.wait(15000);
}

void tst_ProjectState::singleClickLoadsScript()
{
    auto window = newWindow();
    QVERIFY(openAndConnect(*window, m_ini));
    ScriptEditorView *editor = window->docks()->script();
    // The head is selected on open, and its script is in the editor.
    QCOMPARE(editor->filePath(), window->document()->scriptPath(kHead));
    window->graphView()->setCurrentRevision(kOther);
    QCOMPARE(editor->filePath(), window->document()->scriptPath(kOther));
    // A click in the History table: its selection, not an activation.
    QTableView *table = window->historyView()->tableView();
    const int row = window->historyModel()->rowOf(kHead);
    table->setCurrentIndex(table->model()->index(row, 0));
    QCOMPARE(editor->filePath(), window->document()->scriptPath(kHead));
    QVERIFY(m_prompts.asked.isEmpty());

    // The SQL preview follows the selection too: rendered when it is on screen.
    SqlPreviewView *preview = window->docks()->sqlPreview();
    window->docks()->previewSql(kHead);
    QTRY_VERIFY(!preview->sql().isEmpty() || !preview->errorText().isEmpty());
    window->graphView()->setCurrentRevision(kOther);
    QCOMPARE(preview->revision(), QString(kOther));
}

void tst_ProjectState::unsavedEditsOnSelection_data()
{
    QTest::addColumn<int>("answer");
    QTest::newRow("save") << int(ScriptPrompts::Save);
    QTest::newRow("discard") << int(ScriptPrompts::Discard);
    QTest::newRow("cancel") << int(ScriptPrompts::Cancel);
}

void tst_ProjectState::unsavedEditsOnSelection()
{
    QFETCH(int, answer);
    m_prompts.unsavedAnswer = ScriptPrompts::UnsavedChoice(answer);
    auto window = newWindow();
    QVERIFY(openAndConnect(*window, m_ini));
    ScriptEditorView *editor = window->docks()->script();
    const QString headPath = window->document()->scriptPath(kHead);
    const QByteArray before = readAll(headPath);
    editor->editor()->insertAt(QStringLiteral("# my edit\n"), 0, 0);
    QVERIFY(editor->isDirty());

    window->graphView()->setCurrentRevision(kOther);
    QCOMPARE(m_prompts.asked, QStringList{QStringLiteral("unsaved:") + headPath});
    const bool cancelled = answer == ScriptPrompts::Cancel;
    QCOMPARE(window->graphView()->currentRevision(), cancelled ? kHead : kOther);
    QCOMPARE(window->historyView()->currentRevision(), cancelled ? kHead : kOther);
    QCOMPARE(editor->filePath(), window->document()->scriptPath(cancelled ? kHead : kOther));
    QCOMPARE(editor->isDirty(), cancelled);
    if (cancelled)
        QVERIFY(editor->text().startsWith(QLatin1String("# my edit")));
    QCOMPARE(readAll(headPath).startsWith("# my edit"), answer == ScriptPrompts::Save);
    if (answer == ScriptPrompts::Discard)
        QCOMPARE(readAll(headPath), before);
}

void tst_ProjectState::switchingProjectsClearsEveryView()
{
    const QString basic = m_dir->path() + QStringLiteral("/basic");
    QVERIFY(studiotest::copyTree(QStringLiteral(RETORT_FIXTURES_DIR "/projects/basic"), basic));
    auto window = newWindow();
    QVERIFY(openAndConnect(*window, m_ini));
    window->docks()->previewSql(kOther);
    QVERIFY(!window->docks()->sqlPreview()->sql().isEmpty());
    QVERIFY(window->docks()->script()->filePath().startsWith(m_dir->path() + QStringLiteral("/demo")));

    QVERIFY(openAndConnect(*window, basic + QStringLiteral("/alembic.ini")));
    QVERIFY(window->windowTitle().startsWith(QLatin1String("basic")));
    // The editor shows the new project's selected revision, never the old one's script.
    const QString selected = window->graphView()->currentRevision();
    QVERIFY(!selected.isEmpty());
    QCOMPARE(window->docks()->script()->filePath(), window->document()->scriptPath(selected));
    QVERIFY(window->docks()->script()->filePath().startsWith(basic));
    // The SQL preview follows the new selection: the old project's SQL is gone.
    QCOMPARE(window->docks()->sqlPreview()->revision(), selected);
    QVERIFY(!window->docks()->sqlPreview()->sql().contains(kOther));
    QVERIFY(window->docks()->sqlPreview()->errorText().isEmpty());
    QCOMPARE(window->docks()->autogenerate()->model()->rowCount(), 0);
    QCOMPARE(window->connectionBar()->iniPath(), window->document()->iniPath());
    QVERIFY(m_prompts.asked.isEmpty());
}

// A comparison still running when another project opens must not fill the new
// project's review with the old one's result.
void tst_ProjectState::comparisonInFlightIsDroppedOnSwitch()
{
    const QString basic = m_dir->path() + QStringLiteral("/basic");
    QVERIFY(studiotest::copyTree(QStringLiteral(RETORT_FIXTURES_DIR "/projects/basic"), basic));
    auto window = newWindow();
    QVERIFY(openAndConnect(*window, m_ini));
    AutogenerateReviewView *review = window->docks()->autogenerate();
    review->setPython(QStringLiteral("/usr/bin/python3"));
    review->compare();
    QVERIFY(review->isComparing());
    auto *job = review->findChild<AutogenerateJob *>();
    QVERIFY(job);
    QSignalSpy finished(job, &AutogenerateJob::finished);
    // No event loop between the two: the old result cannot have arrived yet.
    QVERIFY(window->openProject(basic + QStringLiteral("/alembic.ini")));
    QVERIFY(!review->isComparing());
    const QString status = review->statusText();
    QVERIFY(!status.startsWith(QLatin1String("Comparison failed")));
    QVERIFY(finished.count() > 0 || finished.wait(120000));
    QTest::qWait(50);   // the queued result, had it still been connected
    QCOMPARE(review->statusText(), status);
    QCOMPARE(review->model()->rowCount(), 0);
    QVERIFY(review->compareAction()->isEnabled());
}

void tst_ProjectState::failedOpenLeavesTheWindowAsItWas()
{
    auto window = newWindow();
    QVERIFY(openAndConnect(*window, m_ini));
    const QString title = window->windowTitle();
    const QString script = window->docks()->script()->filePath();
    QVERIFY(!window->openProject(m_dir->path() + QStringLiteral("/nothing/alembic.ini")));
    QVERIFY(window->banners()->problemBanner()->isVisibleTo(window.get()));
    QVERIFY(window->banners()->problemBanner()->text().contains(QLatin1String("nothing")));
    QCOMPARE(window->windowTitle(), title);
    QCOMPARE(window->document()->iniPath(), QFileInfo(m_ini).absoluteFilePath());
    QCOMPARE(window->connectionBar()->iniPath(), window->document()->iniPath());
    QCOMPARE(window->historyModel()->rowCount(), 7);
    QCOMPARE(window->graphView()->currentRevision(), kHead);
    QCOMPARE(window->docks()->script()->filePath(), script);
    QVERIFY(window->actions()->reload->isEnabled());
    QCOMPARE(QDir::currentPath(), QFileInfo(m_ini).absolutePath());
}

void tst_ProjectState::brokenScriptsLinkFromTheBanner_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("down");
    QTest::addColumn<QString>("linked");   // the script the banner links to
    // A parent that no script defines: the error names the file.
    QTest::newRow("missing parent") << QStringLiteral("f00000000001") << QStringLiteral("0badc0ffee00")
                                    << QStringLiteral("f00000000001_broken.py");
    // The first revision now revises the head: a cycle through every script.
    QTest::newRow("cycle") << QStringLiteral("3f9a1c2b7d10") << kHead
                           << QStringLiteral("3f9a1c2b7d10_create_accounts_table.py");
}

void tst_ProjectState::brokenScriptsLinkFromTheBanner()
{
    QFETCH(QString, id);
    QFETCH(QString, down);
    QFETCH(QString, linked);
    const QString path = versions() + QLatin1Char('/') + (id == QStringLiteral("3f9a1c2b7d10")
                                                              ? QStringLiteral("3f9a1c2b7d10_create_accounts_table.py")
                                                              : id + QStringLiteral("_broken.py"));
    QVERIFY(writeAll(path, script(id, down, QStringLiteral("broken")).toUtf8()));
    auto window = newWindow();
    window->show();
    QVERIFY(!window->openProject(m_ini));
    // Open, consistently: the new title, an empty graph, Reload to try again.
    QVERIFY(window->document()->isOpen());
    QVERIFY(window->windowTitle().startsWith(QLatin1String("demo")));
    QCOMPARE(window->historyModel()->rowCount(), 0);
    QVERIFY(window->actions()->reload->isEnabled());
    QVERIFY(window->docks()->script()->filePath().isEmpty());
    MessageBanner *banner = window->banners()->problemBanner();
    QVERIFY(banner->isVisible());
    const QRegularExpression link(QStringLiteral("<a href=\"([^\"]+)\">([^<]+)</a>"));
    QStringList names;
    QString href;
    for (auto it = link.globalMatch(banner->text()); it.hasNext();) {
        const auto match = it.next();
        names << match.captured(2);
        if (match.captured(2) == linked)
            href = match.captured(1);
    }
    QVERIFY2(!href.isEmpty(), qPrintable(banner->text()));
    // The click, as the banner's QLabel reports it.
    QLabel *text = nullptr;
    for (QLabel *candidate : banner->findChildren<QLabel *>()) {
        if (candidate->text() == banner->text())
            text = candidate;
    }
    QVERIFY(text);
    emit text->linkActivated(href.replace(QLatin1String("&amp;"), QLatin1String("&")));
    QCOMPARE(QFileInfo(window->docks()->script()->filePath()).fileName(), linked);

    // Fixed on disk: the watcher reads the project again and the banner goes.
    if (id == QStringLiteral("3f9a1c2b7d10"))
        QVERIFY(writeAll(path, script(id, QString(), QStringLiteral("create accounts table")).toUtf8()));
    else
        QVERIFY(QFile::remove(path));
    QTRY_COMPARE_WITH_TIMEOUT(window->historyModel()->rowCount(), 7, 10000);
    QVERIFY(!banner->isVisible());
}

void tst_ProjectState::changeOnDiskRefreshesGraphAndScript()
{
    auto window = newWindow();
    QVERIFY(openAndConnect(*window, m_ini));
    window->graphView()->setCurrentRevision(kOther);
    ScriptEditorView *editor = window->docks()->script();
    const QString path = window->document()->scriptPath(kOther);
    QCOMPARE(editor->filePath(), path);
    // As an external editor or `git pull` would: the message and the body change.
    QByteArray text = readAll(path);
    QVERIFY(text.startsWith("\"\"\""));
    text.insert(3, "renamed outside: ");
    QVERIFY(writeAll(path, text));
    QTRY_VERIFY_WITH_TIMEOUT(messageOf(window->historyModel(), kOther).startsWith(QLatin1String("renamed outside")), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(editor->text().toUtf8(), text, 10000);
    QVERIFY(!editor->isDirty());
    // A new script in the versions folder shows up as well.
    QVERIFY(writeAll(versions() + QStringLiteral("/f00000000002_added.py"),
                     script(QStringLiteral("f00000000002"), kHead, QStringLiteral("added outside")).toUtf8()));
    QTRY_COMPARE_WITH_TIMEOUT(window->historyModel()->rowCount(), 8, 10000);
    QCOMPARE(window->graphView()->currentRevision(), kOther);
    QVERIFY(m_prompts.asked.isEmpty());
}

void tst_ProjectState::changeOnDiskWhileDirtyAsks_data()
{
    QTest::addColumn<bool>("reload");
    QTest::newRow("keep my changes") << false;
    QTest::newRow("reload") << true;
}

void tst_ProjectState::changeOnDiskWhileDirtyAsks()
{
    QFETCH(bool, reload);
    m_prompts.reloadAnswer = reload;
    auto window = newWindow();
    QVERIFY(openAndConnect(*window, m_ini));
    ScriptEditorView *editor = window->docks()->script();
    const QString path = window->document()->scriptPath(kHead);
    editor->editor()->insertAt(QStringLiteral("# mine\n"), 0, 0);
    QByteArray text = readAll(path);
    text.append("\n# theirs\n");
    QVERIFY(writeAll(path, text));
    QTRY_COMPARE_WITH_TIMEOUT(m_prompts.asked, QStringList{QStringLiteral("reload:") + path}, 10000);
    QCOMPARE(editor->text().contains(QLatin1String("# mine")), !reload);
    QCOMPARE(editor->text().contains(QLatin1String("# theirs")), reload);
    QCOMPARE(editor->isDirty(), !reload);
    QCOMPARE(editor->filePath(), path);
}

void tst_ProjectState::reloadRereadsChangedScript()
{
    auto window = newWindow();
    window->document()->setWatchDelay(600000);   // only Reload may notice
    QVERIFY(openAndConnect(*window, m_ini));
    ScriptEditorView *editor = window->docks()->script();
    const QString path = window->document()->scriptPath(kHead);
    QByteArray text = readAll(path);
    text.insert(3, "pulled: ");
    QVERIFY(writeAll(path, text));
    window->actions()->reload->trigger();
    QVERIFY(messageOf(window->historyModel(), kHead).startsWith(QLatin1String("pulled: ")));
    QCOMPARE(editor->text().toUtf8(), text);
    QVERIFY(!editor->isDirty());
}

// alembic.ini itself is read again: a new version location shows its scripts.
void tst_ProjectState::iniChangeIsPickedUp()
{
    const QString more = m_dir->path() + QStringLiteral("/demo/more");
    QVERIFY(QDir().mkpath(more));
    QVERIFY(writeAll(more + QStringLiteral("/f00000000003_elsewhere.py"),
                     script(QStringLiteral("f00000000003"), kHead, QStringLiteral("from another folder")).toUtf8()));
    auto window = newWindow();
    QVERIFY(openAndConnect(*window, m_ini));
    QCOMPARE(window->historyModel()->rowCount(), 7);
    QByteArray ini = readAll(m_ini);
    ini.replace("script_location = migrations\n",
                "script_location = migrations\n"
                "version_locations = %(here)s/migrations/versions:%(here)s/more\n");
    // Alembic 1.8.1 keeps the inline comment in the value and then refuses the separator.
    ini.replace("version_path_separator = os  # Use os.pathsep.", "version_path_separator = os\n#");
    QVERIFY(ini.contains("version_locations = %(here)s"));
    QVERIFY(writeAll(m_ini, ini));
    QTRY_VERIFY2_WITH_TIMEOUT(window->historyModel()->rowCount() == 8,
                              qPrintable(window->banners()->problemBanner()->text()), 10000);
    QCOMPARE(window->document()->graph().heads(), QStringList{QStringLiteral("f00000000003")});
}

void tst_ProjectState::openingCreatesNoSqliteFile()
{
    const QString db = m_dir->path() + QStringLiteral("/demo/demo.db");
    QVERIFY(!QFile::exists(db));
    auto window = newWindow();
    QVERIFY(openAndConnect(*window, m_ini));
    QVERIFY(!QFile::exists(db));
    // "No database yet" is a state, not an error: the first upgrade creates the file.
    QVERIFY(window->connectionBar()->isConnected());
    QVERIFY(window->connectionBar()->hasNoDatabaseYet());
    QVERIFY(window->connectionBar()->heads().isEmpty());
    QVERIFY(window->actions()->upgrade->isEnabled());
    QVERIFY(!window->actions()->rollBack->isEnabled());
    QVERIFY(!window->actions()->downgrade->isEnabled());
    QVERIFY(window->banners()->problemBanner()->isHidden());
    // An existing database is read, not written: its bytes stay as they were.
    QVERIFY(studiotest::setVersionRows(db, {kOther}));
    const QByteArray bytes = readAll(db);
    QSignalSpy finished(window->connectionBar(), &ConnectionBar::finished);
    window->connectionBar()->connectToDatabase();
    QVERIFY(finished.wait(15000));
    QVERIFY(!window->connectionBar()->hasNoDatabaseYet());
    QCOMPARE(window->connectionBar()->heads(), QStringList{kOther});
    QVERIFY(window->actions()->rollBack->isEnabled());
    QCOMPARE(readAll(db), bytes);
}

void tst_ProjectState::saveAndSaveAll()
{
    auto window = newWindow();
    QVERIFY(openAndConnect(*window, m_ini));
    QList<QAction *> fileMenu = window->menuBar()->actions().first()->menu()->actions();
    QVERIFY(fileMenu.contains(window->actions()->save));
    QVERIFY(fileMenu.contains(window->actions()->saveAll));
    QVERIFY(!window->actions()->save->isEnabled());
    ScriptEditorView *editor = window->docks()->script();
    const QString path = editor->filePath();
    for (QAction *action : {window->actions()->save, window->actions()->saveAll}) {
        const QByteArray mark = "# " + action->objectName().toUtf8() + action->text().toUtf8() + "\n";
        editor->editor()->insertAt(QString::fromUtf8(mark), 0, 0);
        QVERIFY(action->isEnabled());
        action->trigger();
        QVERIFY(!editor->isDirty());
        QVERIFY(readAll(path).startsWith(mark));
        QVERIFY(!action->isEnabled());
    }
    // A syntax error is saved only when the user says so.
    editor->editor()->insertAt(QStringLiteral("broken = (1,\n"), 0, 0);
    window->actions()->save->trigger();
    QCOMPARE(m_prompts.asked, QStringList{QStringLiteral("syntax:") + path});
    QVERIFY(editor->isDirty());
    QVERIFY(!readAll(path).startsWith("broken"));
}

void tst_ProjectState::quitWithEditsAsks()
{
    auto window = newWindow();
    window->show();
    QVERIFY(openAndConnect(*window, m_ini));
    window->docks()->script()->editor()->insertAt(QStringLiteral("# edit\n"), 0, 0);
    m_prompts.unsavedAnswer = ScriptPrompts::Cancel;
    QVERIFY(!window->close());
    QVERIFY(window->isVisible());
    QCOMPARE(m_prompts.asked.size(), 1);
    // Opening another project asks too; Cancel keeps this one.
    QVERIFY(!window->openProject(m_ini));
    QCOMPARE(m_prompts.asked.size(), 2);
    QVERIFY(window->docks()->script()->isDirty());
    m_prompts.unsavedAnswer = ScriptPrompts::Discard;
    QVERIFY(window->close());
}

QTEST_MAIN(tst_ProjectState)
#include "tst_projectstate.moc"
