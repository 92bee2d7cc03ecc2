#include "fuzzmutator.h"

#include <QPair>

#include <algorithm>

namespace retort {

namespace {

// Tokens that matter to the Python, ini and Mako grammars: swapped in for real tokens.
const char *const kInteresting[] = {
    "(", ")", "[", "]", "{", "}", ":", ",", "=", ".", "\\", "\\\n", "'", "\"", "\"\"\"", "'''",
    "#", "%", "%%", "%(here)s", "%(", "${", "}", "<%", "%>", "<%!", "% if x:", "% endif",
    "% for a in b:", "% endfor", "##", "|n", "[alembic]", "[DEFAULT]", "[", "key = value",
    "\n  continued", "def ", "class ", "lambda", "not ", "-", "+", "*", "**", "@", "async ",
    "await ", "with ", " as ", "if ", "else", "for ", "yield", "return", "None", "True",
    "op.", "sa.", "batch_op.", "upgrade", "downgrade", "revision", "down_revision",
    "depends_on", "branch_labels", "f'", "b'", "rb'", "u'", "0x", "1e999", "9999999999999999999999",
    "\t", "\n    ", "\n", "\r", "\f", "\v", "\x1a", ";", "...", "->", ":=", "!=", "~",
};

const char *const kInvalidUtf8[] = {
    "\xff", "\xfe", "\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xed\xbf\xbf",
    "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\x80", "\xbf\xbf", "\xe2\x82", "\xf0\x9f\x98",
};

// Opener/closer pairs for deep nesting (closer may be empty: unary chains).
const QPair<const char *, const char *> kNesting[] = {
    {"(", ")"}, {"[", "]"}, {"{", "}"}, {"-", ""}, {"not ", ""}, {"~", ""}, {"+", ""},
    {"f(", ")"}, {"sa.Column(", ")"}, {"[(", ")]"}, {"{1:", "}"}, {"${", "}"},
    {"%(", ")s"}, {"lambda:", ""}, {"\"", ""}, {"x.", "y"}, {"    ", ""}, {"if 1:\n", ""},
};

const int kDepths[] = {10, 100, 199, 200, 201, 500, 1000, 1500, 3000, 10000, 30000, 100000};

QVector<QPair<int, int>> tokens(const QByteArray &d)
{
    QVector<QPair<int, int>> out;   // (start, length)
    int i = 0;
    const int n = d.size();
    auto isWord = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
    while (i < n) {
        int j = i + 1;
        if (isWord(d[i])) {
            while (j < n && isWord(d[j]))
                ++j;
        } else if (d[i] == ' ') {
            while (j < n && d[j] == ' ')
                ++j;
        }
        out.append({i, j - i});
        i = j;
    }
    return out;
}

} // namespace

FuzzMutator::FuzzMutator(quint64 seed) : m_rng(seed) {}

QByteArray FuzzMutator::capped(QByteArray d)
{
    if (d.size() > MaxSize)
        d.truncate(MaxSize);
    return d;
}

int FuzzMutator::insertPoint(const QByteArray &d)
{
    if (d.isEmpty())
        return 0;
    if (below(3) == 0)
        return below(int(d.size()) + 1);
    // After a random occurrence of a structural character.
    static const char anchors[] = "(=:\n[{$%";
    const char a = anchors[below(int(sizeof anchors) - 1)];
    QVector<int> hits;
    for (int i = 0; i < d.size() && hits.size() < 4096; ++i)
        if (d[i] == a)
            hits.append(i + 1);
    return hits.isEmpty() ? below(int(d.size()) + 1) : hits[below(int(hits.size()))];
}

QByteArray FuzzMutator::truncate(const QByteArray &d)
{
    return d.left(below(int(d.size()) + 1));
}

QByteArray FuzzMutator::flipBytes(const QByteArray &d)
{
    if (d.isEmpty())
        return d;
    QByteArray out = d;
    const int n = 1 + below(8);
    for (int k = 0; k < n; ++k) {
        const int at = below(int(out.size()));
        switch (below(3)) {
        case 0: out[at] = char(out[at] ^ char(1 << below(8))); break;
        case 1: out[at] = char(below(256)); break;
        default: out[at] = char(" \n\t'\"()[]{}:=%$#\\"[below(17)]); break;
        }
    }
    return out;
}

QByteArray FuzzMutator::swapTokens(const QByteArray &d)
{
    const QVector<QPair<int, int>> t = tokens(d);
    if (t.size() < 2)
        return d + kInteresting[below(int(std::size(kInteresting)))];
    QByteArray out;
    const int a = below(int(t.size()));
    const int b = below(int(t.size()));
    const int mode = below(4);
    for (int i = 0; i < t.size(); ++i) {
        QByteArray tok = d.mid(t[i].first, t[i].second);
        if (mode == 0 && i == a)
            tok = d.mid(t[b].first, t[b].second);            // swap a <-> b
        else if (mode == 0 && i == b)
            tok = d.mid(t[a].first, t[a].second);
        else if (mode == 1 && i == a)
            tok = kInteresting[below(int(std::size(kInteresting)))];   // replace
        else if (mode == 2 && i == a)
            tok += d.mid(t[b].first, t[b].second);           // duplicate elsewhere
        else if (mode == 3 && i == a)
            tok.clear();                                     // delete
        out += tok;
    }
    return out;
}

QByteArray FuzzMutator::insertNesting(const QByteArray &d)
{
    const auto &pair = kNesting[below(int(std::size(kNesting)))];
    const QByteArray open(pair.first);
    const QByteArray close(pair.second);
    int depth = kDepths[below(int(std::size(kDepths)))];
    const int unit = int(open.size() + close.size());
    depth = std::min(depth, (MaxSize - int(d.size())) / std::max(unit, 1));
    if (depth <= 0)
        return d;
    QByteArray mid = open.repeated(depth);
    mid += below(2) ? QByteArray("1") : QByteArray("x");
    if (below(4) != 0)   // usually balanced, sometimes left open
        mid += close.repeated(depth);
    const int at = insertPoint(d);
    return d.left(at) + mid + d.mid(at);
}

QByteArray FuzzMutator::insertHugeString(const QByteArray &d)
{
    const int room = MaxSize - int(d.size());
    if (room <= 16)
        return d;
    const int len = std::min(room - 8, 1 << (8 + below(10)));   // 256 B .. 128 KiB
    QByteArray body;
    switch (below(6)) {
    case 0: body = "'" + QByteArray(len, 'x') + "'"; break;
    case 1: body = "\"\"\"" + QByteArray(len, '\n') + "\"\"\""; break;
    case 2: body = QByteArray(len, 'a'); break;                    // one huge name
    case 3: body = QByteArray(len, '9'); break;                    // one huge number
    case 4: body = QByteArray("a = 1\n").repeated(len / 6); break; // many lines
    default: body = QByteArray(len, ' '); break;                   // huge indentation
    }
    const int at = insertPoint(d);
    return d.left(at) + body + d.mid(at);
}

QByteArray FuzzMutator::insertNul(const QByteArray &d)
{
    QByteArray out = d;
    const int n = 1 + below(4);
    for (int k = 0; k < n; ++k)
        out.insert(below(int(out.size()) + 1), QByteArray(1 + below(3), '\0'));
    return out;
}

QByteArray FuzzMutator::insertInvalidUtf8(const QByteArray &d)
{
    QByteArray out = d;
    const int n = 1 + below(4);
    for (int k = 0; k < n; ++k)
        out.insert(below(int(out.size()) + 1), kInvalidUtf8[below(int(std::size(kInvalidUtf8)))]);
    return out;
}

QByteArray FuzzMutator::changeLineEnds(const QByteArray &d)
{
    QByteArray out;
    out.reserve(d.size() * 2);
    const int mode = below(4);
    for (char c : d) {
        if (c != '\n') {
            out += c;
            continue;
        }
        const int m = mode == 3 ? below(3) : mode;   // 3: mixed
        out += m == 0 ? "\r\n" : m == 1 ? "\r" : "\n";
    }
    return out;
}

QByteArray FuzzMutator::insertBom(const QByteArray &d)
{
    static const char *const boms[] = {"\xef\xbb\xbf", "\xff\xfe", "\xfe\xff", "\xef\xbb\xbf\xef\xbb\xbf"};
    const QByteArray bom(boms[below(int(std::size(boms)))]);
    const int at = below(3) == 0 ? insertPoint(d) : 0;
    return d.left(at) + bom + d.mid(at);
}

QByteArray FuzzMutator::splice(const QByteArray &d, const QVector<QByteArray> &others)
{
    if (others.isEmpty())
        return d;
    const QByteArray &o = others[below(int(others.size()))];
    const int from = below(int(o.size()) + 1);
    const QByteArray chunk = o.mid(from, 1 + below(512));
    const int at = insertPoint(d);
    return d.left(at) + chunk + d.mid(at + (below(2) ? below(64) : 0));
}

QByteArray FuzzMutator::editLines(const QByteArray &d)
{
    QList<QByteArray> lines = d.split('\n');
    if (lines.isEmpty())
        return d;
    const int i = below(int(lines.size()));
    switch (below(4)) {
    case 0: lines.removeAt(i); break;
    case 1: lines.insert(i, lines[below(int(lines.size()))]); break;
    case 2: lines[i].prepend(QByteArray(1 + below(8), below(4) ? ' ' : '\t')); break;
    default:
        while (!lines[i].isEmpty() && (lines[i][0] == ' ' || lines[i][0] == '\t'))
            lines[i].remove(0, 1);
        break;
    }
    return lines.join('\n');
}

QByteArray FuzzMutator::mutate(const QByteArray &data, const QVector<QByteArray> &others,
                               QStringList *applied)
{
    QByteArray d = data;
    const int count = 1 + below(4);
    for (int k = 0; k < count; ++k) {
        switch (below(12)) {
        case 0: d = truncate(d); applied->append(QStringLiteral("truncate")); break;
        case 1: d = flipBytes(d); applied->append(QStringLiteral("flip")); break;
        case 2:
        case 3: d = swapTokens(d); applied->append(QStringLiteral("tokens")); break;
        case 4: d = insertNesting(d); applied->append(QStringLiteral("nesting")); break;
        case 5: d = insertHugeString(d); applied->append(QStringLiteral("huge")); break;
        case 6: d = insertNul(d); applied->append(QStringLiteral("nul")); break;
        case 7: d = insertInvalidUtf8(d); applied->append(QStringLiteral("utf8")); break;
        case 8: d = changeLineEnds(d); applied->append(QStringLiteral("lineends")); break;
        case 9: d = insertBom(d); applied->append(QStringLiteral("bom")); break;
        case 10: d = splice(d, others); applied->append(QStringLiteral("splice")); break;
        default: d = editLines(d); applied->append(QStringLiteral("lines")); break;
        }
        d = capped(d);
    }
    return d;
}

} // namespace retort
