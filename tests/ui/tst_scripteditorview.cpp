// ScriptEditorView: the applied-revision banner, inline syntax errors and "needs Python"
// markers from the native reader, dirty marker and save, find; saving a syntax error
// asks first; a file changed on disk is noticed by its bytes and re-read (asking while
// there are edits); clear().

#include "fakescriptprompts.h"
#include "scripteditorview.h"
#include "uitestsupport.h"

#include <Qsci/qsciscintilla.h>

#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;
using namespace retort::test;

class TestScriptEditorView : public QObject
{
    Q_OBJECT

private slots:
    void appliedWarning();
    void inlineSyntaxError();
    void needsPythonMarker();
    void debouncedWhileTyping();
    void dirtyAndSave();
    void findNext();
    void saveWithSyntaxErrorAsks_data();
    void saveWithSyntaxErrorAsks();
    void changedOnDiskSameSizeAndTime();
    void reloadFromDiskWhileDirty_data();
    void reloadFromDiskWhileDirty();
    void clearEmpties();
};

namespace {
QByteArray script(const QString &upgradeBody)
{
    return revisionScript(QStringLiteral("abc123"), QStringLiteral("def456"), upgradeBody);
}
} // namespace

void TestScriptEditorView::appliedWarning()
{
    ScriptEditorView view;
    view.show();
    QVERIFY(!view.isAppliedWarningVisible());
    view.setAppliedToDatabase(true);
    QVERIFY(view.isAppliedWarningVisible());
    auto *banner = view.findChild<QWidget *>(QStringLiteral("appliedBanner"));
    QVERIFY(banner && banner->isVisible());
    view.setAppliedToDatabase(false);
    QVERIFY(!view.isAppliedWarningVisible());
}

void TestScriptEditorView::inlineSyntaxError()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("abc123_x.py"));
    QVERIFY(writeFile(path, script(QStringLiteral("    op.create_table(\"t\", sa.Column(\"id\", sa.Integer())\n"))));
    ScriptEditorView view;
    QSignalSpy diags(&view, &ScriptEditorView::diagnosticsChanged);
    QVERIFY(view.openFile(path).ok());
    QCOMPARE(view.diagnostics().size(), 1);   // the unclosed bracket
    const ScriptDiagnostic d = view.diagnostics().first();
    QCOMPARE(d.kind, ScriptDiagnostic::SyntaxError);
    QVERIFY(d.line > 0);
    const int line = d.line - 1;
    QVERIFY2(view.editor()->annotation(line).contains(QLatin1String("Error")),
             qPrintable(view.editor()->annotation(line)));
    QVERIFY(view.editor()->markersAtLine(line) != 0);
    QCOMPARE(diags.last().at(0).toInt(), 1);

    // Fixing the text clears the marks.
    view.setText(QString::fromUtf8(script(QStringLiteral("    op.drop_table(\"t\")\n"))));
    view.checkNow();
    QVERIFY(view.diagnostics().isEmpty());
    QVERIFY(view.editor()->annotation(line).isEmpty());
    QCOMPARE(view.editor()->markersAtLine(line), 0u);
}

void TestScriptEditorView::needsPythonMarker()
{
    ScriptEditorView view;
    view.setText(QString::fromUtf8(script(QStringLiteral("    for name in {\"a\", \"b\"}:\n        op.drop_table(name)\n"))));
    view.checkNow();
    QCOMPARE(view.diagnostics().size(), 1);
    const ScriptDiagnostic d = view.diagnostics().first();
    QCOMPARE(d.kind, ScriptDiagnostic::NeedsPython);
    QVERIFY2(d.message.contains(QLatin1String("for loop")), qPrintable(d.message));
    QVERIFY(view.editor()->markersAtLine(d.line - 1) & (1u << 1));
    QVERIFY(view.editor()->annotation(d.line - 1).contains(QLatin1String("needs Python")));
}

void TestScriptEditorView::debouncedWhileTyping()
{
    ScriptEditorView view;
    QSignalSpy diags(&view, &ScriptEditorView::diagnosticsChanged);
    view.setText(QStringLiteral("def upgrade():\n    x = 'unterminated\n"));
    QCOMPARE(diags.size(), 0);   // not on every keystroke
    QVERIFY(diags.wait(3000));
    QCOMPARE(diags.last().at(0).toInt(), 1);
}

void TestScriptEditorView::dirtyAndSave()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("abc123_x.py"));
    QVERIFY(writeFile(path, script(QStringLiteral("    pass\n"))));
    ScriptEditorView view;
    QVERIFY(view.openFile(path).ok());
    QVERIFY(!view.isDirty());
    QCOMPARE(view.title(), QStringLiteral("abc123_x.py"));
    QSignalSpy dirty(&view, &ScriptEditorView::dirtyChanged);
    QSignalSpy title(&view, &ScriptEditorView::titleChanged);
    view.editor()->insertAt(QStringLiteral("# edited\n"), 0, 0);
    QVERIFY(view.isDirty());
    QCOMPARE(view.title(), QStringLiteral("abc123_x.py*"));
    QCOMPARE(dirty.size(), 1);
    QCOMPARE(title.last().first().toString(), QStringLiteral("abc123_x.py*"));
    QVERIFY(view.save().ok());
    QVERIFY(!view.isDirty());
    QCOMPARE(dirty.last().first().toBool(), false);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().startsWith("# edited\n"));
    QVERIFY(!view.openFile(dir.filePath(QStringLiteral("missing.py"))).ok());
}

