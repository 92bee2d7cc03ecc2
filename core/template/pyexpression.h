#pragma once
// A parsed Python expression from the subset templates use, evaluated against
// the template's variables.
//
// Grammar: conditional expressions, or/and/not, comparisons (== != < <= > >= in,
// not in, is, is not), + - * / // %, unary -, calls with keyword args, attribute
// access, subscripts and slices, names, str/int/float literals, tuples and lists.

#include "pynode.h"

#include <functional>

namespace retort {

// Resolves a name; returns UNDEFINED (a default PyValue) for unknown names.
using PyLookup = std::function<PyValue(const QString &name)>;

class PyExpression
{
public:
    // Errors carry no file/line: the caller (the template) adds them.
    static Result<PyExpression> parse(const QString &source);

    Result<PyValue> evaluate(const PyLookup &lookup) const;
    const QString &source() const { return m_source; }

    // Operators shared with statement execution.
    static Result<PyValue> binary(const QString &op, const PyValue &a, const PyValue &b);
    static Result<bool> compare(const QString &op, const PyValue &a, const PyValue &b);

private:
    Result<PyValue> eval(const PyNode &node, const PyLookup &lookup) const;
    Result<PyValue> evalCall(const PyNode &node, const PyLookup &lookup) const;
    Result<PyValue> evalSubscript(const PyNode &node, const PyLookup &lookup) const;

    QString m_source;
    PyNodePtr m_root;
};

} // namespace retort
