#include "autogeneratereviewmodel.h"

#include "autogenerate/diffreviewer.h"

#include <QApplication>
#include <QColor>
#include <QGuiApplication>
#include <QPalette>
#include <QIcon>
#include <QStyle>

namespace retort {

namespace {

// Internal ids: 0 for top-level rows, parent row + 1 for a table's ops.
constexpr quintptr kTopLevel = 0;

// English plurals without a translation catalogue ("1 change", "3 changes").
QString counted(int n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(AutogenerateReviewModel::tr(n == 1 ? one : many));
}

// Red pulled towards the palette's text colour: dark red on a light palette, a light red
// on a dark one, readable on either Base.
QColor destructiveColor()
{
    const QColor text = QGuiApplication::palette().color(QPalette::Text);
    const QColor red(0xe0, 0x1b, 0x24);
    return QColor::fromRgbF(float(text.redF() * 0.3 + red.redF() * 0.7), float(text.greenF() * 0.3 + red.greenF() * 0.7),
                            float(text.blueF() * 0.3 + red.blueF() * 0.7));
}

QString qualifiedTable(const AutogenOp &op)
{
    return op.schema.isEmpty() ? op.table : op.schema + QLatin1Char('.') + op.table;
}

} // namespace

AutogenerateReviewModel::AutogenerateReviewModel(QObject *parent) : QAbstractItemModel(parent)
{
}

void AutogenerateReviewModel::setOps(const AutogenOps &ops)
{
    beginResetModel();
    m_ops = ops;
    m_selection.checkAll();
    uncheckDestructive();
    endResetModel();
    emit checkedChanged();
}

void AutogenerateReviewModel::uncheckDestructive()
{
    // Safe by default: a change that loses data is kept only when the user ticks it.
    for (int i = 0; i < m_ops.size(); ++i) {
        const AutogenOp &op = m_ops.at(i);
        if (op.kind != AutogenOp::ModifyTable && op.safety == OpSafety::Destructive)
            m_selection.setChecked({i}, false);
        for (int j = 0; j < op.ops.size(); ++j)
            if (op.ops.at(j).safety == OpSafety::Destructive)
                m_selection.setChecked({i, j}, false);
    }
}

int AutogenerateReviewModel::changeCount() const
{
    int n = 0;
    for (const AutogenOp &op : m_ops)
        n += op.kind == AutogenOp::ModifyTable ? int(op.ops.size()) : 1;
    return n;
}

int AutogenerateReviewModel::checkedCount() const
{
    int n = 0;
    for (const AutogenOp &op : checkedOps())
        n += op.kind == AutogenOp::ModifyTable ? int(op.ops.size()) : 1;
    return n;
}

const AutogenOp *AutogenerateReviewModel::opAt(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    if (index.internalId() == kTopLevel)
        return &m_ops.at(index.row());
    return &m_ops.at(int(index.internalId() - 1)).ops.at(index.row());
}

QModelIndex AutogenerateReviewModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0 || row >= rowCount(parent))
        return {};
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row() + 1) : kTopLevel);
}

QModelIndex AutogenerateReviewModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kTopLevel)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kTopLevel);
}

int AutogenerateReviewModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_ops.size());
    if (parent.column() != 0 || parent.internalId() != kTopLevel)
        return 0;
    const AutogenOp &op = m_ops.at(parent.row());
    return op.kind == AutogenOp::ModifyTable ? int(op.ops.size()) : 0;
}

int AutogenerateReviewModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

DiffSelection::Path AutogenerateReviewModel::pathOf(const QModelIndex &index) const
{
    if (index.internalId() == kTopLevel)
        return {index.row()};
    return {int(index.internalId() - 1), index.row()};
}

Qt::CheckState AutogenerateReviewModel::checkState(const QModelIndex &index) const
{
    const DiffSelection::Path path = pathOf(index);
    const AutogenOp *op = opAt(index);
    if (path.size() == 1 && op->kind == AutogenOp::ModifyTable && m_selection.isChecked(path)) {
        int checked = 0;
        for (int j = 0; j < op->ops.size(); ++j)
            checked += m_selection.isChecked({path.first(), j});
        if (checked == 0)
            return Qt::Unchecked;
        return checked == op->ops.size() ? Qt::Checked : Qt::PartiallyChecked;
    }
    return m_selection.isChecked(path) ? Qt::Checked : Qt::Unchecked;
}

bool AutogenerateReviewModel::isDestructive(const QModelIndex &index) const
{
    const AutogenOp *op = opAt(index);
    if (op->safety == OpSafety::Destructive)
        return true;
    if (index.internalId() != kTopLevel)
        return false;
    for (const AutogenOp &sub : op->ops)
        if (sub.safety == OpSafety::Destructive)
            return true;
    return false;
}

QString AutogenerateReviewModel::label(const AutogenOp &op, bool isContainer) const
{
    if (isContainer)
        return QStringLiteral("%1 (%2)").arg(qualifiedTable(op), counted(int(op.ops.size()), "change", "changes"));
    return op.describe();
}

QString AutogenerateReviewModel::review(const QModelIndex &index) const
{
    const AutogenOp *op = opAt(index);
    if (op->kind != AutogenOp::ModifyTable)
        return op->reason;
    int destructive = 0;
    for (const AutogenOp &sub : op->ops)
        destructive += sub.safety == OpSafety::Destructive;
    return destructive ? counted(destructive, "destructive change", "destructive changes") : QString();
}

