#include "proofview.h"

#include "proof/schematext.h"
#include "themecolors.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace retort {

namespace {

// StairwayResult::statusText() for the user: translated.
QString statusLabel(StairwayResult::Status status)
{
    switch (status) {
    case StairwayResult::Passed: return ProofView::tr("ok");
    case StairwayResult::UpgradeFailed: return ProofView::tr("upgrade failed");
    case StairwayResult::DowngradeFailed: return ProofView::tr("downgrade failed");
    case StairwayResult::NotRestored: return ProofView::tr("downgrade does not restore the schema");
    case StairwayResult::ReupgradeFailed: return ProofView::tr("upgrade after the downgrade failed");
    }
    return QString();
}

} // namespace

ProofView::ProofView(QWidget *parent) : QWidget(parent)
{
    m_status = new QLabel(tr("Right-click a revision of the graph: Verify Downgrades, Schema at This Revision, Compare With..."));
    m_status->setWordWrap(true);
    m_stop = new QToolButton;
    m_stop->setText(tr("Stop"));
    m_stop->setEnabled(false);
    connect(m_stop, &QToolButton::clicked, this, &ProofView::stop);
    auto *top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_stop);

    m_results = new QTreeWidget;
    m_results->setHeaderLabels({tr("Revision"), tr("Result"), tr("Time")});
    m_results->setRootIsDecorated(false);
    m_results->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    connect(m_results, &QTreeWidget::currentItemChanged, this, &ProofView::showSelected);
    m_details = new QPlainTextEdit;
    m_details->setReadOnly(true);
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_results);
    split->addWidget(m_details);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(split, 1);
}

ProofView::~ProofView() = default;   // a running job is a child: cancelled and joined

void ProofView::setProject(const MigrationProjectSpec &spec)
{
    const bool changed = spec.iniPath != m_spec.iniPath;
    m_spec = spec;
    if (!changed)
        return;
    stop();
    m_results->clear();
    m_details->clear();
    m_shown.clear();
    m_marks.clear();
    emit marksChanged(m_marks);
}

QString ProofView::statusText() const
{
    return m_status->text();
}

void ProofView::run(const ProofSpec &base, const QString &title)
{
    if (m_job || m_spec.iniPath.isEmpty())
        return;
    ProofSpec spec = base;
    spec.iniPath = m_spec.iniPath;
    spec.section = m_spec.section;
    spec.xArguments = m_spec.xArguments;
    spec.urlOverride = m_spec.urlOverride;
    m_title = title;
    m_findings = 0;
    m_details->clear();
    m_job = new ProofJob(spec, this);
    connect(m_job, &ProofJob::revisionChecked, this, &ProofView::addResult);
    connect(m_job, &ProofJob::finished, this, &ProofView::onFinished);
    m_status->setText(tr("%1: running on a scratch database...").arg(title));
    m_stop->setEnabled(true);
    emit started();
    m_job->start();
}

void ProofView::verifyDowngrades(const QString &fromRevision)
{
    if (m_job)
        return;
    m_results->clear();
    m_shown.clear();
    m_marks.clear();
    emit marksChanged(m_marks);
    ProofSpec spec;
    spec.kind = ProofSpec::Verify;
    spec.range = fromRevision.isEmpty() ? QString() : fromRevision + QLatin1Char(':');
    run(spec, fromRevision.isEmpty() ? tr("Verify downgrades") : tr("Verify downgrades from %1").arg(fromRevision));
}

void ProofView::showSchemaAt(const QString &revision)
{
    ProofSpec spec;
    spec.kind = ProofSpec::SchemaAt;
    spec.revision = revision;
    run(spec, tr("Schema at %1").arg(revision));
}

void ProofView::compare(const QString &revision, const QString &other)
{
    ProofSpec spec;
    spec.kind = ProofSpec::Compare;
    spec.revision = revision;
    spec.other = other;
    run(spec, tr("Compare %1 with %2").arg(revision, other));
}

