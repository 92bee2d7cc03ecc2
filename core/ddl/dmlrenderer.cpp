#include "dmlrenderer.h"

#include "dmlcompiler.h"
#include "sqlexpression.h"
#include "typerenderer.h"

#include <QHash>
#include <QRegularExpression>
#include <QStringList>

namespace retort {

namespace {

using namespace dml;

// .values(...) arguments -> rows of (column name, value); a list of dicts is many rows.
Result<QVector<QVector<QPair<QString, PyValue>>>> valueRows(const PyValue &call)
{
    QVector<QVector<QPair<QString, PyValue>>> rows;
    auto fromDict = [](const PyValue &dict) -> Result<QVector<QPair<QString, PyValue>>> {
        QVector<QPair<QString, PyValue>> row;
        for (const auto &kv : dict.dictItems()) {
            QString key;
            if (kv.first.isStr()) {
                key = kv.first.toStr();
            } else {
                PyValue receiver;
                QString attr;
                if (!attribute(kv.first, &receiver, &attr))
                    return Error(QStringLiteral("unsupported key %1 in values()").arg(kv.first.repr()));
                key = attr;
            }
            row.append({key, kv.second});
        }
        return row;
    };
    const QVector<PyValue> args = call.args();
    if (args.size() > 1)
        return Error(QStringLiteral("values() with more than one positional argument is not supported"));
    if (!args.isEmpty()) {
        if (!call.kwargs().isEmpty())
            return Error(QStringLiteral("Can't pass positional and kwargs to values() simultaneously"));
        const PyValue &a = args.first();
        if (a.kind() == PyValue::Dict) {
            auto r = fromDict(a);
            if (!r)
                return r.error();
            rows.append(*r);
        } else if (a.isSequence() && !a.items().isEmpty()) {
            for (const PyValue &item : a.items()) {
                if (item.kind() != PyValue::Dict)
                    return Error(QStringLiteral("values() takes dictionaries here"));
                auto r = fromDict(item);
                if (!r)
                    return r.error();
                rows.append(*r);
            }
        } else {
            return Error(QStringLiteral("values() takes dictionaries here"));
        }
    } else {
        rows.append(call.kwargs());
    }
    return rows;
}

QString compileText(const QString &text, const QHash<QString, QString> &binds)
{
    static const QRegularExpression bind(QStringLiteral("(?<![:\\w\\\\]):(\\w+)(?!:)"));
    QString out;
    int last = 0;
    auto it = bind.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out += text.mid(last, m.capturedStart() - last);
        out += binds.value(m.captured(1), QStringLiteral("NULL"));
        last = m.capturedEnd();
    }
    out += text.mid(last);
    out.replace(QStringLiteral("\\:"), QStringLiteral(":"));
    return out;
}

// sa.text("...").bindparams(a=1, ...) / .bindparams(sa.bindparam('a', 1, type_=...)).
Result<QString> textWithBinds(const PyValue &text, const QVector<PyValue> &bindCalls, const Dialect &d)
{
    const QString sql = text.args().first().toStr();
    static const QRegularExpression bind(QStringLiteral("(?<![:\\w\\\\]):(\\w+)(?!:)"));
    QStringList names;
    auto it = bind.globalMatch(sql);
    while (it.hasNext())
        names << it.next().captured(1);
    QHash<QString, QString> binds;
    Table none;
    DmlCompiler c(none, d);
    auto add = [&](const QString &name, const PyValue &value, const PyValue *type) -> VoidResult {
        if (!names.contains(name))
            return Error(QStringLiteral("This text() construct doesn't define a bound parameter named '%1'").arg(name));
        if (!isLiteral(value))
            return Error(QStringLiteral("unsupported value for bound parameter %1: %2").arg(name, value.repr()));
        auto s = c.literal(value, type);
        if (!s)
            return s.error();
        binds.insert(name, *s);
        return {};
    };
    for (const PyValue &call : bindCalls) {
        for (const PyValue &b : call.args()) {
            const QVector<PyValue> ba = b.args();
            if (b.calleeName() != QLatin1String("sa.bindparam") || ba.isEmpty() || !ba.first().isStr())
                return Error(QStringLiteral("bindparams() takes sa.bindparam(...) or keywords"));
            const PyValue *value = ba.size() > 1 ? &ba.at(1) : b.kwarg(QStringLiteral("value"));
            const PyValue *type = ba.size() > 2 ? &ba.at(2) : b.kwarg(QStringLiteral("type_"));
            for (const auto &kw : b.kwargs())
                if (kw.first != QLatin1String("value") && kw.first != QLatin1String("type_"))
                    return Error(QStringLiteral("unsupported argument %1= to sa.bindparam()").arg(kw.first));
            auto r = add(ba.first().toStr(), value ? *value : PyValue(), type);
            if (!r)
                return r.error();
        }
        for (const auto &kw : call.kwargs()) {
            auto r = add(kw.first, kw.second, nullptr);
            if (!r)
                return r.error();
        }
    }
    return compileText(sql, binds);
}

Result<QString> literalOrNullType(DmlCompiler &c, const PyValue &v, const PyValue &type)
{
    // A value bound to an untyped column has SQLAlchemy's NullType: no literal renderer.
    if (type.isNone() && !v.isNone() && v.calleeName() != QLatin1String("op.inline_literal"))
        return Error(QStringLiteral("No literal value renderer is available for literal value \"%1\" with datatype NULL")
                         .arg(v.repr()));
    return c.literal(v, &type);
}

Result<QString> insertSql(const Table &t, const QVector<QVector<QPair<QString, PyValue>>> &rows, DmlCompiler &c,
                          const Dialect &d)
{
    if (rows.isEmpty() || rows.first().isEmpty())
        return Error(QStringLiteral("an INSERT without values is not supported"));
    QStringList names;
    QVector<QStringList> values(rows.size());
    for (const auto &row : rows)
        for (const auto &kv : row)
            if (!t.columnType(kv.first))
                return Error(QStringLiteral("Unconsumed column names: %1").arg(kv.first));
    for (const auto &col : t.columns) {
        const bool inFirst = std::any_of(rows.first().begin(), rows.first().end(),
                                         [&](const auto &kv) { return kv.first == col.first; });
        if (!inFirst)
            continue;
        names << d.quoteIdentifier(col.first);
        for (int i = 0; i < rows.size(); ++i) {
            const PyValue *v = nullptr;
            for (const auto &kv : rows.at(i))
                if (kv.first == col.first)
                    v = &kv.second;
            if (!v)
                return Error(QStringLiteral("INSERT value for column %1 is explicitly rendered as a bound parameter "
                                            "in the VALUES clause; a Python-side value or SQL expression is required")
                                 .arg(col.first));
            auto s = isLiteral(*v) ? literalOrNullType(c, *v, col.second) : sqlOf(c.value(*v), PrecAtom - 1);
            if (!s)
                return s.error();
            values[i] << *s;
        }
    }
    QStringList tuples;
    for (const QStringList &v : values)
        tuples << QLatin1Char('(') + v.join(QStringLiteral(", ")) + QLatin1Char(')');
    return QStringLiteral("INSERT INTO %1 (%2) VALUES %3")
        .arg(d.qualifiedName(t.schema, t.name), names.join(QStringLiteral(", ")), tuples.join(QStringLiteral(", ")));
}

} // namespace

