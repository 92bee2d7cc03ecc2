// ScriptEditorView: the applied-revision banner, inline syntax errors and "needs Python"
// markers from the native reader, dirty marker and save, find.

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

QTEST_MAIN(TestScriptEditorView)
#include "tst_scripteditorview.moc"
