#include "logview.h"

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QTime>
#include <QToolBar>
#include <QVBoxLayout>

namespace retort {

namespace {
// Enough history for a long run; older lines scroll away instead of growing memory.
constexpr int kMaxLines = 20000;
} // namespace

LogView::LogView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto *bar = new QToolBar(this);
    bar->setIconSize(QSize(16, 16));
    bar->addAction(QIcon::fromTheme(QStringLiteral("edit-clear")), tr("Clear"), this, &LogView::clear);
    bar->addAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("Copy"), this, &LogView::copyAll);
    bar->addAction(QIcon::fromTheme(QStringLiteral("document-save-as")), tr("Save..."), this,
                   [this] { save(); });
    layout->addWidget(bar);
    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setMaximumBlockCount(kMaxLines);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setObjectName(QStringLiteral("logText"));
    layout->addWidget(m_text);
}

QString LogView::text() const
{
    return m_text->toPlainText();
}

void LogView::append(const QString &prefix, const QString &text)
{
    const QString stamp = QTime::currentTime().toString(QStringLiteral("HH:mm:ss.zzz"));
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        // Continuation lines are indented under the first so a statement reads as one entry.
        m_text->appendPlainText(i == 0 ? stamp + QLatin1Char(' ') + prefix + lines.at(i)
                                       : QString(stamp.size() + 1 + prefix.size(), QLatin1Char(' '))
                                             + lines.at(i));
        ++m_lines;
    }
}

void LogView::appendLine(const QString &line)
{
    append(QString(), line);
}

void LogView::appendStatement(const QString &sql, qint64 elapsedMs)
{
    append(QStringLiteral("SQL [%1 ms] ").arg(elapsedMs), sql.trimmed());
}

void LogView::appendStep(int index, int count, const QString &shortLog)
{
    append(QStringLiteral("STEP %1/%2 ").arg(index + 1).arg(count), shortLog);
}

void LogView::appendError(const QString &message)
{
    append(QStringLiteral("ERROR "), message);
}

void LogView::appendBackup(const QString &path)
{
    append(QStringLiteral("BACKUP "), path);
}

void LogView::appendResult(bool ok, const QString &message)
{
    if (ok)
        append(QStringLiteral("DONE "), message);
    else
        appendError(message);
}

void LogView::clear()
{
    m_text->clear();
    m_lines = 0;
}

void LogView::copyAll()
{
    QApplication::clipboard()->setText(text());
}

bool LogView::save(const QString &path)
{
    QString target = path;
    if (target.isEmpty())
        target = QFileDialog::getSaveFileName(this, tr("Save Log"), QStringLiteral("retort.log"),
                                              tr("Log files (*.log *.txt)"));
    if (target.isEmpty())
        return false;
    QFile file(target);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return false;
    return file.write(text().toUtf8() + '\n') >= 0;
}

} // namespace retort
