#include "makolexer.h"

#include <QRegularExpression>

namespace retort {

MakoLexer::MakoLexer(const QString &text, const QString &fileName)
    : m_text(text), m_fileName(fileName)
{
    // "\r\n" is kept: Mako copies it into the output as written.
}

Error MakoLexer::error(const QString &message, int pos) const
{
    return Error(message, m_fileName, lineAt(pos));
}

int MakoLexer::lineAt(int pos) const
{
    return int(QStringView(m_text).left(pos).count(QLatin1Char('\n'))) + 1;
}

bool MakoLexer::atLineStart() const
{
    return m_pos == 0 || m_text.at(m_pos - 1) == QLatin1Char('\n');
}

Result<QVector<MakoNode>> MakoLexer::lex()
{
    while (m_pos < m_text.size()) {
        Result<bool> matched = matchExpression();
        if (matched && !*matched && !matchControlLine()) {
            matched = matchUnsupportedTag();
            if (matched && !*matched)
                matched = matchPythonBlock();
            if (matched && !*matched)
                matchText();
        }
        if (!matched)
            return matched.error();
    }
    return m_nodes;
}

Result<int> MakoLexer::scanCode(int from, const QStringList &ends, bool watchNesting, QString *which) const
{
    static const QRegularExpression comment(QStringLiteral("\\G#.*\\n"));
    static const QRegularExpression literal(
        QStringLiteral("\\G(\"\"\"|'''|\"|')[^\\\\]*?(\\\\.[^\\\\]*?)*\\1"),
        QRegularExpression::DotMatchesEverythingOption);
    int pos = from;
    int depth = 0;   // braces + parens + brackets, as Mako counts them
    auto countNesting = [&depth](QStringView chunk) {
        for (QChar c : chunk) {
            if (c == QLatin1Char('{') || c == QLatin1Char('(') || c == QLatin1Char('['))
                ++depth;
            else if (c == QLatin1Char('}') || c == QLatin1Char(')') || c == QLatin1Char(']'))
                --depth;
        }
    };
    while (pos < m_text.size()) {
        QRegularExpressionMatch m = comment.match(m_text, pos);
        if (!m.hasMatch())
            m = literal.match(m_text, pos);
        if (m.hasMatch()) {
            pos = m.capturedEnd();
            continue;
        }
        const auto end = std::find_if(ends.begin(), ends.end(),
                                      [&](const QString &e) { return m_text.mid(pos).startsWith(e); });
        if (end != ends.end()) {
            if (!watchNesting || depth <= 0) {
                *which = *end;
                return pos;
            }
            countNesting(*end);
            pos += end->size();
            continue;
        }
        int next = pos;
        while (next < m_text.size() && !QStringLiteral("\"'#").contains(m_text.at(next))
               && std::none_of(ends.begin(), ends.end(),
                               [&](const QString &e) { return QStringView(m_text).mid(next).startsWith(e); }))
            ++next;
        if (next == pos)   // a lone quote or '#' that opens no string or comment
            ++next;
        countNesting(QStringView(m_text).mid(pos, next - pos));
        pos = next;
    }
    return error(QStringLiteral("Expected: %1").arg(ends.join(QLatin1Char(','))), from);
}

Result<bool> MakoLexer::matchExpression()
{
    if (!m_text.mid(m_pos).startsWith(QLatin1String("${")))
        return false;
    const int start = m_pos;
    QString end;
    Result<int> codeEnd = scanCode(m_pos + 2, {QStringLiteral("|"), QStringLiteral("}")}, true, &end);
    if (!codeEnd)
        return codeEnd.error();
    MakoNode node;
    node.kind = MakoNode::Expression;
    node.line = lineAt(start);
    node.text = m_text.mid(m_pos + 2, *codeEnd - m_pos - 2).replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    m_pos = *codeEnd + 1;
    if (end == QLatin1String("|")) {
        Result<int> filterEnd = scanCode(m_pos, {QStringLiteral("}")}, true, &end);
        if (!filterEnd)
            return filterEnd.error();
        for (const QString &f : m_text.mid(m_pos, *filterEnd - m_pos).split(QLatin1Char(','))) {
            if (!f.trimmed().isEmpty())
                node.filters.append(f.trimmed());
        }
        m_pos = *filterEnd + 1;
    }
    m_nodes.append(node);
    return true;
}

bool MakoLexer::matchControlLine()
{
    static const QRegularExpression re(
        QStringLiteral("\\G[\\t ]*(%(?!%)|##)[\\t ]*((?:\\\\\\r?\\n|[^\\r\\n])*)(?:\\r?\\n|$)"));
    if (!atLineStart())
        return false;
    const QRegularExpressionMatch m = re.match(m_text, m_pos);
    if (!m.hasMatch())
        return false;
    const int start = m_pos;
    m_pos = m.capturedEnd();
    if (m.captured(1) == QLatin1String("##"))
        return true;   // comment line: no output at all
    MakoNode node;
    node.kind = MakoNode::Control;
    node.line = lineAt(start);
    node.text = m.captured(2).trimmed();
    static const QRegularExpression keyword(QStringLiteral("^(end)?(\\w+)"));
    const QRegularExpressionMatch k = keyword.match(node.text);
    node.isEnd = k.hasMatch() && !k.captured(1).isEmpty();
    node.keyword = k.captured(2);
    m_nodes.append(node);
    return true;
}

Result<bool> MakoLexer::matchUnsupportedTag()
{
    static const QRegularExpression doc(QStringLiteral("\\G<%doc>.*?</%doc>"),
                                        QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tag(QStringLiteral("\\G</?%[\\w.:]+"));
    const QRegularExpressionMatch d = doc.match(m_text, m_pos);
    if (d.hasMatch()) {
        m_pos = d.capturedEnd();
        return true;
    }
    const QRegularExpressionMatch t = tag.match(m_text, m_pos);
    if (t.hasMatch())
        return error(QStringLiteral("unsupported Mako tag '%1>'").arg(t.captured(0)), m_pos);
    return false;
}

Result<bool> MakoLexer::matchPythonBlock()
{
    if (!m_text.mid(m_pos).startsWith(QLatin1String("<%")))
        return false;
    const int start = m_pos;
    const bool module = m_text.mid(m_pos + 2, 1) == QLatin1String("!");
    QString end;
    const int codeStart = m_pos + (module ? 3 : 2);
    Result<int> codeEnd = scanCode(codeStart, {QStringLiteral("%>")}, false, &end);
    if (!codeEnd)
        return codeEnd.error();
    MakoNode node;
    node.kind = MakoNode::Code;
    node.module = module;
    node.line = lineAt(start);
    node.text = m_text.mid(codeStart, *codeEnd - codeStart).replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    m_nodes.append(node);
    m_pos = *codeEnd + 2;
    return true;
}

void MakoLexer::matchText()
{
    const int start = m_pos;
    int p = m_pos;
    int resume = -1;
    for (; p < m_text.size(); ++p) {
        const QStringView rest = QStringView(m_text).mid(p);
        if (p > 0 && m_text.at(p - 1) == QLatin1Char('\n')) {
            int q = p;
            while (q < m_text.size() && (m_text.at(q) == QLatin1Char(' ') || m_text.at(q) == QLatin1Char('\t')))
                ++q;
            const QStringView after = QStringView(m_text).mid(q);
            if (after.startsWith(QLatin1Char('%')) || after.startsWith(QLatin1String("##")))
                break;
        }
        if (rest.startsWith(QLatin1String("${")) || rest.startsWith(QLatin1String("<%"))
            || rest.startsWith(QLatin1String("</%")) || rest.startsWith(QLatin1String("<&"))
            || rest.startsWith(QLatin1String("</&")))
            break;
        if (rest.startsWith(QLatin1String("\\\n")) || rest.startsWith(QLatin1String("\\\r\n"))) {
            resume = p + (rest.at(1) == QLatin1Char('\r') ? 3 : 2);   // escaped newline: thrown away
            break;
        }
    }
    if (p > start) {
        MakoNode node;
        node.kind = MakoNode::Text;
        node.line = lineAt(start);
        node.text = m_text.mid(start, p - start);
        m_nodes.append(node);
    }
    // Mako's lexer steps over one character after an empty match; templates rely on
    // it for `%%` lines, so we keep the quirk.
    m_pos = resume >= 0 ? resume : (p == start ? p + 1 : p);
}

} // namespace retort
