#pragma once
// Folds Python operators and a few str methods on constant operands, as the interpreter
// does for `"a" + "b"`, `"... %s" % name`, `60 * 60`, `"x".upper()`, textwrap.dedent(...).

#include "python/pyvalue.h"

#include <QString>
#include <QVector>

namespace retort {

class ConstantFolder
{
public:
    enum Status {
        Folded,        // *out holds the result
        NotConstant,   // an operand is not data: keep the expression symbolic
        Unsupported    // constant operands this folder cannot (or Python would not) combine
    };

    // op is the Python operator token: + - * / // % ** << >> & | ^ @.
    static Status binary(const QString &op, const PyValue &a, const PyValue &b, PyValue *out);
    // op: - + ~
    static Status unary(const QString &op, const PyValue &a, PyValue *out);
    // op: < <= > >= == != in "not in" is "is not".
    static Status compare(const QString &op, const PyValue &a, const PyValue &b, PyValue *out);
    // str methods on a Str receiver: format upper lower strip lstrip rstrip replace join
    // startswith endswith split(sep).
    static Status strMethod(const QString &text, const QString &method,
                            const QVector<PyValue> &args,
                            const QVector<QPair<QString, PyValue>> &kwargs, PyValue *out);
    // target[index] for a constant index into a constant list/tuple/str/dict.
    static Status subscript(const PyValue &target, const PyValue &index, PyValue *out);
    // textwrap.dedent.
    static QString dedent(const QString &text);

private:
    static Status arithmetic(const QString &op, const PyValue &a, const PyValue &b, PyValue *out);
    static Status sequenceOp(const QString &op, const PyValue &a, const PyValue &b, PyValue *out);
    static bool equal(const PyValue &a, const PyValue &b);
};

} // namespace retort
