#pragma once
// What the studio asks about a script being edited: keep or drop unsaved edits before
// something replaces them, save despite a syntax error, reload a file changed on disk
// while it has edits. ScriptPrompts answers with message boxes whose default button is
// the one that loses nothing (a stray Enter never discards); tests answer directly.

#include <QCoreApplication>
#include <QString>

class QWidget;

namespace retort {

class ScriptPrompts
{
    Q_DECLARE_TR_FUNCTIONS(retort::ScriptPrompts)
public:
    enum UnsavedChoice { Save, Discard, Cancel };

    explicit ScriptPrompts(QWidget *parent = nullptr) : m_parent(parent) {}
    virtual ~ScriptPrompts() = default;

    // `path` has unsaved edits and `reason` ("Opening another script", ...) would drop them.
    virtual UnsavedChoice unsavedChanges(const QString &path, const QString &reason);
    // Saving `path` whose text has a syntax error (`firstError`: "line 4: ..."): true saves.
    virtual bool saveWithSyntaxError(const QString &path, const QString &firstError);
    // `path` changed on disk while it has unsaved edits: true reloads (drops the edits).
    virtual bool reloadChangedFile(const QString &path);

private:
    QWidget *m_parent;
};

} // namespace retort