QVariant AutogenerateReviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const AutogenOp *op = opAt(index);
    const bool container = index.internalId() == kTopLevel && op->kind == AutogenOp::ModifyTable;
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == ChangeColumn ? label(*op, container) : review(index);
    case Qt::ToolTipRole: {
        QString tip = review(index);
        if (op->possibleRename)
            tip += (tip.isEmpty() ? QString() : QStringLiteral("\n"))
                   + tr("Possibly a rename of %1: use \u201cTreat as Rename\u201d").arg(op->renameCounterpart);
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    case Qt::CheckStateRole:
        return index.column() == ChangeColumn ? QVariant(checkState(index)) : QVariant();
    case Qt::ForegroundRole:
        return isDestructive(index) ? QVariant(destructiveColor()) : QVariant();
    case Qt::DecorationRole:
        if (index.column() == ChangeColumn && op->possibleRename)
            return QApplication::style()->standardIcon(QStyle::SP_BrowserReload);
        if (index.column() == ChangeColumn && op->safety == OpSafety::Destructive)
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    case DestructiveRole:
        return isDestructive(index);
    case PossibleRenameRole:
        return op->possibleRename;
    case RenameCounterpartRole:
        return op->renameCounterpart;
    default:
        return {};
    }
}

bool AutogenerateReviewModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::CheckStateRole || index.column() != ChangeColumn)
        return false;
    const bool checked = value.value<Qt::CheckState>() != Qt::Unchecked;
    const DiffSelection::Path path = pathOf(index);
    if (checked && path.size() == 1)
        m_selection.setChecked(path, true);   // a table checked again: all its ops
    else
        m_selection.setChecked(path, checked);
    // The table's box and its ops' boxes follow each other.
    const QModelIndex top = path.size() == 1 ? index : index.parent();
    emit dataChanged(top, top.siblingAtColumn(ReviewColumn), {Qt::CheckStateRole});
    if (const int n = rowCount(top))
        emit dataChanged(this->index(0, 0, top), this->index(n - 1, ReviewColumn, top), {Qt::CheckStateRole});
    emit checkedChanged();
    return true;
}

Qt::ItemFlags AutogenerateReviewModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == ChangeColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant AutogenerateReviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == ChangeColumn ? tr("Change") : tr("Review");
}

bool AutogenerateReviewModel::canTreatAsRename(const QModelIndex &index) const
{
    const AutogenOp *op = opAt(index);
    return op && op->possibleRename && !op->renameCounterpart.isEmpty();
}

VoidResult AutogenerateReviewModel::treatAsRename(const QModelIndex &index)
{
    if (!canTreatAsRename(index))
        return Error(tr("This change is not flagged as a possible rename"));
    const AutogenOp &op = *opAt(index);
    DiffReviewer::RenameChoice choice;
    choice.schema = op.schema;
    switch (op.kind) {
    case AutogenOp::DropTable:
    case AutogenOp::CreateTable:
        choice.isTable = true;
        choice.from = op.kind == AutogenOp::DropTable ? op.table : op.renameCounterpart;
        choice.to = op.kind == AutogenOp::DropTable ? op.renameCounterpart : op.table;
        break;
    case AutogenOp::DropColumn:
    case AutogenOp::AddColumn:
        choice.table = op.table;
        choice.from = op.kind == AutogenOp::DropColumn ? op.column.column.name : op.renameCounterpart;
        choice.to = op.kind == AutogenOp::DropColumn ? op.renameCounterpart : op.column.column.name;
        break;
    default:
        return Error(tr("Only added / dropped tables and columns can be renames"));
    }
    AutogenOps ops = m_ops;
    if (VoidResult applied = DiffReviewer::applyRename(ops, choice); !applied)
        return applied;
    const QSet<QString> unchecked = uncheckedKeys();
    beginResetModel();
    m_ops = ops;
    m_selection.checkAll();
    uncheckKeys(unchecked);
    endResetModel();
    emit checkedChanged();
    return {};
}

QSet<QString> AutogenerateReviewModel::uncheckedKeys() const
{
    QSet<QString> keys;
    for (int i = 0; i < m_ops.size(); ++i) {
        const AutogenOp &op = m_ops.at(i);
        if (op.kind != AutogenOp::ModifyTable && !m_selection.isChecked({i}))
            keys.insert(op.describe());
        for (int j = 0; j < op.ops.size(); ++j)
            if (!m_selection.isChecked({i, j}))
                keys.insert(op.ops.at(j).describe());
    }
    return keys;
}

void AutogenerateReviewModel::uncheckKeys(const QSet<QString> &keys)
{
    for (int i = 0; i < m_ops.size(); ++i) {
        const AutogenOp &op = m_ops.at(i);
        if (op.kind != AutogenOp::ModifyTable && keys.contains(op.describe()))
            m_selection.setChecked({i}, false);
        for (int j = 0; j < op.ops.size(); ++j)
            if (keys.contains(op.ops.at(j).describe()))
                m_selection.setChecked({i, j}, false);
    }
}

} // namespace retort
