#pragma once
// The desktop parts of the main window: the Edit menu (undo, redo, cut, copy, paste,
// select all and find acting on the focused widget), the Help menu (About, About Qt),
// Preferences, the graph's zoom remembered per project (Ctrl+0 resets) and "Go to
// Current Revision". The shell creates it once after its own menus.

#include <QObject>
#include <QPointer>

class QMainWindow;
class QMenu;
class QSettings;

namespace retort {

class HistoryModel;
class PreferencesDialog;
class ProjectDocument;
class RevisionGraphView;
class StudioActions;

class StudioMenus : public QObject
{
    Q_OBJECT
public:
    StudioMenus(QMainWindow *window, StudioActions *actions, ProjectDocument *document,
                RevisionGraphView *graph, HistoryModel *model, QSettings &settings);

    QMenu *editMenu() const { return m_edit; }
    QMenu *helpMenu() const { return m_help; }
    PreferencesDialog *preferencesDialog() const;   // the one shown last

    // The zoom stored for a project (its ini path); else the last one used (graph/zoom).
    double storedZoom(const QString &iniPath) const;
    // A first window: ~1280x800 (at most 80 % of the screen), docks at sensible sizes.
    // Called when no saved geometry exists.
    static void applyDefaultGeometry(QMainWindow *window);

public slots:
    void showPreferences();
    void showAbout();
    void goToCurrentRevision();
    // Invokes `slot` ("undo", "copy", ...) on the focused widget if it has it.
    bool dispatch(const char *slot);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

signals:
    // Preferences were saved: views that read QSettings once (Backups) read them again.
    void preferencesSaved();

private:
    void onProjectOpened(const QString &iniPath);
    void storeZoom();
    void updateEditActions();

    QMainWindow *m_window;
    StudioActions *m_actions;
    ProjectDocument *m_document;
    RevisionGraphView *m_graph;
    HistoryModel *m_model;
    QSettings &m_settings;
    QMenu *m_edit = nullptr;
    QMenu *m_help = nullptr;
    QPointer<PreferencesDialog> m_preferences;
    QString m_zoomProject;   // whose zoom the graph shows
};

} // namespace retort
