#include "historyview.h"

#include "historymodel.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace retort {

HistoryView::HistoryView(QWidget *parent)
    : QWidget(parent)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_filter(new QLineEdit(this))
{
    m_filter->setPlaceholderText(tr("Filter revisions (id, message, label, flag, path)"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSortingEnabled(false);   // history order is the meaningful one

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_filter);
    layout->addWidget(m_table);

    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            qOverload<const QString &>(&QSortFilterProxyModel::setFilterFixedString));
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    emit currentRevisionChanged(current.data(HistoryModel::RevisionIdRole).toString());
            });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        emit activated(index.data(HistoryModel::RevisionIdRole).toString());
    });
}

void HistoryView::setModel(HistoryModel *model)
{
    m_model = model;
    m_proxy->setSourceModel(model);
    auto *header = m_table->horizontalHeader();
    header->resizeSection(HistoryModel::RevisionColumn, 120);
    header->resizeSection(HistoryModel::ParentsColumn, 200);
    header->resizeSection(HistoryModel::BranchesColumn, 110);
    header->resizeSection(HistoryModel::MessageColumn, 300);
    header->resizeSection(HistoryModel::FlagsColumn, 170);
}

QString HistoryView::currentRevision() const
{
    return m_table->currentIndex().data(HistoryModel::RevisionIdRole).toString();
}

void HistoryView::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

void HistoryView::setCurrentRevision(const QString &revisionId)
{
    if (!m_model || revisionId == currentRevision())
        return;
    const int row = m_model->rowOf(revisionId);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return;   // filtered out
    m_table->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void HistoryView::focusFilter()
{
    m_filter->setFocus();
    m_filter->selectAll();
}

} // namespace retort
