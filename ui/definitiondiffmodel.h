#pragma once
// The autogenerate review's side-by-side diff as a table: one row per aligned line
// (LineDiff::Rows from DefinitionDiff), the database's definition on the left, the
// models' on the right. A line only on the left (or replaced) has the "removed"
// background, a line only on the right the "added" one; both are the palette's Base
// blended with red / green, so they stay readable in a dark palette; the vertical header
// marks the same rows without colour (−, +, ±). No widgets.

#include "autogenerate/linediff.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QPalette>

namespace retort {

class DefinitionDiffModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { DatabaseColumn, ModelsColumn, ColumnCount };
    enum Role {
        KindRole = Qt::UserRole + 1,   // int LineDiff::Kind of the row
        MarkedRole                     // bool: this side's line is removed / added / changed
    };

    explicit DefinitionDiffModel(QObject *parent = nullptr);

    void setRows(const LineDiff::Rows &rows);
    void clear() { setRows({}); }
    const LineDiff::Rows &rows() const { return m_rows; }
    int changedRowCount() const;
    // The colours, from the palette the view uses.
    void setPalette(const QPalette &palette);
    QColor removedColor() const;
    QColor addedColor() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // `base` blended with `tint` (amount 0..1 of the tint).
    static QColor blend(const QColor &base, const QColor &tint, qreal amount);

private:
    bool marked(const LineDiff::Row &row, int column) const;

    LineDiff::Rows m_rows;
    QPalette m_palette;
};

} // namespace retort
