#include "dmlcompiler.h"

#include "sqlexpression.h"
#include "typerenderer.h"

#include <QHash>
#include <QStringList>

namespace retort {

namespace dml {

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


std::optional<Table> tableOf(const PyValue &v)
{
    // sa.table('t', sa.column(...) / sa.Column(...), schema=) or
    // sa.Table('t', sa.MetaData(), sa.Column(...), <constraints>, schema=).
    const QString callee = v.calleeName();
    const bool full = callee == QLatin1String("sa.Table");
    if (callee != QLatin1String("sa.table") && !full)
        return std::nullopt;
    const QVector<PyValue> args = v.args();
    if (args.isEmpty() || !args.first().isStr())
        return std::nullopt;
    Table t;
    t.name = args.first().toStr();
    for (const auto &kw : v.kwargs()) {
        if (kw.first == QLatin1String("schema") && (kw.second.isStr() || kw.second.isNone()))
            t.schema = kw.second.isStr() ? kw.second.toStr() : QString();
        else if (!full || kw.first.startsWith(QLatin1String("autoload")) || kw.first == QLatin1String("extend_existing"))
            return std::nullopt;
    }
    int first = 1;
    if (full) {
        if (args.size() < 2 || args.at(1).calleeName() != QLatin1String("sa.MetaData"))
            return std::nullopt;
        first = 2;
    }
    for (int i = first; i < args.size(); ++i) {
        const PyValue &c = args.at(i);
        const QString cc = c.calleeName();
        const QVector<PyValue> ca = c.args();
        if (full && cc.endsWith(QLatin1String("Constraint")) && cc.startsWith(QLatin1String("sa."))) {
            if (cc == QLatin1String("sa.PrimaryKeyConstraint"))
                t.hasPrimaryKey = true;
            continue;   // constraints play no part in the DML SQLAlchemy writes (but the key)
        }
        if ((cc != QLatin1String("sa.column") && cc != QLatin1String("sa.Column")) || ca.isEmpty() || !ca.first().isStr())
            return std::nullopt;
        PyValue type = ca.size() > 1 && !ca.at(1).calleeName().endsWith(QLatin1String("ForeignKey")) ? ca.at(1) : PyValue();
        if (const PyValue *kt = c.kwarg(QStringLiteral("type_")))
            type = *kt;
        if (const PyValue *pk = c.kwarg(QStringLiteral("primary_key")); full && pk && pk->truthy())
            t.hasPrimaryKey = true;
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

} // namespace dml

using namespace dml;

namespace {

QString negated(const QString &op)
{
    static const QHash<QString, QString> n = {
        {QStringLiteral("="), QStringLiteral("!=")}, {QStringLiteral("!="), QStringLiteral("=")},
        {QStringLiteral("<"), QStringLiteral(">=")}, {QStringLiteral(">="), QStringLiteral("<")},
        {QStringLiteral(">"), QStringLiteral("<=")}, {QStringLiteral("<="), QStringLiteral(">")}};
    return n.value(op);
}

} // namespace

Result<Expr> DmlCompiler::column(const PyValue &v, bool *isColumn)
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

Result<QString> DmlCompiler::literal(const PyValue &v, const PyValue *type)
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

Result<Expr> DmlCompiler::value(const PyValue &v)
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
    if (callee == QLatin1String("sa.case"))
        return caseExpression(v);
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

// sa.case((cond, result), ..., else_=x) (or the older case([(cond, result), ...])):
// SQLAlchemy groups each condition (self_group(): parentheses around anything but an
// atom) and binds the results as literals of their own type.
Result<Expr> DmlCompiler::caseExpression(const PyValue &v)
{
    QVector<PyValue> whens = v.args();
    if (whens.size() == 1 && whens.first().kind() == PyValue::List)
        whens = whens.first().items();
    const PyValue *otherwise = nullptr;
    for (const auto &kw : v.kwargs()) {
        if (kw.first != QLatin1String("else_"))
            return Error(QStringLiteral("unsupported case() argument %1=").arg(kw.first));
        otherwise = &kw.second;
    }
    if (whens.isEmpty())
        return Error(QStringLiteral("case() needs at least one when"));
    const auto result = [this](const PyValue &r) -> Result<QString> {
        return isLiteral(r) ? literal(r, nullptr) : sqlOf(value(r), 0);
    };
    QString sql = QStringLiteral("CASE ");
    for (const PyValue &when : whens) {
        if (when.kind() != PyValue::Tuple || when.items().size() != 2)
            return Error(QStringLiteral("unsupported case() when %1").arg(when.repr()));
        auto c = condition(when.items().at(0));
        if (!c)
            return c;
        auto r = result(when.items().at(1));
        if (!r)
            return r.error();
        sql += QStringLiteral("WHEN ") + (c->prec < PrecAtom ? QLatin1Char('(') + c->sql + QLatin1Char(')') : c->sql)
               + QStringLiteral(" THEN ") + *r + QLatin1Char(' ');
    }
    if (otherwise && !otherwise->isNone()) {
        auto r = result(*otherwise);
        if (!r)
            return r.error();
        sql += QStringLiteral("ELSE ") + *r + QLatin1Char(' ');
    }
    return Expr{sql + QStringLiteral("END"), PyValue(), PrecAtom, QString()};
}

Result<Expr> DmlCompiler::arithmetic(const QString &op, const PyValue &lhs, const PyValue &rhs)
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


Result<Expr> DmlCompiler::comparison(const QString &fn, PyValue lhs, PyValue rhs, bool negate)
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

Result<Expr> DmlCompiler::method(const PyValue &receiver, const QString &name, const PyValue &call, bool negate)
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

Result<Expr> DmlCompiler::booleanClause(const QString &op, const QVector<PyValue> &items, bool negate)
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

Result<QString> DmlCompiler::grouped(const PyValue &v, int parentPrec, const QString &parentOp, bool negate)
{
    auto e = condition(v, negate);
    if (!e)
        return e.error();
    return wrap(*e, parentPrec, parentOp);
}

Result<Expr> DmlCompiler::condition(const PyValue &v, bool negate)
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

Result<QString> DmlCompiler::conditions(const QVector<PyValue> &list)
{
    auto e = booleanClause(QStringLiteral("AND"), list, false);
    if (!e)
        return e.error();
    return e->sql;
}

} // namespace retort
