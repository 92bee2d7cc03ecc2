#pragma once
// Recursive-descent parser from tokens to a PyNode tree (Python's precedence rules).

#include "pynode.h"
#include "pytokenizer.h"

namespace retort {

class PyExpressionParser
{
public:
    explicit PyExpressionParser(QVector<PyToken> tokens) : m_tokens(std::move(tokens)) {}

    // Parses the whole token list as one expression (a bare tuple allowed).
    Result<PyNodePtr> parseAll();

private:
    Result<PyNodePtr> parseTupleOrTest();
    Result<PyNodePtr> parseTest();
    Result<PyNodePtr> parseOr();
    Result<PyNodePtr> parseAnd();
    Result<PyNodePtr> parseNot();
    Result<PyNodePtr> parseComparison();
    Result<PyNodePtr> parseArith();
    Result<PyNodePtr> parseTerm();
    Result<PyNodePtr> parseFactor();
    Result<PyNodePtr> parsePrimary();
    Result<PyNodePtr> parseAtom();
    Result<PyNodePtr> parseTrailer(PyNodePtr target);
    Result<PyNodePtr> parseCallArgs(PyNodePtr callee);
    Result<PyNodePtr> parseSequence(const QString &closer, PyNode::Kind kind);

    const PyToken &peek(int ahead = 0) const;
    bool isOp(const QString &op, int ahead = 0) const;
    bool isName(const QString &word, int ahead = 0) const;
    bool accept(const QString &op);
    Error syntaxError() const;

    QVector<PyToken> m_tokens;
    int m_pos = 0;
};

} // namespace retort
