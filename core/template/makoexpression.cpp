#include "makoexpression.h"

#include "makoexprparser.h"
#include "percentformat.h"

#include <cmath>

namespace retort {

namespace {

Error typeError(const QString &what)
{
    return Error(QStringLiteral("TypeError: %1").arg(what));
}

Error unsupported(const QString &op, const MakoValue &a, const MakoValue &b)
{
    return typeError(QStringLiteral("unsupported operand type(s) for %1: '%2' and '%3'")
                         .arg(op, a.typeName(), b.typeName()));
}

MakoValue number(double d, bool asInt)
{
    return asInt ? MakoValue::integer(qint64(d)) : MakoValue::floating(d);
}

Result<MakoValue> repeat(const MakoValue &seq, qint64 times)
{
    if (seq.isStr())
        return MakoValue::str(seq.toStr().repeated(int(qMax<qint64>(0, times))));
    MakoArgs out;
    for (qint64 i = 0; i < times; ++i)
        out += seq.items();
    return seq.type() == MakoValue::List ? MakoValue::list(out) : MakoValue::tuple(out);
}

// Python's index normalisation for negative positions and slice bounds.
qint64 clampIndex(qint64 i, qint64 size)
{
    if (i < 0)
        i += size;
    return qBound<qint64>(0, i, size);
}

} // namespace

Result<MakoExpression> MakoExpression::parse(const QString &source, bool controlClause)
{
    Result<QVector<MakoToken>> tokens = MakoTokenizer::tokenize(source);
    if (!tokens)
        return tokens.error();
    const int last = int(tokens->size()) - 2;   // the token before End
    if (controlClause && last >= 0 && tokens->at(last).kind == MakoToken::Op
        && tokens->at(last).text == QLatin1String(":"))
        tokens->remove(last);
    MakoExprParser parser(*tokens);
    Result<MakoExprNodePtr> root = parser.parseAll();
    if (!root)
        return root.error();
    MakoExpression e;
    e.m_source = source;
    e.m_root = *root;
    e.m_bareTuple = parser.bareTuple();
    return e;
}

Result<MakoValue> MakoExpression::evaluate(const MakoLookup &lookup) const
{
    return eval(*m_root, lookup);
}

Result<MakoValue> MakoExpression::binary(const QString &op, const MakoValue &a, const MakoValue &b)
{
    if (op == QLatin1String("%") && a.isStr()) {
        Result<QString> s = PercentFormat::format(a.toStr(), b);
        if (!s)
            return s.error();
        return MakoValue::str(*s);
    }
    if (op == QLatin1String("+")) {
        if (a.isStr() && b.isStr())
            return MakoValue::str(a.toStr() + b.toStr());
        if (a.isSequence() && a.type() == b.type())
            return a.type() == MakoValue::List ? MakoValue::list(a.items() + b.items())
                                             : MakoValue::tuple(a.items() + b.items());
    }
    if (op == QLatin1String("*")) {
        if ((a.isStr() || a.isSequence()) && b.isInt())
            return repeat(a, b.toInt());
        if (a.isInt() && (b.isStr() || b.isSequence()))
            return repeat(b, a.toInt());
    }
    if (!a.isNumber() || !b.isNumber())
        return unsupported(op, a, b);
    const bool ints = a.isInt() && b.isInt();
    const double x = a.toDouble();
    const double y = b.toDouble();
    if (op == QLatin1String("+"))
        return ints ? MakoValue::integer(a.toInt() + b.toInt()) : MakoValue::floating(x + y);
    if (op == QLatin1String("-"))
        return ints ? MakoValue::integer(a.toInt() - b.toInt()) : MakoValue::floating(x - y);
    if (op == QLatin1String("*"))
        return ints ? MakoValue::integer(a.toInt() * b.toInt()) : MakoValue::floating(x * y);
    if (y == 0)
        return Error(QStringLiteral("ZeroDivisionError: division by zero"));
    if (op == QLatin1String("/"))
        return MakoValue::floating(x / y);
    if (op == QLatin1String("//"))
        return number(std::floor(x / y), ints);
    if (op == QLatin1String("%"))
        return number(x - y * std::floor(x / y), ints);
    return unsupported(op, a, b);
}

Result<bool> MakoExpression::compare(const QString &op, const MakoValue &a, const MakoValue &b)
{
    if (op == QLatin1String("=="))
        return a.equals(b);
    if (op == QLatin1String("!="))
        return !a.equals(b);
    if (op == QLatin1String("is"))
        return (a.isNone() && b.isNone()) || (a.type() == MakoValue::Bool && b.type() == MakoValue::Bool
                                              && a.equals(b)) || (!a.isNone() && !b.isNone() && a.equals(b)
                                                                  && a.type() == b.type());
    if (op == QLatin1String("is not")) {
        Result<bool> is = compare(QStringLiteral("is"), a, b);
        return !*is;
    }
    if (op == QLatin1String("in") || op == QLatin1String("not in")) {
        bool found = false;
        if (b.isStr() && a.isStr())
            found = b.toStr().contains(a.toStr());
        else if (b.isSequence())
            found = std::any_of(b.items().begin(), b.items().end(),
                                [&](const MakoValue &v) { return v.equals(a); });
        else
            return typeError(QStringLiteral("argument of type '%1' is not iterable").arg(b.typeName()));
        return op == QLatin1String("in") ? found : !found;
    }
    int order = 0;
    if (a.isNumber() && b.isNumber())
        order = a.toDouble() < b.toDouble() ? -1 : a.toDouble() > b.toDouble() ? 1 : 0;
    else if (a.isStr() && b.isStr())
        order = QString::compare(a.toStr(), b.toStr());
    else
        return typeError(QStringLiteral("'%1' not supported between instances of '%2' and '%3'")
                             .arg(op, a.typeName(), b.typeName()));
    if (op == QLatin1String("<"))
        return order < 0;
    if (op == QLatin1String("<="))
        return order <= 0;
    if (op == QLatin1String(">"))
        return order > 0;
    return order >= 0;
}

Result<MakoValue> MakoExpression::evalCall(const MakoExprNode &node, const MakoLookup &lookup) const
{
    Result<MakoValue> callee = eval(*node.kids.first(), lookup);
    if (!callee)
        return callee;
    MakoArgs args;
    MakoKwargs kwargs;
    const int firstKeyword = node.kids.size() - node.keywords.size();
    for (int i = 1; i < node.kids.size(); ++i) {
        Result<MakoValue> v = eval(*node.kids.at(i), lookup);
        if (!v)
            return v;
        if (i < firstKeyword)
            args.append(*v);
        else
            kwargs.insert(node.keywords.at(i - firstKeyword), *v);
    }
    return callee->call(args, kwargs);
}

Result<MakoValue> MakoExpression::evalSubscript(const MakoExprNode &node, const MakoLookup &lookup) const
{
    QVector<MakoValue> parts;
    for (const MakoExprNodePtr &kid : node.kids) {
        if (!kid) {
            parts.append(MakoValue::none());
            continue;
        }
        Result<MakoValue> v = eval(*kid, lookup);
        if (!v)
            return v;
        parts.append(*v);
    }
    const MakoValue &target = parts.first();
    if (target.type() == MakoValue::Object) {   // mapping-like objects expose __getitem__
        Result<MakoValue> getitem = target.attribute(QStringLiteral("__getitem__"));
        if (getitem && node.kind == MakoExprNode::Subscript)
            return getitem->call({parts.at(1)});
    }
    if (!target.isStr() && !target.isSequence())
        return typeError(QStringLiteral("'%1' object is not subscriptable").arg(target.typeName()));
    const qint64 size = target.isStr() ? target.toStr().size() : target.items().size();
    if (node.kind == MakoExprNode::Subscript) {
        if (!parts.at(1).isInt())
            return typeError(QStringLiteral("indices must be integers"));
        qint64 i = parts.at(1).toInt();
        if (i < 0)
            i += size;
        if (i < 0 || i >= size)
            return Error(QStringLiteral("IndexError: %1 index out of range").arg(target.typeName()));
        return target.isStr() ? MakoValue::str(target.toStr().at(int(i))) : target.items().at(int(i));
    }
    const qint64 lo = parts.at(1).isNone() ? 0 : clampIndex(parts.at(1).toInt(), size);
    const qint64 hi = parts.at(2).isNone() ? size : clampIndex(parts.at(2).toInt(), size);
    const int len = int(qMax<qint64>(0, hi - lo));
    if (target.isStr())
        return MakoValue::str(target.toStr().mid(int(lo), len));
    const MakoArgs sliced = target.items().mid(int(lo), len);
    return target.type() == MakoValue::List ? MakoValue::list(sliced) : MakoValue::tuple(sliced);
}

Result<MakoValue> MakoExpression::eval(const MakoExprNode &node, const MakoLookup &lookup) const
{
    switch (node.kind) {
    case MakoExprNode::Constant:
        return node.value;
    case MakoExprNode::Name:
        return lookup(node.text);
    case MakoExprNode::Attribute: {
        Result<MakoValue> target = eval(*node.kids.first(), lookup);
        if (!target)
            return target;
        return target->attribute(node.text);
    }
    case MakoExprNode::Subscript:
    case MakoExprNode::Slice:
        return evalSubscript(node, lookup);
    case MakoExprNode::Call:
        return evalCall(node, lookup);
    case MakoExprNode::Unary: {
        Result<MakoValue> v = eval(*node.kids.first(), lookup);
        if (!v)
            return v;
        if (node.text == QLatin1String("not"))
            return MakoValue::boolean(!v->truthy());
        if (!v->isNumber())
            return typeError(QStringLiteral("bad operand type for unary %1: '%2'").arg(node.text, v->typeName()));
        if (node.text == QLatin1String("+"))
            return v->type() == MakoValue::Bool ? MakoValue::integer(v->toInt()) : *v;
        return v->isInt() ? MakoValue::integer(-v->toInt()) : MakoValue::floating(-v->toDouble());
    }
    case MakoExprNode::Binary: {
        Result<MakoValue> a = eval(*node.kids.at(0), lookup);
        if (!a)
            return a;
        Result<MakoValue> b = eval(*node.kids.at(1), lookup);
        if (!b)
            return b;
        return binary(node.text, *a, *b);
    }
    case MakoExprNode::And:
    case MakoExprNode::Or: {
        Result<MakoValue> a = eval(*node.kids.at(0), lookup);
        if (!a || a->truthy() == (node.kind == MakoExprNode::Or))
            return a;
        return eval(*node.kids.at(1), lookup);
    }
    case MakoExprNode::Compare: {
        Result<MakoValue> left = eval(*node.kids.at(0), lookup);
        if (!left)
            return left;
        for (int i = 0; i < node.ops.size(); ++i) {
            Result<MakoValue> right = eval(*node.kids.at(i + 1), lookup);
            if (!right)
                return right;
            Result<bool> holds = compare(node.ops.at(i), *left, *right);
            if (!holds)
                return holds.error();
            if (!*holds)
                return MakoValue::boolean(false);
            left = right;
        }
        return MakoValue::boolean(true);
    }
    case MakoExprNode::IfElse: {
        Result<MakoValue> cond = eval(*node.kids.at(1), lookup);
        if (!cond)
            return cond;
        return eval(*node.kids.at(cond->truthy() ? 0 : 2), lookup);
    }
    case MakoExprNode::TupleLit:
    case MakoExprNode::ListLit: {
        MakoArgs items;
        for (const MakoExprNodePtr &kid : node.kids) {
            Result<MakoValue> v = eval(*kid, lookup);
            if (!v)
                return v;
            items.append(*v);
        }
        return node.kind == MakoExprNode::TupleLit ? MakoValue::tuple(items) : MakoValue::list(items);
    }
    }
    return Error(QStringLiteral("internal error: unknown expression node"));
}

} // namespace retort
