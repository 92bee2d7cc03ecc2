#pragma once
// f-strings of revision scripts: the literal text decoded, each replacement field's
// expression evaluated by the caller (ScriptExpression, in the function's scope) and
// formatted like Python's format(): conversions !s !r !a, and format specs with fill,
// alignment, sign, zero padding, width, precision and the types s d f F x X o b % e E.
// Values that are not constants, nested fields in a spec and `{x=}` need Python.

#include "python/pytoken.h"
#include "python/pyvalue.h"

#include <QString>
#include <functional>

namespace retort {

class ScriptFString
{
public:
    enum Status { Ok, Needs, Failed, Stopped };
    // Evaluates one field's expression text; false when it stopped (the caller recorded why).
    using Evaluator = std::function<bool(const QString &expression, PyValue *value)>;

    // Whether the f-string token has replacement fields at all.
    static bool hasFields(const PyToken &t);
    // Appends the token's text to *out; on Needs/Failed, *message says why.
    static Status format(const PyToken &t, const Evaluator &evaluate, QString *out, QString *message);
    // format(value, spec) for a constant value; false when the spec is not supported.
    static bool formatValue(const PyValue &value, const QString &spec, QString *out);
};

} // namespace retort
