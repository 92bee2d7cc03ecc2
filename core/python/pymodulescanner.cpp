#include "pymodulescanner.h"

#include "pyexpressionparser.h"
#include "pylexer.h"

#include <QSet>

namespace retort {

namespace {

class Scanner
{
public:
    explicit Scanner(const QString &file) : m_file(file) {}
    // Statements never span two calls (PyLexer::tokenizeChunked cuts after a NEWLINE).
    void feed(const QVector<PyToken> &tokens);
    PyModule take() { return std::move(m_module); }

private:
    void statement(int begin, int end);
    void simpleStatement(int begin, int end);
    void compoundHeader(int begin, int end);
    void importStatement(int begin, int end);
    void assignment(int begin, int end, const QVector<int> &equals);
    void bindTarget(int begin, int end, const Result<PyValue> &value, int line);
    void bindName(const QString &name, const Result<PyValue> &value, int line);
    void unevaluable(const QString &name, const QString &reason, int line);
    bool resolveNames(PyValue &v, QString *reason) const;
    int skipNoise(int i, int end) const;
    bool isDeadIf(int begin, int end) const;

    const QVector<PyToken> *m_t = nullptr;   // the chunk being scanned
    // Block kinds: bodies of def/class are never evaluated; bodies of module-level
    // if/try/with/for/while may run, so names bound there become unevaluable.
    QVector<bool> m_functionBlock{false};
    bool m_lastWasDef = false;
    QString m_file;
    PyModule m_module;
    bool m_first = true;
    bool m_conditional = false;   // inside a module-level compound statement's body
};

bool isOpen(const PyToken &t)
{
    return t.type == PyToken::Op && t.text.size() == 1
           && (t.text[0] == u'(' || t.text[0] == u'[' || t.text[0] == u'{');
}

bool isClose(const PyToken &t)
{
    return t.type == PyToken::Op && t.text.size() == 1
           && (t.text[0] == u')' || t.text[0] == u']' || t.text[0] == u'}');
}

void Scanner::feed(const QVector<PyToken> &tokens)
{
    m_t = &tokens;
    QVector<bool> &functionBlock = m_functionBlock;
    bool &lastWasDef = m_lastWasDef;
    const int n = int(m_t->size());
    for (int i = 0; i < n;) {
        const PyToken &t = (*m_t)[i];
        switch (t.type) {
        case PyToken::Indent:
            functionBlock.append(functionBlock.last() || lastWasDef);
            ++i;
            continue;
        case PyToken::Dedent:
            functionBlock.removeLast();
            ++i;
            continue;
        case PyToken::Nl:
        case PyToken::Comment:
        case PyToken::Newline: ++i; continue;
        case PyToken::EndMarker: i = n; continue;
        default: break;
        }
        int end = i;
        while (end < n && (*m_t)[end].type != PyToken::Newline && (*m_t)[end].type != PyToken::EndMarker)
            ++end;
        lastWasDef = t.isName(QLatin1StringView("def")) || t.isName(QLatin1StringView("class"))
                     || (t.isName(QLatin1StringView("async")) && i + 1 < end
                         && (*m_t)[i + 1].isName(QLatin1StringView("def")))
                     || isDeadIf(i, end);
        if (!functionBlock.last()) {
            m_conditional = functionBlock.size() > 1;
            statement(i, end);
        }
        m_first = false;
        i = end + 1;
    }
}

// `if False:` / `if 0:` / `if TYPE_CHECKING:` bodies never run at import time.
bool Scanner::isDeadIf(int begin, int end) const
{
    if (!(*m_t)[begin].isName(QLatin1StringView("if")))
        return false;
    QString cond;
    for (int i = begin + 1; i < end && !(*m_t)[i].isOp(QLatin1StringView(":")); ++i)
        cond += (*m_t)[i].text;
    return cond == u"False" || cond == u"0" || cond == u"None" || cond == u"TYPE_CHECKING"
           || cond == u"typing.TYPE_CHECKING";
}

int Scanner::skipNoise(int i, int end) const
{
    while (i < end && ((*m_t)[i].type == PyToken::Nl || (*m_t)[i].type == PyToken::Comment))
        ++i;
    return i;
}

// One logical line: simple statements separated by ';', or a compound statement header.
void Scanner::statement(int begin, int end)
{
    const PyToken &head = (*m_t)[begin];
    if (m_first) {
        int i = begin;
        bool allStrings = true;
        QString doc;
        for (; i < end && (*m_t)[i].type != PyToken::Op; ++i) {
            const PyToken &s = (*m_t)[i];
            if (s.type == PyToken::Nl || s.type == PyToken::Comment)
                continue;
            if (s.type != PyToken::String || (s.flags & (PyToken::Bytes | PyToken::Formatted))) {
                allStrings = false;
                break;
            }
            doc += s.value;
        }
        if (allStrings && i > begin && (i == end || (*m_t)[i].isOp(QLatin1StringView(";"))))
            m_module.setDocstring(doc);
    }
    if (head.type == PyToken::Name) {
        const QString &w = head.text;
        if (w == u"def" || w == u"class") {
            if (begin + 1 < end && (*m_t)[begin + 1].type == PyToken::Name)
                unevaluable((*m_t)[begin + 1].text, w == u"def" ? QStringLiteral("function")
                                                             : QStringLiteral("class"), head.line);
            return;
        }
        if (w == u"async" && begin + 2 < end && (*m_t)[begin + 1].isName(QLatin1StringView("def"))) {
            unevaluable((*m_t)[begin + 2].text, QStringLiteral("function"), head.line);
            return;
        }
        static const QSet<QString> compound = {"if", "elif", "else", "for", "while", "try",
                                               "except", "finally", "with", "async", "match"};
        if (compound.contains(w) && !(w == u"match" && begin + 1 < end
                                      && (*m_t)[begin + 1].type == PyToken::Op)) {
            compoundHeader(begin, end);
            return;   // the body follows as an indented block (scanned as conditional)
        }
    }
    if (head.isOp(QLatin1StringView("@")))
        return;   // decorator line
    int depth = 0;
    int start = begin;
    for (int i = begin; i < end; ++i) {
        if (isOpen((*m_t)[i]))
            ++depth;
        else if (isClose((*m_t)[i]))
            --depth;
        else if (depth == 0 && (*m_t)[i].isOp(QLatin1StringView(";"))) {
            if (i > start)
                simpleStatement(start, i);
            start = i + 1;
        }
    }
    if (end > start)
        simpleStatement(start, end);
}

// Names bound by a compound statement's header (for x in / with .. as x / except .. as x)
// and by a one-line body (`if x: y = 1`) are conditional.
void Scanner::compoundHeader(int begin, int end)
{
    m_first = false;   // a body is never the module docstring
    if (isDeadIf(begin, end))
        return;
    const bool saved = m_conditional;
    m_conditional = true;
    int depth = 0;
    int colon = -1;
    for (int i = begin; i < end; ++i) {
        const PyToken &t = (*m_t)[i];
        if (isOpen(t))
            ++depth;
        else if (isClose(t))
            --depth;
        else if (depth == 0 && t.isOp(QLatin1StringView(":")) && colon < 0)
            colon = i;
        else if (depth == 0 && (t.isName(QLatin1StringView("as")) || t.isName(QLatin1StringView("for")))
                 && i + 1 < end && (*m_t)[i + 1].type == PyToken::Name)
            unevaluable((*m_t)[i + 1].text, QStringLiteral("bound conditionally"), t.line);
    }
    if (colon >= 0 && colon + 1 < end)
        statement(colon + 1, end);
    m_conditional = saved;
}

void Scanner::simpleStatement(int begin, int end)
{
    begin = skipNoise(begin, end);
    if (begin >= end)
        return;
    const PyToken &head = (*m_t)[begin];
    if (head.isName(QLatin1StringView("import")) || head.isName(QLatin1StringView("from"))) {
        importStatement(begin, end);
        return;
    }
    QVector<int> equals;
    int depth = 0;
    for (int i = begin; i < end; ++i) {
        const PyToken &t = (*m_t)[i];
        if (isOpen(t))
            ++depth;
        else if (isClose(t))
            --depth;
        else if (depth == 0 && t.type == PyToken::Op) {
            if (t.text == u"=")
                equals.append(i);
            else if (t.text.size() >= 2 && t.text.endsWith(u'=') && t.text != u"=="
                     && t.text != u"<=" && t.text != u">=" && t.text != u"!=" && t.text != u":="
                     && head.type == PyToken::Name && i == begin + 1)
                unevaluable(head.text, QStringLiteral("augmented assignment"), head.line);
        }
    }
    if (!equals.isEmpty())
        assignment(begin, end, equals);
}

void Scanner::importStatement(int begin, int end)
{
    const bool from = (*m_t)[begin].text == u"from";
    int i = begin + 1;
    QString module;
    if (from) {
        for (; i < end && !(*m_t)[i].isName(QLatin1StringView("import")); ++i)
            module += (*m_t)[i].text;
        ++i;
    }
    // Each comma-separated alias: dotted.name [as alias].
    QString dotted;
    QString alias;
    bool inAlias = false;
    auto flush = [&]() {
        if (dotted.isEmpty())
            return;
        QString bound = alias;
        if (bound.isEmpty())
            bound = from ? dotted : dotted.section(u'.', 0, 0);
        m_module.addImport(from ? QStringLiteral("from %1 import %2").arg(module, dotted)
                                : dotted);
        if (bound != u"*")
            unevaluable(bound, QStringLiteral("import"), (*m_t)[begin].line);
        dotted.clear();
        alias.clear();
        inAlias = false;
    };
    for (; i < end; ++i) {
        const PyToken &t = (*m_t)[i];
        if (t.isOp(QLatin1StringView(",")))
            flush();
        else if (t.isName(QLatin1StringView("as")))
            inAlias = true;
        else if (t.type == PyToken::Name || t.isOp(QLatin1StringView(".")) || t.isOp(QLatin1StringView("*")))
            (inAlias ? alias : dotted) += t.text;
    }
    flush();
}

void Scanner::assignment(int begin, int end, const QVector<int> &equals)
{
    const int valueBegin = equals.last() + 1;
    Result<PyValue> value = PyExpressionParser(*m_t, valueBegin, end, m_file).parse();
    if (value) {
        QString reason;
        PyValue v = *value;
        if (resolveNames(v, &reason))
            value = v;
        else
            value = Error(reason, m_file, (*m_t)[begin].line);
    }
    int targetBegin = begin;
    for (int eq : equals) {
        bindTarget(targetBegin, eq, value, (*m_t)[begin].line);
        targetBegin = eq + 1;
    }
}

// Target forms: NAME, NAME ':' annotation, a, b / (a, b) / [a, b]; others are ignored.
void Scanner::bindTarget(int begin, int end, const Result<PyValue> &value, int line)
{
    begin = skipNoise(begin, end);
    if (begin >= end)
        return;
    if ((*m_t)[begin].type == PyToken::Name && (begin + 1 == end || (*m_t)[begin + 1].isOp(QLatin1StringView(":")))) {
        bindName((*m_t)[begin].text, value, line);
        return;
    }
    // Tuple unpacking: collect plain names separated by commas.
    QStringList names;
    bool plain = true;
    for (int i = begin; i < end; ++i) {
        const PyToken &t = (*m_t)[i];
        if (t.type == PyToken::Name)
            names.append(t.text);
        else if (!(t.isOp(QLatin1StringView(",")) || isOpen(t) || isClose(t)
                   || t.type == PyToken::Nl || t.type == PyToken::Comment))
            plain = false;
    }
    if (!plain || names.isEmpty())
        return;   // attribute or subscript targets bind no module name
    const bool unpackable = value && value->isSequence() && value->items().size() == names.size();
    for (int k = 0; k < names.size(); ++k) {
        if (unpackable)
            bindName(names[k], value->items()[k], line);
        else
            unevaluable(names[k], QStringLiteral("tuple unpacking"), line);
    }
}

void Scanner::bindName(const QString &name, const Result<PyValue> &value, int line)
{
    if (m_conditional) {
        unevaluable(name, QStringLiteral("assigned conditionally (inside a compound statement)"), line);
        return;
    }
    if (!value) {
        unevaluable(name, value.error().message, line);
        return;
    }
    m_module.bind({name, *value, true, {}, line});
}

void Scanner::unevaluable(const QString &name, const QString &reason, int line)
{
    m_module.bind({name, PyValue(), false, reason, line});
}

// Replaces plain names bound earlier in the module by their values (in containers too);
// a name bound to something unevaluable makes the whole value unevaluable.
bool Scanner::resolveNames(PyValue &v, QString *reason) const
{
    switch (v.kind()) {
    case PyValue::Name: {
        if (v.toStr().contains(u'.'))
            return true;
        const PyBinding *b = m_module.binding(v.toStr());
        if (!b)
            return true;   // builtin or unknown: stays a Name
        if (!b->evaluable) {
            *reason = QStringLiteral("refers to '%1' (%2)").arg(v.toStr(), b->reason);
            return false;
        }
        v = b->value;
        return true;
    }
    case PyValue::Tuple:
    case PyValue::List:
    case PyValue::Set: {
        QVector<PyValue> items = v.items();
        for (PyValue &item : items)
            if (!resolveNames(item, reason))
                return false;
        v = v.kind() == PyValue::Tuple ? PyValue::tuple(items)
            : v.kind() == PyValue::List ? PyValue::list(items) : PyValue::set(items);
        return true;
    }
    case PyValue::Dict: {
        auto items = v.dictItems();
        for (auto &kv : items)
            if (!resolveNames(kv.first, reason) || !resolveNames(kv.second, reason))
                return false;
        v = PyValue::dict(items);
        return true;
    }
    default: return true;
    }
}

} // namespace

Result<PyModule> PyModuleScanner::scan(const QString &source, const QString &fileName)
{
    auto tokens = PyLexer::tokenize(source, fileName);
    if (!tokens)
        return tokens.error();
    return scanTokens(*tokens, fileName);
}

Result<PyModule> PyModuleScanner::scanTokens(const QVector<PyToken> &tokens, const QString &fileName)
{
    Scanner scanner(fileName);
    scanner.feed(tokens);
    return scanner.take();
}

Result<PyModule> PyModuleScanner::scanStreaming(const QString &source, const QString &fileName,
                                                PyLexer::Mode mode)
{
    // A few thousand tokens at a time: memory follows the longest statement, not the file.
    constexpr int kChunkTokens = 4096;
    Scanner scanner(fileName);
    auto lexed = PyLexer::tokenizeChunked(source, fileName, mode, kChunkTokens,
                                          [&scanner](const QVector<PyToken> &chunk) {
                                              scanner.feed(chunk);
                                              return VoidResult();
                                          });
    if (!lexed)
        return lexed.error();
    return scanner.take();
}

Result<PyModule> PyModuleScanner::scanFile(const QString &path)
{
    auto source = PyLexer::readSourceFile(path);
    if (!source)
        return source.error();
    return scan(*source, path);
}

} // namespace retort
