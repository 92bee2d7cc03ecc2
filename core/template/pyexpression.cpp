#include "pyexpression.h"

#include "pyexpressionparser.h"
#include "pypercentformat.h"

#include <cmath>

namespace retort {

namespace {

Error typeError(const QString &what)
{
    return Error(QStringLiteral("TypeError: %1").arg(what));
}

Error unsupported(const QString &op, const PyValue &a, const PyValue &b)
{
    return typeError(QStringLiteral("unsupported operand type(s) for %1: '%2' and '%3'")
                         .arg(op, a.typeName(), b.typeName()));
}

PyValue number(double d, bool asInt)
{
    return asInt ? PyValue::integer(qint64(d)) : PyValue::floating(d);
}

Result<PyValue> repeat(const PyValue &seq, qint64 times)
{
    if (seq.isStr())
        return PyValue::str(seq.toStr().repeated(int(qMax<qint64>(0, times))));
    PyArgs out;
    for (qint64 i = 0; i < times; ++i)
        out += seq.items();
    return seq.type() == PyValue::List ? PyValue::list(out) : PyValue::tuple(out);
}

// Python's index normalisation for negative positions and slice bounds.
qint64 clampIndex(qint64 i, qint64 size)
{
    if (i < 0)
        i += size;
    return qBound<qint64>(0, i, size);
}

} // namespace

Result<PyExpression> PyExpression::parse(const QString &source)
{
    Result<QVector<PyToken>> tokens = PyTokenizer::tokenize(source);
    if (!tokens)
        return tokens.error();
    PyExpressionParser parser(*tokens);
    Result<PyNodePtr> root = parser.parseAll();
    if (!root)
        return root.error();
    PyExpression e;
    e.m_source = source;
    e.m_root = *root;
    return e;
}

Result<PyValue> PyExpression::evaluate(const PyLookup &lookup) const
{
    return eval(*m_root, lookup);
}

Result<PyValue> PyExpression::binary(const QString &op, const PyValue &a, const PyValue &b)
{
    if (op == QLatin1String("%") && a.isStr()) {
        Result<QString> s = PyPercentFormat::format(a.toStr(), b);
        if (!s)
            return s.error();
        return PyValue::str(*s);
    }
    if (op == QLatin1String("+")) {
        if (a.isStr() && b.isStr())
            return PyValue::str(a.toStr() + b.toStr());
        if (a.isSequence() && a.type() == b.type())
            return a.type() == PyValue::List ? PyValue::list(a.items() + b.items())
                                             : PyValue::tuple(a.items() + b.items());
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
        return ints ? PyValue::integer(a.toInt() + b.toInt()) : PyValue::floating(x + y);
    if (op == QLatin1String("-"))
        return ints ? PyValue::integer(a.toInt() - b.toInt()) : PyValue::floating(x - y);
    if (op == QLatin1String("*"))
        return ints ? PyValue::integer(a.toInt() * b.toInt()) : PyValue::floating(x * y);
    if (y == 0)
        return Error(QStringLiteral("ZeroDivisionError: division by zero"));
    if (op == QLatin1String("/"))
        return PyValue::floating(x / y);
    if (op == QLatin1String("//"))
        return number(std::floor(x / y), ints);
    if (op == QLatin1String("%"))
        return number(x - y * std::floor(x / y), ints);
    return unsupported(op, a, b);
}

Result<bool> PyExpression::compare(const QString &op, const PyValue &a, const PyValue &b)
{
    if (op == QLatin1String("=="))
        return a.equals(b);
    if (op == QLatin1String("!="))
        return !a.equals(b);
    if (op == QLatin1String("is"))
        return (a.isNone() && b.isNone()) || (a.type() == PyValue::Bool && b.type() == PyValue::Bool
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
                                [&](const PyValue &v) { return v.equals(a); });
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

Result<PyValue> PyExpression::evalCall(const PyNode &node, const PyLookup &lookup) const
{
    Result<PyValue> callee = eval(*node.kids.first(), lookup);
    if (!callee)
        return callee;
    PyArgs args;
    PyKwargs kwargs;
    const int firstKeyword = node.kids.size() - node.keywords.size();
    for (int i = 1; i < node.kids.size(); ++i) {
        Result<PyValue> v = eval(*node.kids.at(i), lookup);
        if (!v)
            return v;
        if (i < firstKeyword)
            args.append(*v);
        else
            kwargs.insert(node.keywords.at(i - firstKeyword), *v);
    }
    return callee->call(args, kwargs);
}

Result<PyValue> PyExpression::evalSubscript(const PyNode &node, const PyLookup &lookup) const
{
    QVector<PyValue> parts;
    for (const PyNodePtr &kid : node.kids) {
        if (!kid) {
            parts.append(PyValue::none());
            continue;
        }
        Result<PyValue> v = eval(*kid, lookup);
        if (!v)
            return v;
        parts.append(*v);
    }
    const PyValue &target = parts.first();
    if (target.type() == PyValue::Object) {   // mapping-like objects expose __getitem__
        Result<PyValue> getitem = target.attribute(QStringLiteral("__getitem__"));
        if (getitem && node.kind == PyNode::Subscript)
            return getitem->call({parts.at(1)});
    }
    if (!target.isStr() && !target.isSequence())
        return typeError(QStringLiteral("'%1' object is not subscriptable").arg(target.typeName()));
    const qint64 size = target.isStr() ? target.toStr().size() : target.items().size();
    if (node.kind == PyNode::Subscript) {
        if (!parts.at(1).isInt())
            return typeError(QStringLiteral("indices must be integers"));
        qint64 i = parts.at(1).toInt();
        if (i < 0)
            i += size;
        if (i < 0 || i >= size)
            return Error(QStringLiteral("IndexError: %1 index out of range").arg(target.typeName()));
        return target.isStr() ? PyValue::str(target.toStr().at(int(i))) : target.items().at(int(i));
    }
    const qint64 lo = parts.at(1).isNone() ? 0 : clampIndex(parts.at(1).toInt(), size);
    const qint64 hi = parts.at(2).isNone() ? size : clampIndex(parts.at(2).toInt(), size);
    const int len = int(qMax<qint64>(0, hi - lo));
    if (target.isStr())
        return PyValue::str(target.toStr().mid(int(lo), len));
    const PyArgs sliced = target.items().mid(int(lo), len);
    return target.type() == PyValue::List ? PyValue::list(sliced) : PyValue::tuple(sliced);
}

Result<PyValue> PyExpression::eval(const PyNode &node, const PyLookup &lookup) const
{
    switch (node.kind) {
    case PyNode::Constant:
        return node.value;
    case PyNode::Name:
        return lookup(node.text);
    case PyNode::Attribute: {
        Result<PyValue> target = eval(*node.kids.first(), lookup);
        if (!target)
            return target;
        return target->attribute(node.text);
    }
    case PyNode::Subscript:
    case PyNode::Slice:
        return evalSubscript(node, lookup);
    case PyNode::Call:
        return evalCall(node, lookup);
    case PyNode::Unary: {
        Result<PyValue> v = eval(*node.kids.first(), lookup);
        if (!v)
            return v;
        if (node.text == QLatin1String("not"))
            return PyValue::boolean(!v->truthy());
        if (!v->isNumber())
            return typeError(QStringLiteral("bad operand type for unary %1: '%2'").arg(node.text, v->typeName()));
        if (node.text == QLatin1String("+"))
            return v->type() == PyValue::Bool ? PyValue::integer(v->toInt()) : *v;
        return v->isInt() ? PyValue::integer(-v->toInt()) : PyValue::floating(-v->toDouble());
    }
    case PyNode::Binary: {
        Result<PyValue> a = eval(*node.kids.at(0), lookup);
        if (!a)
            return a;
        Result<PyValue> b = eval(*node.kids.at(1), lookup);
        if (!b)
            return b;
        return binary(node.text, *a, *b);
    }
    case PyNode::And:
    case PyNode::Or: {
        Result<PyValue> a = eval(*node.kids.at(0), lookup);
        if (!a || a->truthy() == (node.kind == PyNode::Or))
            return a;
        return eval(*node.kids.at(1), lookup);
    }
    case PyNode::Compare: {
        Result<PyValue> left = eval(*node.kids.at(0), lookup);
        if (!left)
            return left;
        for (int i = 0; i < node.ops.size(); ++i) {
            Result<PyValue> right = eval(*node.kids.at(i + 1), lookup);
            if (!right)
                return right;
            Result<bool> holds = compare(node.ops.at(i), *left, *right);
            if (!holds)
                return holds.error();
            if (!*holds)
                return PyValue::boolean(false);
            left = right;
        }
        return PyValue::boolean(true);
    }
    case PyNode::IfElse: {
        Result<PyValue> cond = eval(*node.kids.at(1), lookup);
        if (!cond)
            return cond;
        return eval(*node.kids.at(cond->truthy() ? 0 : 2), lookup);
    }
    case PyNode::TupleLit:
    case PyNode::ListLit: {
        PyArgs items;
        for (const PyNodePtr &kid : node.kids) {
            Result<PyValue> v = eval(*kid, lookup);
            if (!v)
                return v;
            items.append(*v);
        }
        return node.kind == PyNode::TupleLit ? PyValue::tuple(items) : PyValue::list(items);
    }
    }
    return Error(QStringLiteral("internal error: unknown expression node"));
}

} // namespace retort
