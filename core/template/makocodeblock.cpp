#include "makocodeblock.h"

#include "makobuiltins.h"

#include <QRegularExpression>

namespace retort {

namespace {

// Splits Python source into logical lines (joins lines inside brackets or after '\').
QVector<QPair<int, QString>> logicalLines(const QString &code)
{
    QVector<QPair<int, QString>> out;
    QString current;
    int depth = 0;
    int startLine = 0;
    const QStringList lines = code.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i);
        if (current.isEmpty())
            startLine = i;
        for (QChar c : line) {
            if (c == QLatin1Char('(') || c == QLatin1Char('[') || c == QLatin1Char('{'))
                ++depth;
            else if (c == QLatin1Char(')') || c == QLatin1Char(']') || c == QLatin1Char('}'))
                --depth;
        }
        const bool continued = line.endsWith(QLatin1Char('\\'));
        if (continued)
            line.chop(1);
        current += line + QLatin1Char('\n');
        if (depth <= 0 && !continued) {
            out.append({startLine, current});
            current.clear();
            depth = 0;
        }
    }
    if (!current.trimmed().isEmpty())
        out.append({startLine, current});
    return out;
}

QStringList splitTargets(const QString &lhs)
{
    QString t = lhs.trimmed();
    if ((t.startsWith(QLatin1Char('(')) && t.endsWith(QLatin1Char(')')))
        || (t.startsWith(QLatin1Char('[')) && t.endsWith(QLatin1Char(']'))))
        t = t.mid(1, t.size() - 2);
    QStringList names;
    for (const QString &part : t.split(QLatin1Char(','))) {
        if (!part.trimmed().isEmpty())
            names.append(part.trimmed());
    }
    return names;
}

bool isIdentifier(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_]\\w*$"));
    return re.match(s).hasMatch();
}

} // namespace

Result<MakoCodeBlock::Statement> MakoCodeBlock::parseStatement(const QString &text)
{
    static const QRegularExpression importRe(QStringLiteral("^import\\s+([\\w.]+)(?:\\s+as\\s+(\\w+))?$"));
    static const QRegularExpression fromRe(
        QStringLiteral("^from\\s+([\\w.]+)\\s+import\\s+(\\w+)(?:\\s+as\\s+(\\w+))?$"));
    static const QRegularExpression assignRe(QStringLiteral("^([^=]+?)\\s*=(?!=)\\s*(.+)$"),
                                             QRegularExpression::DotMatchesEverythingOption);
    const QString s = text.trimmed();
    Statement st;
    QRegularExpressionMatch m = importRe.match(s);
    if (m.hasMatch()) {
        st.isImport = true;
        st.module = m.captured(1);
        // `import a.b` binds `a`; only plain modules are supported here anyway.
        st.targets = {m.captured(2).isEmpty() ? m.captured(1).section(QLatin1Char('.'), 0, 0) : m.captured(2)};
        return st;
    }
    m = fromRe.match(s);
    if (m.hasMatch()) {
        st.isImport = true;
        st.module = m.captured(1) + QLatin1Char('.') + m.captured(2);
        st.targets = {m.captured(3).isEmpty() ? m.captured(2) : m.captured(3)};
        return st;
    }
    m = assignRe.match(s);
    if (m.hasMatch()) {
        st.targets = splitTargets(m.captured(1));
        const bool namesOnly = !st.targets.isEmpty()
            && std::all_of(st.targets.begin(), st.targets.end(), isIdentifier);
        if (namesOnly) {
            Result<MakoExpression> value = MakoExpression::parse(m.captured(2));
            if (!value)
                return value.error();
            st.value = *value;
            return st;
        }
    }
    return Error(QStringLiteral("unsupported Python statement in template code block: %1").arg(s));
}

Result<MakoCodeBlock> MakoCodeBlock::parse(const QString &code, const QString &fileName, int firstLine)
{
    MakoCodeBlock block;
    block.m_fileName = fileName;
    for (const auto &[offset, text] : logicalLines(code)) {
        const QString trimmed = text.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')) || trimmed == QLatin1String("pass"))
            continue;
        Result<Statement> st = parseStatement(text);
        if (!st)
            return Error(st.error().message, fileName, firstLine + offset);
        st->line = firstLine + offset;
        block.m_statements.append(*st);
    }
    return block;
}

Result<void> MakoCodeBlock::assign(const QStringList &targets, const MakoValue &value,
                                   QMap<QString, MakoValue> &variables)
{
    if (targets.size() == 1) {
        variables.insert(targets.first(), value);
        return {};
    }
    MakoArgs items;
    if (value.isSequence()) {
        items = value.items();
    } else if (value.isStr()) {
        for (QChar c : value.toStr())
            items.append(MakoValue::str(QString(c)));
    } else {
        return Error(QStringLiteral("TypeError: cannot unpack non-iterable %1 object").arg(value.typeName()));
    }
    if (items.size() != targets.size())
        return Error(QStringLiteral("ValueError: expected %1 values to unpack, got %2")
                         .arg(targets.size()).arg(items.size()));
    for (int i = 0; i < targets.size(); ++i)
        variables.insert(targets.at(i), items.at(i));
    return {};
}

Result<void> MakoCodeBlock::execute(QMap<QString, MakoValue> &variables, const MakoLookup &lookup) const
{
    for (const Statement &st : m_statements) {
        if (st.isImport) {
            MakoValue module = MakoBuiltins::module(st.module);
            if (module.isUndefined()) {   // `from package.module import name`
                const MakoValue parent = MakoBuiltins::module(st.module.section(QLatin1Char('.'), 0, -2));
                Result<MakoValue> member = parent.type() == MakoValue::Object
                    ? parent.attribute(st.module.section(QLatin1Char('.'), -1)) : Result<MakoValue>(MakoValue());
                if (member)
                    module = *member;
            }
            if (module.isUndefined())
                return Error(QStringLiteral("ModuleNotFoundError: No module named '%1' (only 're' and "
                                            "'alembic.util' are available to templates)").arg(st.module),
                             m_fileName, st.line);
            variables.insert(st.targets.first(), module);
            continue;
        }
        Result<MakoValue> v = st.value.evaluate(lookup);
        if (!v)
            return Error(v.error().message, m_fileName, st.line);
        Result<void> assigned = assign(st.targets, *v, variables);
        if (!assigned)
            return Error(assigned.error().message, m_fileName, st.line);
    }
    return {};
}

} // namespace retort
