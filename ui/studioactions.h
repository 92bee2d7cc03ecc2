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
    QAction *reload = nullptr;        // F5
    QAction *quit = nullptr;          // Ctrl+Q
    QAction *upgrade = nullptr;       // Upgrade to here (Ctrl+U)
    QAction *downgrade = nullptr;     // Downgrade to here (Ctrl+D)
    QAction *rollBack = nullptr;      // Roll back last migration (Ctrl+Shift+Z)
    QAction *cancel = nullptr;        // stop a run between steps
    QAction *mergeHeads = nullptr;    // Ctrl+M
    QAction *newRevision = nullptr;   // New Revision… (revision -m, empty script)
    QAction *find = nullptr;          // Ctrl+F
    QAction *zoomIn = nullptr;        // Ctrl++
    QAction *zoomOut = nullptr;       // Ctrl+-
    QAction *showScript = nullptr;
    QAction *previewSql = nullptr;
    QAction *autogenerate = nullptr;  // the Autogenerate review (Ctrl+Shift+A)
};

} // namespace retort
