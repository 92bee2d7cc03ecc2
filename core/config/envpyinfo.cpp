#include "envpyinfo.h"

#include "python/pyexpressionparser.h"
#include "python/pylexer.h"
#include "python/pymodulescanner.h"

#include <algorithm>

namespace retort {

namespace {

// Index of the bracket closing the one at `open`, or -1.
int matchingClose(const QVector<PyToken> &t, int open)
{
    int depth = 0;
    for (int i = open; i < t.size(); ++i) {
        if (t[i].type != PyToken::Op || t[i].text.size() != 1)
            continue;
        const QChar c = t[i].text[0];
        if (c == u'(' || c == u'[' || c == u'{')
            ++depth;
        else if ((c == u')' || c == u']' || c == u'}') && --depth == 0)
            return i;
    }
    return -1;
}

// Top-level comma-separated argument ranges of the call whose '(' is at `open`.
QVector<QPair<int, int>> splitArgs(const QVector<PyToken> &t, int open, int close)
{
    QVector<QPair<int, int>> out;
    int depth = 0;
    int start = open + 1;
    for (int i = open + 1; i < close; ++i) {
        const PyToken &tok = t[i];
        if (tok.type == PyToken::Op && tok.text.size() == 1) {
            const QChar c = tok.text[0];
            if (c == u'(' || c == u'[' || c == u'{')
                ++depth;
            else if (c == u')' || c == u']' || c == u'}')
                --depth;
            else if (c == u',' && depth == 0) {
                out.append({start, i});
                start = i + 1;
            }
        }
    }
    // Ignore an empty trailing range (trailing comma).
    int k = start;
    while (k < close && (t[k].type == PyToken::Nl || t[k].type == PyToken::Comment))
        ++k;
    if (k < close)
        out.append({start, close});
    return out;
}

int firstReal(const QVector<PyToken> &t, int i, int end)
{
    while (i < end && (t[i].type == PyToken::Nl || t[i].type == PyToken::Comment))
        ++i;
    return i;
}

bool isLiteral(const PyValue &v)
{
    switch (v.kind()) {
    case PyValue::Name:
    case PyValue::Call:
    case PyValue::Subscript: return false;
    case PyValue::Tuple:
    case PyValue::List:
    case PyValue::Set:
        for (const PyValue &i : v.items())
            if (!isLiteral(i))
                return false;
        return true;
    case PyValue::Dict:
        for (const auto &kv : v.dictItems())
            if (!isLiteral(kv.first) || !isLiteral(kv.second))
                return false;
        return true;
    default: return true;
    }
}

} // namespace

Result<EnvPyInfo> EnvPyInfo::read(const QString &path)
{
    auto source = PyLexer::readSourceFile(path);
    if (!source)
        return source.error();
    return fromSource(*source, path);
}

Result<EnvPyInfo> EnvPyInfo::fromSource(const QString &source, const QString &fileName)
{
    auto tokens = PyLexer::tokenize(source, fileName);
    if (!tokens)
        return tokens.error();
    auto module = PyModuleScanner::scanTokens(*tokens, fileName);
    if (!module)
        return module.error();
    EnvPyInfo info;
    info.m_fileName = fileName;
    info.m_module = std::make_shared<PyModule>(*module);
    if (const PyBinding *b = module->binding(QStringLiteral("target_metadata")))
        info.m_targetMetadataNone = b->evaluable && b->value.isNone();
    const QVector<PyToken> &t = *tokens;
    bool sawCurrentApp = false;
    bool sawXArgument = false;
    for (int i = 0; i < t.size(); ++i) {
        if (t[i].type != PyToken::Name)
            continue;
        if (t[i].text == u"current_app" && !sawCurrentApp) {
            sawCurrentApp = true;
            info.dynamic(t[i].line, QStringLiteral("env.py takes the database from the Flask app (current_app)"),
                         true, true);
        } else if (t[i].text == u"get_x_argument" && !sawXArgument) {
            sawXArgument = true;
            info.dynamic(t[i].line, QStringLiteral("env.py reads -x arguments (get_x_argument())"), true, false);
        } else if (i + 1 < t.size() && t[i + 1].isOp(QLatin1StringView("("))
                   && (i == 0 || t[i - 1].text != u"def")) {
            const QString &n = t[i].text;
            if (n == u"create_engine" || n == u"create_async_engine" || n == u"engine_from_config"
                || n == u"async_engine_from_config")
                info.scanEngineCall(t, i + 1);
        }
    }
    for (int i = 0; i + 3 < t.size(); ++i) {
        if (t[i].type != PyToken::Name || !t[i + 1].isOp(QLatin1StringView("."))
            || t[i + 2].type != PyToken::Name || !t[i + 3].isOp(QLatin1StringView("(")))
            continue;
        // Any receiver counts: config.set_main_option, context.config.set_main_option,
        // alembic.context.configure ...
        const QString &method = t[i + 2].text;
        if (t[i].text == u"context" && method == u"configure")
            info.scanConfigureCall(t, i + 3);
        else if (method == u"set_main_option" || method == u"set_section_option")
            info.scanSetMainOption(t, i + 3);
    }
    return info;
}

void EnvPyInfo::dynamic(int line, const QString &what, bool url, bool configure)
{
    m_dynamic.append({line, what, url, configure});
    std::stable_sort(m_dynamic.begin(), m_dynamic.end(),
                     [](const DynamicPart &a, const DynamicPart &b) { return a.line < b.line; });
}

QStringList EnvPyInfo::runtimeKeywords()
{
    return {QStringLiteral("version_table"), QStringLiteral("version_table_schema"),
            QStringLiteral("version_table_pk"), QStringLiteral("transaction_per_migration"),
            QStringLiteral("transactional_ddl")};
}

const DynamicPart *EnvPyInfo::firstDynamicPart(bool urlGiven) const
{
    for (const DynamicPart &d : m_dynamic)
        if (d.configure || (d.url && !urlGiven))
            return &d;
    return nullptr;
}

// An engine made from the ini's section (engine_from_config(config.get_section(...))) is
// what the static reading assumes; anything else is known only by running env.py.
void EnvPyInfo::scanEngineCall(const QVector<PyToken> &t, int open)
{
    const int close = matchingClose(t, open);
    if (close < 0)
        return;
    const auto args = splitArgs(t, open, close);
    if (!args.isEmpty())
        for (int k = args.first().first; k < args.first().second; ++k)
            if (t[k].type == PyToken::Name && t[k].text == u"get_section")
                return;
    dynamic(t[open].line, QStringLiteral("env.py creates its engine with %1(...) from its own URL")
                              .arg(t[open - 1].text),
            true, false);
}

void EnvPyInfo::note(int line, const QString &text)
{
    m_notes.append(QStringLiteral("%1:%2: %3").arg(m_fileName.isEmpty() ? QStringLiteral("env.py")
                                                                         : m_fileName)
                       .arg(line).arg(text));
}

// Module-level names (e.g. target_metadata) resolve to their values when known.
PyValue EnvPyInfo::resolve(const PyValue &v) const
{
    if (v.kind() == PyValue::Name && m_module)
        if (const PyValue *known = m_module->value(v.toStr()))
            return *known;
    return v;
}

void EnvPyInfo::scanConfigureCall(const QVector<PyToken> &t, int open)
{
    const int close = matchingClose(t, open);
    if (close < 0)
        return;
    ConfigureCall call;
    call.line = t[open].line;
    for (const auto &range : splitArgs(t, open, close)) {
        const int b = firstReal(t, range.first, range.second);
        if (b >= range.second)
            continue;
        if (t[b].isOp(QLatin1StringView("**")) || t[b].isOp(QLatin1StringView("*"))) {
            note(t[b].line, QStringLiteral("context.configure(): %1 arguments are not read")
                                .arg(t[b].text));
            dynamic(t[b].line, QStringLiteral("env.py passes %1 arguments to context.configure()")
                                   .arg(t[b].text), false, true);
            continue;
        }
        if (t[b].type != PyToken::Name || b + 1 >= range.second
            || !t[b + 1].isOp(QLatin1StringView("=")))
            continue;   // positional: configure() takes none in practice
        const QString kw = t[b].text;
        auto value = PyExpressionParser(t, b + 2, range.second, m_fileName).parse();
        if (!value) {
            call.unreadable.append(kw);
            note(t[b].line, QStringLiteral("context.configure(): value of '%1' cannot be read statically")
                                .arg(kw));
            if (runtimeKeywords().contains(kw))
                dynamic(t[b].line, QStringLiteral("context.configure(%1=...) cannot be read statically").arg(kw),
                        false, true);
            continue;
        }
        const PyValue resolved = resolve(*value);
        if (runtimeKeywords().contains(kw) && !isLiteral(resolved))
            dynamic(t[b].line, QStringLiteral("context.configure(%1=...) is not a literal").arg(kw), false, true);
        call.keywords.append({kw, resolved});
    }
    m_calls.append(call);
}

void EnvPyInfo::scanSetMainOption(const QVector<PyToken> &t, int open)
{
    const int close = matchingClose(t, open);
    if (close < 0)
        return;
    const auto args = splitArgs(t, open, close);
    const bool section = t[open - 1].text == u"set_section_option";
    const int keyArg = section ? 1 : 0;
    if (args.size() != keyArg + 2)
        return;
    auto key = PyExpressionParser(t, args[keyArg].first, args[keyArg].second).parse();
    if (!key || !key->isStr() || key->toStr() != u"sqlalchemy.url")
        return;
    const int line = t[open].line;
    auto value = PyExpressionParser(t, args[keyArg + 1].first, args[keyArg + 1].second).parse();
    UrlOverride url;
    url.line = line;
    const PyValue v = value ? resolve(*value) : PyValue();
    if (value && v.isStr()) {
        url.source = UrlOverride::Literal;
        url.value = v.toStr();
    } else if (value && v.kind() == PyValue::Subscript && v.target().kind() == PyValue::Name
               && v.target().toStr() == u"os.environ" && v.index().isStr()) {
        url.source = UrlOverride::Environ;
        url.envVar = v.index().toStr();
    } else if (value && (v.calleeName() == u"os.environ.get" || v.calleeName() == u"os.getenv")
               && !v.args().isEmpty() && v.args().first().isStr() && v.args().size() <= 2) {
        url.source = UrlOverride::EnvironGet;
        url.envVar = v.args().first().toStr();
        if (v.args().size() == 2 && v.args().at(1).isStr())
            url.envDefault = v.args().at(1).toStr();
        else if (v.args().size() == 2 && !v.args().at(1).isNone()) {
            note(line, QStringLiteral("sqlalchemy.url: default of %1 cannot be read statically")
                           .arg(url.envVar));
            dynamic(line, QStringLiteral("the default of %1 for sqlalchemy.url is an expression").arg(url.envVar),
                    true, false);
        }
    } else {
        note(line, QStringLiteral("sqlalchemy.url is set from an expression that cannot be read statically"));
        dynamic(line, QStringLiteral("env.py sets sqlalchemy.url from an expression"), true, false);
        return;
    }
    m_url = url;
}

std::optional<PyValue> EnvPyInfo::configureOption(const QString &keyword) const
{
    for (const ConfigureCall &call : m_calls)
        for (const auto &kw : call.keywords)
            if (kw.first == keyword && isLiteral(kw.second))
                return kw.second;
    return std::nullopt;
}

bool EnvPyInfo::configureFlag(const QString &keyword, bool defaultValue) const
{
    const auto v = configureOption(keyword);
    return (v && v->kind() == PyValue::Bool) ? v->toBool() : defaultValue;
}

std::optional<QString> EnvPyInfo::resolvedUrlOverride() const
{
    if (!m_url)
        return std::nullopt;
    if (m_url->source == UrlOverride::Literal)
        return m_url->value;
    const QByteArray name = m_url->envVar.toLocal8Bit();
    if (qEnvironmentVariableIsSet(name.constData()))
        return qEnvironmentVariable(name.constData());
    return m_url->envDefault;
}

} // namespace retort