void ProofView::pickAndCompare(const QString &revision, const QStringList &candidates)
{
    QStringList items = candidates;
    items.removeAll(revision);
    items.append(QStringLiteral("base"));   // the empty schema, last: revisions are the usual choice
    bool ok = false;
    const QString other = QInputDialog::getItem(this, tr("Compare With"),
                                                tr("Compare the schema at %1 with the schema at:").arg(revision),
                                                items, 0, false, &ok);
    if (ok && !other.isEmpty())
        compare(revision, other);
}

void ProofView::stop()
{
    if (m_job)
        m_job->cancel();
}

void ProofView::addResult(const StairwayResult &result)
{
    m_shown.append(result);
    auto *item = new QTreeWidgetItem(m_results, {result.revision, statusLabel(result.status),
                                                 tr("%1 ms").arg(result.elapsedMs)});
    item->setData(0, Qt::UserRole, int(m_shown.size() - 1));
    if (result.isFinding()) {
        ++m_findings;
        item->setForeground(1, ThemeColors::accent(ThemeColors::Error, palette()));
    } else {
        item->setForeground(1, ThemeColors::accent(ThemeColors::Success, palette()));
    }
    m_results->resizeColumnToContents(0);
    m_marks.insert(result.revision, !result.isFinding());
    emit marksChanged(m_marks);
    m_status->setText(tr("%1: %n revision(s) checked...", nullptr, int(m_shown.size())).arg(m_title));
}

void ProofView::showSelected()
{
    QTreeWidgetItem *item = m_results->currentItem();
    if (!item)
        return;
    const int i = item->data(0, Qt::UserRole).toInt();
    if (i < 0 || i >= m_shown.size())
        return;
    const StairwayResult &r = m_shown.at(i);
    QStringList text{QStringLiteral("%1: %2").arg(r.revision, statusLabel(r.status))};
    // The difference first: it is the finding; an error after it explains what followed.
    if (!r.diff.isEmpty())
        text << QString() << tr("Schema after the downgrade (+) against before the upgrade (-):") << r.diff;
    if (!r.message.isEmpty())
        text << QString() << r.message;
    m_details->setPlainText(text.join(QLatin1Char('\n')));
}

void ProofView::onFinished(bool ok)
{
    ProofJob *job = m_job;
    m_job = nullptr;
    m_stop->setEnabled(false);
    job->deleteLater();
    if (!ok) {
        m_status->setText(tr("%1 failed: %2").arg(m_title, job->error().message));
        m_details->setPlainText(job->log().join(QLatin1Char('\n')) + QStringLiteral("\n\n") + job->error().message);
        emit finished(false);
        return;
    }
    switch (job->spec().kind) {
    case ProofSpec::Verify:
        m_status->setText(m_findings == 0
                              ? tr("%1: %n revision(s) checked, every downgrade restores the schema.", nullptr, int(m_shown.size())).arg(m_title)
                              : tr("%1: %n revision(s) checked, %2 finding(s).", nullptr, int(m_shown.size())).arg(m_title).arg(m_findings));
        if (m_findings > 0)
            for (int i = 0; i < m_results->topLevelItemCount(); ++i)
                if (m_shown.at(i).isFinding()) {
                    m_results->setCurrentItem(m_results->topLevelItem(i));
                    break;
                }
        break;
    case ProofSpec::SchemaAt:
        m_status->setText(tr("%1 (built on a scratch database)").arg(m_title));
        m_details->setPlainText(SchemaText::lines(job->schema()).join(QLatin1Char('\n')));
        break;
    case ProofSpec::Compare: {
        const QStringList diff = SchemaText::diff(job->schema(), job->other());
        const SchemaText::Summary s = SchemaText::summarize(job->schema(), job->other());
        m_status->setText(diff.isEmpty() ? tr("%1: no schema changes").arg(m_title)
                                         : tr("%1: %2 added, %3 removed, %4 changed")
                                               .arg(m_title).arg(s.added).arg(s.removed).arg(s.changed));
        m_details->setPlainText(diff.join(QLatin1Char('\n')));
        break;
    }
    }
    emit finished(true);
}

} // namespace retort
