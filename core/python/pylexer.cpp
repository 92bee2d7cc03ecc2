#include "pylexer.h"

#include "pylimits.h"
#include "pystringdecoder.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QVarLengthArray>

#include <array>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace retort {

namespace {

// Operators are shared static strings so that most tokens need no allocation.
// Returns the operator's length at p (0 if none) and its shared text.
int matchOp(const QChar *p, const QChar *end, QString *text)
{
    static const QString ops3[] = {QStringLiteral("**="), QStringLiteral("//="), QStringLiteral(">>="),
                                   QStringLiteral("<<="), QStringLiteral("...")};
    static const QString ops2[] = {QStringLiteral("**"), QStringLiteral("//"), QStringLiteral(">>"),
                                   QStringLiteral("<<"), QStringLiteral("<="), QStringLiteral(">="),
                                   QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("->"),
                                   QStringLiteral("+="), QStringLiteral("-="), QStringLiteral("*="),
                                   QStringLiteral("/="), QStringLiteral("%="), QStringLiteral("&="),
                                   QStringLiteral("|="), QStringLiteral("^="), QStringLiteral("@="),
                                   QStringLiteral(":=")};
    // Indexed by character; literals (static data): a token's copy touches no reference count.
    static const QString ops1[128] = {
        {}, {}, {}, {}, {}, {}, {}, {},
        {}, {}, {}, {}, {}, {}, {}, {},
        {}, {}, {}, {}, {}, {}, {}, {},
        {}, {}, {}, {}, {}, {}, {}, {},
        {}, {}, {}, {},
        {}, QStringLiteral("%"), QStringLiteral("&"), {},
        QStringLiteral("("), QStringLiteral(")"), QStringLiteral("*"), QStringLiteral("+"),
        QStringLiteral(","), QStringLiteral("-"), QStringLiteral("."), QStringLiteral("/"),
        {}, {}, {}, {}, {}, {}, {}, {},
        {}, {}, QStringLiteral(":"), QStringLiteral(";"),
        QStringLiteral("<"), QStringLiteral("="), QStringLiteral(">"), {},
        QStringLiteral("@"), {}, {}, {},
        {}, {}, {}, {}, {}, {}, {}, {},
        {}, {}, {}, {}, {}, {}, {}, {},
        {}, {}, {}, {},
        {}, {}, {}, QStringLiteral("["),
        {}, QStringLiteral("]"), QStringLiteral("^"), {},
        {}, {}, {}, {}, {}, {}, {}, {},
        {}, {}, {}, {}, {}, {}, {}, {},
        {}, {}, {}, {}, {}, {}, {}, {},
        {}, {}, {}, QStringLiteral("{"),
        QStringLiteral("|"), QStringLiteral("}"), QStringLiteral("~"), {},
    };
    const qsizetype avail = end - p;
    // Every two- and three-character operator has one of these second characters: the
    // commonest operators ( ) , . : = go straight to the one-character table.
    const ushort second = avail >= 2 ? p[1].unicode() : 0;
    const bool longer = second == '=' || second == '>' || second == '*' || second == '/'
                        || second == '<' || second == '.';
    if (longer && avail >= 3) {
        for (const QString &o : ops3)
            if (p[0] == o[0] && p[1] == o[1] && p[2] == o[2]) {
                *text = o;
                return 3;
            }
    }
    if (longer) {
        for (const QString &o : ops2)
            if (p[0] == o[0] && p[1] == o[1]) {
                *text = o;
                return 2;
            }
    }
    const ushort u = p[0].unicode();
    if (u < 128 && !ops1[u].isEmpty()) {
        *text = ops1[u];
        return 1;
    }
    return 0;
}

bool isIdStart(QChar c)
{
    const ushort u = c.unicode();
    if (u < 128)
        return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_';
    return c.isLetter() || c.isSurrogate();
}

// ASCII identifier characters, looked up: names are most of a script's characters.
constexpr std::array<bool, 128> kAsciiIdChar = [] {
    std::array<bool, 128> table{};
    for (int u = 0; u < 128; ++u)
        table[size_t(u)] = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || (u >= '0' && u <= '9');
    return table;
}();

bool isIdCharSlow(QChar c)
{
    return c.isLetterOrNumber() || c.isMark() || c.isSurrogate();
}

inline bool isIdChar(QChar c)
{
    const ushort u = c.unicode();
    return u < 128 ? kAsciiIdChar[u] : isIdCharSlow(c);
}

const QString &emptyText()
{
    static const QString empty = QStringLiteral("");
    return empty;
}

bool isDigit(QChar c) { return c.unicode() >= '0' && c.unicode() <= '9'; }

// String prefix letters -> flags; -1 when the word is not a valid prefix.
int prefixFlags(QStringView word)
{
    if (word.size() > 2)
        return -1;
    int flags = 0;
    for (QChar c : word) {
        int f = 0;
        switch (c.toLower().unicode()) {
        case 'r': f = PyToken::Raw; break;
        case 'b': f = PyToken::Bytes; break;
        case 'f': f = PyToken::Formatted; break;
        case 'u': f = PyToken::Unicode; break;
        default: return -1;
        }
        if (flags & f)
            return -1;
        flags |= f;
    }
    if ((flags & PyToken::Unicode) && flags != PyToken::Unicode)
        return -1;
    if ((flags & PyToken::Bytes) && (flags & PyToken::Formatted))
        return -1;
    return flags;
}

class Lexer
{
public:
    Lexer(const QString &src, const QString &file, PyLexer::Mode mode)
        : m_src(src), m_file(file), m_skipBlocks(mode == PyLexer::TopLevelOnly),
          m_dropNoise(mode == PyLexer::Significant)
    {
        m_begin = src.constData();
        m_p = m_begin;
        m_end = m_begin + src.size();
        m_lineStart = m_begin;
        // Without an early exit the loop vectorizes: surrogates are rare, the whole text is read.
        unsigned surrogates = 0;
        for (const QChar *c = m_begin; c < m_end; ++c)
            surrogates |= unsigned((c->unicode() & 0xF800u) == 0xD800u);
        m_hasSurrogates = surrogates != 0;
    }

