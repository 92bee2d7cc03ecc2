#pragma once
// Navigation over a revision script's significant tokens (Comment/Nl removed): logical
// lines, simple statements split at ';', blocks between INDENT and DEDENT.

#include "python/pytoken.h"
#include "result.h"

#include <QVector>

namespace retort {

class ScriptTokens
{
public:
    // Lexes `source` and drops Comment and Nl tokens.
    static Result<QVector<PyToken>> significant(const QString &source, const QString &fileName);

    // Index of the Newline (or EndMarker) ending the logical line that contains pos.
    static int lineEnd(const QVector<PyToken> &t, int pos);
    // Index of the first ';' at bracket depth 0 in [pos, end), or end.
    static int statementEnd(const QVector<PyToken> &t, int pos, int end);
    // Index of the first Op `op` at bracket depth 0 in [pos, end), or -1.
    static int findTopLevel(const QVector<PyToken> &t, int pos, int end, QLatin1StringView op);
    // Index of the bracket closing the one at pos, or -1.
    static int matchingBracket(const QVector<PyToken> &t, int pos);
    // Given the index of an Indent, the index just after its matching Dedent.
    static int blockEnd(const QVector<PyToken> &t, int indentPos);
    // For a compound statement whose header starts at pos: the index after its whole
    // suite (one-line suites included), not counting elif/else/except/finally clauses.
    static int compoundEnd(const QVector<PyToken> &t, int pos);

    // Precedence level of a binary operator token, lowest first: | ^ & shifts +- */%@//;
    // -1 for anything else.
    static int binaryLevel(const PyToken &t);
    // "<", "==", "in", "not in", "is", "is not" ... starting at t; "" if none.
    static QString comparisonOperator(const PyToken &t, const PyToken &next);
    // PyToken::isKeyword() without hashing: this is asked for nearly every name token.
    static bool isKeyword(const PyToken &tok);
    static bool isOpen(const PyToken &tok);
    static bool isClose(const PyToken &tok);
};

} // namespace retort
