#pragma once
// The autogenerate review as a tree: one top-level row per upgrade op (a changed table
// with its operations as children, added / dropped / renamed tables on their own), each
// with a checkbox (DiffSelection). Destructive ops start unchecked and are red with the reviewer's reason
// (affected row counts) in the Review column and the tool tip; possible renames can be
// taken with treatAsRename() (DiffReviewer::applyRename). No widgets, no SQL.

#include "autogenerate/diffselection.h"
#include "result.h"

#include <QAbstractItemModel>
#include <QSet>

namespace retort {

class AutogenerateReviewModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { ChangeColumn, ReviewColumn, ColumnCount };
    enum Role {
        DestructiveRole = Qt::UserRole + 1,   // bool: this op (or one in the table) is destructive
        PossibleRenameRole,                   // bool: treatAsRename() applies
        RenameCounterpartRole                 // QString: the table / column it may be
    };

    explicit AutogenerateReviewModel(QObject *parent = nullptr);

    // A new comparison: every op checked but the destructive ones.
    void setOps(const AutogenOps &ops);
    void clear() { setOps({}); }
    const AutogenOps &ops() const { return m_ops; }
    // The ops to render: unchecked ones (and tables left empty) dropped.
    AutogenOps checkedOps() const { return m_selection.selected(m_ops); }
    int changeCount() const;      // leaf ops
    int checkedCount() const;     // checked leaf ops

    const AutogenOp *opAt(const QModelIndex &index) const;
    bool canTreatAsRename(const QModelIndex &index) const;
    // Replaces the drop + add pair by a rename; other ops keep their check state.
    VoidResult treatAsRename(const QModelIndex &index);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void checkedChanged();

private:
    DiffSelection::Path pathOf(const QModelIndex &index) const;
    Qt::CheckState checkState(const QModelIndex &index) const;
    bool isDestructive(const QModelIndex &index) const;
    QString label(const AutogenOp &op, bool isContainer) const;
    QString review(const QModelIndex &index) const;
    // describe() of every unchecked leaf, to carry check states across a rename.
    QSet<QString> uncheckedKeys() const;
    void uncheckDestructive();
    void uncheckKeys(const QSet<QString> &keys);

    AutogenOps m_ops;
    DiffSelection m_selection;
};

} // namespace retort