    Result<QVector<PyToken>> run();
    void setSink(int chunkTokens, const PyLexer::TokenSink *sink)
    {
        m_chunk = chunkTokens;
        m_sink = sink;
    }

private:
    Result<void> startLine(bool *skipLine);
    Result<void> lexToken();
    Result<void> lexString(const QChar *start, int flags);
    void lexNumber();
    Result<void> lexBracket(QChar c);
    void newline(PyToken::Type type, const QChar *at);
    void push(PyToken::Type type, const QChar *start, const QChar *stop, QString text);
    // Columns count code points, as Python's tokenize does.
    int column(const QChar *at) const { return column(m_lineStart, at); }
    int column(const QChar *lineStart, const QChar *at) const
    {
        int col = int(at - lineStart);
        if (m_hasSurrogates)
            for (const QChar *c = lineStart; c < at; ++c)
                col -= c->isLowSurrogate() ? 1 : 0;
        return col;
    }
    Error error(const QString &msg, int line = 0) const
    { return Error(msg, m_file, line ? line : m_line); }

    const QString &m_src;
    QString m_file;
    const QChar *m_begin, *m_p, *m_end, *m_lineStart;
    int m_line = 1;
    QVector<PyToken> m_tokens;
    // Inline storage: most scripts nest a few levels, and a lexer is made per script.
    QVarLengthArray<int, 16> m_indents{0};
    struct Open { QChar c; int line; };
    QVarLengthArray<Open, 16> m_brackets;
    bool m_continued = false;   // previous physical line ended with a backslash
    bool m_lineHasTokens = false;
    bool m_skipBlocks = false;
    bool m_dropNoise = false;
    bool m_hasSurrogates = false;
    // Names and numbers repeat: one shared QString per spelling instead of an allocation
    // per token. Keys view the source, which outlives the lexer. Bounded, so that a file of
    // distinct names does not pay for a huge table.
    QHash<QStringView, QString> m_interned;
    // tokenizeChunked(): full chunks go to the sink at the end of a logical line.
    int m_chunk = 0;
    const PyLexer::TokenSink *m_sink = nullptr;
    Error m_sinkError;
    bool m_sinkFailed = false;
    bool flushChunk();
    QString intern(QStringView text);
    // Consecutive unary-capable operators (- + ~ not): a long run nests that deep in any
    // parser, so it is refused here, where every reader of a script passes.
    int m_unaryRun = 0;

