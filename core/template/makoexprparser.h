#pragma once
// Recursive-descent parser from tokens to a MakoExprNode tree (Python's precedence rules).

#include "makoexprnode.h"
#include "makotokenizer.h"

#include <optional>

namespace retort {

class MakoExprParser
{
public:
    explicit MakoExprParser(QVector<MakoToken> tokens) : m_tokens(std::move(tokens)) {}

    // Parses the whole token list as one expression (a bare tuple allowed).
    Result<MakoExprNodePtr> parseAll();
    // Whether parseAll() found an unparenthesised tuple (`a, b`).
    bool bareTuple() const { return m_bareTuple; }

private:
    Result<MakoExprNodePtr> parseTupleOrTest(bool *sawComma = nullptr);
    Result<MakoExprNodePtr> parseTest();
    Result<MakoExprNodePtr> parseOr();
    Result<MakoExprNodePtr> parseAnd();
    Result<MakoExprNodePtr> parseNot();
    Result<MakoExprNodePtr> parseComparison();
    Result<MakoExprNodePtr> parseArith();
    Result<MakoExprNodePtr> parseTerm();
    Result<MakoExprNodePtr> parseFactor();
    Result<MakoExprNodePtr> parsePrimary();
    Result<MakoExprNodePtr> parseAtom();
    Result<MakoExprNodePtr> parseTrailer(MakoExprNodePtr target);
    Result<MakoExprNodePtr> parseCallArgs(MakoExprNodePtr callee);
    Result<MakoExprNodePtr> parseSequence(const QString &closer, MakoExprNode::Kind kind);

    const MakoToken &peek(int ahead = 0) const;
    bool isOp(const QString &op, int ahead = 0) const;
    bool isName(const QString &word, int ahead = 0) const;
    bool accept(const QString &op);
    Error syntaxError() const;
    std::optional<Error> tooDeep(bool bracket) const;
    static std::optional<Error> chainTooLong(const MakoExprNodePtr &node);

    QVector<MakoToken> m_tokens;
    int m_pos = 0;
    int m_bracketDepth = 0;
    int m_operatorDepth = 0;
    bool m_bareTuple = false;
};

} // namespace retort
