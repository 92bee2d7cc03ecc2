#pragma once
// Builds the TableDef/ColumnDef/ConstraintDef/IndexDef an op's arguments describe, with
// SQLAlchemy's side effects: primary-key columns become NOT NULL, unique=True/index=True
// and column ForeignKeys become table constraints/indexes, and constraints are ordered
// as Table._sorted_constraints orders them (explicit objects first, then those derived
// from columns as each column is attached).

#include "result.h"
#include "tabledef.h"

namespace retort {

class SchemaBuilder
{
public:
    // op.create_table(name, *items, schema=, comment=, **dialect_kw).
    static Result<TableDef> table(const QString &name, const QVector<PyValue> &items,
                                  const QVector<QPair<QString, PyValue>> &kwargs);

    // sa.Column(...); `fks` receives the column's ForeignKey constraints.
    static Result<ColumnDef> column(const PyValue &value, QVector<ConstraintDef> *fks);

    // sa.PrimaryKeyConstraint / ForeignKeyConstraint / UniqueConstraint / CheckConstraint.
    static Result<ConstraintDef> constraint(const PyValue &value);
    // sa.Index(name, *expressions, unique=, **kw).
    static Result<IndexDef> index(const PyValue &value);
    // "table.col" / "schema.table.col" -> {schema, table, col}.
    static QStringList splitColumnSpec(const QString &spec);
    static bool isConstraint(const PyValue &value);

    // Index expressions: column names or sa.text(...).
    static VoidResult addIndexExpression(IndexDef &index, const PyValue &expr);
    // ForeignKeyConstraint's ondelete/onupdate/deferrable/initially/match keywords.
    static VoidResult applyForeignKeyOptions(ConstraintDef &fk,
                                             const QVector<QPair<QString, PyValue>> &kwargs);
};

} // namespace retort
