#pragma once
// The studio's commands as QActions with their shortcuts, created once and shared by
// the menus, the tool bar and the banners.

#include <QObject>

class QAction;

namespace retort {

class StudioActions : public QObject
{
    Q_OBJECT
public:
    explicit StudioActions(QObject *parent = nullptr);

    // Enables what makes sense for the state the shell reports.
    void update(bool projectOpen, bool revisionSelected, bool connected, bool running,
                int headCount);

    QAction *newProject = nullptr;    // New Project… (Ctrl+N): alembic init
    QAction *open = nullptr;          // Ctrl+O
    QAction *save = nullptr;          // Save the open script (Ctrl+S)
    QAction *saveAll = nullptr;       // Save All (Ctrl+Shift+S)
    QAction *reload = nullptr;        // F5
    QAction *quit = nullptr;          // Ctrl+Q
    // No shortcut may be a text-editing key of the script editor (QKeySequence's
    // standard keys, QScintilla's key map): Ctrl+Shift+Z is Redo there, Ctrl+D
    // duplicates, Ctrl+U lower-cases. tst_studioshortcuts checks every action.
    QAction *upgrade = nullptr;       // Upgrade to here (Ctrl+Alt+U)
    QAction *downgrade = nullptr;     // Downgrade to here (Ctrl+Alt+D)
    QAction *rollBack = nullptr;      // Roll back last migration (Ctrl+Alt+Z)
    QAction *cancel = nullptr;        // stop a run between steps (Shift+Esc)
    QAction *mergeHeads = nullptr;    // Ctrl+M
    QAction *newRevision = nullptr;   // New Revision… (revision -m, empty script)
    QAction *find = nullptr;          // Ctrl+F
    QAction *zoomIn = nullptr;        // Ctrl++
    QAction *zoomOut = nullptr;       // Ctrl+-
    QAction *showScript = nullptr;
    QAction *previewSql = nullptr;
    QAction *autogenerate = nullptr;  // the Autogenerate review (Ctrl+Shift+A)
    QAction *zoomReset = nullptr;     // Ctrl+0: the graph at 100 %
    QAction *goToCurrent = nullptr;   // select the database's current revision (Ctrl+J)

    // Edit menu: act on the focused widget (StudioMenus), standard keys.
    QAction *undo = nullptr;
    QAction *redo = nullptr;
    QAction *cut = nullptr;
    QAction *copy = nullptr;
    QAction *paste = nullptr;
    QAction *selectAll = nullptr;
    QAction *editFind = nullptr;      // Find in the focused editor, or in the graph
    QAction *preferences = nullptr;
    // Help menu.
    QAction *about = nullptr;
    QAction *aboutQt = nullptr;

    // The standard editing actions above, in menu order (none other may use their keys).
    QList<QAction *> editingActions() const;
};

} // namespace retort
