#include "studiomenus.h"

#include "aboutdialog.h"
#include "editortheme.h"
#include "historymodel.h"
#include "preferencesdialog.h"
#include "projectdocument.h"
#include "revisiongraphview.h"
#include "studioactions.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QEvent>
#include <QMainWindow>
#include <QMenuBar>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>

namespace retort {

namespace {
const QString kZoomKey = QStringLiteral("graph/projectZoom");   // {ini path: zoom}

// The focused widget, or the nearest ancestor inside the same dock or window, that has
// a no-argument slot `name`.
QObject *focusedWith(const char *name)
{
    const QByteArray signature = QByteArray(name) + "()";
    for (QWidget *w = QApplication::focusWidget(); w; w = w->parentWidget()) {
        if (w->metaObject()->indexOfMethod(signature.constData()) >= 0)
            return w;
        if (qobject_cast<QDockWidget *>(w) || qobject_cast<QMainWindow *>(w) || w->isWindow())
            break;
    }
    return nullptr;
}
} // namespace

StudioMenus::StudioMenus(QMainWindow *window, StudioActions *actions, ProjectDocument *document,
                         RevisionGraphView *graph, HistoryModel *model, QSettings &settings)
    : QObject(window)
    , m_window(window)
    , m_actions(actions)
    , m_document(document)
    , m_graph(graph)
    , m_model(model)
    , m_settings(settings)
{
    StudioActions *a = actions;
    // Edit goes right after File.
    m_edit = new QMenu(tr("&Edit"), window);
    const QList<QAction *> menus = window->menuBar()->actions();
    window->menuBar()->insertMenu(menus.value(1), m_edit);
    m_edit->addActions({a->undo, a->redo});
    m_edit->addSeparator();
    m_edit->addActions({a->cut, a->copy, a->paste, a->selectAll});
    m_edit->addSeparator();
    m_edit->addAction(a->editFind);
    m_edit->addSeparator();
    m_edit->addAction(a->preferences);
    m_help = window->menuBar()->addMenu(tr("&Help"));
    m_help->addActions({a->about, a->aboutQt});

    // View additions next to the zoom actions the shell placed there.
    for (QAction *menuAction : window->menuBar()->actions()) {
        QMenu *menu = menuAction->menu();
        if (menu && menu->actions().contains(a->zoomOut)) {
            const QList<QAction *> items = menu->actions();
            QAction *after = items.value(int(items.indexOf(a->zoomOut)) + 1);
            menu->insertActions(after, {a->zoomReset, a->goToCurrent});
            break;
        }
    }
    // Like zoom in/out: a graph key, so editors keep theirs.
    a->zoomReset->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    graph->addAction(a->zoomReset);
    window->addAction(a->goToCurrent);
    for (QAction *edit : a->editingActions())
        window->addAction(edit);

    struct Edit { QAction *action; const char *slot; };
    for (const Edit &e : {Edit{a->undo, "undo"}, Edit{a->redo, "redo"}, Edit{a->cut, "cut"},
                          Edit{a->copy, "copy"}, Edit{a->paste, "paste"}, Edit{a->selectAll, "selectAll"}}) {
        const char *slot = e.slot;
        connect(e.action, &QAction::triggered, this, [this, slot] { dispatch(slot); });
    }
    connect(a->editFind, &QAction::triggered, this, [this] {
        if (!dispatch("showFind") && !dispatch("showSearch"))
            m_graph->showSearch();
    });
    connect(a->preferences, &QAction::triggered, this, &StudioMenus::showPreferences);
    connect(a->about, &QAction::triggered, this, &StudioMenus::showAbout);
    connect(a->aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
    connect(a->zoomReset, &QAction::triggered, this, [this] { m_graph->setZoom(1.0); });
    connect(a->goToCurrent, &QAction::triggered, this, &StudioMenus::goToCurrentRevision);
    connect(document, &ProjectDocument::opened, this, &StudioMenus::onProjectOpened);
    connect(qApp, &QApplication::focusChanged, this, &StudioMenus::updateEditActions);
    window->installEventFilter(this);
    updateEditActions();
    // Every editor of the window (script, SQL preview, ...) in the palette's colours and
    // the Preferences' font.
    for (QsciScintilla *editor : window->findChildren<QsciScintilla *>())
        EditorTheme::attach(editor);
}

bool StudioMenus::dispatch(const char *slot)
{
    QObject *target = focusedWith(slot);
    return target && QMetaObject::invokeMethod(target, slot);
}

void StudioMenus::updateEditActions()
{
    struct Edit { QAction *action; const char *slot; };
    for (const Edit &e : {Edit{m_actions->undo, "undo"}, Edit{m_actions->redo, "redo"},
                          Edit{m_actions->cut, "cut"}, Edit{m_actions->copy, "copy"},
                          Edit{m_actions->paste, "paste"}, Edit{m_actions->selectAll, "selectAll"}})
        e.action->setEnabled(focusedWith(e.slot) != nullptr);
}

PreferencesDialog *StudioMenus::preferencesDialog() const { return m_preferences; }

void StudioMenus::showPreferences()
{
    // A fresh dialog each time: it shows the stored values.
    if (m_preferences)
        m_preferences->deleteLater();
    m_preferences = new PreferencesDialog(m_settings, m_window);
    connect(m_preferences, &QDialog::accepted, this, &StudioMenus::preferencesSaved);
    m_preferences->open();
    m_preferences->raise();
}

void StudioMenus::showAbout()
{
    auto *about = new AboutDialog(m_window);
    about->setAttribute(Qt::WA_DeleteOnClose);
    about->open();
}

void StudioMenus::goToCurrentRevision()
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->flagsAt(row) & HistoryModel::Current) {
            m_graph->setCurrentRevision(m_model->revisionAt(row));
            m_graph->setFocus();
            return;
        }
    }
    m_window->statusBar()->showMessage(m_model->isDatabaseKnown()
                                           ? tr("The database has no current revision (it is at base)")
                                           : tr("Not connected to the database"),
                                       8000);
}

