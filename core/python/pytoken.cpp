#include "pytoken.h"

#include <QSet>

namespace retort {

bool PyToken::isKeyword() const
{
    static const QSet<QString> keywords = {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
        "return", "try", "while", "with", "yield"};
    return type == Name && keywords.contains(text);
}

const char *PyToken::typeName(Type t)
{
    switch (t) {
    case Name: return "NAME";
    case Number: return "NUMBER";
    case String: return "STRING";
    case Op: return "OP";
    case Newline: return "NEWLINE";
    case Nl: return "NL";
    case Indent: return "INDENT";
    case Dedent: return "DEDENT";
    case Comment: return "COMMENT";
    case EndMarker: return "ENDMARKER";
    }
    return "?";
}

} // namespace retort
