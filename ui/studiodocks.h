#pragma once
// The dockable views around the graph: History, Log, Script, SQL Preview and the
// Autogenerate review, created
// and arranged on the main window, with the few operations the shell asks of them.

#include "migrationsession.h"

#include <QObject>
#include <memory>

class QDockWidget;
class QMainWindow;

namespace retort {

class AutogenerateReviewView;
class BackupsView;
class HistoryView;
class LogView;
class ProofView;
class SchemaBrowserView;
class ScriptEditorView;
class ScriptPrompts;
class SqlPreviewView;

class StudioDocks : public QObject
{
    Q_OBJECT
public:
    StudioDocks(QMainWindow *window, HistoryView *history);
    ~StudioDocks() override;

    HistoryView *history() const { return m_history; }
    LogView *log() const { return m_log; }
    ScriptEditorView *script() const { return m_script; }
    SqlPreviewView *sqlPreview() const { return m_sqlPreview; }
    AutogenerateReviewView *autogenerate() const { return m_autogenerate; }
    BackupsView *backups() const { return m_backups; }
    SchemaBrowserView *schema() const { return m_schema; }
    ProofView *proof() const { return m_proof; }
    void showProof();   // brings the Proof dock up
    QList<QDockWidget *> docks() const { return m_docks; }

    void setProject(const MigrationProjectSpec &spec);
    void setCurrentHeads(const QStringList &heads);
    // Opens a script, asking before dropping unsaved edits (Save / Discard / Cancel);
    // false when the user cancels. The same path with edits keeps them; without, it is
    // read again. raise: bring the Script dock to the front (not for a mere selection).
    bool showScript(const QString &path, bool appliedToDatabase, bool raise = true);
    // Empties the editor, SQL preview and autogenerate review (a project closed or
    // switched). Call resolveUnsavedScript() first.
    void clearProject();
    // Unsaved edits in the editor: Save (true once written), Discard (true), Cancel
    // (false). `reason` says what would drop them. True at once without edits.
    bool resolveUnsavedScript(const QString &reason);
    // The open script changed on disk: re-read it (asking when it has unsaved edits).
    void refreshScriptFromDisk();
    // What the studio asks about scripts; replaced by tests (not owned; nullptr: the
    // message boxes again).
    void setPrompts(ScriptPrompts *prompts);
    ScriptPrompts *prompts() const { return m_prompts; }
public slots:
    // File > Save / Save All (one script is edited at a time: Save All saves it too).
    bool saveScript();
    bool saveAll();
    void previewSql(const QString &revisionId);   // ignores an empty id
    // The selected revision: the SQL preview follows it (the script is loaded apart).
    void followSelection(const QString &revisionId);
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
    BackupsView *m_backups;
    SchemaBrowserView *m_schema;
    ProofView *m_proof;
    QList<QDockWidget *> m_docks;
    std::unique_ptr<ScriptPrompts> m_ownPrompts;
    ScriptPrompts *m_prompts = nullptr;
};

} // namespace retort
