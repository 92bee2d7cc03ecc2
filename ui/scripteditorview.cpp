#include "scripteditorview.h"

#include "editortheme.h"
#include "themecolors.h"

#include "scriptprompts.h"

#include <Qsci/qscicommand.h>
#include <Qsci/qscicommandset.h>
#include <Qsci/qscilexerpython.h>
#include <Qsci/qsciscintilla.h>
#include <Qsci/qscistyle.h>

#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QSaveFile>
#include <QShortcut>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace retort {

namespace {
constexpr int kCheckDelayMs = 400;   // a pause in typing, not every keystroke
constexpr int kNeedsPythonMarker = 1;
constexpr int kErrorMarker = 2;
constexpr int kSymbolMargin = 1;
constexpr int kFoldMargin = 2;
} // namespace

ScriptEditorView::ScriptEditorView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_appliedBanner = new QLabel(this);
    m_appliedBanner->setObjectName(QStringLiteral("appliedBanner"));
    m_appliedBanner->setWordWrap(true);
    m_appliedBanner->setText(tr("This revision is already applied to the connected database. "
                                "Editing it does not change the database: downgrade first, or "
                                "write a new revision."));
    applyBannerColours();
    m_appliedBanner->hide();
    layout->addWidget(m_appliedBanner);

    m_editor = new QsciScintilla(this);
    auto *lexer = new QsciLexerPython(m_editor);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    lexer->setDefaultFont(mono);
    lexer->setFont(mono);
    m_editor->setLexer(lexer);
    m_editor->setUtf8(true);
    m_editor->setMarginType(0, QsciScintilla::NumberMargin);
    m_editor->setMarginLineNumbers(0, true);
    m_editor->setMarginWidth(0, QStringLiteral("00000"));
    m_editor->setMarginType(kSymbolMargin, QsciScintilla::SymbolMargin);
    m_editor->setMarginWidth(kSymbolMargin, 14);
    m_editor->setMarginMarkerMask(kSymbolMargin, (1 << kNeedsPythonMarker) | (1 << kErrorMarker));
    m_editor->setFolding(QsciScintilla::BoxedTreeFoldStyle, kFoldMargin);
    m_editor->setAutoIndent(true);
    m_editor->setIndentationsUseTabs(false);
    m_editor->setIndentationWidth(4);
    m_editor->setTabWidth(4);
    m_editor->setBraceMatching(QsciScintilla::SloppyBraceMatch);
    m_editor->setCaretLineVisible(true);
    m_editor->setAnnotationDisplay(QsciScintilla::AnnotationBoxed);
    m_editor->markerDefine(QsciScintilla::RightArrow, kNeedsPythonMarker);
    m_editor->setMarkerBackgroundColor(QColor(0x1f, 0x6f, 0xeb), kNeedsPythonMarker);
    m_editor->markerDefine(QsciScintilla::Circle, kErrorMarker);
    m_editor->setMarkerBackgroundColor(QColor(0xd0, 0x30, 0x30), kErrorMarker);
    m_errorIndicator = m_editor->indicatorDefine(QsciScintilla::SquiggleIndicator);
    m_editor->setIndicatorForegroundColor(QColor(0xd0, 0x30, 0x30), m_errorIndicator);
    EditorTheme::attach(m_editor);   // palette colours (dark themes) and the Preferences font
    // QScintilla redoes on Ctrl+Y only; Ctrl+Shift+Z is Redo too on every desktop but
    // Windows' (QKeySequence::Redo), and what users of other editors press.
    if (QsciCommand *redo = m_editor->standardCommands()->find(QsciCommand::Redo)) {
        const int ctrlShiftZ = (Qt::CTRL | Qt::SHIFT | Qt::Key_Z).toCombined();
        if (redo->key() != ctrlShiftZ)
            redo->setAlternateKey(ctrlShiftZ);
    }
    layout->addWidget(m_editor, 1);

    m_findBar = new QWidget(this);
    auto *findLayout = new QHBoxLayout(m_findBar);
    findLayout->setContentsMargins(4, 2, 4, 2);
    findLayout->addWidget(new QLabel(tr("Find:"), m_findBar));
    m_findEdit = new QLineEdit(m_findBar);
    m_findEdit->setObjectName(QStringLiteral("findEdit"));
    findLayout->addWidget(m_findEdit, 1);
    auto *next = new QToolButton(m_findBar);
    next->setText(tr("Next"));
    findLayout->addWidget(next);
    auto *close = new QToolButton(m_findBar);
    close->setText(QStringLiteral("\u2715"));
    findLayout->addWidget(close);
    m_findBar->hide();
    layout->addWidget(m_findBar);
    connect(m_findEdit, &QLineEdit::returnPressed, this, &ScriptEditorView::findNext);
    connect(next, &QToolButton::clicked, this, &ScriptEditorView::findNext);
    connect(close, &QToolButton::clicked, this, [this] {
        m_findBar->hide();
        m_editor->setFocus();
    });

    auto shortcut = [this](const QKeySequence &key, auto slot) {
        auto *s = new QShortcut(key, this);
        s->setContext(Qt::WidgetWithChildrenShortcut);
        connect(s, &QShortcut::activated, this, slot);
    };
    shortcut(QKeySequence::Find, [this] { showFind(); });
    shortcut(QKeySequence(Qt::Key_F3), [this] { findNext(); });
    shortcut(QKeySequence(Qt::Key_Escape), [this] { m_findBar->hide(); });

    m_checkTimer = new QTimer(this);
    m_checkTimer->setSingleShot(true);
    m_checkTimer->setInterval(kCheckDelayMs);
    connect(m_checkTimer, &QTimer::timeout, this, &ScriptEditorView::checkNow);
    connect(m_editor, &QsciScintilla::textChanged, this, [this] {
        if (!m_loading)
            m_checkTimer->start();
    });
    connect(m_editor, &QsciScintilla::modificationChanged, this, [this](bool modified) {
        if (!m_loading)
            setDirty(modified);
    });
}

