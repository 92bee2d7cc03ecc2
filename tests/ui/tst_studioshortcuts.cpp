// No studio shortcut shadows a text-editing key of the script editor: every QAction of
// the main window that can fire while the editor has focus is checked against the
// standard editing keys (QKeySequence::Undo, Redo, Cut, ... on this platform) and against
// QScintilla's own key map; no two window-wide actions share a key. And, as a user meets
// it: Ctrl+Shift+Z in the editor redoes, it does not open the rollback dialog.

#include "mainwindow.h"
#include "scripteditorview.h"
#include "studioactions.h"
#include "studiodocks.h"
#include "studiotestutil.h"

#include <Qsci/qscicommand.h>
#include <Qsci/qscicommandset.h>
#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QShortcut>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace retort;

namespace {

// Keys that edit text or move/select in it, whatever else they may do elsewhere.
const QKeySequence::StandardKey kEditingKeys[] = {
    QKeySequence::Undo, QKeySequence::Redo, QKeySequence::Cut, QKeySequence::Copy,
    QKeySequence::Paste, QKeySequence::Delete, QKeySequence::Backspace, QKeySequence::SelectAll,
    QKeySequence::Deselect, QKeySequence::DeleteStartOfWord, QKeySequence::DeleteEndOfWord,
    QKeySequence::DeleteEndOfLine, QKeySequence::DeleteCompleteLine,
    QKeySequence::InsertParagraphSeparator, QKeySequence::InsertLineSeparator,
    QKeySequence::MoveToNextChar, QKeySequence::MoveToPreviousChar, QKeySequence::MoveToNextWord,
    QKeySequence::MoveToPreviousWord, QKeySequence::MoveToNextLine, QKeySequence::MoveToPreviousLine,
    QKeySequence::MoveToNextPage, QKeySequence::MoveToPreviousPage, QKeySequence::MoveToStartOfLine,
    QKeySequence::MoveToEndOfLine, QKeySequence::MoveToStartOfBlock, QKeySequence::MoveToEndOfBlock,
    QKeySequence::MoveToStartOfDocument, QKeySequence::MoveToEndOfDocument,
    QKeySequence::SelectNextChar, QKeySequence::SelectPreviousChar, QKeySequence::SelectNextWord,
    QKeySequence::SelectPreviousWord, QKeySequence::SelectNextLine, QKeySequence::SelectPreviousLine,
    QKeySequence::SelectNextPage, QKeySequence::SelectPreviousPage, QKeySequence::SelectStartOfLine,
    QKeySequence::SelectEndOfLine, QKeySequence::SelectStartOfBlock, QKeySequence::SelectEndOfBlock,
    QKeySequence::SelectStartOfDocument, QKeySequence::SelectEndOfDocument,
    QKeySequence::Find, QKeySequence::FindNext, QKeySequence::FindPrevious, QKeySequence::Replace,
    QKeySequence::Cancel, QKeySequence::Bold, QKeySequence::Italic, QKeySequence::Underline,
};

QString describe(const QKeySequence &key)
{
    return key.toString(QKeySequence::PortableText);
}

// Whether the action can fire while `focus` has the keyboard focus.
bool reaches(const QAction *action, const QWidget *focus)
{
    switch (action->shortcutContext()) {
    case Qt::WindowShortcut:
    case Qt::ApplicationShortcut:
        return true;
    case Qt::WidgetShortcut:
    case Qt::WidgetWithChildrenShortcut:
        for (const QObject *object : action->associatedObjects()) {
            const auto *widget = qobject_cast<const QWidget *>(object);
            if (widget && (widget == focus || widget->isAncestorOf(focus)))
                return true;
        }
        return false;
    }
    return true;
}

// Every key the editor uses for editing, with what it does there.
QHash<QKeySequence, QString> editingKeys(QsciScintilla *editor)
{
    QHash<QKeySequence, QString> taken;
    for (QKeySequence::StandardKey standard : kEditingKeys) {
        for (const QKeySequence &key : QKeySequence::keyBindings(standard))
            taken.insert(key, QStringLiteral("QKeySequence::StandardKey %1").arg(int(standard)));
    }
    for (QsciCommand *command : editor->standardCommands()->commands()) {
        for (int key : {command->key(), command->alternateKey()}) {
            if (key)
                taken.insert(QKeySequence(key), QStringLiteral("QScintilla: ") + command->description());
        }
    }
    return taken;
}

} // namespace

class tst_StudioShortcuts : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void noActionShadowsAnEditingKey_data();
    void noActionShadowsAnEditingKey();
    void noShortcutShadowsAnEditingKey();
    void noTwoWindowActionsShareAKey();
    void redoInTheEditorIsRedo();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;
};

void tst_StudioShortcuts::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(studiotest::copyTree(QStringLiteral(RETORT_DEMO_DIR), m_dir->path() + QStringLiteral("/demo")));
    m_settings = std::make_unique<QSettings>(m_dir->path() + QStringLiteral("/studio.ini"), QSettings::IniFormat);
    m_window = std::make_unique<MainWindow>(*m_settings);
}

void tst_StudioShortcuts::cleanupTestCase()
{
    m_window.reset();
}

