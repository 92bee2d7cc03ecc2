#pragma once
// Literal tokens of a revision script as values: runs of adjacent string literals
// (f-strings without replacement fields included) and numbers.

#include "python/pytoken.h"
#include "python/pyvalue.h"

#include <QVector>

namespace retort {

class ScriptLiterals
{
public:
    enum Status { Ok, Needs, Failed };
    struct Outcome
    {
        Status status = Ok;
        QString message;   // NeedsPython reason or syntax error
        int line = 0;
    };

    // Consumes the String tokens at pos (pos < end) and concatenates them.
    static Outcome strings(const QVector<PyToken> &tokens, int &pos, int end, PyValue *out);
    static Outcome number(const PyToken &token, PyValue *out);
};

} // namespace retort
