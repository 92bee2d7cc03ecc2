#include "dmlrenderer.h"

#include "dataoprenderer.h"
#include "sqlexpression.h"
#include "typerenderer.h"

#include <QHash>
#include <QRegularExpression>
#include <QStringList>

namespace retort {

namespace {

// The interpreter's shapes: `x.attr` is getattr(x, 'attr'); `x.m(...)` a call of it.
bool attribute(const PyValue &v, PyValue *receiver, QString *attr)
{
    if (v.kind() != PyValue::Call || v.calleeName() != QLatin1String("getattr") || v.items().size() != 3
        || !v.items().at(2).isStr() || !v.kwargs().isEmpty())
        return false;
    *receiver = v.items().at(1);
    *attr = v.items().at(2).toStr();
    return true;
}

bool methodCall(const PyValue &v, PyValue *receiver, QString *method)
{
    return v.kind() == PyValue::Call && attribute(v.callee(), receiver, method);
}

struct Table
{
    QString schema;
    QString name;
    QVector<QPair<QString, PyValue>> columns;   // name, type (None when untyped)

    const PyValue *columnType(const QString &column) const
    {
        for (const auto &c : columns)
            if (c.first == column)
                return &c.second;
        return nullptr;
    }
};

// sa.table('t', sa.column('a', sa.Integer), ..., schema='s').
std::optional<Table> tableOf(const PyValue &v)
{
    if (v.calleeName() != QLatin1String("sa.table"))
        return std::nullopt;
    const QVector<PyValue> args = v.args();
    if (args.isEmpty() || !args.first().isStr())
        return std::nullopt;
    Table t;
    t.name = args.first().toStr();
    for (const auto &kw : v.kwargs()) {
        if (kw.first != QLatin1String("schema") || !(kw.second.isStr() || kw.second.isNone()))
            return std::nullopt;
        t.schema = kw.second.isStr() ? kw.second.toStr() : QString();
    }
    for (int i = 1; i < args.size(); ++i) {
        const PyValue &c = args.at(i);
        const QVector<PyValue> ca = c.args();
        if (c.calleeName() != QLatin1String("sa.column") || ca.isEmpty() || !ca.first().isStr())
            return std::nullopt;
        PyValue type = ca.size() > 1 ? ca.at(1) : PyValue();
        if (const PyValue *kt = c.kwarg(QStringLiteral("type_")))
            type = *kt;
        t.columns.append({ca.first().toStr(), type});
    }
    return t;
}

bool isLiteral(const PyValue &v)
{
    switch (v.kind()) {
    case PyValue::None:
    case PyValue::Bool:
    case PyValue::Int:
    case PyValue::Float:
    case PyValue::Str:
        return true;
    case PyValue::Call: {
        const QString c = v.calleeName();
        return c == QLatin1String("op.inline_literal") || c.startsWith(QLatin1String("datetime."))
            || c == QLatin1String("decimal.Decimal");
    }
    default:
        return false;
    }
}

// SQLAlchemy's operator precedence (sql/operators.py), for grouping.
enum Prec { PrecOr = 2, PrecAnd = 3, PrecCompare = 5, PrecAdd = 7, PrecMul = 8, PrecAtom = 100 };

struct Expr
{
    QString sql;
    PyValue type;     // None when untyped (NullType)
    int prec = PrecAtom;
    QString op;       // binary operator text, for associativity
};

class Compiler
{
public:
    Compiler(const Table &table, const Dialect &d) : m_table(table), m_d(d) {}

    Result<Expr> value(const PyValue &v);
    Result<QString> literal(const PyValue &v, const PyValue *type);
    Result<Expr> condition(const PyValue &v, bool negate = false);
    Result<QString> conditions(const QVector<PyValue> &list);
    Result<QString> grouped(const PyValue &v, int parentPrec, const QString &parentOp, bool negate = false);

private:
    Result<Expr> column(const PyValue &v, bool *isColumn);
    Result<Expr> comparison(const QString &op, PyValue lhs, PyValue rhs, bool negate);
    Result<Expr> arithmetic(const QString &op, const PyValue &lhs, const PyValue &rhs);
    Result<Expr> method(const PyValue &receiver, const QString &name, const PyValue &call, bool negate);
    Result<Expr> booleanClause(const QString &op, const QVector<PyValue> &items, bool negate);

