#pragma once
// Alembic's ApplyBatchImpl: the batch ops applied to a copy of an existing table's
// definition, then written out as "move and copy" statements.

#include "operations/migrationop.h"
#include "result.h"
#include "runtime/dialect.h"
#include "tabledef.h"

#include <QStringList>

namespace retort {

class BatchTableCopy
{
public:
    BatchTableCopy(const TableDef &existing, const Dialect &dialect);

    // One batch_op.<name>(...) call (table name omitted, as in the script).
    VoidResult apply(const MigrationOp &op);
    Result<QStringList> statements() const;
    // batch_alter_table(table_kwargs=...): options of the new table.
    void setTableKwargs(const QVector<QPair<QString, PyValue>> &kwargs) { m_tableKwargs = kwargs; }

private:
    struct Transfer
    {
        QString source;     // column in the existing table
        QString target;     // its name in the new table
        bool cast = false;  // type affinity changed: CAST(... AS <new type>)
    };

    VoidResult addColumn(const MigrationOp &op);
    VoidResult dropColumn(const MigrationOp &op);
    VoidResult alterColumn(const MigrationOp &op);
    VoidResult addConstraint(const MigrationOp &op);
    VoidResult dropConstraint(const MigrationOp &op);
    VoidResult createIndex(const MigrationOp &op);
    VoidResult dropIndex(const MigrationOp &op);
    ColumnDef *column(const QString &name);
    void addOrdering(const QString &column, QString before, QString after);
    Result<QVector<int>> columnOrder() const;
    TableDef newTable(const QVector<int> &order) const;
    QString tempName() const;

    TableDef m_existing;
    Dialect m_dialect;
    QVector<ColumnDef> m_columns;
    QVector<Transfer> m_transfers;
    std::optional<ConstraintDef> m_primaryKey;
    QVector<ConstraintDef> m_named;
    QVector<ConstraintDef> m_unnamed;
    QVector<IndexDef> m_indexes;
    QVector<IndexDef> m_newIndexes;
    QStringList m_retyped;   // columns given a new type_
    QStringList m_addedConstraints;   // named by batch_op.create_*() (not reflected)
    // Alembic's column keys (a renamed column keeps its old key), parallel to m_columns;
    // the existing columns' order, and the (before, after) pairs insert_before/after add.
    QStringList m_keys;
    QStringList m_existingOrdering;
    QVector<QPair<QString, QString>> m_addOrdering;
    QVector<QPair<QString, PyValue>> m_tableKwargs;
};

} // namespace retort
