#include "mainwindow.h"

#include "proofview.h"

#include "applyconfirmationdelegate.h"
#include "connectionbar.h"
#include "elidedlabel.h"
#include "engineselector.h"
#include "historymodel.h"
#include "historyview.h"
#include "logview.h"
#include "backupsview.h"
#include "migrationcontroller.h"
#include "migrationprogress.h"
#include "projectbanners.h"
#include "projectcreator.h"
#include "projectdocument.h"
#include "proofview.h"
#include "revision/revisionnode.h"
#include "recentprojectsmenu.h"
#include "revisiongraphview.h"
#include "startpage.h"
#include "scripteditorview.h"
#include "squashdialog.h"
#include "studioactions.h"
#include "studiodocks.h"
#include "studiomenus.h"

#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace retort {

MainWindow::MainWindow(QSettings &settings, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_actions(new StudioActions(this))
    , m_document(new ProjectDocument(this))
    , m_model(new HistoryModel(this))
    , m_graph(new RevisionGraphView)
    , m_history(new HistoryView)
    , m_connection(new ConnectionBar(settings))
    , m_engines(new EngineSelector)
    , m_banners(new ProjectBanners(m_actions->mergeHeads))
    , m_recent(new RecentProjectsMenu(settings, this))
    , m_controller(new MigrationController(this))
    , m_confirm(std::make_unique<ApplyConfirmationDelegate>(this))
    , m_docks(new StudioDocks(this, m_history))
    , m_creator(new ProjectCreator(this))
    , m_statusProject(new ElidedLabel)
    , m_statusCounts(new QLabel)
{
    setWindowTitle(tr("Retort Studio"));
    m_graph->setModel(m_model);
    m_history->setModel(m_model);
    m_history->setSettings(&m_settings);

    auto *central = new QWidget;   // banners over the graph
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->setSpacing(4);
    layout->addWidget(m_banners);
    auto *start = new StartPage(m_recent, m_actions);   // in the graph's place until a project opens
    connect(start, &StartPage::projectRequested, this, &MainWindow::openProject);
    layout->addWidget(start->wrap(m_graph, m_document), 1);
    setCentralWidget(central);

    createMenus();
    QToolBar *connectionBar = addToolBar(tr("Connection"));
    connectionBar->setObjectName(QStringLiteral("connectionToolBar"));
    m_enginesAction = connectionBar->addWidget(m_engines);
    m_enginesAction->setVisible(false);
    connectionBar->addWidget(m_connection);
    wireMigrations();
    wireCreator();
    statusBar()->addWidget(m_statusProject, 1);
    statusBar()->addPermanentWidget(new MigrationProgress(m_controller));
    statusBar()->addPermanentWidget(m_statusCounts);

    LogView *log = m_docks->log();
    connect(m_document, &ProjectDocument::opened, this, &MainWindow::onProjectOpened);
    connect(m_document, &ProjectDocument::revisionsChanged, this, &MainWindow::onRevisionsChanged);
    connect(m_document, &ProjectDocument::changedOnDisk, this, &MainWindow::reloadProject);
    connect(m_document, &ProjectDocument::message, log, &LogView::appendLine);
    connect(m_docks, &StudioDocks::errorOccurred, m_banners, [this](const QString &html) { m_banners->showError(html); });
    connect(m_banners, &ProjectBanners::scriptRequested, this, [this](const QString &path) { m_docks->showScript(path, false); });
    connect(m_docks, &StudioDocks::revisionWritten, this, [this] {
        if (VoidResult read = m_document->reload(); !read)
            showLoadError(read.error());
    });
    connect(m_connection, &ConnectionBar::headsChanged, this, &MainWindow::onDatabaseHeads);
    connect(m_connection, &ConnectionBar::scriptChecksumsChanged, m_model, &HistoryModel::setScriptChecksums);
    connect(m_connection, &ConnectionBar::finished, this, &MainWindow::onConnectionFinished);
    connect(m_connection, &ConnectionBar::logLine, log, &LogView::appendLine);
    connect(m_connection, &ConnectionBar::passwordNotStored, this,
            [this](const QString &message) { statusBar()->showMessage(message, 15000); });
    connect(m_connection, &ConnectionBar::urlOverrideChanged, this,
            [this](const QString &url) { setSpec(m_document->iniPath(), url); });
    connect(m_engines, &EngineSelector::engineChanged, this, &MainWindow::setEngine);
    connect(m_connection, &ConnectionBar::engineHeadsChanged, this, [this](const QMap<QString, QStringList> &heads) {
        m_model->setEngineHeads(heads, m_connection->engine());
    });
    connect(m_recent, &RecentProjectsMenu::projectTriggered, this, &MainWindow::openProject);

    // One selection for both views (each ignores a revision it already shows).
    connect(m_graph, &RevisionGraphView::currentRevisionChanged, m_history, &HistoryView::setCurrentRevision);
    connect(m_history, &HistoryView::currentRevisionChanged, m_graph, &RevisionGraphView::setCurrentRevision);
    connect(m_graph, &RevisionGraphView::currentRevisionChanged, this, &MainWindow::onSelectionChanged);
    connect(m_graph, &RevisionGraphView::showScriptRequested, this, [this](const QString &id) { showRevisionScript(id); });
    connect(m_history, &HistoryView::activated, this, [this](const QString &id) { showRevisionScript(id); });
    connect(m_graph, &RevisionGraphView::previewSqlRequested, m_docks, &StudioDocks::previewSql);
    connect(m_graph, &RevisionGraphView::upgradeRequested, m_controller, &MigrationController::upgradeTo);
    connect(m_graph, &RevisionGraphView::downgradeRequested, m_controller, &MigrationController::downgradeTo);
    // Issue 14 (proof): scratch-database actions of the graph, results back as marks.
    connect(m_graph, &RevisionGraphView::verifyDowngradesRequested, this, [this](const QString &id) {
        m_docks->showProof();
        m_docks->proof()->verifyDowngrades(id);
    });
    connect(m_graph, &RevisionGraphView::schemaAtRequested, this, [this](const QString &id) {
        m_docks->showProof();
        m_docks->proof()->showSchemaAt(id);
    });
    connect(m_graph, &RevisionGraphView::compareRequested, this, [this](const QString &id) {
        QStringList ids;
        for (const RevisionNode *n : m_document->graph().nodes())
            ids << n->id();
        m_docks->showProof();
        m_docks->proof()->pickAndCompare(id, ids);
    });
    connect(m_docks->proof(), &ProofView::marksChanged, m_graph, &RevisionGraphView::setRevisionMarks);
    connect(m_graph, &RevisionGraphView::squashRequested, this, [this](const QString &id) {
        // Unsaved edits to a script that gets archived would be saved back into versions/.
        if (m_docks->script()->isDirty()) {
            statusBar()->showMessage(tr("Save or discard the open script's changes before squashing"), 15000);
            return;
        }
        SquashDialog dialog(m_document->iniPath(), m_connection->urlOverride(), id, this);
        connect(&dialog, &SquashDialog::squashed, this, &MainWindow::reloadProject);
        dialog.exec();
        if (dialog.hasSquashed() && !QFileInfo::exists(m_docks->script()->filePath()))
            showRevisionScript(id, false);   // the archived script's view: the baseline instead
    });

    if (!restoreGeometry(m_settings.value(QStringLiteral("mainWindow/geometry")).toByteArray()))
        StudioMenus::applyDefaultGeometry(this);
    restoreState(m_settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    m_graph->setZoom(m_settings.value(QStringLiteral("graph/zoom"), 1.0).toDouble());
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    StudioActions *a = m_actions;
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addActions({a->newProject, a->open});
    file->addMenu(m_recent);
    file->addActions({a->save, a->saveAll, a->reload});
    file->addSeparator();
    file->addAction(a->quit);
    QMenu *revision = menuBar()->addMenu(tr("&Revision"));
    revision->addActions({a->showScript, a->previewSql});
    revision->addSeparator();
    revision->addActions({a->upgrade, a->downgrade, a->rollBack, a->cancel});
    revision->addSeparator();
    revision->addActions({a->newRevision, a->mergeHeads, a->autogenerate});
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addActions({a->find, a->zoomIn, a->zoomOut});
    view->addSeparator();
    for (QDockWidget *dock : m_docks->docks())
        view->addAction(dock->toggleViewAction());
    // Graph-only shortcuts, so the script editor keeps its own Ctrl+F.
    for (QAction *action : {a->find, a->zoomIn, a->zoomOut}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_graph->addAction(action);
    }

    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addActions({a->open, a->reload});
    tools->addSeparator();
    tools->addActions({a->upgrade, a->downgrade, a->rollBack, a->cancel});
    tools->addSeparator();
    tools->addAction(a->mergeHeads);
    addToolBarBreak();

    auto current = [this] { return m_graph->currentRevision(); };
    connect(a->open, &QAction::triggered, this, &MainWindow::openDialog);
    connect(a->reload, &QAction::triggered, this, [this] {
        reloadProject();
        m_connection->connectToDatabase();
    });
    connect(a->save, &QAction::triggered, m_docks, &StudioDocks::saveScript);
    connect(a->saveAll, &QAction::triggered, m_docks, &StudioDocks::saveAll);
    connect(m_docks->script(), &ScriptEditorView::dirtyChanged, this, &MainWindow::updateActions);
    connect(a->quit, &QAction::triggered, this, &QWidget::close);
    connect(a->mergeHeads, &QAction::triggered, this, &MainWindow::mergeHeads);
    connect(a->find, &QAction::triggered, m_graph, &RevisionGraphView::showSearch);
    connect(a->zoomIn, &QAction::triggered, m_graph, &RevisionGraphView::zoomIn);
    connect(a->zoomOut, &QAction::triggered, m_graph, &RevisionGraphView::zoomOut);
    connect(a->showScript, &QAction::triggered, this, [this, current] { showRevisionScript(current()); });
    connect(a->previewSql, &QAction::triggered, this, [this, current] { m_docks->previewSql(current()); });
    connect(a->autogenerate, &QAction::triggered, m_docks, &StudioDocks::showAutogenerate);
    connect(a->upgrade, &QAction::triggered, this, [this, current] { m_controller->upgradeTo(current()); });
    connect(a->downgrade, &QAction::triggered, this, [this, current] { m_controller->downgradeTo(current()); });
    connect(a->rollBack, &QAction::triggered, m_controller, &MigrationController::rollBackLast);
    connect(a->cancel, &QAction::triggered, m_controller, &MigrationController::cancel);
    auto *menus = new StudioMenus(this, a, m_document, m_graph, m_model, m_settings);   // Edit, Help, zoom per project
    connect(menus, &StudioMenus::preferencesSaved, m_docks->backups(), &BackupsView::applySettings);
}

void MainWindow::wireMigrations()
{
    LogView *log = m_docks->log();
    m_controller->setConfirmationDelegate(m_confirm.get());
    m_docks->backups()->attach(m_controller, &m_settings);   // backup/folder, backup/retention
    connect(m_controller, &MigrationController::started, this, [this](const QString &what) {
        m_running = true;
        m_banners->clearError();   // an earlier run's failure is history now
        statusBar()->showMessage(what);
        updateActions();
    });
    connect(m_controller, &MigrationController::stepProgress, log, &LogView::appendStep);
    connect(m_controller, &MigrationController::statementExecuted, log, &LogView::appendStatement);
    connect(m_controller, &MigrationController::logLine, log, &LogView::appendLine);
    connect(m_controller, &MigrationController::backupCreated, log, &LogView::appendBackup);
    connect(m_controller, &MigrationController::finished, log, &LogView::appendResult);
    connect(m_controller, &MigrationController::finished, this, [this](bool ok, const QString &message) {
        m_running = false;
        statusBar()->showMessage(message, 8000);
        if (!ok && !message.isEmpty() && message != MigrationController::cancelledMessage())
            m_banners->showError(message.toHtmlEscaped());
        m_connection->connectToDatabase();   // the version table may have moved
        updateActions();
    });
    // A restore replaces the database (SQLite: the file): nothing of ours may hold it open.
    connect(m_controller, &MigrationController::aboutToRestore, this, [this] {
        m_connection->releaseDatabase();
        m_model->setDatabaseHeads({}, false);
        updateActions();
    });
    connect(m_controller, &MigrationController::databaseChanged, m_connection, &ConnectionBar::connectToDatabase);
}

void MainWindow::wireCreator()
{
    connect(m_actions->newProject, &QAction::triggered, m_creator, &ProjectCreator::newProject);
    m_creator->setAutogenerateAction(m_actions->autogenerate);
    connect(m_actions->newRevision, &QAction::triggered, this,
            [this] { m_creator->newRevision(m_document->iniPath(), m_document->graph().heads()); });
    connect(m_creator, &ProjectCreator::message, m_docks->log(), &LogView::appendLine);
    connect(m_creator, &ProjectCreator::projectCreated, this, &MainWindow::openProject);
    connect(m_creator, &ProjectCreator::revisionCreated, this, [this](const QString &path) {
        if (VoidResult read = m_document->reload(); !read)
            showLoadError(read.error());
        m_docks->showScript(path, false);
    });
}

void MainWindow::setSpec(const QString &iniPath, const QString &urlOverride)
{
    MigrationProjectSpec spec;
    spec.iniPath = iniPath;
    spec.urlOverride = urlOverride;
    spec.engine = m_engines->currentEngine();
    m_controller->setProject(spec);
    m_docks->setProject(spec);
}

// Multidb: the studio now shows, previews and migrates this engine.
void MainWindow::setEngine(const QString &engine)
{
    m_connection->setEngine(engine);
    setSpec(m_document->iniPath(), m_connection->urlOverride());
    m_connection->connectToDatabase();
}

bool MainWindow::openProject(const QString &iniPath)
{
    if (!m_docks->resolveUnsavedScript(tr("Opening another project closes it")))
        return false;
    m_banners->clearError();
    const int before = m_projectsOpened;
    VoidResult opened = m_document->open(iniPath);
    if (m_projectsOpened == before) {
        // Nothing was replaced: the window still shows the project it had (or none).
        m_banners->showError(tr("Could not open %1:").arg(QDir::toNativeSeparators(iniPath).toHtmlEscaped())
                             + QStringLiteral("<br>") + opened.error().toString().toHtmlEscaped());
        updateActions();
        return false;
    }
    if (!opened)
        showLoadError(opened.error());
    m_connection->connectToDatabase();
    return opened.ok();
}

void MainWindow::onProjectOpened()
{
    ++m_projectsOpened;
    const QString ini = m_document->iniPath();
    m_selectedRevision.clear();
    m_docks->clearProject();
    m_recent->add(ini);
    setWindowTitle(tr("%1 \u2014 Retort Studio").arg(m_document->displayName()));
    m_statusProject->setText(QDir::toNativeSeparators(ini));
    m_connection->setProject(ini);
    m_engines->setProject(ini);
    m_enginesAction->setVisible(!m_engines->engines().isEmpty());
    m_model->setEngineHeads({}, {});
    m_model->setDatabaseHeads({}, false);
    setSpec(ini, {});
}

void MainWindow::reloadProject()
{
    m_banners->clearError();
    if (VoidResult read = m_document->reload(); !read)
        showLoadError(read.error());
    m_docks->refreshScriptFromDisk();
}

// The open project's read failed: the error, with links to the scripts it is about.
void MainWindow::showLoadError(const Error &error)
{
    m_banners->showError(error.toString().toHtmlEscaped(), m_document->errorScripts());
}

void MainWindow::openDialog()
{
    const QString start = m_document->isOpen() ? m_document->iniPath() : m_recent->projects().value(0);
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Alembic Project"), start,
                                                      tr("Alembic config (*.ini);;All files (*)"));
    if (!path.isEmpty())
        openProject(path);
}

void MainWindow::mergeHeads()
{
    bool ok = false;
    const QString message = QInputDialog::getText(this, tr("Merge Heads"), tr("Message for the merge revision:"),
                                                   QLineEdit::Normal, tr("merge heads"), &ok);
    if (!ok)
        return;
    auto written = m_document->mergeHeads(message);
    if (!written) {
        m_banners->showError(tr("Merge failed: %1").arg(written.error().toString().toHtmlEscaped()));
        return;
    }
    statusBar()->showMessage(tr("Wrote %1").arg(QDir::toNativeSeparators(*written)), 8000);
    // The merge revision is the one head left: select it and open its script.
    if (const QStringList heads = m_document->graph().heads(); heads.size() == 1)
        m_graph->setCurrentRevision(heads.first());
    m_docks->showScript(*written, false);
}

void MainWindow::onRevisionsChanged()
{
    const QString keep = m_graph->currentRevision();
    m_model->setProjectDirectory(QFileInfo(m_document->iniPath()).absolutePath());
    m_model->setGraph(m_document->graph());
    m_model->setDatabaseHeads(m_connection->heads(), m_connection->isConnected());
    const QStringList heads = m_document->graph().heads();
    m_graph->setCurrentRevision(m_model->rowOf(keep) >= 0 ? keep : heads.value(0));
    m_statusCounts->setText(tr("%n revision(s)", nullptr, m_model->rowCount()) + QStringLiteral(", ")
                            + tr("%n head(s)", nullptr, int(heads.size())));
    for (const QString &warning : m_document->warnings())
        m_docks->log()->appendLine(warning);
    updateBanners();
    updateActions();
}

void MainWindow::onDatabaseHeads(const QStringList &heads)
{
    m_model->setDatabaseHeads(heads, true);
    m_docks->setCurrentHeads(heads);
    updateBanners();
    updateActions();
}

void MainWindow::onConnectionFinished(bool ok, const QString &error)
{
    if (ok)
        return;
    m_model->setDatabaseHeads({}, false);
    m_docks->log()->appendError(error);
    statusBar()->showMessage(tr("Not connected: %1").arg(error.section(QLatin1Char('\n'), 0, 0)), 10000);
    updateBanners();
    updateActions();
}

// A single click (or arrow key) loads the revision's script, as double-click does,
// without raising the Script dock; Cancel on unsaved edits puts the selection back.
void MainWindow::onSelectionChanged(const QString &id)
{
    updateActions();
    if (id.isEmpty() || id == m_selectedRevision)
        return;   // a model reset restoring the selection is no new choice
    if (!showRevisionScript(id, false)) {
        m_graph->setCurrentRevision(m_selectedRevision);
        return;
    }
    m_selectedRevision = id;
    m_docks->followSelection(id);
}

bool MainWindow::showRevisionScript(const QString &id, bool raise)
{
    const QString path = m_document->scriptPath(id);
    if (path.isEmpty())
        return true;   // nothing to show is nothing to refuse
    const int row = m_model->rowOf(id);
    return m_docks->showScript(path, row >= 0 && (m_model->flagsAt(row) & HistoryModel::Applied), raise);
}

void MainWindow::updateBanners()
{
    m_banners->showProjectState(m_document->graph().heads(), m_model->unknownDatabaseRevisions(),
                                m_document->versionsDirectory());
}

void MainWindow::updateActions()
{
    m_actions->update(m_document->isOpen(), !m_graph->currentRevision().isEmpty(),
                      m_connection->isConnected(), m_running, int(m_document->graph().heads().size()));
    if (m_connection->hasNoDatabaseYet()) {   // nothing applied: nothing to take back
        m_actions->downgrade->setEnabled(false);
        m_actions->rollBack->setEnabled(false);
    }
    m_actions->save->setEnabled(m_docks->script()->isDirty());
    m_actions->saveAll->setEnabled(m_docks->script()->isDirty());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_docks->confirmClose()) {
        event->ignore();
        return;
    }
    m_settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    m_settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    m_settings.setValue(QStringLiteral("graph/zoom"), m_graph->zoom());
    QMainWindow::closeEvent(event);
}

} // namespace retort
