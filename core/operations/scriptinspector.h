#pragma once
// The live database a revision script inspects online (`sa.inspect(op.get_bind())`,
// `sa.inspect(op.get_bind().engine)`, `reflection.Inspector.from_engine(bind)` and their
// get_table_names()/has_table()/get_columns()/get_indexes()/get_foreign_keys()/
// get_unique_constraints()/get_pk_constraint()). The interpreter asks it only when the
// run's ScriptContext carries one (an online run, interpreted when the step runs);
// otherwise inspection needs Python, and Alembic's offline mode fails on it anyway.

#include "migrationop.h"
#include "python/pyvalue.h"

#include <QString>
#include <QVector>

namespace retort {

class ScriptInspector
{
public:
    enum Status {
        Answered,   // *out holds what SQLAlchemy 1.4's Inspector returns
        Needs,      // *message: why only Python can answer (an unknown method ...)
        Stop        // the statements emitted so far must run first: interpretation stops
    };

    virtual ~ScriptInspector() = default;

    // emitted: the function's top-level ops before this call, in order; an inspector
    // answering from the live database must see them applied (Alembic ran them already).
    virtual Status call(const QString &method, const QVector<PyValue> &args,
                        const QVector<QPair<QString, PyValue>> &kwargs,
                        const QVector<MigrationOp> &emitted, PyValue *out, QString *message) = 0;

    // The Name standing for an inspector in interpreted values.
    static QString marker() { return QStringLiteral("sqlalchemy.inspect(op.get_bind())"); }
    // Whether a canonical callee creates an inspector from its one argument.
    // (ScriptScope::canonicalPath names: "sa.inspect", "sa.reflection.Inspector.from_engine" ...)
    static bool isFactory(const QString &callee)
    {
        if (!callee.startsWith(u"sa.") && !callee.startsWith(u"sqlalchemy."))
            return false;
        return callee == u"sa.inspect" || callee == u"sqlalchemy.inspect"
               || callee.endsWith(u".inspection.inspect") || callee.endsWith(u"Inspector.from_engine");
    }
    // Whether an argument of a factory is the migration's connection or its engine.
    static bool isBindArgument(const PyValue &v)
    {
        return v.kind() == PyValue::Name
               && (v.toStr() == u"op.get_bind()" || v.toStr() == u"op.get_bind().engine");
    }
};

} // namespace retort