double StudioMenus::storedZoom(const QString &iniPath) const
{
    // A project not seen yet gets the zoom last used anywhere.
    const QVariant fallback = m_settings.value(QStringLiteral("graph/zoom"), 1.0);
    return m_settings.value(kZoomKey).toMap().value(iniPath, fallback).toDouble();
}

void StudioMenus::storeZoom()
{
    if (m_zoomProject.isEmpty())
        return;
    QVariantMap zooms = m_settings.value(kZoomKey).toMap();
    zooms.insert(m_zoomProject, m_graph->zoom());
    m_settings.setValue(kZoomKey, zooms);
}

void StudioMenus::onProjectOpened(const QString &iniPath)
{
    if (iniPath == m_zoomProject)
        return;
    storeZoom();
    m_zoomProject = iniPath;
    m_graph->setZoom(storedZoom(iniPath));
}

bool StudioMenus::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::Close)
        storeZoom();
    return QObject::eventFilter(watched, event);
}

void StudioMenus::applyDefaultGeometry(QMainWindow *window)
{
    QSize size(1280, 800);
    if (QScreen *screen = window->screen()) {
        const QRect available = screen->availableGeometry();
        size = size.boundedTo(available.size() * 0.8);
        window->resize(size);
        window->move(available.center() - QPoint(size.width() / 2, size.height() / 2));
    } else {
        window->resize(size);
    }
    // The graph keeps most of the width; the script dock a third, the bottom docks a quarter.
    QList<QDockWidget *> right, bottom;
    for (QDockWidget *dock : window->findChildren<QDockWidget *>()) {
        if (window->dockWidgetArea(dock) == Qt::RightDockWidgetArea)
            right << dock;
        else if (window->dockWidgetArea(dock) == Qt::BottomDockWidgetArea)
            bottom << dock;
    }
    if (!right.isEmpty())
        window->resizeDocks({right.first()}, {size.width() * 2 / 5}, Qt::Horizontal);
    if (!bottom.isEmpty())
        window->resizeDocks({bottom.first()}, {size.height() / 4}, Qt::Vertical);
}

} // namespace retort
