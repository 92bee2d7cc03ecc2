#include "revisionheaderscan.h"

#include "python/pylimits.h"

#include <QVarLengthArray>

namespace retort {

namespace {

// A lexeme of a top-level line, as a view into the source: names, single-character
// operators ("!=" is one), other words (numbers) and strings (Str: the body).
struct Lex
{
    enum Kind { Name, Op, Str, Other };
    Kind kind;
    QStringView text;
    bool clean = true;   // Str: no backslash or CR, so the body is the value
};
using Lexes = QVarLengthArray<Lex, 48>;

bool isWordChar(char16_t u)
{
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || (u >= '0' && u <= '9');
}

bool isOpChar(char16_t u)
{
    switch (u) {
    case '(': case ')': case '[': case ']': case '{': case '}': case ':': case ',': case ';':
    case '.': case '+': case '-': case '*': case '/': case '%': case '&': case '|': case '^':
    case '~': case '<': case '>': case '=': case '@':
        return true;
    default:
        return false;
    }
}

char16_t opening(char16_t close)
{
    return close == ')' ? '(' : (close == ']' ? '[' : '{');
}

bool isOp(const Lex &l, char16_t c)
{
    return l.kind == Lex::Op && l.text.size() == 1 && l.text[0] == QChar(c);
}

class Scan
{
public:
    explicit Scan(QStringView s) : m_p(s.data()), m_end(s.data() + s.size()) {}
    std::optional<RevisionHeader> run();

private:
    bool line(Lexes *out);
    void add(Lexes *out, const Lex &l);
    bool string(Lexes *out, bool prefixed);
    bool restOfLine();
    bool body();
    bool statement(const Lexes &t, bool *expectBody);
    static bool headerValue(const Lexes &t, int from, RevisionHeader::Value *v);
    RevisionHeader::Value *header(const Lex &l);

