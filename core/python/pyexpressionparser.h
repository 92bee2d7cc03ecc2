#pragma once
// Parses one Python expression from a token range into a PyValue: literals (with implicit
// string concatenation), tuples (bare or parenthesized), lists, dicts, sets, unary minus/plus,
// dotted names, calls with positional/keyword args, subscripts. Anything else (operators,
// lambdas, comprehensions, starred args ...) is an Error: "not a static expression".

#include "pytoken.h"
#include "pyvalue.h"
#include "result.h"

#include <QVector>

namespace retort {

class PyExpressionParser
{
public:
    // Parses tokens[begin, end); Nl/Comment tokens inside the range are skipped.
    PyExpressionParser(const QVector<PyToken> &tokens, int begin, int end,
                       const QString &fileName = {});

    // The whole range must be one expression (a bare tuple counts).
    Result<PyValue> parse();

    // Convenience: tokenize and parse a standalone expression.
    static Result<PyValue> parseSource(const QString &expression);

private:
    Result<PyValue> parseTupleOrExpr(bool allowBareTuple);
    Result<PyValue> parseExpr();
    Result<PyValue> parseUnary();
    Result<PyValue> parsePostfix();
    Result<PyValue> parseAtom();
    Result<PyValue> parseStrings();
    Result<PyValue> parseNumber();
    Result<PyValue> parseParen();
    Result<PyValue> parseList();
    Result<PyValue> parseBrace();
    Result<PyValue> parseCallArgs(PyValue callee);
    Result<PyValue> parseSubscript(PyValue target);

    const PyToken &peek() const;
    bool atOp(QLatin1StringView op) const;
    bool atEnd() const;
    void skipNoise();
    void advance();
    Error errorHere(const QString &what) const;

    const QVector<PyToken> &m_tokens;
    int m_pos;
    int m_end;
    int m_operatorDepth = 0;   // nested unary operators (PyLimits::MaxOperatorDepth)
    QString m_fileName;
};

} // namespace retort