VoidResult ScriptEditorView::openFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        const QString message = tr("Cannot open %1: %2").arg(path, file.errorString());
        emit errorOccurred(message);
        return Error(message, path);
    }
    m_loading = true;
    m_path = path;
    m_onDisk = file.readAll();
    m_editor->setText(QString::fromUtf8(m_onDisk));
    m_editor->setModified(false);
    m_loading = false;
    setDirty(false);
    emit titleChanged(title());
    checkNow();
    return {};
}

void ScriptEditorView::clear()
{
    m_checkTimer->stop();
    m_loading = true;
    m_path.clear();
    m_onDisk.clear();
    m_editor->clear();
    m_editor->setModified(false);
    m_loading = false;
    setDirty(false);
    m_diagnostics.clear();
    applyDiagnostics();
    m_appliedBanner->hide();
    emit titleChanged(QString());
}

bool ScriptEditorView::isChangedOnDisk() const
{
    if (m_path.isEmpty())
        return false;
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return false;   // gone or unreadable: keep what the editor has
    return file.readAll() != m_onDisk;
}

bool ScriptEditorView::reloadFromDisk()
{
    if (!isChangedOnDisk())
        return false;
    if (m_dirty && !(m_prompts && m_prompts->reloadChangedFile(m_path))) {
        QFile file(m_path);
        if (file.open(QIODevice::ReadOnly))
            m_onDisk = file.readAll();   // this version was declined: do not ask again
        return false;
    }
    int line = 0;
    int index = 0;
    m_editor->getCursorPosition(&line, &index);
    const int firstLine = m_editor->firstVisibleLine();
    if (!openFile(m_path).ok())
        return false;
    m_editor->setCursorPosition(qMin(line, m_editor->lines() - 1), index);
    m_editor->setFirstVisibleLine(firstLine);
    return true;
}

QString ScriptEditorView::text() const
{
    return m_editor->text();
}

void ScriptEditorView::setText(const QString &text)
{
    m_editor->setText(text);   // modificationChanged marks the view dirty
}

QString ScriptEditorView::title() const
{
    const QString name = m_path.isEmpty() ? tr("untitled") : QFileInfo(m_path).fileName();
    return m_dirty ? name + QLatin1Char('*') : name;
}

bool ScriptEditorView::isAppliedWarningVisible() const
{
    return !m_appliedBanner->isHidden();
}

void ScriptEditorView::setAppliedToDatabase(bool applied)
{
    m_appliedBanner->setVisible(applied);
}

void ScriptEditorView::setDirty(bool dirty)
{
    if (m_dirty == dirty)
        return;
    m_dirty = dirty;
    emit dirtyChanged(dirty);
    emit titleChanged(title());
}

VoidResult ScriptEditorView::save()
{
    if (m_path.isEmpty())
        return Error(tr("No file to save to"));
    checkNow();
    for (const ScriptDiagnostic &d : std::as_const(m_diagnostics)) {
        if (d.kind != ScriptDiagnostic::SyntaxError)
            continue;
        if (m_prompts && !m_prompts->saveWithSyntaxError(m_path, tr("line %1: %2").arg(d.line).arg(d.message)))
            return Error(tr("Not saved: %1 has a syntax error").arg(m_path), m_path);
        break;
    }
    const QByteArray bytes = m_editor->text().toUtf8();
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) < 0 || !file.commit()) {
        const QString message = tr("Cannot save %1: %2").arg(m_path, file.errorString());
        emit errorOccurred(message);
        return Error(message, m_path);
    }
    m_onDisk = bytes;
    m_editor->setModified(false);
    emit saved(m_path);
    return {};
}