    const QChar *m_p, *m_end;
    RevisionHeader m_h;
    bool m_first = true;
    // A very long line (a generated list ...) keeps its first kMaxLexes lexemes and, for
    // the rest, only what statement() looks at.
    static constexpr int kMaxLexes = 1024;
    struct Overflow
    {
        bool any = false, semicolon = false, star = false, headerName = false;
        Lex last{Lex::Other, {}};
    } m_overflow;
};

std::optional<RevisionHeader> Scan::run()
{
    bool expectBody = false;
    while (m_p < m_end) {
        const QChar *start = m_p;
        int col = 0;
        for (; m_p < m_end && *m_p == u' '; ++m_p)
            ++col;
        if (m_p == m_end)
            break;
        const char16_t c = m_p->unicode();
        if (c == '\t' || c == '\f')
            return std::nullopt;
        if (c == '#' || c == '\n' || c == '\r') {
            if (!restOfLine())
                return std::nullopt;
            continue;
        }
        if (col > 0) {
            // Only def/class bodies are skipped; other indented code binds module names.
            if (!expectBody)
                return std::nullopt;
            m_p = start;
            if (!body())
                return std::nullopt;
            expectBody = false;
            continue;
        }
        Lexes t;
        if (!line(&t) || !statement(t, &expectBody))
            return std::nullopt;
        m_first = false;
    }
    return std::move(m_h);
}

// Skips a comment / blank line's remainder and its line break.
bool Scan::restOfLine()
{
    while (m_p < m_end && *m_p != u'\n' && *m_p != u'\r')
        ++m_p;
    if (m_p < m_end && *m_p == u'\r') {
        if (m_p + 1 >= m_end || m_p[1] != u'\n')
            return false;   // a lone CR: leave it to the full lexer
        ++m_p;
    }
    if (m_p < m_end)
        ++m_p;
    return true;
}

// An indented block: its logical lines are checked as the lexer would (indentation,
// brackets, strings, characters) but nothing is collected. Stops before a line at column 0.
bool Scan::body()
{
    QVarLengthArray<int, 8> indents{0};
    while (m_p < m_end) {
        const QChar *start = m_p;
        int col = 0;
        for (; m_p < m_end && *m_p == u' '; ++m_p)
            ++col;
        if (m_p == m_end)
            return true;
        const char16_t c = m_p->unicode();
        if (c == '\t' || c == '\f')
            return false;
        if (c == '#' || c == '\n' || c == '\r') {
            if (!restOfLine())
                return false;
            continue;
        }
        if (col == 0) {
            m_p = start;
            return true;
        }
        if (col > indents.last()) {
            if (indents.size() >= PyLimits::MaxIndentDepth)
                return false;   // too deep: the full lexer reports it
            indents.append(col);
        } else {
            while (col < indents.last())
                indents.removeLast();
            if (col != indents.last())
                return false;   // inconsistent dedent: the full lexer reports it
        }
        if (!line(nullptr))
            return false;
    }
    return true;
}

void Scan::add(Lexes *out, const Lex &l)
{
    if (out->size() < kMaxLexes) {
        out->append(l);
        return;
    }
    m_overflow.any = true;
    m_overflow.semicolon = m_overflow.semicolon || isOp(l, ';');
    m_overflow.star = m_overflow.star || isOp(l, '*');
    m_overflow.headerName = m_overflow.headerName || header(l);
    m_overflow.last = l;
}

// One logical line from m_p (past its indentation); m_p ends after its line break.
bool Scan::line(Lexes *out)
{
    m_overflow = Overflow();
    QVarLengthArray<char16_t, 16> brackets;
    int unaryRun = 0;   // consecutive - + ~ not: the lexer refuses long runs
    while (m_p < m_end) {
        const char16_t u = m_p->unicode();
        if (u == '-' || u == '+' || u == '~'
            || (u == 'n' && m_end - m_p >= 3 && m_p[1] == u'o' && m_p[2] == u't'
                && (m_end - m_p == 3 || m_p[3].unicode() >= 128 || !isWordChar(m_p[3].unicode())))) {
            if (++unaryRun > PyLimits::MaxOperatorDepth)
                return false;   // the full lexer reports it
        } else if (u != ' ' && u != '\n' && u != '\r' && u != '#') {
            unaryRun = 0;
        }
        if (u == ' ') {
            ++m_p;
        } else if (u == '\n' || u == '\r') {
            if (u == '\r') {
                if (m_p + 1 >= m_end || m_p[1] != u'\n')
                    return false;
                ++m_p;
            }
            ++m_p;
            if (brackets.isEmpty())
                return true;
        } else if (u == '#') {
            while (m_p < m_end && *m_p != u'\n' && *m_p != u'\r')
                ++m_p;
        } else if (u == '\'' || u == '"') {
            if (!string(out, false))
                return false;
        } else if (isWordChar(u)) {
            const QChar *s = m_p;
            while (m_p < m_end && m_p->unicode() < 128 && isWordChar(m_p->unicode()))
                ++m_p;
            if (m_p < m_end && m_p->unicode() >= 128)
                return false;   // non-ASCII identifier
            if (m_p < m_end && (*m_p == u'\'' || *m_p == u'"')) {
                // A string prefix: decoding prefixed literals is the full path's job.
                if (out || !string(nullptr, true))
                    return false;
                continue;
            }
            if (out)
                add(out, {s->unicode() <= '9' && s->unicode() >= '0' ? Lex::Other : Lex::Name,
                             QStringView(s, m_p)});
        } else if (u == '!') {
            if (m_p + 1 >= m_end || m_p[1] != u'=')
                return false;
            if (out)
                add(out, {Lex::Op, QStringView(m_p, 2)});
            m_p += 2;
        } else if (isOpChar(u)) {
            if (u == '(' || u == '[' || u == '{') {
                if (brackets.size() >= PyLimits::MaxBracketDepth)
                    return false;   // too deep: the full lexer reports it
                brackets.append(u);
            } else if (u == ')' || u == ']' || u == '}') {
                if (brackets.isEmpty() || brackets.last() != opening(u))
                    return false;
                brackets.removeLast();
            }
            if (out)
                add(out, {Lex::Op, QStringView(m_p, 1)});
            ++m_p;
        } else {
            return false;   // tab, form feed, backslash, stray or non-ASCII character
        }
    }
    return brackets.isEmpty();
}

// A string literal at m_p (its quote), with the lexer's rules for escapes and triples.
bool Scan::string(Lexes *out, bool prefixed)
{
    const QChar q = *m_p;
    const bool triple = m_p + 2 < m_end && m_p[1] == q && m_p[2] == q;
    const QChar *bodyStart = m_p + (triple ? 3 : 1);
    const QChar *p = bodyStart;
    bool clean = !prefixed;
    while (p < m_end) {
        const QChar c = *p;
        if (c == u'\\') {
            clean = false;
            if (p + 2 < m_end && p[1] == u'\r' && p[2] == u'\n')
                ++p;
            p += 2;
            continue;
        }
        if (c == u'\n' || c == u'\r') {
            if (!triple)
                return false;   // unterminated: the full lexer reports it
            clean = clean && c != u'\r';
        } else if (c == q) {
            if (!triple) {
                if (out)
                    add(out, {Lex::Str, QStringView(bodyStart, p), clean});
                m_p = p + 1;
                return true;
            }
            if (p + 2 < m_end && p[1] == q && p[2] == q) {
                if (out)
                    add(out, {Lex::Str, QStringView(bodyStart, p), clean});
                m_p = p + 3;
                return true;
            }
        }
        ++p;
    }
    return false;
}

RevisionHeader::Value *Scan::header(const Lex &l)
{
    if (l.kind != Lex::Name)
        return nullptr;
    if (l.text == u"revision")
        return &m_h.revision;
    if (l.text == u"down_revision")
        return &m_h.downRevision;
    if (l.text == u"branch_labels")
        return &m_h.branchLabels;
    if (l.text == u"depends_on")
        return &m_h.dependsOn;
    return nullptr;
}

bool Scan::statement(const Lexes &t, bool *expectBody)
{
    *expectBody = false;
    if (m_first && t[0].kind == Lex::Str) {
        if (t.size() != 1 || !t[0].clean)
            return false;
        m_h.hasDocstring = true;
        m_h.docstring = t[0].text.toString();
        return true;
    }
    const Lex &last = m_overflow.any ? m_overflow.last : t.last();
    const bool endsWithColon = isOp(last, ':');
    const QStringView w0 = t[0].kind == Lex::Name ? t[0].text : QStringView();
    if (w0 == u"def" || w0 == u"class" || (w0 == u"async" && t.size() > 1 && t[1].text == u"def")) {
        const int nameAt = w0 == u"async" ? 2 : 1;
        if (nameAt >= t.size() || t[nameAt].kind != Lex::Name || header(t[nameAt]))
            return false;
        *expectBody = endsWithColon;
        return true;
    }
    if (endsWithColon)
        return false;   // if/for/try/with ...: bindings in the body are conditional
    if (isOp(t[0], '@'))
        return true;    // decorator
    const bool import = w0 == u"import" || w0 == u"from";
    for (const Lex &l : t)
        if (isOp(l, ';') || (import && isOp(l, '*')) || (header(l) && &l != &t[0]))
            return false;   // ';', star imports, and header names anywhere but as the target
    if (m_overflow.semicolon || (import && m_overflow.star) || m_overflow.headerName)
        return false;
    if (RevisionHeader::Value *v = header(t[0]))
        return !m_overflow.any && t.size() >= 3 && isOp(t[1], '=') && headerValue(t, 2, v);
    return true;
}

// None, a string, or a tuple/list of strings ("('a')" is a string).
bool Scan::headerValue(const Lexes &t, int from, RevisionHeader::Value *v)
{
    const int n = int(t.size());
    auto str = [&](int i) { return t[i].kind == Lex::Str && t[i].clean; };
    RevisionHeader::Value out;
    out.bound = true;
    if (n - from == 1 && t[from].kind == Lex::Name && t[from].text == u"None") {
        out.isNone = true;
    } else if (n - from == 1 && str(from)) {
        out.isStr = true;
        out.items.append(t[from].text.toString());
    } else if (n - from >= 2 && ((isOp(t[from], '(') && isOp(t[n - 1], ')'))
                                 || (isOp(t[from], '[') && isOp(t[n - 1], ']')))) {
        bool comma = false;
        for (int i = from + 1; i < n - 1;) {
            if (!str(i))
                return false;
            out.items.append(t[i].text.toString());
            if (++i < n - 1) {
                if (!isOp(t[i], ','))
                    return false;
                comma = true;
                ++i;
            }
        }
        out.isStr = isOp(t[from], '(') && out.items.size() == 1 && !comma;
    } else {
        return false;
    }
    *v = std::move(out);
    return true;
}

} // namespace

std::optional<RevisionHeader> RevisionHeaderScan::scan(QStringView source)
{
    return Scan(source).run();
}

} // namespace retort
