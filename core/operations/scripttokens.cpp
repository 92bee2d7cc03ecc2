#include "scripttokens.h"

#include "python/pylexer.h"

#include <QStringList>

namespace retort {

Result<QVector<PyToken>> ScriptTokens::significant(const QString &source, const QString &fileName)
{
    // Comment/Nl tokens are never stored (a big script's token vector is its memory peak).
    auto lexed = PyLexer::tokenize(source, fileName, PyLexer::Significant);
    if (!lexed)
        return lexed.error();
    QVector<PyToken> &all = *lexed;
    if (all.isEmpty() || all.last().type != PyToken::EndMarker)
        all.append(PyToken());
    return std::move(all);
}

bool ScriptTokens::isKeyword(const PyToken &tok)
{
    if (tok.type != PyToken::Name || tok.text.size() < 2 || tok.text.size() > 8)
        return false;
    static const char *const byLetter[26][6] = {
        /*a*/ {"and", "as", "assert", "async", "await"}, /*b*/ {"break"},
        /*c*/ {"class", "continue"}, /*d*/ {"def", "del"}, /*e*/ {"elif", "else", "except"},
        /*f*/ {"finally", "for", "from"}, /*g*/ {"global"}, /*h*/ {},
        /*i*/ {"if", "import", "in", "is"}, /*j*/ {}, /*k*/ {}, /*l*/ {"lambda"}, /*m*/ {},
        /*n*/ {"nonlocal", "not"}, /*o*/ {"or"}, /*p*/ {"pass"}, /*q*/ {},
        /*r*/ {"raise", "return"}, /*s*/ {}, /*t*/ {"try"}, /*u*/ {}, /*v*/ {},
        /*w*/ {"while", "with"}, /*x*/ {}, /*y*/ {"yield"}, /*z*/ {}};
    const char16_t c = tok.text[0].unicode();
    if (c == u'N' || c == u'T' || c == u'F')
        return tok.text == u"None" || tok.text == u"True" || tok.text == u"False";
    if (c < u'a' || c > u'z')
        return false;
    for (const char *kw : byLetter[c - u'a'])
        if (kw && tok.text == QLatin1StringView(kw))
            return true;
    return false;
}

// Precedence level of a binary operator token, lowest first: | ^ & shifts +- */%@; -1 if none.
int ScriptTokens::binaryLevel(const PyToken &t)
{
    if (t.type != PyToken::Op || t.text.size() > 2)
        return -1;
    const QString &x = t.text;
    switch (x[0].unicode()) {
    case '|': return x.size() == 1 ? 0 : -1;
    case '^': return x.size() == 1 ? 1 : -1;
    case '&': return x.size() == 1 ? 2 : -1;
    case '<': return x == u"<<" ? 3 : -1;
    case '>': return x == u">>" ? 3 : -1;
    case '+':
    case '-': return x.size() == 1 ? 4 : -1;
    case '*': return x.size() == 1 ? 5 : -1;
    case '/': return x.size() == 1 || x == u"//" ? 5 : -1;
    case '%':
    case '@': return x.size() == 1 ? 5 : -1;
    }
    return -1;
}

QString ScriptTokens::comparisonOperator(const PyToken &t, const PyToken &next)
{
    if (t.type == PyToken::Op) {
        static const QStringList ops = {"<", ">", "==", ">=", "<=", "!=", "<>"};
        return ops.contains(t.text) ? t.text : QString();
    }
    if (t.isName(QLatin1StringView("in")))
        return QStringLiteral("in");
    if (t.isName(QLatin1StringView("not")) && next.isName(QLatin1StringView("in")))
        return QStringLiteral("not in");
    if (t.isName(QLatin1StringView("is")))
        return next.isName(QLatin1StringView("not")) ? QStringLiteral("is not") : QStringLiteral("is");
    return {};
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
