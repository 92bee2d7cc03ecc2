#pragma once
// The live database a revision script inspects online (`sa.inspect(op.get_bind())`,
// `sa.inspect(op.get_bind().engine)`, `reflection.Inspector.from_engine(bind)` and their
// get_table_names()/has_table()/get_columns()/get_indexes()/get_foreign_keys()/
// get_unique_constraints()/get_pk_constraint()). The interpreter asks it only when the
// run's ScriptContext carries one (an online run, interpreted when the step runs);
// otherwise inspection needs Python, and Alembic's offline mode fails on it anyway.

#include "migrationop.h"
#include "python/pyvalue.h"

#include <QHash>
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
    // engine: an inspector of op.get_bind().engine (SQLAlchemy reads through a new
    // connection from the pool), else of the migration's connection.
    // instance: which inspector object (newInstance()): SQLAlchemy's caches what each
    // one read (all but has_table()), so asking the same one again gives the same answer.
    virtual Status call(bool engine, int instance, const QString &method, const QVector<PyValue> &args,
                        const QVector<QPair<QString, PyValue>> &kwargs,
                        const QVector<MigrationOp> &emitted, PyValue *out, QString *message) = 0;

    // Tables MetaData.reflect() / Table(autoload_with=) read in this interpretation, by
    // "schema.name" (ScriptReflection): the sa.Table values later statements use.
    QHash<QString, PyValue> reflected;

    // A new inspector object, numbered in the order the interpretation makes them.
    int newInstance() { return ++m_instances; }

    // The Name standing for an inspector object in interpreted values.
    static QString name(bool engine, int instance)
    {
        return QStringLiteral("sqlalchemy.inspect(op.get_bind()%1)#%2")
            .arg(engine ? QStringLiteral(".engine") : QString()).arg(instance);
    }
    // "<name(...)>.<method>" -> its parts; false for any other name.
    static bool parseMethod(const QString &dotted, bool *engine, int *instance, QString *method)
    {
        static const QString prefix = QStringLiteral("sqlalchemy.inspect(op.get_bind()");
        if (!dotted.startsWith(prefix))
            return false;
        QString rest = dotted.mid(prefix.size());
        *engine = rest.startsWith(u".engine)#");
        if (!*engine && !rest.startsWith(u")#"))
            return false;
        rest = rest.mid(*engine ? 9 : 2);
        const int dot = rest.indexOf(u'.');
        bool ok = false;
        *instance = rest.left(dot).toInt(&ok);
        *method = rest.mid(dot + 1);
        return ok && dot > 0 && !method->isEmpty() && !method->contains(u'.');
    }
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

private:
    int m_instances = 0;
};

} // namespace retort
