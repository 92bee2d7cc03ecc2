#include "schemabrowserview.h"

#include "messagebanner.h"
#include "schematreemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace retort {

SchemaBrowserView::SchemaBrowserView(QWidget *parent)
    : QWidget(parent), m_model(new SchemaTreeModel(this)), m_proxy(new QSortFilterProxyModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 0);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setPlaceholderText(tr("Filter tables and columns"));
    m_filter->setClearButtonEnabled(true);
    bar->addWidget(m_filter, 1);
    m_refresh = new QToolButton(this);
    m_refresh->setObjectName(QStringLiteral("refresh"));
    m_refresh->setIcon(QIcon::fromTheme(QStringLiteral("view-refresh")));
    m_refresh->setText(tr("Refresh"));
    m_refresh->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addWidget(m_refresh);
    layout->addLayout(bar);
    m_banner = new MessageBanner(this);
    layout->addWidget(m_banner);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setContentsMargins(4, 0, 4, 0);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    // A match anywhere (a column's name) keeps its table; a matching table keeps all of it.
    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setAutoAcceptChildRows(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(SchemaTreeModel::NameColumn);
    m_proxy->setFilterRole(SchemaTreeModel::FilterRole);
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("tree"));
    m_tree->setModel(m_proxy);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(SchemaTreeModel::NameColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(SchemaTreeModel::DetailColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(SchemaTreeModel::RowsColumn, QHeaderView::ResizeToContents);
    layout->addWidget(m_tree, 1);

    connect(m_filter, &QLineEdit::textChanged, this, &SchemaBrowserView::setFilterText);
    connect(m_refresh, &QToolButton::clicked, this, &SchemaBrowserView::refresh);
    m_status->setText(tr("No project"));
    m_refresh->setEnabled(false);
}

SchemaBrowserView::~SchemaBrowserView() = default;   // a running job joins its thread

void SchemaBrowserView::setProject(const MigrationProjectSpec &spec)
{
    SchemaSnapshotSpec next;
    next.iniPath = spec.iniPath;
    next.section = spec.section;
    next.xArguments = spec.xArguments;
    next.urlOverride = spec.urlOverride;
    next.engine = spec.engine;
    const bool same = next.iniPath == m_spec.iniPath && next.urlOverride == m_spec.urlOverride
                      && next.engine == m_spec.engine && next.xArguments == m_spec.xArguments;
    m_spec = next;
    if (same)
        return;
    // Nothing of the previous database stays on screen.
    m_model->clearSnapshot();
    m_banner->hide();
    m_error.clear();
    m_again = m_job != nullptr;   // a read under way is for the old database
    m_stale = false;
    m_refresh->setEnabled(!m_spec.iniPath.isEmpty());
    m_status->setText(m_spec.iniPath.isEmpty() ? tr("No project") : tr("Not read yet"));
}

QString SchemaBrowserView::statusText() const
{
    return m_status->text();
}

void SchemaBrowserView::refreshWhenVisible()
{
    if (isVisible())
        refresh();
    else
        m_stale = true;
}

void SchemaBrowserView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void SchemaBrowserView::refresh()
{
    m_stale = false;
    if (m_spec.iniPath.isEmpty())
        return;
    if (m_job) {
        m_again = true;
        return;
    }
    m_status->setText(tr("Reading the database\u2026"));
    m_job = new SchemaSnapshotJob(m_spec, this);
    connect(m_job, &SchemaSnapshotJob::finished, this, &SchemaBrowserView::onFinished);
    m_job->start();
}

void SchemaBrowserView::onFinished(bool ok)
{
    SchemaSnapshotJob *job = m_job;
    m_job = nullptr;
    job->deleteLater();
    if (m_again || job->spec().iniPath != m_spec.iniPath || job->spec().urlOverride != m_spec.urlOverride) {
        m_again = false;
        refresh();   // the database changed (or was switched) while it was read
        return;
    }
    m_banner->hide();
    if (!ok) {
        m_error = job->error().toString();
        m_model->clearSnapshot();
        m_banner->showMessage(MessageBanner::Error, tr("Cannot read the database: %1").arg(m_error.toHtmlEscaped()));
        m_banner->show();
        m_status->clear();
        emit loaded(false);
        return;
    }
    m_error.clear();
    const SchemaSnapshot &snapshot = job->snapshot();
    m_model->setSnapshot(snapshot);
    m_status->setText(!snapshot.note.isEmpty()
                          ? snapshot.note
                          : tr("%n table(s) in %1", nullptr, m_model->tableCount()).arg(snapshot.displayUrl));
    emit loaded(true);
}

void SchemaBrowserView::setFilterText(const QString &text)
{
    if (m_filter->text() != text)
        m_filter->setText(text);   // comes back here through textChanged
    m_proxy->setFilterFixedString(text);
    if (!text.isEmpty())
        m_tree->expandAll();
}

} // namespace retort
