#include "applyconfirmationdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPalette>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace retort {

ApplyConfirmationDialog::ApplyConfirmationDialog(const ApplyRequest &request, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(request.title);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    intro->setText(tr("%1 on %2 runs %n step(s):", nullptr, int(request.steps.size()))
                       .arg(request.title, request.databaseUrl));
    layout->addWidget(intro);

    QString text;
    int needsPython = 0;
    for (const StepPreview &step : request.steps) {
        text += QStringLiteral("-- ") + step.title + QLatin1Char('\n');
        if (!step.needsPython.isEmpty()) {
            ++needsPython;
            text += QStringLiteral("-- !! ") + step.needsPython + QLatin1Char('\n');
        }
        text += step.sql + QLatin1Char('\n');
    }
    auto *steps = new QPlainTextEdit(text.trimmed(), this);
    steps->setObjectName(QStringLiteral("steps"));
    steps->setReadOnly(true);
    steps->setLineWrapMode(QPlainTextEdit::NoWrap);
    steps->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    steps->setMinimumSize(640, 320);
    layout->addWidget(steps, 1);
    if (needsPython > 0) {
        auto *warning = new QLabel(tr("%n step(s) need Python the native engine does not run: the "
                                      "project's Alembic writes their SQL (\"rendered by Alembic\" above), "
                                      "run in this run's transaction, or runs a step itself where it reads "
                                      "the database, as `retort upgrade` does.", nullptr, needsPython),
                                   this);
        warning->setObjectName(QStringLiteral("pythonNote"));
        warning->setWordWrap(true);
        // Readable on light and dark palettes alike.
        const bool dark = palette().color(QPalette::Window).lightness() < 128;
        warning->setStyleSheet(dark ? QStringLiteral("color: #ff9a8a;") : QStringLiteral("color: #8a1c1c;"));
        layout->addWidget(warning);
    }
    m_backup = new QCheckBox(tr("Back up the database first"), this);
    m_backup->setObjectName(QStringLiteral("backupFirst"));
    m_backup->setChecked(request.backupFirst);
    layout->addWidget(m_backup);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *run = buttons->addButton(tr("Run"), QDialogButtonBox::AcceptRole);
    run->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

bool ApplyConfirmationDialog::backupFirst() const
{
    return m_backup->isChecked();
}

} // namespace retort
