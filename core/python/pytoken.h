#pragma once
// One token of Python source, as produced by PyLexer (mirrors the tokenize module's types).

#include <QByteArray>
#include <QString>

namespace retort {

struct PyToken
{
    enum Type : quint8 {
        Name,       // identifiers and keywords
        Number,
        String,     // one string literal (a run of adjacent literals is several tokens)
        Op,         // operators and delimiters, incl. "->", "**=", ":=", "..."
        Newline,    // end of a logical line
        Nl,         // line break that ends no statement (blank/comment line, inside brackets)
        Indent,
        Dedent,
        Comment,    // "# ..." without the line break
        EndMarker
    };

    // String prefix flags (any order and case in the source: rb, Br, f, u ...).
    enum StringFlag { Raw = 1, Bytes = 2, Formatted = 4, Unicode = 8, Triple = 16 };

    // Kept small (64 bytes): a big script lexes into millions of tokens.
    Type type = EndMarker;
    quint8 flags = 0;    // StringFlag bits for String tokens
    int line = 0;        // 1-based start line
    int column = 0;      // 0-based start column in code points (as tokenize reports it)
    int endLine = 0;     // 1-based line of the token's last character
    QString text;        // raw source text of the token (for strings: prefix and quotes included)
    // strings: decoded value (escapes processed unless raw; f-strings left as written);
    // bytes literals: the decoded bytes as Latin-1 code points (see bytes())
    QString value;

    QByteArray bytes() const { return value.toLatin1(); }

    bool isOp(QLatin1StringView op) const { return type == Op && text == op; }
    bool isName(QLatin1StringView name) const { return type == Name && text == name; }
    bool isKeyword() const;
    static const char *typeName(Type t);
};

static_assert(sizeof(PyToken) <= 64, "PyToken is kept small");

} // namespace retort

// Relocatable: a growing token vector is realloc()ed instead of copied element by element
// (which briefly held the old and the new buffer).
Q_DECLARE_TYPEINFO(retort::PyToken, Q_RELOCATABLE_TYPE);