void TestScriptEditorView::findNext()
{
    ScriptEditorView view;
    view.show();
    view.setText(QStringLiteral("alpha\nbeta\nalpha\n"));
    QVERIFY(!view.findNext());   // nothing to look for yet: opens the find bar
    auto *edit = view.findChild<QLineEdit *>(QStringLiteral("findEdit"));
    QVERIFY(edit && edit->isVisible());
    edit->setText(QStringLiteral("alpha"));
    view.editor()->setCursorPosition(0, 0);
    QVERIFY(view.findNext());
    int line = -1, index = -1;
    view.editor()->getCursorPosition(&line, &index);
    QCOMPARE(line, 0);
    QVERIFY(view.findNext());
    view.editor()->getCursorPosition(&line, &index);
    QCOMPARE(line, 2);
    edit->setText(QStringLiteral("gamma"));
    QVERIFY(!view.findNext());
}

void TestScriptEditorView::saveWithSyntaxErrorAsks_data()
{
    QTest::addColumn<bool>("saveAnyway");
    QTest::newRow("cancel") << false;
    QTest::newRow("save anyway") << true;
}

void TestScriptEditorView::saveWithSyntaxErrorAsks()
{
    QFETCH(bool, saveAnyway);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("abc123_x.py"));
    QVERIFY(writeFile(path, script(QStringLiteral("    pass\n"))));
    ScriptEditorView view;
    FakeScriptPrompts prompts;
    prompts.saveAnyway = saveAnyway;
    view.setPrompts(&prompts);
    QVERIFY(view.openFile(path).ok());
    // A valid edit saves without a question.
    view.editor()->insertAt(QStringLiteral("# fine\n"), 0, 0);
    QVERIFY(view.save().ok());
    QVERIFY(prompts.asked.isEmpty());
    view.editor()->insertAt(QStringLiteral("broken = (1,\n"), 0, 0);   // never closed
    QCOMPARE(view.save().ok(), saveAnyway);
    QCOMPARE(prompts.asked, QStringList{QStringLiteral("syntax:") + path});
    QVERIFY(prompts.lastSyntaxError.startsWith(QLatin1String("line ")));
    QCOMPARE(view.isDirty(), !saveAnyway);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll().startsWith("broken = (1,"), saveAnyway);
}

// A rewrite of the same length with the old mtime restored (what a quick `git checkout`
// can leave on a coarse-mtime file system) is still a change.
void TestScriptEditorView::changedOnDiskSameSizeAndTime()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("abc123_x.py"));
    QVERIFY(writeFile(path, script(QStringLiteral("    op.f('aaaa')\n"))));
    const QDateTime mtime = QFileInfo(path).lastModified();
    ScriptEditorView view;
    QVERIFY(view.openFile(path).ok());
    QVERIFY(!view.isChangedOnDisk());
    QVERIFY(!view.reloadFromDisk());
    QVERIFY(writeFile(path, script(QStringLiteral("    op.f('bbbb')\n"))));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(mtime, QFileDevice::FileModificationTime));
    }
    QVERIFY(view.isChangedOnDisk());
    QVERIFY(view.reloadFromDisk());
    QVERIFY(view.text().contains(QLatin1String("bbbb")));
    QVERIFY(!view.isDirty());
    QVERIFY(!view.isChangedOnDisk());
}

void TestScriptEditorView::reloadFromDiskWhileDirty_data()
{
    QTest::addColumn<bool>("reload");
    QTest::newRow("keep my changes") << false;
    QTest::newRow("reload") << true;
}

void TestScriptEditorView::reloadFromDiskWhileDirty()
{
    QFETCH(bool, reload);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("abc123_x.py"));
    QVERIFY(writeFile(path, script(QStringLiteral("    pass\n"))));
    ScriptEditorView view;
    FakeScriptPrompts prompts;
    prompts.reloadAnswer = reload;
    view.setPrompts(&prompts);
    QVERIFY(view.openFile(path).ok());
    view.editor()->insertAt(QStringLiteral("# mine\n"), 0, 0);
    QVERIFY(writeFile(path, script(QStringLiteral("    op.theirs()\n"))));
    QCOMPARE(view.reloadFromDisk(), reload);
    QCOMPARE(prompts.asked, QStringList{QStringLiteral("reload:") + path});
    QCOMPARE(view.text().contains(QLatin1String("# mine")), !reload);
    QCOMPARE(view.text().contains(QLatin1String("op.theirs()")), reload);
    QCOMPARE(view.isDirty(), !reload);
    // The declined version is not asked about again.
    QVERIFY(!view.reloadFromDisk());
    QCOMPARE(prompts.asked.size(), 1);
}

void TestScriptEditorView::clearEmpties()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("abc123_x.py"));
    QVERIFY(writeFile(path, script(QStringLiteral("    pass\n"))));
    ScriptEditorView view;
    QVERIFY(view.openFile(path).ok());
    view.setAppliedToDatabase(true);
    view.editor()->insertAt(QStringLiteral("# edit\n"), 0, 0);
    view.clear();
    QVERIFY(view.filePath().isEmpty());
    QVERIFY(view.text().isEmpty());
    QVERIFY(!view.isDirty());
    QVERIFY(!view.isAppliedWarningVisible());
}

QTEST_MAIN(TestScriptEditorView)
#include "tst_scripteditorview.moc"
