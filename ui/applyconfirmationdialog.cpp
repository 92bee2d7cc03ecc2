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

namespace {

QString findingPrefix(ReviewFinding::Severity severity)
{
    switch (severity) {
    case ReviewFinding::DataLoss: return ApplyConfirmationDialog::tr("-- !! data loss: ");
    case ReviewFinding::Warning: return ApplyConfirmationDialog::tr("-- !! warning: ");
    case ReviewFinding::Info: break;
    }
    return ApplyConfirmationDialog::tr("-- review: ");
}

void paintWarning(QLabel *label)
{
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, ApplyConfirmationDialog::warningColor(p));
    label->setPalette(p);
}

} // namespace

QColor ApplyConfirmationDialog::warningColor(const QPalette &palette)
{
    // 65% red, 35% the palette's text: dark red on a light window, light red on a dark one.
    const QColor text = palette.color(QPalette::WindowText);
    const QColor red(220, 0, 0);
    return QColor::fromRgbF(0.65f * red.redF() + 0.35f * text.redF(), 0.65f * red.greenF() + 0.35f * text.greenF(),
                            0.65f * red.blueF() + 0.35f * text.blueF());
}

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

    const PlanReviewReport &review = request.review;
    const QString summary = review.summary();
    if (!summary.isEmpty()) {
        auto *label = new QLabel(this);
        label->setObjectName(QStringLiteral("reviewSummary"));
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        label->setText(review.losesData() ? tr("Data will be lost: this run %1.").arg(summary)
                                          : tr("Review: this run %1.").arg(summary));
        if (review.hasWarnings()) {
            QFont bold = label->font();
            bold.setBold(true);
            label->setFont(bold);
            paintWarning(label);
        }
        layout->addWidget(label);
    }

    QString text;
    int needsPython = 0;
    for (int i = 0; i < request.steps.size(); ++i) {
        const StepPreview &step = request.steps.at(i);
        text += QStringLiteral("-- ") + step.title + QLatin1Char('\n');
        for (const ReviewFinding &f : review.findingsFor(i))
            text += findingPrefix(f.severity) + f.text + QLatin1Char('\n');
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
                                      "run in this run's transaction, or runs a step that reads the database "
                                      "itself, on this run's connection and in its transaction where it can, "
                                      "as `retort upgrade` does.", nullptr, needsPython),
                                   this);
        warning->setObjectName(QStringLiteral("pythonNote"));
        warning->setWordWrap(true);
        paintWarning(warning);
        layout->addWidget(warning);
    }
    m_backup = new QCheckBox(tr("Back up the database first"), this);
    m_backup->setObjectName(QStringLiteral("backupFirst"));
    m_backup->setChecked(request.backupFirst);
    layout->addWidget(m_backup);
    m_rehearse = new QCheckBox(tr("Rehearse on a copy first"), this);
    m_rehearse->setObjectName(QStringLiteral("rehearseFirst"));
    m_rehearse->setToolTip(request.canRehearse
                               ? tr("Run the plan on a scratch copy of the database first, report each step's time, "
                                    "rows and locks and the schema diff in the log, drop the copy, and run for real "
                                    "only if the rehearsal succeeded.")
                               : tr("This database cannot be copied for a rehearsal (in memory, or one engine of a "
                                    "multidb project)."));
    m_rehearse->setChecked(request.canRehearse && request.rehearseFirst);
    m_rehearse->setEnabled(request.canRehearse);
    layout->addWidget(m_rehearse);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_run = buttons->addButton(tr("Run"), QDialogButtonBox::AcceptRole);
    m_run->setObjectName(QStringLiteral("run"));
    // Enter means Cancel: Run is never the default, not even while it has focus.
    m_run->setAutoDefault(false);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setAutoDefault(true);
    cancel->setDefault(true);
    if (review.losesData()) {
        m_acceptLoss = new QCheckBox(tr("I understand that this run deletes data"), this);
        m_acceptLoss->setObjectName(QStringLiteral("acceptDataLoss"));
        layout->addWidget(m_acceptLoss);
        m_run->setEnabled(false);
        connect(m_acceptLoss, &QCheckBox::toggled, m_run, &QPushButton::setEnabled);
    }
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_run->isEnabled())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    cancel->setFocus();
}

bool ApplyConfirmationDialog::backupFirst() const
{
    return m_backup->isChecked();
}

bool ApplyConfirmationDialog::rehearseFirst() const
{
    return m_rehearse->isEnabled() && m_rehearse->isChecked();
}

} // namespace retort
