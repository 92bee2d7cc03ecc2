#include "historyview.h"

#include "historymodel.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace retort {

namespace {
const QString kWidthsKey = QStringLiteral("historyView/columnWidths");
}

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
    // The stretched last column follows the window, not the user: only the others count.
    connect(m_table->horizontalHeader(), &QHeaderView::sectionResized, this, [this](int column) {
        if (m_restoring == 0 && column < m_table->horizontalHeader()->count() - 1)
            storeColumnWidths();
    });
    // A reset (new graph) may re-lay the header out: keep the user's widths through it.
    connect(m_proxy, &QAbstractItemModel::modelAboutToBeReset, this, [this] { ++m_restoring; });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        --m_restoring;
        restoreColumnWidths();
    });
}

void HistoryView::setSettings(QSettings *settings)
{
    m_settings = settings;
    restoreColumnWidths();
}

void HistoryView::restoreColumnWidths()
{
    if (!m_settings || !m_model)
        return;
    const QStringList widths = m_settings->value(kWidthsKey).toStringList();
    auto *header = m_table->horizontalHeader();
    ++m_restoring;
    // The last column stretches: its stored width is whatever was left over.
    for (int i = 0; i < widths.size() && i < header->count() - 1; ++i) {
        const int width = widths.at(i).toInt();
        if (width > 0)
            header->resizeSection(i, width);
    }
    --m_restoring;
}

void HistoryView::storeColumnWidths()
{
    if (!m_settings || !m_model)
        return;
    auto *header = m_table->horizontalHeader();
    QStringList widths;
    for (int i = 0; i < header->count(); ++i)
        widths << QString::number(header->sectionSize(i));
    m_settings->setValue(kWidthsKey, widths);
}

void HistoryView::setModel(HistoryModel *model)
{
    m_model = model;
    ++m_restoring;   // the model's reset and the defaults are not the user's choice
    m_proxy->setSourceModel(model);
    auto *header = m_table->horizontalHeader();
    header->resizeSection(HistoryModel::RevisionColumn, 120);
    header->resizeSection(HistoryModel::ParentsColumn, 200);
    header->resizeSection(HistoryModel::BranchesColumn, 110);
    header->resizeSection(HistoryModel::MessageColumn, 300);
    header->resizeSection(HistoryModel::FlagsColumn, 170);
    --m_restoring;
    restoreColumnWidths();
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
