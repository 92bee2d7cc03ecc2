#pragma once
// Editor for one revision script: QScintilla with the Python lexer, line numbers,
// folding, find (Ctrl+F) / find next (F3), save (the window's File > Save) and a dirty
// marker. While
// typing (debounced) the native Python reader checks the text: syntax errors get a red
// squiggle plus an annotation under the line, functions that need Python a margin
// marker. A banner warns when the revision is already applied to the connected database
// (editing it then changes nothing there).

#include "result.h"
#include "scriptdiagnostics.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QTimer;
class QsciScintilla;

namespace retort {

class ScriptPrompts;

class ScriptEditorView : public QWidget
{
    Q_OBJECT
public:
    explicit ScriptEditorView(QWidget *parent = nullptr);

    // Loads a script; refuses (Error) to read an unreadable file. Clears the dirty flag.
    VoidResult openFile(const QString &path);
    // No script: empty, clean, no applied warning (a project closed or switched).
    void clear();
    // Asked before saving a script with a syntax error (nullptr: saved without asking).
    void setPrompts(ScriptPrompts *prompts) { m_prompts = prompts; }
    // The file on disk no longer holds what was last read or saved (another editor, a
    // `git pull`). Compares the bytes, not the size and mtime, which a quick rewrite of
    // the same length can leave equal.
    bool isChangedOnDisk() const;
    // Re-reads the file after it changed on disk; while there are unsaved edits, only
    // when the prompts say so (else the edits stay and this version on disk is not
    // asked about again). True when the editor now shows the file's text.
    bool reloadFromDisk();
    QString filePath() const { return m_path; }
    QString text() const;
    void setText(const QString &text);   // marks dirty (an edit)

    bool isDirty() const { return m_dirty; }
    // File name, with a trailing '*' while dirty.
    QString title() const;
    bool isAppliedWarningVisible() const;
    QVector<ScriptDiagnostic> diagnostics() const { return m_diagnostics; }
    QsciScintilla *editor() const { return m_editor; }

public slots:
    // The shell calls this when the open revision is (or is no longer) in the
    // database's applied set.
    void setAppliedToDatabase(bool applied);
    // Writes the file; with a syntax error in the text, only when the prompts agree
    // (Error "not saved" otherwise).
    VoidResult save();
    void showFind();          // Ctrl+F
    bool findNext();          // F3
    void checkNow();          // run the diagnostics without waiting for the debounce

signals:
    void dirtyChanged(bool dirty);
    void titleChanged(const QString &title);
    void saved(const QString &path);
    void diagnosticsChanged(int syntaxErrors, int needsPython);
    void errorOccurred(const QString &message);   // save/open failures, for the status bar

protected:
    void changeEvent(QEvent *event) override;   // palette: banner and annotation colours

private:
    void applyBannerColours();
    void setDirty(bool dirty);
    void applyDiagnostics();
    void clearMarks();

    QsciScintilla *m_editor = nullptr;
    QLabel *m_appliedBanner = nullptr;
    QWidget *m_findBar = nullptr;
    QLineEdit *m_findEdit = nullptr;
    QTimer *m_checkTimer = nullptr;
    ScriptPrompts *m_prompts = nullptr;
    QString m_path;
    QByteArray m_onDisk;   // the file's bytes as last read or written
    bool m_dirty = false;
    bool m_loading = false;
    int m_errorIndicator = 0;
    QVector<ScriptDiagnostic> m_diagnostics;
};

} // namespace retort
