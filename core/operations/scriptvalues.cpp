#include "scriptvalues.h"

#include <QHash>

namespace retort {

namespace {
const QString &getattrName()
{
    static const QString n = QStringLiteral("getattr");
    return n;
}
const QString &operatorPrefix()
{
    static const QString p = QStringLiteral("operator.");
    return p;
}
} // namespace

PyValue ScriptValues::attribute(const PyValue &receiver, const QString &attr)
{
    return PyValue::call(PyValue::name(getattrName()), {receiver, PyValue::string(attr)}, {});
}

bool ScriptValues::isAttribute(const PyValue &v, PyValue *receiver, QString *attr)
{
    if (v.kind() != PyValue::Call || v.callee().kind() != PyValue::Name
        || v.callee().toStr() != getattrName() || v.items().size() != 3 || !v.kwargs().isEmpty()
        || !v.items().at(2).isStr())
        return false;
    if (receiver)
        *receiver = v.items().at(1);
    if (attr)
        *attr = v.items().at(2).toStr();
    return true;
}

bool ScriptValues::isMethodCall(const PyValue &v, PyValue *receiver, QString *method)
{
    return v.kind() == PyValue::Call && isAttribute(v.callee(), receiver, method);
}

PyValue ScriptValues::operatorCall(const QString &fn, QVector<PyValue> operands)
{
    return PyValue::call(PyValue::name(operatorPrefix() + fn), std::move(operands), {});
}

QString ScriptValues::operatorName(const PyValue &v)
{
    const QString callee = v.calleeName();
    return callee.startsWith(operatorPrefix()) ? callee.mid(operatorPrefix().size()) : QString();
}

QString ScriptValues::operatorFunction(const QString &op)
{
    static const QHash<QString, QString> names = {
        {"+", "add"}, {"-", "sub"}, {"*", "mul"}, {"/", "truediv"}, {"//", "floordiv"},
        {"%", "mod"}, {"**", "pow"}, {"<<", "lshift"}, {">>", "rshift"}, {"&", "and_"},
        {"|", "or_"}, {"^", "xor"}, {"@", "matmul"}, {"==", "eq"}, {"!=", "ne"}, {"<", "lt"},
        {"<=", "le"}, {">", "gt"}, {">=", "ge"}, {"is", "is_"}, {"is not", "is_not"},
        {"-u", "neg"}, {"+u", "pos"}, {"~u", "invert"}};
    return names.value(op);
}

PyValue ScriptValues::comparisonCall(const QString &op, const PyValue &lhs, const PyValue &rhs)
{
    if (op == u"in" || op == u"not in") {
        const PyValue contains = operatorCall(QStringLiteral("contains"), {rhs, lhs});
        return op == u"in" ? contains : operatorCall(QStringLiteral("not_"), {contains});
    }
    return operatorCall(operatorFunction(op), {lhs, rhs});
}

namespace {

// t.c.x / t.c['x'] / t.columns.x of sa.table(...) / sa.Table(...), or sa.column('x').
bool isTableColumn(const PyValue &v)
{
    if (v.kind() == PyValue::Call && v.calleeName() == u"sa.column")
        return true;
    PyValue owner;
    QString attr;
    if (v.kind() == PyValue::Subscript) {
        owner = v.target();
        if (!v.index().isStr())
            return false;
    } else if (!ScriptValues::isAttribute(v, &owner, &attr)) {
        return false;
    }
    PyValue table;
    QString c;
    if (!ScriptValues::isAttribute(owner, &table, &c) || (c != u"c" && c != u"columns"))
        return false;
    const QString callee = table.calleeName();
    return callee == u"sa.table" || callee == u"sa.Table";
}

} // namespace

bool ScriptValues::clauseTruth(const PyValue &v, bool *truth)
{
    const QString op = operatorName(v);
    if ((op != u"eq" && op != u"ne") || v.args().size() != 2)
        return false;
    const PyValue &a = v.args().at(0);
    const PyValue &b = v.args().at(1);
    // `== None` becomes IS NULL, whose bool() raises; two columns may be one object.
    const auto literal = [](const PyValue &x) {
        return x.kind() == PyValue::Bool || x.kind() == PyValue::Int || x.kind() == PyValue::Float || x.isStr();
    };
    if (!((isTableColumn(a) && literal(b)) || (literal(a) && isTableColumn(b))))
        return false;
    *truth = op == u"ne";
    return true;
}

bool ScriptValues::isConstant(const PyValue &v)
{
    switch (v.kind()) {
    case PyValue::Name:
    case PyValue::Call:
    case PyValue::Subscript:
        return false;
    case PyValue::Tuple:
    case PyValue::List:
    case PyValue::Set:
        for (const PyValue &i : v.items())
            if (!isConstant(i))
                return false;
        return true;
    case PyValue::Dict:
        for (const auto &kv : v.dictItems())
            if (!isConstant(kv.first) || !isConstant(kv.second))
                return false;
        return true;
    default:
        return true;
    }
}

bool ScriptValues::isNumber(const PyValue &v)
{
    return v.kind() == PyValue::Int || v.kind() == PyValue::Float || v.kind() == PyValue::Bool;
}

bool ScriptValues::toPyStr(const PyValue &v, QString *out)
{
    if (v.isStr()) {
        *out = v.toStr();
        return true;
    }
    if (!isConstant(v))
        return false;
    *out = v.repr();
    return true;
}

} // namespace retort