std::optional<Result<QString>> DmlRenderer::render(const PyValue &statement, const Dialect &d)
{
    // Unwind the method chain: stmt.where(...).values(...) ...
    QVector<QPair<QString, PyValue>> chain;
    PyValue cur = statement;
    PyValue receiver;
    QString method;
    while (methodCall(cur, &receiver, &method)) {
        chain.prepend({method, cur});
        cur = receiver;
    }
    if (SqlExpression::isText(cur) && cur.calleeName() == QLatin1String("sa.text")) {
        if (chain.isEmpty() || cur.args().size() != 1 || !cur.args().first().isStr() || !cur.kwargs().isEmpty())
            return std::nullopt;
        QVector<PyValue> binds;
        for (const auto &m : chain) {
            if (m.first != QLatin1String("bindparams"))
                return std::nullopt;
            binds << m.second;
        }
        return textWithBinds(cur, binds, d);
    }
    enum Kind { None, Insert, Update, Delete } kind = None;
    std::optional<Table> table;
    PyValue constructor;   // the call that made the statement, for its own arguments
    const QString callee = cur.calleeName();
    if (callee == QLatin1String("sa.insert") || callee == QLatin1String("sa.update")
        || callee == QLatin1String("sa.delete")) {
        if (cur.args().isEmpty())
            return std::nullopt;
        table = tableOf(cur.args().first());
        kind = callee == QLatin1String("sa.insert") ? Insert : callee == QLatin1String("sa.update") ? Update : Delete;
        constructor = PyValue::call(PyValue::name(callee), cur.args().mid(1), cur.kwargs());
    } else if (!chain.isEmpty()) {
        table = tableOf(cur);
        const QString first = chain.first().first;
        kind = first == QLatin1String("insert") ? Insert : first == QLatin1String("update") ? Update
             : first == QLatin1String("delete") ? Delete : None;
        constructor = chain.first().second;
        chain.removeFirst();
    }
    if (!table || kind == None)
        return std::nullopt;

    DmlCompiler c(*table, d);
    QVector<PyValue> where;
    QVector<QVector<QPair<QString, PyValue>>> rows;
    // Constructor arguments: insert(values=), update(whereclause, values=), delete(whereclause).
    const QVector<PyValue> cargs = constructor.args();
    if (kind != Insert && !cargs.isEmpty() && !cargs.first().isNone())
        where << cargs.first();
    if (cargs.size() > (kind == Insert ? 0 : 1))
        return Result<QString>(Error(QStringLiteral("positional arguments to the statement constructor are not supported")));
    for (const auto &kw : constructor.kwargs()) {
        if (kw.first == QLatin1String("whereclause") && kind != Insert) {
            where << kw.second;
        } else if (kw.first == QLatin1String("values") && kind != Delete && kw.second.kind() == PyValue::Dict) {
            auto r = valueRows(PyValue::call(PyValue::name(QStringLiteral("values")), {kw.second}, {}));
            if (!r)
                return Result<QString>(r.error());
            rows << *r;
        } else if (kw.first != QLatin1String("inline") || kind != Insert) {
            return Result<QString>(Error(QStringLiteral("unsupported argument %1=").arg(kw.first)));
        }
    }
    for (const auto &m : chain) {
        if (m.first == QLatin1String("where") && kind != Insert) {
            where << m.second.args();
            if (!m.second.kwargs().isEmpty())
                return Result<QString>(Error(QStringLiteral("unsupported keywords to where()")));
        } else if (m.first == QLatin1String("values") && kind != Delete) {
            auto r = valueRows(m.second);
            if (!r)
                return Result<QString>(r.error());
            if (!rows.isEmpty())
                return Result<QString>(Error(QStringLiteral("values() called twice is not supported")));
            rows << *r;
        } else if (m.first == QLatin1String("inline") && kind == Insert && m.second.args().isEmpty()) {
            continue;
        } else {
            return Result<QString>(Error(QStringLiteral("unsupported statement method .%1()").arg(m.first)));
        }
    }

    const QString name = d.qualifiedName(table->schema, table->name);
    if (kind == Insert) {
        // SQLAlchemy adds RETURNING <primary key> on PostgreSQL when the key has no value.
        if (table->hasPrimaryKey && d.kind() == Dialect::PostgreSQL)
            return Result<QString>(Error(QStringLiteral("an INSERT into an sa.Table with a primary key is not supported on postgresql")));
        return insertSql(*table, rows, c, d);
    }
    QString sql;
    if (kind == Update) {
        if (rows.size() != 1 || rows.first().isEmpty())
            return Result<QString>(Error(QStringLiteral("an UPDATE needs one set of values() here")));
        for (const auto &kv : rows.first())
            if (!table->columnType(kv.first))
                return Result<QString>(Error(QStringLiteral("Unconsumed column names: %1").arg(kv.first)));
        QStringList sets;
        for (const auto &col : table->columns) {
            for (const auto &kv : rows.first()) {
                if (kv.first != col.first)
                    continue;
                auto s = isLiteral(kv.second) ? literalOrNullType(c, kv.second, col.second)
                                              : sqlOf(c.value(kv.second), PrecAtom - 1);
                if (!s)
                    return Result<QString>(s.error());
                sets << d.quoteIdentifier(col.first) + QLatin1Char('=') + *s;
            }
        }
        sql = QStringLiteral("UPDATE %1 SET %2").arg(name, sets.join(QStringLiteral(", ")));
    } else {
        sql = QStringLiteral("DELETE FROM ") + name;
    }
    if (!where.isEmpty()) {
        auto w = c.conditions(where);
        if (!w)
            return Result<QString>(w.error());
        sql += QStringLiteral(" WHERE ") + *w;
    }
    return Result<QString>(sql);
}

} // namespace retort