    // TopLevelOnly skips only the bodies of def/class blocks (and everything nested in them):
    // module-level if/try/with bodies still bind module names.
    QVarLengthArray<bool, 16> m_skipStack{false};
    bool m_lineIsDef = false;      // current logical line starts with def/class/async def
    int m_lineTokenCount = 0;      // tokens lexed on the current logical line
    bool m_prevLineWasDef = false;
    bool m_asyncFirst = false;
    void noteLineStart(QStringView word);
    bool skipping() const { return m_skipBlocks && m_skipStack.last(); }
};

// Hands the tokens so far to the sink; false (with m_sinkError) when it failed.
bool Lexer::flushChunk()
{
    if (auto r = (*m_sink)(m_tokens); !r) {
        m_sinkError = r.error();
        m_sinkFailed = true;
        return false;
    }
    m_tokens.clear();   // keeps the capacity for the next chunk
    return true;
}

QString Lexer::intern(QStringView text)
{
    // Spellings shared by every script of a run (op, sa, upgrade, None ...) are kept per
    // thread across lexers; their keys view the stored strings, which live as long as the
    // table. Short names only, and bounded, so that odd files do not fill it. Looked up
    // first: most names are found there, and this lexer's own table then needs no lookup.
    thread_local QHash<QStringView, QString> shared;
    // In front of it, a small direct-mapped table on length and first and last character:
    // a name met a moment ago is found with one comparison instead of a hash of its text.
    thread_local std::array<QString, 256> recent;
    if (text.size() <= 32 && !text.isEmpty()) {
        const size_t slot = (size_t(text.size()) * 31 + text.front().unicode() * 7 + text.back().unicode()) & 255;
        QString &seen = recent[slot];
        if (seen.size() == text.size() && QStringView(seen) == text)
            return seen;
        const auto known = shared.constFind(text);
        if (known != shared.constEnd()) {
            seen = *known;
            return *known;
        }
    }
    const auto it = m_interned.constFind(text);
    if (it != m_interned.constEnd())
        return *it;
    QString s = text.toString();
    if (text.size() <= 32 && shared.size() < 4096)
        shared.insert(QStringView(s), s);
    else if (m_interned.size() < 65536)
        m_interned.insert(text, s);
    return s;
}

void Lexer::push(PyToken::Type type, const QChar *start, const QChar *stop, QString text)
{
    if (type != PyToken::Indent && type != PyToken::Dedent && skipping())
        return;
    if (m_dropNoise && (type == PyToken::Nl || type == PyToken::Comment))
        return;
    PyToken &t = m_tokens.emplaceBack();
    t.type = type;
    if (!text.isNull())
        t.text = std::move(text);
    else if (type == PyToken::Name || type == PyToken::Number || type == PyToken::Indent)
        t.text = intern(QStringView(start, stop));
    else
        t.text = QString(start, int(stop - start));
    t.line = m_line;
    t.column = column(start);
    t.endLine = m_line;
}

void Lexer::newline(PyToken::Type type, const QChar *at)
{
    static const QString nl = QStringLiteral("\n");
    static const QString crlf = QStringLiteral("\r\n");
    int len = 0;
    if (at < m_end)
        len = (*at == u'\r' && at + 1 < m_end && at[1] == u'\n') ? 2 : 1;
    push(type, at, at + len, len == 2 ? crlf : (len == 1 ? nl : emptyText()));
    m_p = at + len;
    ++m_line;
    m_lineStart = m_p;
}

// Indentation at the start of a logical line; blank and comment-only lines skip it.
Result<void> Lexer::startLine(bool *skipLine)
{
    int col = 0;
    const QChar *p = m_p;
    for (; p < m_end; ++p) {
        if (*p == u' ')
            ++col;
        else if (*p == u'\t')
            col = (col / 8 + 1) * 8;
        else if (*p == u'\f')
            col = 0;
        else
            break;
    }
    if (p == m_end || *p == u'#' || *p == u'\n' || *p == u'\r') {
        *skipLine = true;   // NL (and COMMENT) only, no INDENT/DEDENT
        m_p = p;
        return {};
    }
    *skipLine = false;
    if (col > m_indents.last()) {
        if (m_indents.size() >= PyLimits::MaxIndentDepth)
            return error(QString::fromLatin1(PyLimits::TooManyIndents));
        m_indents.append(col);
        m_skipStack.append(m_skipStack.last() || m_prevLineWasDef);
        push(PyToken::Indent, m_p, p, {});
    } else {
        while (col < m_indents.last()) {
            m_indents.removeLast();
            m_skipStack.removeLast();
            push(PyToken::Dedent, p, p, emptyText());
        }
        if (col != m_indents.last())
            return error(QStringLiteral("unindent does not match any outer indentation level"));
    }
    m_p = p;
    return {};
}

Result<QVector<PyToken>> Lexer::run()
{
    m_tokens.reserve(m_sink ? m_chunk + 256 : (m_skipBlocks ? 64 : m_src.size() / 4 + 8));
    while (m_p < m_end) {
        if (m_sinkFailed)
            return m_sinkError;
        if (m_brackets.isEmpty() && !m_continued && !m_lineHasTokens) {
            bool skip = false;
            if (auto r = startLine(&skip); !r)
                return r.error();
            if (skip) {
                if (m_p < m_end && *m_p == u'#') {
                    const QChar *s = m_p;
                    while (m_p < m_end && *m_p != u'\n' && *m_p != u'\r')
                        ++m_p;
                    push(PyToken::Comment, s, m_p, {});
                }
                if (m_p < m_end)
                    newline(PyToken::Nl, m_p);
                continue;
            }
        }
        m_continued = false;
        if (*m_p == u' ') {   // the commonest character: no call (and Result) per space
            ++m_p;
            continue;
        }
        if (auto r = lexToken(); !r)
            return r.error();
    }
    if (m_continued)
        return error(QStringLiteral("unexpected EOF while parsing"));
    if (!m_brackets.isEmpty()) {
        const Open &o = m_brackets.last();
        return error(QStringLiteral("'%1' was never closed").arg(o.c), o.line);
    }
    if (m_lineHasTokens) {
        push(PyToken::Newline, m_p, m_p, emptyText());
        ++m_line;
        m_lineStart = m_p;
    }
    for (int i = 1; i < m_indents.size(); ++i)
        push(PyToken::Dedent, m_p, m_p, emptyText());
    push(PyToken::EndMarker, m_p, m_p, emptyText());
    return std::move(m_tokens);
}

Result<void> Lexer::lexToken()
{
    const QChar c = *m_p;
    const ushort u = c.unicode();
    if (u == ' ' || u == '\t' || u == '\f') {
        ++m_p;
        return {};
    }
    if (u == '\n' || u == '\r') {
        if (m_brackets.isEmpty() && m_lineHasTokens) {
            newline(PyToken::Newline, m_p);
            m_unaryRun = 0;
            if (m_sink && m_tokens.size() >= m_chunk && !flushChunk())
                return m_sinkError;
            m_prevLineWasDef = m_lineIsDef;
            m_lineIsDef = false;
            m_lineTokenCount = 0;
            m_lineHasTokens = false;
        } else {
            newline(PyToken::Nl, m_p);
        }
        return {};
    }
    if (u == '#') {
        const QChar *s = m_p;
        while (m_p < m_end && *m_p != u'\n' && *m_p != u'\r')
            ++m_p;
        push(PyToken::Comment, s, m_p, {});
        return {};
    }
    if (u == '\\') {
        const QChar *n = m_p + 1;
        if (n < m_end && (*n == u'\n' || *n == u'\r')) {
            m_p = n + ((*n == u'\r' && n + 1 < m_end && n[1] == u'\n') ? 2 : 1);
            ++m_line;
            m_lineStart = m_p;
            m_continued = true;
            return {};
        }
        if (n >= m_end) {
            m_p = n;
            m_continued = true;
            return {};
        }
        return error(QStringLiteral("unexpected character after line continuation character"));
    }
    m_lineHasTokens = true;
    ++m_lineTokenCount;
    const bool unary = ((u == '-' || u == '+')
                        && !(m_p + 1 < m_end && (m_p[1] == u'=' || m_p[1] == u'>')))
                       || u == '~'
                       || (u == 'n' && m_end - m_p >= 3 && m_p[1] == u'o' && m_p[2] == u't'
                           && (m_end - m_p == 3 || !isIdChar(m_p[3])));
    if (!unary)
        m_unaryRun = 0;
    else if (++m_unaryRun > PyLimits::MaxOperatorDepth)
        return error(QString::fromLatin1(PyLimits::TooManyOperators));
    if (isIdStart(c)) {
        const QChar *s = m_p;
        while (m_p < m_end && isIdChar(*m_p))
            ++m_p;
        if (m_p < m_end && (*m_p == u'\'' || *m_p == u'"')) {
            const int flags = prefixFlags(QStringView(s, m_p));
            if (flags >= 0)
                return lexString(s, flags);
        }
        if (m_lineTokenCount <= 2)
            noteLineStart(QStringView(s, m_p));
        push(PyToken::Name, s, m_p, {});
        return {};
    }
    if (isDigit(c) || (u == '.' && m_p + 1 < m_end && isDigit(m_p[1]))) {
        lexNumber();
        return {};
    }
    if (u == '\'' || u == '"')
        return lexString(m_p, 0);
    if (u == '(' || u == '[' || u == '{' || u == ')' || u == ']' || u == '}')
        return lexBracket(c);
    QString op;
    if (const int len = matchOp(m_p, m_end, &op)) {
        push(PyToken::Op, m_p, m_p + len, op);
        m_p += len;
        return {};
    }
    if (u == '!' || u == '$' || u == '?' || u == '`')
        return error(QStringLiteral("invalid syntax"));
    return error(QStringLiteral("invalid character '%1' (U+%2)")
                     .arg(c).arg(QString::number(u, 16).toUpper().rightJustified(4, u'0')));
}

void Lexer::noteLineStart(QStringView word)
{
    if (m_lineTokenCount == 1)
        m_lineIsDef = word == u"def" || word == u"class";
    else if (m_lineTokenCount == 2 && !m_lineIsDef && word == u"def")
        m_lineIsDef = m_asyncFirst;
    if (m_lineTokenCount == 1)
        m_asyncFirst = word == u"async";
}

Result<void> Lexer::lexBracket(QChar c)
{
    const QChar *s = m_p++;
    QString text;
    matchOp(s, m_end, &text);
    if (c == u'(' || c == u'[' || c == u'{') {
        if (m_brackets.size() >= PyLimits::MaxBracketDepth)
            return error(QString::fromLatin1(PyLimits::TooManyParentheses));
        m_brackets.append({c, m_line});
    } else {
        if (m_brackets.isEmpty())
            return error(QStringLiteral("unmatched '%1'").arg(c));
        const QChar open = m_brackets.last().c;
        const QChar want = open == u'(' ? u')' : (open == u'[' ? u']' : u'}');
        if (c != want) {
            const int openLine = m_brackets.last().line;
            if (openLine != m_line)
                return error(QStringLiteral("closing parenthesis '%1' does not match opening "
                                            "parenthesis '%2' on line %3").arg(c).arg(open).arg(openLine));
            return error(QStringLiteral("closing parenthesis '%1' does not match opening "
                                        "parenthesis '%2'").arg(c).arg(open));
        }
        m_brackets.removeLast();
    }
    push(PyToken::Op, s, m_p, text);
    return {};
}

void Lexer::lexNumber()
{
    const QChar *s = m_p;
    auto digits = [this](auto pred) {
        while (m_p < m_end && (pred(*m_p) || *m_p == u'_'))
            ++m_p;
    };
    auto dec = [](QChar c) { return isDigit(c); };
    if (*m_p == u'0' && m_p + 1 < m_end && QStringLiteral("xXoObB").contains(m_p[1])) {
        m_p += 2;
        digits([](QChar c) { return isDigit(c) || (c.toLower() >= u'a' && c.toLower() <= u'f'); });
    } else {
        digits(dec);
        if (m_p < m_end && *m_p == u'.') {
            ++m_p;
            digits(dec);
        }
        if (m_p < m_end && (*m_p == u'e' || *m_p == u'E')) {
            const QChar *e = m_p + 1;
            if (e < m_end && (*e == u'+' || *e == u'-'))
                ++e;
            if (e < m_end && isDigit(*e)) {
                m_p = e;
                digits(dec);
            }
        }
        if (m_p < m_end && (*m_p == u'j' || *m_p == u'J'))
            ++m_p;
    }
    push(PyToken::Number, s, m_p, {});
}

Result<void> Lexer::lexString(const QChar *start, int flags)
{
    const int startLine = m_line;
    const QChar *startLineStart = m_lineStart;
    const QChar quote = *m_p;
    const bool triple = m_p + 2 < m_end && m_p[1] == quote && m_p[2] == quote;
    const QChar *bodyStart = m_p + (triple ? 3 : 1);
    const QChar *p = bodyStart;
    const QChar *bodyEnd = nullptr;
    while (p < m_end) {
        const QChar c = *p;
        if (c == u'\\') {
            if (p + 1 < m_end && p[1] == u'\r' && p + 2 < m_end && p[2] == u'\n')
                ++p;
            if (p + 1 < m_end && (p[1] == u'\n' || p[1] == u'\r')) {
                ++m_line;
                m_lineStart = p + 2;
            }
            p += 2;
            continue;
        }
        if (c == u'\n' || c == u'\r') {
            if (!triple)
                break;
            if (!(c == u'\r' && p + 1 < m_end && p[1] == u'\n')) {
                ++m_line;
                m_lineStart = p + 1;
            }
        } else if (c == quote) {
            if (!triple) {
                bodyEnd = p;
                p += 1;
                break;
            }
            if (p + 2 < m_end && p[1] == quote && p[2] == quote) {
                bodyEnd = p;
                p += 3;
                break;
            }
        }
        ++p;
    }
    if (!bodyEnd) {
        const QString what = triple ? QStringLiteral("unterminated triple-quoted string literal")
                                    : QStringLiteral("unterminated string literal");
        // Python reports the line of the source's last character.
        const int detected = (m_end > m_begin && (m_end[-1] == u'\n' || m_end[-1] == u'\r')
                              && p >= m_end) ? m_line - 1 : m_line;
        return error(QStringLiteral("%1 (detected at line %2)").arg(what).arg(detected), startLine);
    }
    m_p = p;
    if (skipping())
        return {};
    if (triple)
        flags |= PyToken::Triple;
    PyToken t;
    t.type = PyToken::String;
    t.text = QString(start, int(p - start));
    t.flags = flags;
    t.line = startLine;
    t.column = column(startLineStart, start);
    t.endLine = m_line;
    const QStringView body(bodyStart, bodyEnd);
    if (flags & PyToken::Bytes) {
        auto decoded = PyStringDecoder::decodeBytes(body, flags & PyToken::Raw);
        if (!decoded)
            return error(decoded.error().message, startLine);
        t.value = QString::fromLatin1(*decoded);
    } else if (flags & (PyToken::Raw | PyToken::Formatted)) {
        t.value = body.toString();
    } else {
        t.value = PyStringDecoder::decodeStr(body);
    }
    m_tokens.append(std::move(t));
    return {};
}

} // namespace

