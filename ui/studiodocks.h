#pragma once
// The dockable views around the graph: History, Log, Script, SQL Preview and the
// Autogenerate review, created
// and arranged on the main window, with the few operations the shell asks of them.

#include "migrationsession.h"

#include <QObject>

class QDockWidget;
class QMainWindow;

namespace retort {

class AutogenerateReviewView;
class HistoryView;
class LogView;
class SchemaBrowserView;
class ScriptEditorView;
class SqlPreviewView;

class StudioDocks : public QObject
{
    Q_OBJECT
public:
    StudioDocks(QMainWindow *window, HistoryView *history);

    HistoryView *history() const { return m_history; }
    LogView *log() const { return m_log; }
    ScriptEditorView *script() const { return m_script; }
    SqlPreviewView *sqlPreview() const { return m_sqlPreview; }
    AutogenerateReviewView *autogenerate() const { return m_autogenerate; }
    SchemaBrowserView *schema() const { return m_schema; }
    QList<QDockWidget *> docks() const { return m_docks; }

    void setProject(const MigrationProjectSpec &spec);
    void setCurrentHeads(const QStringList &heads);
    // Opens a script, asking before dropping unsaved edits; false if the user keeps them.
    bool showScript(const QString &path, bool appliedToDatabase);
public slots:
    void previewSql(const QString &revisionId);   // ignores an empty id
    void showAutogenerate();

public:
    // Asks about unsaved edits before quitting; false to stay.
    bool confirmClose();

signals:
    void errorOccurred(const QString &html);
    // The review wrote a new revision script (the project's revisions changed).
    void revisionWritten(const QString &path);

private:
    QDockWidget *add(QWidget *view, const QString &title, const QString &name,
                     Qt::DockWidgetArea area);
    static void bringUp(QWidget *view);

    QMainWindow *m_window;
    HistoryView *m_history;
    LogView *m_log;
    ScriptEditorView *m_script;
    SqlPreviewView *m_sqlPreview;
    AutogenerateReviewView *m_autogenerate;
    SchemaBrowserView *m_schema;
    QList<QDockWidget *> m_docks;
};

} // namespace retort
