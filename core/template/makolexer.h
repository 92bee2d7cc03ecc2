#pragma once
// Splits Mako template source into MakoNodes with Mako 1.x's lexing rules,
// including its quirks (a `%%` line loses one character, `\` + newline is dropped,
// `##` and `%` only count at the start of a line).

#include "makonode.h"
#include "result.h"

namespace retort {

class MakoLexer
{
public:
    MakoLexer(const QString &text, const QString &fileName);

    Result<QVector<MakoNode>> lex();

private:
    bool atLineStart() const;
    int lineAt(int pos) const;
    Result<bool> matchExpression();
    bool matchControlLine();
    Result<bool> matchPythonBlock();
    Result<bool> matchUnsupportedTag();
    void matchText();
    // Mako's parse_until_text: scans Python code up to one of `ends`, skipping strings/comments.
    Result<int> scanCode(int from, const QStringList &ends, bool watchNesting, QString *which) const;
    Error error(const QString &message, int pos) const;

    QString m_text;
    QString m_fileName;
    int m_pos = 0;
    QVector<MakoNode> m_nodes;
};

} // namespace retort