    const Table &m_table;
    const Dialect &m_d;
};

QString wrap(const Expr &e, int parentPrec, const QString &parentOp);

Result<QString> sqlOf(const Result<Expr> &e, int parentPrec)
{
    if (!e)
        return e.error();
    return wrap(*e, parentPrec, QString());
}

Result<Expr> atom(const Result<QString> &s)
{
    if (!s)
        return s.error();
    return Expr{*s, PyValue(), PrecAtom, QString()};
}

QString wrap(const Expr &e, int parentPrec, const QString &parentOp)
{
    const bool associative = e.op == parentOp && (e.op == QLatin1String("+") || e.op == QLatin1String("*")
                                                  || e.op == QLatin1String("AND") || e.op == QLatin1String("OR"));
    if (e.prec <= parentPrec && !associative)
        return QLatin1Char('(') + e.sql + QLatin1Char(')');
    return e.sql;
}

Result<Expr> Compiler::column(const PyValue &v, bool *isColumn)
{
    *isColumn = true;
    PyValue receiver;
    QString attr;
    QString name;
    PyValue owner;
    if (attribute(v, &receiver, &attr)) {
        PyValue tableValue;
        QString c;
        if (!attribute(receiver, &tableValue, &c) || (c != QLatin1String("c") && c != QLatin1String("columns"))) {
            *isColumn = false;
            return Expr();
        }
        owner = tableValue;
        name = attr;
    } else if (v.kind() == PyValue::Subscript && v.index().isStr()) {
        PyValue tableValue;
        QString c;
        if (!attribute(v.target(), &tableValue, &c) || (c != QLatin1String("c") && c != QLatin1String("columns"))) {
            *isColumn = false;
            return Expr();
        }
        owner = tableValue;
        name = v.index().toStr();
    } else if (v.calleeName() == QLatin1String("sa.column")) {
        const QVector<PyValue> a = v.args();
        if (a.isEmpty() || !a.first().isStr())
            return Error(QStringLiteral("unsupported column %1").arg(v.repr()));
        Expr e;
        e.sql = m_d.quoteIdentifier(a.first().toStr());
        e.type = a.size() > 1 ? a.at(1) : PyValue();
        if (const PyValue *t = v.kwarg(QStringLiteral("type_")))
            e.type = *t;
        return e;
    } else {
        *isColumn = false;
        return Expr();
    }
    const auto t = tableOf(owner);
    if (!t)
        return Error(QStringLiteral("unsupported table expression %1").arg(owner.repr()));
    if (t->name != m_table.name || t->schema != m_table.schema)
        return Error(QStringLiteral("a statement naming a second table (%1) is not supported").arg(t->name));
    const PyValue *type = t->columnType(name);
    if (!type)
        return Error(QStringLiteral("table %1 has no column %2").arg(t->name, name));
    Expr e;
    e.sql = m_d.qualifiedName(t->schema, t->name) + QLatin1Char('.') + m_d.quoteIdentifier(name);
    e.type = *type;
    return e;
}

Result<QString> Compiler::literal(const PyValue &v, const PyValue *type)
{
    if (v.isNone())
        return QStringLiteral("NULL");
    if (v.calleeName() == QLatin1String("op.inline_literal")) {
        const QVector<PyValue> a = v.args();
        if (a.isEmpty())
            return Error(QStringLiteral("op.inline_literal() needs a value"));
        const PyValue *own = a.size() > 1 ? &a.at(1) : v.kwarg(QStringLiteral("type_"));
        return SqlExpression::literal(a.first(), m_d, own);
    }
    return SqlExpression::literal(v, m_d, type && !type->isNone() ? type : nullptr);
}

Result<Expr> Compiler::value(const PyValue &v)
{
    bool isColumn = false;
    auto col = column(v, &isColumn);
    if (isColumn)
        return col;
    const QString callee = v.calleeName();
    const QString op = v.kind() == PyValue::Call && callee.startsWith(QLatin1String("operator."))
        ? callee.mid(9) : QString();
    static const QHash<QString, QString> arith = {{QStringLiteral("add"), QStringLiteral("+")},
                                                  {QStringLiteral("sub"), QStringLiteral("-")},
                                                  {QStringLiteral("mul"), QStringLiteral("*")},
                                                  {QStringLiteral("truediv"), QStringLiteral("/")}};
    if (arith.contains(op) && v.args().size() == 2)
        return arithmetic(arith.value(op), v.args().at(0), v.args().at(1));
    if (callee == QLatin1String("sa.null"))
        return Expr{QStringLiteral("NULL"), PyValue(), PrecAtom, QString()};
    if (callee.startsWith(QLatin1String("sa.func.")) && !v.args().isEmpty()) {
        if (!v.kwargs().isEmpty())
            return Error(QStringLiteral("unsupported function call %1").arg(v.repr()));
        QStringList args;
        for (const PyValue &a : v.args()) {
            auto r = isLiteral(a) ? literal(a, nullptr) : sqlOf(value(a), 0);
            if (!r)
                return r.error();
            args << *r;
        }
        return Expr{callee.mid(8) + QLatin1Char('(') + args.join(QStringLiteral(", ")) + QLatin1Char(')'),
                    PyValue(), PrecAtom, QString()};
    }
    if (SqlExpression::isText(v) || callee == QLatin1String("sa.true") || callee == QLatin1String("sa.false")
        || callee.startsWith(QLatin1String("sa.func."))) {
        auto s = SqlExpression::sqlText(v, m_d);
        if (!s)
            return s.error();
        return Expr{*s, PyValue(), PrecAtom, QString()};
    }
    if (isLiteral(v)) {
        auto s = literal(v, nullptr);
        if (!s)
            return s.error();
        return Expr{*s, PyValue(), PrecAtom, QString()};
    }
    return Error(QStringLiteral("unsupported SQL expression %1").arg(v.repr()));
}

Result<Expr> Compiler::arithmetic(const QString &op, const PyValue &lhs, const PyValue &rhs)
{
    const int prec = op == QLatin1String("+") || op == QLatin1String("-") ? PrecAdd : PrecMul;
    if (isLiteral(lhs))
        return Error(QStringLiteral("a literal on the left of %1 is not supported").arg(op));
    auto l = value(lhs);
    if (!l)
        return l;
    if (TypeRenderer::typeName(l->type).contains(QLatin1String("String"))
        || TypeRenderer::typeName(l->type).contains(QLatin1String("Text")))
        return Error(QStringLiteral("string concatenation is not supported"));
    auto r = isLiteral(rhs) ? atom(literal(rhs, nullptr)) : value(rhs);
    if (!r)
        return r;
    return Expr{wrap(*l, prec, op) + QLatin1Char(' ') + op + QLatin1Char(' ') + wrap(*r, prec, op), l->type, prec, op};
}

QString negated(const QString &op)
{
    static const QHash<QString, QString> n = {
        {QStringLiteral("="), QStringLiteral("!=")}, {QStringLiteral("!="), QStringLiteral("=")},
        {QStringLiteral("<"), QStringLiteral(">=")}, {QStringLiteral(">="), QStringLiteral("<")},
        {QStringLiteral(">"), QStringLiteral("<=")}, {QStringLiteral("<="), QStringLiteral(">")}};
    return n.value(op);
}

Result<Expr> Compiler::comparison(const QString &fn, PyValue lhs, PyValue rhs, bool negate)
{
    static const QHash<QString, QString> ops = {
        {QStringLiteral("eq"), QStringLiteral("=")}, {QStringLiteral("ne"), QStringLiteral("!=")},
        {QStringLiteral("lt"), QStringLiteral("<")}, {QStringLiteral("le"), QStringLiteral("<=")},
        {QStringLiteral("gt"), QStringLiteral(">")}, {QStringLiteral("ge"), QStringLiteral(">=")}};
    QString op = ops.value(fn);
    if (isLiteral(lhs) && !isLiteral(rhs)) {   // 5 < t.c.x runs t.c.x > 5 (reflected)
        std::swap(lhs, rhs);
        static const QHash<QString, QString> reflected = {
            {QStringLiteral("<"), QStringLiteral(">")}, {QStringLiteral(">"), QStringLiteral("<")},
            {QStringLiteral("<="), QStringLiteral(">=")}, {QStringLiteral(">="), QStringLiteral("<=")}};
        op = reflected.value(op, op);
    }
    if (isLiteral(lhs))
        return Error(QStringLiteral("a comparison of two literals is not supported"));
    if (negate)
        op = negated(op);
    auto l = value(lhs);
    if (!l)
        return l;
    const QString left = wrap(*l, PrecCompare, op);
    if (rhs.isNone() || rhs.calleeName() == QLatin1String("sa.null")) {
        if (op == QLatin1String("="))
            return Expr{left + QStringLiteral(" IS NULL"), PyValue(), PrecCompare, QStringLiteral("IS")};
        if (op == QLatin1String("!="))
            return Expr{left + QStringLiteral(" IS NOT NULL"), PyValue(), PrecCompare, QStringLiteral("IS NOT")};
    }
    QString right;
    if (isLiteral(rhs)) {
        // coerce_compared_value: the column's type only for a value of the same kind
        // (here: booleans against a Boolean); otherwise the type the value implies.
        const bool boolCol = TypeRenderer::isBoolean(l->type) && rhs.kind() == PyValue::Bool;
        auto s = literal(rhs, boolCol ? &l->type : nullptr);
        if (!s)
            return s.error();
        right = *s;
    } else {
        auto r = value(rhs);
        if (!r)
            return r;
        right = wrap(*r, PrecCompare, op);
    }
    return Expr{left + QLatin1Char(' ') + op + QLatin1Char(' ') + right, PyValue(), PrecCompare, op};
}

Result<Expr> Compiler::method(const PyValue &receiver, const QString &name, const PyValue &call, bool negate)
{
    auto l = value(receiver);
    if (!l)
        return l;
    const QVector<PyValue> args = call.args();
    if (!call.kwargs().isEmpty())
        return Error(QStringLiteral("unsupported keywords to .%1()").arg(name));
    const QString left = wrap(*l, PrecCompare, QString());
    if ((name == QLatin1String("in_") || name == QLatin1String("not_in") || name == QLatin1String("notin_"))
        && args.size() == 1) {
        const PyValue &list = args.first();
        if (!list.isSequence() || list.items().isEmpty())
            return Error(QStringLiteral(".%1() takes a non-empty list of literals here").arg(name));
        QStringList items;
        for (const PyValue &item : list.items()) {
            if (!isLiteral(item))
                return Error(QStringLiteral(".%1() takes a non-empty list of literals here").arg(name));
            auto s = literal(item, &l->type);
            if (!s)
                return s.error();
            items << *s;
        }
        const bool notIn = (name != QLatin1String("in_")) != negate;
        const QString sql = left + (notIn ? QStringLiteral(" NOT IN (") : QStringLiteral(" IN (")) + items.join(QStringLiteral(", ")) + QLatin1Char(')');
        return notIn ? Expr{QLatin1Char('(') + sql + QLatin1Char(')'), PyValue(), PrecAtom, QString()}
                     : Expr{sql, PyValue(), PrecCompare, QStringLiteral("IN")};
    }
    if ((name == QLatin1String("is_") || name == QLatin1String("is_not") || name == QLatin1String("isnot"))
        && args.size() == 1 && (args.first().isNone() || args.first().kind() == PyValue::Bool)) {
        const bool isNot = (name != QLatin1String("is_")) != negate;
        auto s = literal(args.first(), nullptr);
        if (!s)
            return s.error();
        return Expr{left + (isNot ? QStringLiteral(" IS NOT ") : QStringLiteral(" IS ")) + *s, PyValue(), PrecCompare,
                    QStringLiteral("IS")};
    }
    if ((name == QLatin1String("like") || name == QLatin1String("notlike") || name == QLatin1String("not_like"))
        && args.size() == 1 && args.first().isStr()) {
        const bool notLike = (name != QLatin1String("like")) != negate;
        return Expr{left + (notLike ? QStringLiteral(" NOT LIKE ") : QStringLiteral(" LIKE "))
                        + m_d.stringLiteral(args.first().toStr()),
                    PyValue(), PrecCompare, QStringLiteral("LIKE")};
    }
    if (name == QLatin1String("between") && args.size() == 2 && isLiteral(args.at(0)) && isLiteral(args.at(1))) {
        auto a = literal(args.at(0), &l->type);
        auto b = literal(args.at(1), &l->type);
        if (!a || !b)
            return a ? b.error() : a.error();
        return Expr{left + (negate ? QStringLiteral(" NOT BETWEEN ") : QStringLiteral(" BETWEEN ")) + *a
                        + QStringLiteral(" AND ") + *b,
                    PyValue(), PrecCompare, QStringLiteral("BETWEEN")};
    }
    return Error(QStringLiteral("unsupported column method .%1()").arg(name));
}

Result<Expr> Compiler::booleanClause(const QString &op, const QVector<PyValue> &items, bool negate)
{
    if (items.isEmpty())
        return Error(QStringLiteral("an empty %1 is not supported").arg(op.toLower()));
    if (items.size() == 1 && !negate)
        return condition(items.first());
    const int prec = op == QLatin1String("AND") ? PrecAnd : PrecOr;
    QStringList parts;
    for (const PyValue &item : items) {
        auto s = grouped(item, prec, op);
        if (!s)
            return s.error();
        parts << *s;
    }
    const QString sql = parts.join(QLatin1Char(' ') + op + QLatin1Char(' '));
    if (negate)
        return Expr{QStringLiteral("NOT (") + sql + QLatin1Char(')'), PyValue(), PrecCompare, QStringLiteral("NOT")};
    return Expr{sql, PyValue(), prec, op};
}

Result<QString> Compiler::grouped(const PyValue &v, int parentPrec, const QString &parentOp, bool negate)
{
    auto e = condition(v, negate);
    if (!e)
        return e.error();
    return wrap(*e, parentPrec, parentOp);
}

Result<Expr> Compiler::condition(const PyValue &v, bool negate)
{
    const QString callee = v.calleeName();
    const QString op = callee.startsWith(QLatin1String("operator.")) ? callee.mid(9) : QString();
    const QVector<PyValue> args = v.kind() == PyValue::Call ? v.args() : QVector<PyValue>();
    static const QStringList comparisons = {QStringLiteral("eq"), QStringLiteral("ne"), QStringLiteral("lt"),
                                            QStringLiteral("le"), QStringLiteral("gt"), QStringLiteral("ge")};
    if (comparisons.contains(op) && args.size() == 2)
        return comparison(op, args.at(0), args.at(1), negate);
    if ((callee == QLatin1String("sa.and_") || op == QLatin1String("and_")) && v.kwargs().isEmpty())
        return booleanClause(QStringLiteral("AND"), args, negate);
    if ((callee == QLatin1String("sa.or_") || op == QLatin1String("or_")) && v.kwargs().isEmpty())
        return booleanClause(QStringLiteral("OR"), args, negate);
    if ((callee == QLatin1String("sa.not_") || op == QLatin1String("invert")) && args.size() == 1)
        return condition(args.first(), !negate);
    PyValue receiver;
    QString name;
    if (methodCall(v, &receiver, &name))
        return method(receiver, name, v, negate);
    if (SqlExpression::isText(v)) {
        auto s = SqlExpression::sqlText(v, m_d);
        if (!s)
            return s.error();
        if (negate)
            return Expr{QStringLiteral("NOT (") + *s + QLatin1Char(')'), PyValue(), PrecCompare, QStringLiteral("NOT")};
        return Expr{*s, PyValue(), PrecAtom, QString()};
    }
    bool isColumn = false;
    auto col = column(v, &isColumn);
    if (isColumn) {
        if (!col)
            return col;
        if (!TypeRenderer::isBoolean(col->type))
            return Error(QStringLiteral("a non-Boolean column as a condition is not supported"));
        // Boolean columns: bare on PostgreSQL, compared with 1/0 where booleans are emulated.
        if (m_d.kind() == Dialect::PostgreSQL)
            return negate ? Expr{QStringLiteral("NOT ") + col->sql, PyValue(), PrecCompare, QStringLiteral("NOT")} : *col;
        return Expr{col->sql + (negate ? QStringLiteral(" = 0") : QStringLiteral(" = 1")), PyValue(), PrecCompare,
                    QStringLiteral("=")};
    }
    return Error(QStringLiteral("unsupported condition %1").arg(v.repr()));
}

Result<QString> Compiler::conditions(const QVector<PyValue> &list)
{
    auto e = booleanClause(QStringLiteral("AND"), list, false);
    if (!e)
        return e.error();
    return e->sql;
}

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
    Compiler c(none, d);
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

Result<QString> literalOrNullType(Compiler &c, const PyValue &v, const PyValue &type)
{
    // A value bound to an untyped column has SQLAlchemy's NullType: no literal renderer.
    if (type.isNone() && !v.isNone() && v.calleeName() != QLatin1String("op.inline_literal"))
        return Error(QStringLiteral("No literal value renderer is available for literal value \"%1\" with datatype NULL")
                         .arg(v.repr()));
    return c.literal(v, &type);
}

Result<QString> insertSql(const Table &t, const QVector<QVector<QPair<QString, PyValue>>> &rows, Compiler &c,
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

    Compiler c(*table, d);
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
    if (kind == Insert)
        return insertSql(*table, rows, c, d);
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
