#pragma once
// Splits one Python expression or simple statement into tokens (names, numbers,
// string literals with their escapes decoded, operators). Enough for template code.

#include "result.h"

#include <QString>
#include <QVector>

namespace retort {

struct MakoToken
{
    enum Kind { Name, Number, String, Op, End };
    Kind kind = End;
    QString text;    // Name/Op/Number: as written; String: the decoded value
    int offset = 0;  // position in the source, for messages
};

class MakoTokenizer
{
public:
    static Result<QVector<MakoToken>> tokenize(const QString &source);

private:
    static Result<MakoToken> readString(const QString &src, int &i, const QString &prefix);
    static QString decodeEscapes(const QString &body);
};

} // namespace retort