void tst_StudioShortcuts::noActionShadowsAnEditingKey_data()
{
    QTest::addColumn<QAction *>("action");
    int withShortcut = 0;
    for (QAction *action : m_window->findChildren<QAction *>()) {
        if (action->shortcuts().isEmpty())
            continue;
        ++withShortcut;
        const QString name = action->text().remove(QLatin1Char('&')) + QLatin1Char(' ')
                             + describe(action->shortcut());
        QTest::newRow(qPrintable(name)) << action;
    }
    QVERIFY(withShortcut >= 10);   // the window's commands were found
}

void tst_StudioShortcuts::noActionShadowsAnEditingKey()
{
    QFETCH(QAction *, action);
    QsciScintilla *editor = m_window->docks()->script()->editor();
    if (!reaches(action, editor))
        return;   // scoped to another view (the graph's Find, zoom)
    // The Edit menu's own commands are the editing keys: they forward to the focused
    // widget (the editor's undo() for Undo), so they must carry exactly the standard key.
    const StudioActions *a = m_window->actions();
    const QHash<const QAction *, QKeySequence::StandardKey> editMenu{
        {a->undo, QKeySequence::Undo}, {a->redo, QKeySequence::Redo}, {a->cut, QKeySequence::Cut},
        {a->copy, QKeySequence::Copy}, {a->paste, QKeySequence::Paste},
        {a->selectAll, QKeySequence::SelectAll}};
    if (editMenu.contains(action)) {
        QCOMPARE(action->shortcut(), QKeySequence(editMenu.value(action)));
        return;
    }
    QVERIFY(editor->standardCommands()->commands().size() > 50);
    const QHash<QKeySequence, QString> taken = editingKeys(editor);
    for (const QKeySequence &key : action->shortcuts()) {
        QVERIFY2(!taken.contains(key), qPrintable(QStringLiteral("%1 (%2) is the editor's %3")
                                                      .arg(action->text(), describe(key), taken.value(key))));
    }
}

// QShortcut objects too (a view may add its own), apart from the editor view's own
// (find, find next, closing the find bar), which exist for the editor.
void tst_StudioShortcuts::noShortcutShadowsAnEditingKey()
{
    ScriptEditorView *view = m_window->docks()->script();
    QsciScintilla *editor = view->editor();
    const QHash<QKeySequence, QString> taken = editingKeys(editor);
    for (QShortcut *shortcut : m_window->findChildren<QShortcut *>()) {
        QWidget *owner = qobject_cast<QWidget *>(shortcut->parent());
        if (owner == view)
            continue;
        const bool reachesEditor = shortcut->context() == Qt::WindowShortcut
            || shortcut->context() == Qt::ApplicationShortcut
            || (shortcut->context() == Qt::WidgetWithChildrenShortcut && owner && owner->isAncestorOf(editor));
        if (!reachesEditor)
            continue;
        QVERIFY2(!taken.contains(shortcut->key()),
                 qPrintable(QStringLiteral("a QShortcut on %1 (%2) is the editor's %3")
                                .arg(owner ? owner->metaObject()->className() : "?",
                                     describe(shortcut->key()), taken.value(shortcut->key()))));
    }
}

// Two window-wide actions on one key are ambiguous: Qt then triggers neither.
void tst_StudioShortcuts::noTwoWindowActionsShareAKey()
{
    QHash<QKeySequence, QString> owners;
    for (QAction *action : m_window->findChildren<QAction *>()) {
        if (action->shortcutContext() != Qt::WindowShortcut && action->shortcutContext() != Qt::ApplicationShortcut)
            continue;
        for (const QKeySequence &key : action->shortcuts()) {
            QVERIFY2(!owners.contains(key), qPrintable(QStringLiteral("%1 is both %2 and %3")
                                                           .arg(describe(key), owners.value(key), action->text())));
            owners.insert(key, action->text());
        }
    }
}

void tst_StudioShortcuts::redoInTheEditorIsRedo()
{
    MainWindow window(*m_settings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ScriptEditorView *script = window.docks()->script();
    QsciScintilla *editor = script->editor();
    editor->setFocus();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTRY_VERIFY(editor->hasFocus());
    // Enabled, as with a project open and connected: only the editor may take the key.
    window.actions()->rollBack->setEnabled(true);
    window.actions()->downgrade->setEnabled(true);
    QSignalSpy rollBack(window.actions()->rollBack, &QAction::triggered);
    QSignalSpy downgrade(window.actions()->downgrade, &QAction::triggered);

    QTest::keyClicks(editor, QStringLiteral("abc"));
    QCOMPARE(editor->text(), QStringLiteral("abc"));
    QTest::keyClick(editor, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(editor->text().isEmpty());
    QTest::keyClick(editor, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(editor->text(), QStringLiteral("abc"));
    QTest::keyClick(editor, Qt::Key_D, Qt::ControlModifier);   // QScintilla: duplicate
    QCOMPARE(rollBack.count(), 0);
    QCOMPARE(downgrade.count(), 0);
}

QTEST_MAIN(tst_StudioShortcuts)
#include "tst_studioshortcuts.moc"
