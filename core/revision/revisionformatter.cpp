#include "revisionformatter.h"

namespace retort {

namespace {

// Python's str.splitlines() (no keepends).
QStringList pySplitLines(const QString &text)
{
    QStringList lines;
    QString current;
    for (int i = 0; i < text.size(); ++i) {
        const ushort c = text[i].unicode();
        const bool isBreak = c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c
            || c == 0x1d || c == 0x1e || c == 0x85 || c == 0x2028 || c == 0x2029;
        if (!isBreak) {
            current.append(text[i]);
            continue;
        }
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n'))
            ++i;
        lines.append(current);
        current.clear();
    }
    if (!current.isEmpty())
        lines.append(current);
    return lines;
}

QString flag(bool on, const char *text)
{
    return on ? QString::fromLatin1(text) : QString();
}

} // namespace

QString RevisionFormatter::formatAsComma(const QStringList &values)
{
    return values.join(QStringLiteral(", "));
}

QString RevisionFormatter::formatDownRevision(const RevisionNode &node)
{
    if (node.downRevisions().isEmpty())
        return QStringLiteral("<base>");
    return formatAsComma(node.downRevisions());
}

QString RevisionFormatter::toString(const RevisionNode &node)
{
    return QStringLiteral("%1 -> %2%3%4%5, %6")
        .arg(formatDownRevision(node), node.id(), flag(node.isHead(), " (head)"),
             flag(node.isBranchPoint(), " (branchpoint)"),
             flag(node.isMergePoint(), " (mergepoint)"), node.doc());
}

QString RevisionFormatter::logEntry(const RevisionNode &node, bool current)
{
    QString entry = QStringLiteral("Rev: %1%2%3%4%5\n")
                        .arg(node.id(), flag(node.isHead(), " (head)"),
                             flag(node.isBranchPoint(), " (branchpoint)"),
                             flag(node.isMergePoint(), " (mergepoint)"),
                             flag(current, " (current)"));
    entry += (node.isMergePoint() ? QStringLiteral("Merges: ") : QStringLiteral("Parent: "))
        + formatDownRevision(node) + QLatin1Char('\n');
    if (!node.dependencies().isEmpty())
        entry += QStringLiteral("Also depends on: ") + formatAsComma(node.dependencies())
            + QLatin1Char('\n');
    if (node.isBranchPoint())
        entry += QStringLiteral("Branches into: ") + formatAsComma(node.nextRevisions())
            + QLatin1Char('\n');
    if (!node.branchLabels().isEmpty())
        entry += QStringLiteral("Branch names: ") + formatAsComma(node.branchLabels())
            + QLatin1Char('\n');
    entry += QStringLiteral("Path: ") + node.path() + QLatin1Char('\n');
    QStringList paragraphs;
    for (const QString &line : pySplitLines(node.longDoc()))
        paragraphs.append(QStringLiteral("    ") + line);
    entry += QLatin1Char('\n') + paragraphs.join(QLatin1Char('\n')) + QLatin1Char('\n');
    return entry;
}

QString RevisionFormatter::headOnly(const RevisionNode &node, bool includeBranches,
                                    bool includeDoc, bool includeParents, bool treeIndicators,
                                    bool headIndicators, bool current)
{
    QString text = node.id();
    if (includeParents) {
        if (!node.dependencies().isEmpty())
            text = formatDownRevision(node) + QStringLiteral(" (")
                + formatAsComma(node.dependencies()) + QStringLiteral(") -> ") + text;
        else
            text = formatDownRevision(node) + QStringLiteral(" -> ") + text;
    }
    if (includeBranches && !node.branchLabels().isEmpty())
        text += QStringLiteral(" (") + formatAsComma(node.branchLabels()) + QLatin1Char(')');
    if (headIndicators || treeIndicators) {
        text += flag(node.isRealHead(), " (head)");
        text += flag(node.isHead() && !node.isRealHead(), " (effective head)");
        text += flag(current, " (current)");
    }
    if (treeIndicators) {
        text += flag(node.isBranchPoint(), " (branchpoint)");
        text += flag(node.isMergePoint(), " (mergepoint)");
    }
    if (includeDoc)
        text += QStringLiteral(", ") + node.doc();
    return text;
}

QString RevisionFormatter::cmdFormat(const RevisionNode &node, bool verbose,
                                     bool includeBranches, bool includeDoc,
                                     bool includeParents, bool treeIndicators, bool current)
{
    if (verbose)
        return logEntry(node, current);
    // cmd_format passes head_indicators positionally as its default (True).
    return headOnly(node, includeBranches, includeDoc, includeParents, treeIndicators, true,
                    current);
}

} // namespace retort
