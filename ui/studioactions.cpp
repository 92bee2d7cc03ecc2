#include "studioactions.h"
#include "studioicons.h"

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
    // Theme icons where the desktop has them, our own SVGs elsewhere (studioicons.h).
    const QIcon icon = studioIcon(iconName, fallback == QStyle::SP_CustomBase
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
    save = make(this, tr("&Save Script"), QStringLiteral("document-save"), QKeySequence::Save,
                tr("Save the script open in the editor"), QStyle::SP_DialogSaveButton);
    saveAll = make(this, tr("Save A&ll"), QStringLiteral("document-save-all"),
                   QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
                   tr("Save every script with unsaved changes"), QStyle::SP_DialogSaveButton);
    reload = make(this, tr("&Reload"), QStringLiteral("view-refresh"), Qt::Key_F5,
                  tr("Re-read the revision scripts and the database's current revisions"),
                  QStyle::SP_BrowserReload);
    quit = make(this, tr("&Quit"), QStringLiteral("application-exit"), QKeySequence::Quit,
                tr("Quit Retort Studio"));
    quit->setMenuRole(QAction::QuitRole);
    upgrade = make(this, tr("&Upgrade to Here"), QStringLiteral("go-up"),
                   QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_U),
                   tr("Upgrade the database to the selected revision"), QStyle::SP_ArrowUp);
    downgrade = make(this, tr("&Downgrade to Here"), QStringLiteral("go-down"),
                     QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_D),
                     tr("Downgrade the database to the selected revision"), QStyle::SP_ArrowDown);
    rollBack = make(this, tr("Roll &Back Last Migration"), QStringLiteral("edit-undo"),
                    QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_Z),
                    tr("Downgrade by one revision (downgrade -1)"), QStyle::SP_ArrowBack);
    cancel = make(this, tr("&Stop"), QStringLiteral("process-stop"), QKeySequence(Qt::SHIFT | Qt::Key_Escape),
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
    zoomReset = make(this, tr("&Reset Zoom"), QStringLiteral("zoom-original"), QKeySequence(Qt::CTRL | Qt::Key_0),
                     tr("Graph at its normal size"));
    goToCurrent = make(this, tr("&Go to Current Revision"), QStringLiteral("go-jump"),
                       QKeySequence(Qt::CTRL | Qt::Key_J),
                       tr("Select the revision the database is at"), QStyle::SP_ArrowRight);
    undo = make(this, tr("&Undo"), QStringLiteral("edit-undo"), QKeySequence::Undo, tr("Undo the last edit"));
    redo = make(this, tr("&Redo"), QStringLiteral("edit-redo"), QKeySequence::Redo, tr("Redo the last undone edit"));
    cut = make(this, tr("Cu&t"), QStringLiteral("edit-cut"), QKeySequence::Cut, tr("Cut the selection"));
    copy = make(this, tr("&Copy"), QStringLiteral("edit-copy"), QKeySequence::Copy, tr("Copy the selection"));
    paste = make(this, tr("&Paste"), QStringLiteral("edit-paste"), QKeySequence::Paste, tr("Paste"));
    selectAll = make(this, tr("Select &All"), QStringLiteral("edit-select-all"), QKeySequence::SelectAll,
                     tr("Select everything"));
    // No key of its own: Ctrl+F belongs to whichever of editor and graph has the focus.
    editFind = make(this, tr("&Find…"), QStringLiteral("edit-find"), {},
                    tr("Find in the script editor, or a revision in the graph"));
    preferences = make(this, tr("Pre&ferences…"), QStringLiteral("preferences-system"),
                       QKeySequence::Preferences, tr("Theme, editor font, backups, Python, language"));
    preferences->setMenuRole(QAction::PreferencesRole);
    about = make(this, tr("&About Retort Studio"), QStringLiteral("help-about"), {},
                 tr("Version, licences and links"));
    about->setMenuRole(QAction::AboutRole);
    aboutQt = make(this, tr("About &Qt"), QStringLiteral("help-about"), {}, tr("The Qt version and licence"));
    aboutQt->setMenuRole(QAction::AboutQtRole);
    // Application-wide: the graph, the table and the editor all share them.
    for (QAction *a : {find, zoomIn, zoomOut})
        a->setShortcutContext(Qt::WindowShortcut);
    update(false, false, false, false, 0);
}

void StudioActions::update(bool projectOpen, bool revisionSelected, bool connected,
                           bool running, int headCount)
{
    reload->setEnabled(projectOpen && !running);
    save->setEnabled(projectOpen);     // the shell narrows both to "the editor has edits"
    saveAll->setEnabled(projectOpen);
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
    zoomReset->setEnabled(projectOpen);
    goToCurrent->setEnabled(projectOpen && connected);
}

QList<QAction *> StudioActions::editingActions() const
{
    return {undo, redo, cut, copy, paste, selectAll};
}

} // namespace retort
