#include "definitiondiffmodel.h"

#include <QFontDatabase>
#include <QGuiApplication>

namespace retort {

DefinitionDiffModel::DefinitionDiffModel(QObject *parent)
    : QAbstractTableModel(parent), m_palette(QGuiApplication::palette())
{
}

void DefinitionDiffModel::setRows(const LineDiff::Rows &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int DefinitionDiffModel::changedRowCount() const
{
    int n = 0;
    for (const LineDiff::Row &row : m_rows)
        n += row.kind != LineDiff::Same;
    return n;
}

void DefinitionDiffModel::setPalette(const QPalette &palette)
{
    m_palette = palette;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::BackgroundRole});
}

QColor DefinitionDiffModel::blend(const QColor &base, const QColor &tint, qreal amount)
{
    const qreal keep = 1.0 - amount;
    return QColor::fromRgbF(float(base.redF() * keep + tint.redF() * amount),
                            float(base.greenF() * keep + tint.greenF() * amount),
                            float(base.blueF() * keep + tint.blueF() * amount));
}

// A third of the tint: a light Base gets a pale red / green, a dark Base a deep one;
// the palette's Text stays readable on both.
QColor DefinitionDiffModel::removedColor() const
{
    return blend(m_palette.color(QPalette::Base), QColor(0xe0, 0x1b, 0x24), 0.3);
}

QColor DefinitionDiffModel::addedColor() const
{
    return blend(m_palette.color(QPalette::Base), QColor(0x2e, 0xc2, 0x7e), 0.3);
}

bool DefinitionDiffModel::marked(const LineDiff::Row &row, int column) const
{
    switch (row.kind) {
    case LineDiff::Removed:
        return column == DatabaseColumn;
    case LineDiff::Added:
        return column == ModelsColumn;
    case LineDiff::Changed:
        return true;
    case LineDiff::Same:
        break;
    }
    return false;
}

int DefinitionDiffModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DefinitionDiffModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DefinitionDiffModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const LineDiff::Row &row = m_rows.at(index.row());
    const bool left = index.column() == DatabaseColumn;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: {
        const QString text = left ? row.left : row.right;
        return role == Qt::ToolTipRole && text.isEmpty() ? QVariant() : QVariant(text);
    }
    case Qt::BackgroundRole:
        if (!marked(row, index.column()))
            return {};
        return left ? removedColor() : addedColor();
    case Qt::FontRole:
        return QFontDatabase::systemFont(QFontDatabase::FixedFont);
    case KindRole:
        return int(row.kind);
    case MarkedRole:
        return marked(row, index.column());
    default:
        return {};
    }
}

QVariant DefinitionDiffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return section == DatabaseColumn ? tr("Database") : tr("Models");
    // The row's kind without colour: − only in the database, + only in the models,
    // ± changed.
    if (section < 0 || section >= m_rows.size())
        return {};
    switch (m_rows.at(section).kind) {
    case LineDiff::Removed:
        return QStringLiteral("\u2212");
    case LineDiff::Added:
        return QStringLiteral("+");
    case LineDiff::Changed:
        return QStringLiteral("\u00b1");
    case LineDiff::Same:
        break;
    }
    return QString();
}

} // namespace retort
