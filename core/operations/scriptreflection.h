#pragma once
// SQLAlchemy reflection in a script run online (a live ScriptInspector in the context):
// `meta.reflect(bind, only=(...))`, `sa.Table(name, meta)` after it,
// `sa.Table(name, meta, autoload_with=bind)` / `autoload=True`, `meta.tables[name]`.
// A reflected table becomes the value `sa.Table(name, sa.MetaData(), sa.Column(c, type,
// primary_key=True)..., schema=s)`, which op.execute()'s DML renderer already compiles
// (table.update()/insert()/delete(), table.c.x ...). The columns come from the
// inspector (its "reflect_table" answer: SQLAlchemy's get_columns + get_pk_constraint),
// so the step is interpreted as the run reaches it, like any live inspection.
// Reflected tables are kept per interpretation in the inspector (one set for every
// MetaData of the function: scripts reflect into one).

#include "scriptinspector.h"

namespace retort {

namespace ScriptReflection {

enum Outcome { NotHandled, Done, Needs, Stop };

// A call: meta.reflect(...), sa.Table(name, meta[, autoload_with=bind]).
Outcome call(ScriptInspector &inspector, const PyValue &callee, const QVector<PyValue> &args,
             const QVector<QPair<QString, PyValue>> &kwargs, const QVector<MigrationOp> &emitted,
             PyValue *out, QString *message);
// meta.tables[name]
Outcome subscript(ScriptInspector &inspector, const PyValue &target, const PyValue &index, PyValue *out,
                  QString *message);
// The value of a reflected table from the inspector's reflect_table answer
// ({"columns": get_columns(), "pk": get_pk_constraint()}).
PyValue tableValue(const QString &name, const QString &schema, const PyValue &answer);

} // namespace ScriptReflection

} // namespace retort
