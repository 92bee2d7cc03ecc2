#include "editortheme.h"

#include "themecolors.h"

#include <Qsci/qscilexer.h>
#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QEvent>
#include <QFontDatabase>
#include <QList>
#include <QPointer>

namespace retort {

namespace {
constexpr int kMaxStyles = 128;   // QScintilla lexers describe styles below this

QList<QPointer<QsciScintilla>> &editors()
{
    static QList<QPointer<QsciScintilla>> list;
    return list;
}

QFont &editorFont()
{
    static QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    return font;
}
} // namespace

EditorTheme::EditorTheme(QsciScintilla *editor) : QObject(editor) {}

void EditorTheme::attach(QsciScintilla *editor)
{
    editors().removeAll(nullptr);
    if (editors().contains(editor))
        return;
    editor->installEventFilter(new EditorTheme(editor));
    editors() << editor;
    applyFont(editor);
    applyPalette(editor, inheritedPalette(editor));
}

QPalette EditorTheme::inheritedPalette(QWidget *editor)
{
    return editor->parentWidget() ? editor->parentWidget()->palette() : QApplication::palette();
}

bool EditorTheme::eventFilter(QObject *watched, QEvent *event)
{
    // QScintilla sets palettes of its own, so the editor may not inherit a new one:
    // follow the parent's (which follows the application's).
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange
        || event->type() == QEvent::StyleChange) {
        if (auto *editor = qobject_cast<QsciScintilla *>(watched))
            applyPalette(editor, event->type() == QEvent::ApplicationPaletteChange ? QApplication::palette()
                                                                                  : inheritedPalette(editor));
    }
    return QObject::eventFilter(watched, event);
}

void EditorTheme::applyPalette(QsciScintilla *editor, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    if (QsciLexer *lexer = editor->lexer()) {
        lexer->setDefaultPaper(base);
        lexer->setDefaultColor(text);
        lexer->setPaper(base, -1);
        for (int style = 0; style < kMaxStyles; ++style) {
            if (lexer->description(style).isEmpty())
                continue;
            // The lexer's own hue for the style, made readable on this Base.
            lexer->setColor(ThemeColors::readable(lexer->defaultColor(style), base), style);
        }
    }
    editor->setPaper(base);
    editor->setColor(text);
    editor->setCaretForegroundColor(text);
    editor->setCaretLineBackgroundColor(ThemeColors::blend(base, text, 0.07));
    editor->setSelectionBackgroundColor(palette.color(QPalette::Highlight));
    editor->setSelectionForegroundColor(palette.color(QPalette::HighlightedText));
    editor->setMarginsBackgroundColor(palette.color(QPalette::Window));
    editor->setMarginsForegroundColor(
        ThemeColors::readable(palette.color(QPalette::PlaceholderText), palette.color(QPalette::Window)));
    editor->setFoldMarginColors(palette.color(QPalette::Window), palette.color(QPalette::Window));
    editor->setMatchedBraceBackgroundColor(ThemeColors::tint(ThemeColors::Success, base, 0.3));
    editor->setMatchedBraceForegroundColor(text);
}

void EditorTheme::refreshAll()
{
    editors().removeAll(nullptr);
    for (const QPointer<QsciScintilla> &editor : editors())
        applyPalette(editor, QApplication::palette(editor));
}

QFont EditorTheme::font()
{
    return editorFont();
}

void EditorTheme::setFont(const QFont &font)
{
    editorFont() = font;
    editors().removeAll(nullptr);
    for (const QPointer<QsciScintilla> &editor : editors())
        applyFont(editor);
}

void EditorTheme::applyFont(QsciScintilla *editor)
{
    const QFont font = editorFont();
    editor->setFont(font);
    if (QsciLexer *lexer = editor->lexer()) {
        lexer->setDefaultFont(font);
        for (int style = 0; style < kMaxStyles; ++style) {
            if (lexer->description(style).isEmpty())
                continue;
            // The family and size from the preference, bold/italic from the lexer.
            QFont f = font;
            f.setBold(lexer->defaultFont(style).bold());
            f.setItalic(lexer->defaultFont(style).italic());
            lexer->setFont(f, style);
        }
    }
    editor->setMarginsFont(font);
    // Line numbers widen with the font.
    if (editor->marginWidth(0) > 0)
        editor->setMarginWidth(0, QStringLiteral("00000"));
}

} // namespace retort
