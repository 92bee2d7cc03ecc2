#include "modulereader.h"

#include "effectinterpreter.h"
#include "scriptexpression.h"
#include "scriptimports.h"
#include "scripttokens.h"
#include "scriptvalues.h"

#include <QHash>

namespace retort {

namespace {

QString compoundReason(const QString &keyword)
{
    // Asked for every module-level statement: compared in place rather than hashed.
    static const char *const reasons[][2] = {
        {"if", "if statement"}, {"for", "for loop"}, {"while", "while loop"},
        {"try", "try statement"}, {"with", "with statement"}, {"class", "class definition"}};
    if (keyword.size() < 2 || keyword.size() > 5)
        return {};
    for (const auto &r : reasons)
        if (keyword == QLatin1StringView(r[0]))
            return QString::fromLatin1(r[1]);
    return {};
}

bool isClause(const PyToken &t)
{
    return t.isName(QLatin1StringView("elif")) || t.isName(QLatin1StringView("else"))
           || t.isName(QLatin1StringView("except")) || t.isName(QLatin1StringView("finally"));
}

bool isAugmentedAssign(const PyToken &t)
{
    return t.type == PyToken::Op && t.text.size() >= 2 && t.text.endsWith(u'=')
           && t.text != u"==" && t.text != u"<=" && t.text != u">=" && t.text != u"!="
           && t.text != u":=";
}

} // namespace

ModuleReader::ModuleReader(const QVector<PyToken> &tokens, const QString &fileName)
    : m_t(tokens), m_fileName(fileName)
{
}

VoidResult ModuleReader::read()
{
    int pos = 0;
    while (pos < m_t.size() && m_t[pos].type != PyToken::EndMarker) {
        if (auto r = readStatement(pos); !r)
            return r;
    }
    return {};
}

VoidResult ModuleReader::readStatement(int &pos)
{
    const PyToken &t = m_t[pos];
    if (t.type == PyToken::Indent)
        return error(QStringLiteral("unexpected indent"), t.line);
    if (t.type == PyToken::Dedent || t.type == PyToken::Newline) {
        ++pos;
        return {};
    }
    if (t.isOp(QLatin1StringView("@"))) {
        while (m_t[pos].isOp(QLatin1StringView("@")))
            pos = ScriptTokens::lineEnd(m_t, pos) + 1;
        if (m_t[pos].isName(QLatin1StringView("class"))) {
            skipCompound(pos, QStringLiteral("class definition"));
            return {};
        }
        return readDef(pos, true);
    }
    if (t.isName(QLatin1StringView("def"))
        || (t.isName(QLatin1StringView("async")) && m_t[pos + 1].isName(QLatin1StringView("def"))))
        return readDef(pos, false);
    if (isClause(t))
        return error(QStringLiteral("invalid syntax"), t.line);
    const QString reason = compoundReason(t.text);
    if (t.type == PyToken::Name && !reason.isEmpty()) {
        skipCompound(pos, reason);
        return {};
    }
    const int end = ScriptTokens::lineEnd(m_t, pos);
    if (auto r = readSimpleLine(pos, end); !r)
        return r;
    pos = end + 1;
    return {};
}

// Code we do not run: noted, and every name it may bind becomes opaque.
void ModuleReader::skipCompound(int &pos, const QString &reason)
{
    const int begin = pos;
    note(reason, m_t[pos].line);
    if (m_t[pos].isName(QLatin1StringView("class"))) {   // binds only the class name
        bindOpaque(m_t[pos + 1].text, reason, m_t[pos].line);
        pos = ScriptTokens::compoundEnd(m_t, pos);
        return;
    }
    pos = ScriptTokens::compoundEnd(m_t, pos);
    while (isClause(m_t[pos]))
        pos = ScriptTokens::compoundEnd(m_t, pos);
    bindNamesIn(begin, pos, reason);
}

void ModuleReader::bindOpaque(const QString &name, const QString &reason, int line)
{
    m_scope.bind(name, ScriptBinding{ScriptBinding::Opaque, {}, {}, reason, line});
}

// Names assigned, imported, defined or used as loop/with targets anywhere in [begin, end).
void ModuleReader::bindNamesIn(int begin, int end, const QString &reason)
{
    bool inImport = false;
    int depth = 0;
    for (int i = begin; i < end; ++i) {
        const PyToken &t = m_t[i];
        if (ScriptTokens::isOpen(t))
            ++depth;
        else if (ScriptTokens::isClose(t))
            --depth;
        if (t.type == PyToken::Newline)
            inImport = false;
        if (t.isName(QLatin1StringView("import")))
            inImport = true;
        // A nested def/class binds its name; what its body binds is not module-level.
        if ((t.isName(QLatin1StringView("def")) || t.isName(QLatin1StringView("class")))
            && m_t[i + 1].type == PyToken::Name) {
            bindOpaque(m_t[i + 1].text, reason, m_t[begin].line);
            i = ScriptTokens::compoundEnd(m_t, i) - 1;
            continue;
        }
        if (t.type != PyToken::Name || ScriptTokens::isKeyword(t))
            continue;
        const PyToken &prev = i > begin ? m_t[i - 1] : m_t[i];
        const PyToken &next = m_t[i + 1];
        const bool bound = (depth == 0 && (next.isOp(QLatin1StringView("=")) || isAugmentedAssign(next)
                                           || next.isOp(QLatin1StringView(","))))
                           || prev.isName(QLatin1StringView("as")) || prev.isName(QLatin1StringView("for"))
                           || (inImport && !prev.isOp(QLatin1StringView(".")));
        if (bound)
            bindOpaque(t.text, reason, m_t[begin].line);   // the statement's line
    }
}

QStringList ModuleReader::parseParams(int begin, int end) const
{
    QStringList params;
    int pos = begin;
    while (pos < end) {
        int segEnd = ScriptTokens::findTopLevel(m_t, pos, end, QLatin1StringView(","));
        if (segEnd < 0)
            segEnd = end;
        int i = pos;
        while (i < segEnd && (m_t[i].isOp(QLatin1StringView("*")) || m_t[i].isOp(QLatin1StringView("**"))))
            ++i;
        if (i < segEnd && m_t[i].type == PyToken::Name)
            params.append(m_t[i].text);
        pos = segEnd + 1;
    }
    return params;
}

VoidResult ModuleReader::readDef(int &pos, bool decorated)
{
    Def def;
    def.decorated = decorated;
    def.async = m_t[pos].isName(QLatin1StringView("async"));
    if (def.async)
        ++pos;
    def.line = m_t[pos].line;
    const PyToken &name = m_t[pos + 1];
    if (name.type != PyToken::Name || ScriptTokens::isKeyword(name) || !m_t[pos + 2].isOp(QLatin1StringView("(")))
        return error(QStringLiteral("invalid function definition"), def.line);
    def.name = name.text;
    const int close = ScriptTokens::matchingBracket(m_t, pos + 2);
    const int lineEnd = ScriptTokens::lineEnd(m_t, pos);
    if (close < 0 || close > lineEnd)
        return error(QStringLiteral("invalid function definition"), def.line);
    def.params = parseParams(pos + 3, close);
    def.colon = ScriptTokens::findTopLevel(m_t, close + 1, lineEnd, QLatin1StringView(":"));
    if (def.colon < 0 || (def.colon != close + 1 && !m_t[close + 1].isOp(QLatin1StringView("->"))))
        return error(QStringLiteral("expected ':'"), def.line);
    if (m_t[def.colon + 1].type == PyToken::Newline) {
        const PyToken &indent = m_t[def.colon + 2];
        if (indent.type != PyToken::Indent)
            return error(QStringLiteral("expected an indented block"), indent.line);
        def.bodyEnd = ScriptTokens::blockEnd(m_t, def.colon + 2);
    } else {
        def.bodyEnd = lineEnd + 1;
    }
    // Helpers are run where called (FlowStatements); a decorator or async could change
    // what calling them means.
    const QString why = def.async ? QStringLiteral("async function")
                        : decorated ? QStringLiteral("decorated function") : QString();
    m_scope.bind(def.name, ScriptBinding{ScriptBinding::Function, {}, {}, why, def.line, pos});
    m_defs.insert(def.name, def);
    pos = def.bodyEnd;
    return {};
}

VoidResult ModuleReader::readSimpleLine(int begin, int lineEnd)
{
    int pos = begin;
    while (pos < lineEnd) {
        const int end = ScriptTokens::statementEnd(m_t, pos, lineEnd);
        if (end == pos)
            return error(QStringLiteral("invalid syntax"), m_t[pos].line);
        if (auto r = readSimple(pos, end); !r)
            return r;
        pos = end + 1;
    }
    return {};
}

VoidResult ModuleReader::readSimple(int begin, int end)
{
    const PyToken &t = m_t[begin];
    if (t.isName(QLatin1StringView("pass")) || t.isName(QLatin1StringView("global"))
        || t.isName(QLatin1StringView("nonlocal")))
        return {};
    if (t.isName(QLatin1StringView("import")) || t.isName(QLatin1StringView("from")))
        return readImport(begin, end);
    if (t.isName(QLatin1StringView("del"))) {
        note(QStringLiteral("del statement"), t.line);
        bindNamesIn(begin + 1, end, QStringLiteral("del statement"));
        for (int i = begin + 1; i < end; ++i)
            if (m_t[i].type == PyToken::Name)
                bindOpaque(m_t[i].text, QStringLiteral("deleted"), t.line);
        return {};
    }
    if (t.isName(QLatin1StringView("assert")) || t.isName(QLatin1StringView("raise"))) {
        note(t.text + QStringLiteral(" statement"), t.line);
        return {};
    }
    if (t.type == PyToken::Name && (ScriptTokens::isKeyword(t) && t.text != u"None" && t.text != u"True"
                                    && t.text != u"False" && t.text != u"not"
                                    && t.text != u"lambda" && t.text != u"await"
                                    && t.text != u"yield"))
        return error(QStringLiteral("invalid syntax"), t.line);
    Equals equals;   // inline: a statement per line, most with one `=`
    for (int i = begin, depth = 0; i < end; ++i) {
        if (ScriptTokens::isOpen(m_t[i]))
            ++depth;
        else if (ScriptTokens::isClose(m_t[i]))
            --depth;
        else if (depth == 0 && isAugmentedAssign(m_t[i])) {
            note(QStringLiteral("augmented assignment"), t.line);
            bindNamesIn(begin, i + 1, QStringLiteral("augmented assignment"));
            return {};
        } else if (depth == 0 && m_t[i].isOp(QLatin1StringView("=")))
            equals.append(i);
    }
    const int colon = t.type == PyToken::Name && !ScriptTokens::isKeyword(t)
                          ? ScriptTokens::findTopLevel(m_t, begin, equals.isEmpty() ? end : equals.first(),
                                                       QLatin1StringView(":"))
                          : -1;
    if (colon >= 0 || !equals.isEmpty())   // a bare annotation binds nothing
        return equals.isEmpty() ? VoidResult() : readAssignment(begin, end, equals, colon);
    ScriptExpression expr(m_t, begin, end, m_scope, m_fileName);
    PyValue value;
    const auto s = expr.evaluate(&value);
    if (s == ScriptExpression::Failed)
        return expr.error();
    if (s == ScriptExpression::Needs || !ScriptValues::isConstant(value))
        note(QStringLiteral("expression statement"), t.line);
    return {};
}

VoidResult ModuleReader::readImport(int begin, int end)
{
    auto bound = ScriptImports::parse(m_t, begin, end, m_fileName);
    if (!bound)
        return bound.error();
    for (const auto &b : *bound) {
        if (b.path.startsWith(u"__future__."))
            continue;
        if (b.name == u"*") {
            note(QStringLiteral("star import from %1").arg(b.path), m_t[begin].line);
            continue;
        }
        m_scope.bind(b.name, ScriptBinding{ScriptBinding::Import, {}, b.path, {}, m_t[begin].line});
    }
    return {};
}

VoidResult ModuleReader::readAssignment(int begin, int end, const Equals &equals, int colon)
{
    const int line = m_t[begin].line;
    const bool annotated = colon >= 0;
    QStringList names;
    for (int i = 0, from = begin; i < equals.size(); from = equals[i] + 1, ++i) {
        const int to = annotated ? colon : equals[i];
        if (to - from == 1 && m_t[from].type == PyToken::Name && !ScriptTokens::isKeyword(m_t[from])) {
            names.append(m_t[from].text);
        } else if (to == from) {
            return error(QStringLiteral("invalid syntax"), line);
        } else {
            note(QStringLiteral("assignment to a non-name target"), line);
            bindNamesIn(from, to + 1, QStringLiteral("assignment to a non-name target"));
        }
        if (annotated)
            break;
    }
    // `revision = 'ae10'` / `depends_on = None`, four times in every script: a single
    // plain literal needs no expression parser (it showed in `upgrade --sql` profiles).
    const int from = equals.last() + 1;
    if (end - from == 1) {
        const PyToken &v = m_t[from];
        const bool plainString = v.type == PyToken::String
                                 && !(v.flags & (PyToken::Bytes | PyToken::Formatted));
        if (plainString || v.isName(QLatin1StringView("None"))) {
            const PyValue value = plainString ? PyValue::string(v.value) : PyValue::none();
            for (const QString &name : names)
                m_scope.bind(name, ScriptBinding{ScriptBinding::Value, value, {}, {}, line});
            return {};
        }
    }
    ScriptExpression expr(m_t, from, end, m_scope, m_fileName);
    PyValue value;
    const auto s = expr.evaluate(&value);
    if (s == ScriptExpression::Failed)
        return expr.error();
    // `log = logging.getLogger(__name__)`: a logger the functions may log to.
    const std::optional<PyValue> logger = s == ScriptExpression::Needs
        ? EffectInterpreter::loggerValue(m_t, equals.last() + 1, end, m_scope, m_fileName) : std::nullopt;
    for (const QString &name : names) {
        if (logger)
            m_scope.bind(name, ScriptBinding{ScriptBinding::Value, *logger, {}, {}, line});
        else if (s == ScriptExpression::Needs)
            bindOpaque(name, expr.needs().reason, line);
        else
            m_scope.bind(name, ScriptBinding{ScriptBinding::Value, value, {}, {}, line});
    }
    return {};
}

} // namespace retort
