#include "studioactions.h"

#include <QAction>
#include <QApplication>
#include <QStyle>
#include <QIcon>
#include <QKeySequence>

namespace retort {

namespace {
QAction *make(QObject *parent, const QString &text, const QString &iconName,
              const QKeySequence &shortcut, const QString &tip,
              QStyle::StandardPixmap fallback = QStyle::SP_CustomBase)
{
    // Theme icons where the desktop has them, the style's own elsewhere.
    const QIcon icon = QIcon::fromTheme(iconName, fallback == QStyle::SP_CustomBase
                                                      ? QIcon()
                                                      : QApplication::style()->standardIcon(fallback));
    auto *a = new QAction(icon, text, parent);
    a->setShortcut(shortcut);
    a->setToolTip(shortcut.isEmpty() ? tip
                                     : QStringLiteral("%1 (%2)").arg(tip, shortcut.toString(
                                           QKeySequence::NativeText)));
    a->setStatusTip(tip);
    return a;
}
} // namespace

StudioActions::StudioActions(QObject *parent)
    : QObject(parent)
{
    newProject = make(this, tr("&New Project\u2026"), QStringLiteral("folder-new"), QKeySequence::New,
                      tr("Create a project from a template (alembic init)"),
                      QStyle::SP_FileDialogNewFolder);
    open = make(this, tr("&Open Project\u2026"), QStringLiteral("document-open"),
                QKeySequence::Open, tr("Open a project by its alembic.ini"), QStyle::SP_DialogOpenButton);
    reload = make(this, tr("&Reload"), QStringLiteral("view-refresh"), Qt::Key_F5,
                  tr("Re-read the revision scripts and the database's current revisions"),
                  QStyle::SP_BrowserReload);
    quit = make(this, tr("&Quit"), QStringLiteral("application-exit"), QKeySequence::Quit,
                tr("Quit Retort Studio"));
    quit->setMenuRole(QAction::QuitRole);
    upgrade = make(this, tr("&Upgrade to Here"), QStringLiteral("go-up"),
                   QKeySequence(Qt::CTRL | Qt::Key_U),
                   tr("Upgrade the database to the selected revision"), QStyle::SP_ArrowUp);
    downgrade = make(this, tr("&Downgrade to Here"), QStringLiteral("go-down"),
                     QKeySequence(Qt::CTRL | Qt::Key_D),
                     tr("Downgrade the database to the selected revision"), QStyle::SP_ArrowDown);
    rollBack = make(this, tr("Roll &Back Last Migration"), QStringLiteral("edit-undo"),
                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z),
                    tr("Downgrade by one revision (downgrade -1)"), QStyle::SP_ArrowBack);
    cancel = make(this, tr("&Stop"), QStringLiteral("process-stop"), Qt::Key_Escape,
                  tr("Stop the running migration before its next step"), QStyle::SP_BrowserStop);
    mergeHeads = make(this, tr("&Merge Heads\u2026"), QStringLiteral("merge"),
                      QKeySequence(Qt::CTRL | Qt::Key_M),
                      tr("Write a merge revision joining every head (alembic merge heads)"),
                      QStyle::SP_FileDialogNewFolder);
    newRevision = make(this, tr("New &Revision\u2026"), QStringLiteral("document-new"),
                       QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
                       tr("Write an empty revision script on top of a head (alembic revision -m)"),
                       QStyle::SP_FileIcon);
    find = make(this, tr("&Find Revision\u2026"), QStringLiteral("edit-find"), QKeySequence::Find,
                tr("Find a revision by id or message"), QStyle::SP_FileDialogContentsView);
    zoomIn = make(this, tr("Zoom &In"), QStringLiteral("zoom-in"), QKeySequence::ZoomIn,
                  tr("Larger graph"));
    zoomOut = make(this, tr("Zoom &Out"), QStringLiteral("zoom-out"), QKeySequence::ZoomOut,
                   tr("Smaller graph"));
    showScript = make(this, tr("Show &Script"), QStringLiteral("text-x-script"), {},
                      tr("Open the selected revision's script"), QStyle::SP_FileIcon);
    previewSql = make(this, tr("&Preview SQL"), QStringLiteral("document-preview"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
                      tr("Show the SQL that upgrading to the selected revision runs"));
    autogenerate = make(this, tr("&Autogenerate Revision\u2026"), QStringLiteral("document-new"),
                        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A),
                        tr("Compare the models with the database and review the changes "
                           "before writing a revision"), QStyle::SP_FileDialogDetailedView);
    // Application-wide: the graph, the table and the editor all share them.
    for (QAction *a : {find, zoomIn, zoomOut})
        a->setShortcutContext(Qt::WindowShortcut);
    update(false, false, false, false, 0);
}

void StudioActions::update(bool projectOpen, bool revisionSelected, bool connected,
                           bool running, int headCount)
{
    reload->setEnabled(projectOpen && !running);
    upgrade->setEnabled(projectOpen && revisionSelected && connected && !running);
    downgrade->setEnabled(projectOpen && revisionSelected && connected && !running);
    rollBack->setEnabled(projectOpen && connected && !running);
    cancel->setEnabled(running);
    mergeHeads->setEnabled(projectOpen && headCount > 1 && !running);
    newRevision->setEnabled(projectOpen && !running);
    find->setEnabled(projectOpen);
    showScript->setEnabled(projectOpen && revisionSelected);
    previewSql->setEnabled(projectOpen && revisionSelected);
    autogenerate->setEnabled(projectOpen && connected && !running);
}

} // namespace retort
