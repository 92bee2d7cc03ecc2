#pragma once
// Colours and font of the studio's QScintilla editors from the palette and the
// Preferences: the lexer keeps its own hues, moved until they read well on the
// palette's Base (so a dark theme gets light syntax colours), margins, caret line and
// selection follow the palette. An attached editor follows palette changes and
// setFont() while it lives.

#include <QFont>
#include <QObject>

class QsciScintilla;
class QPalette;
class QWidget;

namespace retort {

class EditorTheme : public QObject
{
    Q_OBJECT
public:
    // Applies the palette and font now and on every later palette change.
    static void attach(QsciScintilla *editor);
    // Colours only (also for editors that are not attached).
    static void applyPalette(QsciScintilla *editor, const QPalette &palette);
    // Every attached editor to the application's palette (after a theme switch: an editor
    // whose palette QScintilla set itself is not told).
    static void refreshAll();

    // The editor font (Preferences); every attached editor switches to it.
    static QFont font();
    static void setFont(const QFont &font);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit EditorTheme(QsciScintilla *editor);
    static void applyFont(QsciScintilla *editor);
    static QPalette inheritedPalette(QWidget *editor);
};

} // namespace retort
