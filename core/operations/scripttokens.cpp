#include "scripttokens.h"

#include "python/pylexer.h"

namespace retort {

Result<QVector<PyToken>> ScriptTokens::significant(const QString &source, const QString &fileName)
{
    auto lexed = PyLexer::tokenize(source, fileName, PyLexer::Full);
    if (!lexed)
        return lexed.error();
    QVector<PyToken> &all = *lexed;
    int out = 0;
    for (int i = 0; i < all.size(); ++i) {
        if (all[i].type == PyToken::Comment || all[i].type == PyToken::Nl)
            continue;
        if (out != i)
            all[out] = std::move(all[i]);
        ++out;
    }
    all.resize(out);
    if (all.isEmpty() || all.last().type != PyToken::EndMarker)
        all.append(PyToken());
    return std::move(all);
}

bool ScriptTokens::isOpen(const PyToken &tok)
{
    return tok.type == PyToken::Op && tok.text.size() == 1
           && (tok.text[0] == u'(' || tok.text[0] == u'[' || tok.text[0] == u'{');
}

bool ScriptTokens::isClose(const PyToken &tok)
{
    return tok.type == PyToken::Op && tok.text.size() == 1
           && (tok.text[0] == u')' || tok.text[0] == u']' || tok.text[0] == u'}');
}

int ScriptTokens::lineEnd(const QVector<PyToken> &t, int pos)
{
    while (pos < t.size() && t[pos].type != PyToken::Newline && t[pos].type != PyToken::EndMarker)
        ++pos;
    return qMin(pos, int(t.size()) - 1);
}

int ScriptTokens::statementEnd(const QVector<PyToken> &t, int pos, int end)
{
    const int semi = findTopLevel(t, pos, end, QLatin1StringView(";"));
    return semi < 0 ? end : semi;
}

int ScriptTokens::findTopLevel(const QVector<PyToken> &t, int pos, int end, QLatin1StringView op)
{
    int depth = 0;
    for (int i = pos; i < end; ++i) {
        if (isOpen(t[i]))
            ++depth;
        else if (isClose(t[i]))
            --depth;
        else if (depth == 0 && t[i].isOp(op))
            return i;
    }
    return -1;
}

int ScriptTokens::matchingBracket(const QVector<PyToken> &t, int pos)
{
    int depth = 0;
    for (int i = pos; i < t.size(); ++i) {
        if (isOpen(t[i]))
            ++depth;
        else if (isClose(t[i]) && --depth == 0)
            return i;
    }
    return -1;
}

int ScriptTokens::blockEnd(const QVector<PyToken> &t, int indentPos)
{
    int depth = 0;
    for (int i = indentPos; i < t.size(); ++i) {
        if (t[i].type == PyToken::Indent)
            ++depth;
        else if (t[i].type == PyToken::Dedent && --depth == 0)
            return i + 1;
    }
    return int(t.size()) - 1;
}

int ScriptTokens::compoundEnd(const QVector<PyToken> &t, int pos)
{
    const int nl = lineEnd(t, pos);
    if (nl + 1 < t.size() && t[nl + 1].type == PyToken::Indent)
        return blockEnd(t, nl + 1);
    return nl + 1;
}

} // namespace retort
