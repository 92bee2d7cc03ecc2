#include "studiodocks.h"

#include "historyview.h"
#include "logview.h"
#include "scripteditorview.h"
#include "sqlpreviewview.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QMessageBox>

namespace retort {

StudioDocks::StudioDocks(QMainWindow *window, HistoryView *history)
    : QObject(window)
    , m_window(window)
    , m_history(history)
    , m_log(new LogView)
    , m_script(new ScriptEditorView)
    , m_sqlPreview(new SqlPreviewView)
{
    QDockWidget *h = add(m_history, tr("History"), QStringLiteral("historyDock"), Qt::BottomDockWidgetArea);
    QDockWidget *l = add(m_log, tr("Log"), QStringLiteral("logDock"), Qt::BottomDockWidgetArea);
    QDockWidget *s = add(m_script, tr("Script"), QStringLiteral("scriptDock"), Qt::RightDockWidgetArea);
    QDockWidget *q = add(m_sqlPreview, tr("SQL Preview"), QStringLiteral("sqlPreviewDock"), Qt::RightDockWidgetArea);
    window->tabifyDockWidget(h, l);
    window->tabifyDockWidget(s, q);
    h->raise();
    s->raise();
    window->resizeDocks({s}, {600}, Qt::Horizontal);
    window->resizeDocks({h}, {250}, Qt::Vertical);
    connect(m_script, &ScriptEditorView::titleChanged, s, [s](const QString &title) {
        s->setWindowTitle(title.isEmpty() ? tr("Script") : tr("Script \u2014 %1").arg(title));
    });
    connect(m_script, &ScriptEditorView::errorOccurred, this, [this](const QString &message) {
        emit errorOccurred(message.toHtmlEscaped());
    });
}

QDockWidget *StudioDocks::add(QWidget *view, const QString &title, const QString &name,
                              Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, m_window);
    dock->setObjectName(name);   // restoreState() matches docks by name
    dock->setWidget(view);
    m_window->addDockWidget(area, dock);
    m_docks << dock;
    return dock;
}

void StudioDocks::bringUp(QWidget *view)
{
    if (auto *dock = qobject_cast<QDockWidget *>(view->parentWidget())) {
        dock->show();
        dock->raise();
    }
}

void StudioDocks::setProject(const MigrationProjectSpec &spec)
{
    m_sqlPreview->setProject(spec);
}

void StudioDocks::setCurrentHeads(const QStringList &heads)
{
    m_sqlPreview->setCurrentHeads(heads);
}

bool StudioDocks::showScript(const QString &path, bool appliedToDatabase)
{
    if (path.isEmpty())
        return false;
    if (m_script->isDirty() && m_script->filePath() != path
        && QMessageBox::question(m_window, tr("Unsaved Changes"),
                                 tr("Discard the changes to %1?").arg(m_script->filePath()))
               != QMessageBox::Yes)
        return false;
    if (m_script->filePath() != path || !m_script->isDirty()) {
        VoidResult opened = m_script->openFile(path);
        if (!opened)
            emit errorOccurred(opened.error().toString().toHtmlEscaped());
    }
    m_script->setAppliedToDatabase(appliedToDatabase);
    bringUp(m_script);
    return true;
}

void StudioDocks::previewSql(const QString &revisionId)
{
    if (revisionId.isEmpty())
        return;
    m_sqlPreview->showRevision(revisionId);
    bringUp(m_sqlPreview);
}

bool StudioDocks::confirmClose()
{
    return !m_script->isDirty()
        || QMessageBox::question(m_window, tr("Unsaved Changes"),
                                 tr("Quit and discard the changes to %1?").arg(m_script->filePath()))
               == QMessageBox::Yes;
}

} // namespace retort
