#pragma once
// The studio's shell: menus, tool bars, docks and status bar, wiring the views to each
// other and to core. It owns no logic of its own beyond that wiring: the project lives
// in ProjectDocument, rows in HistoryModel, runs in MigrationController.

#include "result.h"

#include <QMainWindow>
#include <memory>

class QAction;
class QLabel;
class QSettings;

namespace retort {

class ApplyConfirmationDelegate;
class ConnectionBar;
class EngineSelector;
class HistoryModel;
class HistoryView;
class MigrationController;
class ProjectBanners;
class ProjectCreator;
class ProjectDocument;
class RecentProjectsMenu;
class RevisionGraphView;
class StudioActions;
class StudioDocks;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QSettings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens alembic.ini; errors are shown in the window and returned.
    bool openProject(const QString &iniPath);

    ProjectDocument *document() const { return m_document; }
    HistoryModel *historyModel() const { return m_model; }
    RevisionGraphView *graphView() const { return m_graph; }
    HistoryView *historyView() const { return m_history; }
    ConnectionBar *connectionBar() const { return m_connection; }
    EngineSelector *engineSelector() const { return m_engines; }
    ProjectBanners *banners() const { return m_banners; }
    StudioActions *actions() const { return m_actions; }
    StudioDocks *docks() const { return m_docks; }
    MigrationController *controller() const { return m_controller; }
    QSettings &settings() const { return m_settings; }
    ProjectCreator *creator() const { return m_creator; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void wireMigrations();
    void openDialog();
    void mergeHeads();
    void wireCreator();
    void onRevisionsChanged();
    void onDatabaseHeads(const QStringList &heads);
    void onConnectionFinished(bool ok, const QString &error);
    // The project state every view follows: a project replaced (ProjectDocument::opened)
    // empties the views and points them at the new one; a new selection loads its script.
    void onProjectOpened();
    void onSelectionChanged(const QString &id);
    // F5 and a change on disk: re-read the project and the open script.
    void reloadProject();
    void showLoadError(const Error &error);
    bool showRevisionScript(const QString &id, bool raise = true);
    void updateBanners();
    void updateActions();
    void setSpec(const QString &iniPath, const QString &urlOverride);
    void setEngine(const QString &engine);

    QSettings &m_settings;
    StudioActions *m_actions;
    ProjectDocument *m_document;
    HistoryModel *m_model;
    RevisionGraphView *m_graph;
    HistoryView *m_history;
    ConnectionBar *m_connection;
    EngineSelector *m_engines;
    QAction *m_enginesAction = nullptr;
    ProjectBanners *m_banners;
    RecentProjectsMenu *m_recent;
    MigrationController *m_controller;
    std::unique_ptr<ApplyConfirmationDelegate> m_confirm;   // not a QObject
    StudioDocks *m_docks;
    ProjectCreator *m_creator;
    QLabel *m_statusProject;
    QLabel *m_statusCounts;
    QString m_selectedRevision;   // the selection the editor follows
    int m_projectsOpened = 0;
    bool m_running = false;
};

} // namespace retort