Result<QVector<PyToken>> PyLexer::tokenize(const QString &source, const QString &fileName,
                                           Mode mode)
{
    return Lexer(source, fileName, mode).run();
}

Result<void> PyLexer::tokenizeChunked(const QString &source, const QString &fileName, Mode mode,
                                      int chunkTokens, const TokenSink &sink)
{
    Lexer lexer(source, fileName, mode);
    lexer.setSink(qMax(1, chunkTokens), &sink);
    auto rest = lexer.run();
    if (!rest)
        return rest.error();
    return sink(*rest);
}

Result<QString> PyLexer::decodeSource(const QByteArray &data, const QString &fileName)
{
    QByteArray bytes = data;
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    // PEP 263: the cookie may only be on line 1 or 2.
    static const QRegularExpression cookie(
        QStringLiteral("^[ \\t\\f]*#.*?coding[:=][ \\t]*([-\\w.]+)"));
    QString encoding;
    int from = 0;
    for (int lineNo = 1; lineNo <= 2 && from < bytes.size(); ++lineNo) {
        int nl = bytes.indexOf('\n', from);
        // Views, not copies: every script's first line is looked at.
        const QByteArrayView line = QByteArrayView(bytes).sliced(from, (nl < 0 ? bytes.size() : nl) - from);
        // The regex is only worth running on a line that can hold a cookie.
        const auto m = line.contains("coding") ? cookie.match(QString::fromLatin1(line))
                                               : QRegularExpressionMatch();
        if (m.hasMatch()) {
            encoding = m.captured(1).toLower().replace(u'_', u'-');
            break;
        }
        const QByteArrayView trimmed = line.trimmed();
        if (!trimmed.isEmpty() && !trimmed.startsWith('#'))
            break;   // a line 2 cookie only counts after a comment/blank line 1
        if (nl < 0)
            break;
        from = nl + 1;
    }
    static const QStringList utf8 = {"utf-8", "utf8"};
    static const QStringList latin1 = {"latin-1", "latin1", "iso-8859-1", "iso8859-1",
                                       "iso-latin-1", "l1", "cp819"};
    if (encoding.isEmpty() || utf8.contains(encoding) || encoding.startsWith(u"utf-8-")) {
        QStringDecoder dec(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString text = dec.decode(bytes);
        if (dec.hasError())
            return Error(QStringLiteral("(unicode error) 'utf-8' codec can't decode source"),
                         fileName);
        return text;
    }
    if (latin1.contains(encoding) || encoding == u"ascii" || encoding == u"us-ascii")
        return QString::fromLatin1(bytes);
    return Error(QStringLiteral("unknown encoding: %1").arg(encoding), fileName);
}

namespace {

#ifdef Q_OS_UNIX
PySourceStamp stampOf(const struct stat &st)
{
    return PySourceStamp{qint64(st.st_size), qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}
#endif

} // namespace

bool PyLexer::unchanged(const QString &path, const PySourceStamp &stamp)
{
    if (stamp.size < 0)
        return false;
#ifdef Q_OS_UNIX
    struct stat st;
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 && S_ISREG(st.st_mode)
           && stampOf(st) == stamp;
#else
    const QFileInfo fi(path);
    return fi.isFile() && PySourceStamp{fi.size(), fi.lastModified().toMSecsSinceEpoch() * 1000000} == stamp;
#endif
}

Result<QString> PyLexer::readSourceFile(const QString &path, PySourceStamp *stamp, int dirFd,
                                        const QString &name)
{
#ifdef Q_OS_UNIX
    // Plain open/fstat/read: QFile's bookkeeping showed in the profile of loading
    // thousands of small scripts. Failures take the QFile path for its error text.
    const int fd = dirFd >= 0 && !name.isEmpty()
        ? ::openat(dirFd, QFile::encodeName(name).constData(), O_RDONLY | O_CLOEXEC)
        : ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        QByteArray data;
        struct stat st;
        bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
        if (ok) {
            data.resize(qsizetype(st.st_size));
            qsizetype got = 0;
            while (ok && got < data.size()) {
                const ssize_t n = ::read(fd, data.data() + got, size_t(data.size() - got));
                if (n < 0 && errno == EINTR)
                    continue;
                ok = n > 0;   // a file shrinking under us: let QFile read it
                got += n > 0 ? n : 0;
            }
        }
        ::close(fd);
        if (ok && stamp)
            *stamp = stampOf(st);
        if (ok)
            return decodeSource(data, path);
    }
#endif
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("cannot read file %1: %2").arg(path, f.errorString()), path);
    return decodeSource(f.readAll(), path);
}

} // namespace retort
