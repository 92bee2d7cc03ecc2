#pragma once
// Helpers for the value shapes ScriptInterpreter produces (see scriptinterpreter.h):
// attributes of values as getattr(<receiver>, '<attr>') calls, operators as
// operator.<fn>(...) calls, and Python's str() of constant values.

#include "python/pyvalue.h"

#include <QString>

namespace retort {

class ScriptValues
{
public:
    // getattr(receiver, 'attr').
    static PyValue attribute(const PyValue &receiver, const QString &attr);
    // True for getattr(receiver, 'attr'); fills the parts when non-null.
    static bool isAttribute(const PyValue &v, PyValue *receiver = nullptr, QString *attr = nullptr);
    // True for a call whose callee is getattr(receiver, 'method').
    static bool isMethodCall(const PyValue &v, PyValue *receiver = nullptr, QString *method = nullptr);

    // operator.<fn>(operands...).
    static PyValue operatorCall(const QString &fn, QVector<PyValue> operands);
    // The operator-module function for an operator token: "+" -> "add", "==" -> "eq",
    // "is not" -> "is_not"; unary ones as "-u" -> "neg", "+u" -> "pos", "~u" -> "invert".
    static QString operatorFunction(const QString &token);
    // A comparison of non-constants: operator.eq(a, b) ..., `a in b` as
    // operator.contains(b, a), `not in` as operator.not_(operator.contains(b, a)).
    static PyValue comparisonCall(const QString &op, const PyValue &lhs, const PyValue &rhs);
    // "eq" for operator.eq(a, b), "" for anything else.
    static QString operatorName(const PyValue &v);

    // Literal data only (None/Bool/Int/Float/Str/Bytes and containers of those).
    static bool isConstant(const PyValue &v);
    // bool() of a SQL comparison, as SQLAlchemy's ClauseElement.__bool__ answers it when a
    // script writes `t.c.x != 'a' and ...`: `==` / `!=` of a table's column and a literal
    // compare the two objects' hashes (never equal): false / true. Anything else raises
    // in SQLAlchemy or is not known here: false returned.
    static bool clauseTruth(const PyValue &v, bool *truth);
    static bool isNumber(const PyValue &v);
    // Python's str(): the text of a Str, repr() of other constants; false otherwise.
    static bool toPyStr(const PyValue &v, QString *out);
};

} // namespace retort
