#pragma once
// A parsed Python expression from the subset templates use, evaluated against
// the template's variables.
//
// Grammar: conditional expressions, or/and/not, comparisons (== != < <= > >= in,
// not in, is, is not), + - * / // %, unary -, calls with keyword args, attribute
// access, subscripts and slices, names, str/int/float literals, tuples and lists.

#include "makoexprnode.h"

#include <functional>

namespace retort {

// Resolves a name; returns UNDEFINED (a default MakoValue) for unknown names.
using MakoLookup = std::function<MakoValue(const QString &name)>;

class MakoExpression
{
public:
    // Errors carry no file/line: the caller (the template) adds them.
    // controlClause: the text of `% if x:` / `% for a in b:` after the keyword, where a
    // trailing ':' (and comment) ends the expression.
    static Result<MakoExpression> parse(const QString &source, bool controlClause = false);

    Result<MakoValue> evaluate(const MakoLookup &lookup) const;
    const QString &source() const { return m_source; }
    // `a, b` without parentheses (Mako's ${a, b} becomes str(a, b), which fails).
    bool isBareTuple() const { return m_bareTuple; }

    // Operators shared with statement execution.
    static Result<MakoValue> binary(const QString &op, const MakoValue &a, const MakoValue &b);
    static Result<bool> compare(const QString &op, const MakoValue &a, const MakoValue &b);

private:
    Result<MakoValue> eval(const MakoExprNode &node, const MakoLookup &lookup) const;
    Result<MakoValue> evalCall(const MakoExprNode &node, const MakoLookup &lookup) const;
    Result<MakoValue> evalSubscript(const MakoExprNode &node, const MakoLookup &lookup) const;

    QString m_source;
    MakoExprNodePtr m_root;
    bool m_bareTuple = false;
};

} // namespace retort