void ScriptEditorView::showFind()
{
    m_findBar->show();
    if (m_editor->hasSelectedText() && !m_editor->selectedText().contains(QLatin1Char('\n')))
        m_findEdit->setText(m_editor->selectedText());
    m_findEdit->setFocus();
    m_findEdit->selectAll();
}

bool ScriptEditorView::findNext()
{
    const QString needle = m_findEdit->text();
    if (needle.isEmpty()) {
        showFind();
        return false;
    }
    // From the caret (the end of the last match), wrapping at the end of the file.
    const bool found = m_editor->findFirst(needle, false, false, false, true, true);
    // Not found: a red tint of the field's own base, so its text stays readable (dark themes).
    m_findEdit->setStyleSheet(found ? QString()
                                    : QStringLiteral("QLineEdit { background: %1; }")
                                          .arg(ThemeColors::tint(ThemeColors::Error, palette().color(QPalette::Base),
                                                                 0.3).name()));
    return found;
}

void ScriptEditorView::checkNow()
{
    m_checkTimer->stop();
    m_diagnostics = ScriptDiagnostics::check(m_editor->text(), m_path);
    applyDiagnostics();
}

void ScriptEditorView::clearMarks()
{
    const int lines = m_editor->lines();
    if (lines > 0)
        m_editor->clearIndicatorRange(0, 0, lines - 1, m_editor->lineLength(lines - 1), m_errorIndicator);
    m_editor->clearAnnotations();
    m_editor->markerDeleteAll(kNeedsPythonMarker);
    m_editor->markerDeleteAll(kErrorMarker);
}

void ScriptEditorView::applyDiagnostics()
{
    clearMarks();
    // Annotation colours from the palette: a faint accent over the editor's paper.
    const QPalette pal = palette();
    const QColor paper = pal.color(QPalette::Base);
    const QsciStyle errorStyle(-1, QStringLiteral("retort error"),
                               ThemeColors::accent(ThemeColors::Error, pal),
                               ThemeColors::tint(ThemeColors::Error, paper), QFont(), true);
    const QsciStyle noteStyle(-1, QStringLiteral("retort note"),
                              ThemeColors::accent(ThemeColors::Info, pal),
                              ThemeColors::tint(ThemeColors::Info, paper), QFont(), true);
    int errors = 0;
    int python = 0;
    QMap<int, QStringList> notes;
    QMap<int, bool> lineHasError;
    const int last = qMax(0, m_editor->lines() - 1);
    for (const ScriptDiagnostic &d : qAsConst(m_diagnostics)) {
        const int line = qBound(0, d.line - 1, last);
        if (d.kind == ScriptDiagnostic::SyntaxError) {
            ++errors;
            const int length = m_editor->lineLength(line);
            m_editor->fillIndicatorRange(line, 0, line, qMax(1, length), m_errorIndicator);
            m_editor->markerAdd(line, kErrorMarker);
            notes[line] << tr("Error: %1").arg(d.message);
            lineHasError[line] = true;
        } else {
            ++python;
            m_editor->markerAdd(line, kNeedsPythonMarker);
            notes[line] << d.message;
        }
    }
    for (auto it = notes.cbegin(); it != notes.cend(); ++it)
        m_editor->annotate(it.key(), it.value().join(QLatin1Char('\n')),
                           lineHasError.value(it.key()) ? errorStyle : noteStyle);
    emit diagnosticsChanged(errors, python);
}

// The "already applied" banner: the warning accent blended over the window colour.
void ScriptEditorView::applyBannerColours()
{
    const QPalette pal = palette();
    const QColor window = pal.color(QPalette::Window);
    const QColor fill = ThemeColors::tint(ThemeColors::Warning, window, 0.25);
    m_appliedBanner->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: %2; border-bottom: 1px solid %3; padding: 6px; }")
            .arg(fill.name(), ThemeColors::readable(pal.color(QPalette::WindowText), fill).name(),
                 ThemeColors::hue(ThemeColors::Warning).name()));
}

void ScriptEditorView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_appliedBanner && m_editor) {
        applyBannerColours();
        applyDiagnostics();
    }
}

} // namespace retort
