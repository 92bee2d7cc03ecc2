#include "scriptimports.h"
#include "scripttokens.h"

namespace retort {

bool ScriptImports::dotted(const QVector<PyToken> &t, int &pos, int end, QString *out)
{
    out->clear();
    // Leading dots of a relative import.
    while (pos < end && (t[pos].isOp(QLatin1StringView(".")) || t[pos].isOp(QLatin1StringView("..."))))
        *out += t[pos++].text;
    if (pos >= end || t[pos].type != PyToken::Name || ScriptTokens::isKeyword(t[pos]))
        return !out->isEmpty();   // `from . import x`
    for (;;) {
        *out += t[pos++].text;
        if (pos >= end || !t[pos].isOp(QLatin1StringView(".")))
            return true;
        *out += u'.';
        if (++pos >= end || t[pos].type != PyToken::Name || ScriptTokens::isKeyword(t[pos]))
            return false;
    }
}

Result<QVector<ScriptImports::Bound>> ScriptImports::parse(const QVector<PyToken> &t, int begin,
                                                           int end, const QString &fileName)
{
    const int line = t[begin].line;
    const Error syntax(QStringLiteral("invalid import statement"), fileName, line);
    QVector<Bound> out;
    int pos = begin + 1;
    if (t[begin].isName(QLatin1StringView("import"))) {
        for (;;) {
            QString path;
            if (!dotted(t, pos, end, &path) || path.startsWith(u'.'))
                return syntax;
            QString name = path.section(u'.', 0, 0);
            QString target = name;   // `import a.b` binds a, referring to module a
            if (pos < end && t[pos].isName(QLatin1StringView("as"))) {
                if (++pos >= end || t[pos].type != PyToken::Name)
                    return syntax;
                name = t[pos++].text;
                target = path;
            }
            out.append({name, target});
            if (pos >= end)
                return out;
            if (!t[pos++].isOp(QLatin1StringView(",")))
                return syntax;
        }
    }
    QString module;
    if (!dotted(t, pos, end, &module) || pos >= end || !t[pos].isName(QLatin1StringView("import")))
        return syntax;
    ++pos;
    if (pos < end && t[pos].isOp(QLatin1StringView("*"))) {
        if (pos + 1 != end)
            return syntax;
        out.append({QStringLiteral("*"), module});
        return out;
    }
    const bool paren = pos < end && t[pos].isOp(QLatin1StringView("("));
    const int stop = paren ? end - 1 : end;
    if (paren && (++pos, !t[end - 1].isOp(QLatin1StringView(")"))))
        return syntax;
    const QString prefix = module.endsWith(u'.') ? module : module + u'.';
    while (pos < stop) {
        if (t[pos].type != PyToken::Name || ScriptTokens::isKeyword(t[pos]))
            return syntax;
        const QString object = t[pos++].text;
        QString name = object;
        if (pos < stop && t[pos].isName(QLatin1StringView("as"))) {
            if (++pos >= stop || t[pos].type != PyToken::Name)
                return syntax;
            name = t[pos++].text;
        }
        out.append({name, prefix + object});
        if (pos < stop && !t[pos++].isOp(QLatin1StringView(",")))
            return syntax;
    }
    if (out.isEmpty())
        return syntax;
    return out;
}

} // namespace retort
