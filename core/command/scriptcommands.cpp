#include "scriptcommands.h"

#include "command/commandcontext.h"
#include "revision/revisionformatter.h"

namespace retort {

VoidResult ScriptCommands::heads(CommandContext &context)
{
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    const bool verbose = context.args().flag(QStringLiteral("verbose"));
    auto nodes = context.args().flag(QStringLiteral("resolve_dependencies"))
        ? (*graph)->revisions(QStringLiteral("heads")).toResult()
        : (*graph)->revisions((*graph)->heads()).toResult();
    if (!nodes)
        return nodes.error();
    for (const RevisionNode *node : *nodes)
        context.out().printStdout(RevisionFormatter::cmdFormat(*node, verbose, true, false, false, false));
    return {};
}

VoidResult ScriptCommands::branches(CommandContext &context)
{
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    const bool verbose = context.args().flag(QStringLiteral("verbose"));
    auto walk = (*graph)->walkRevisions();
    if (!walk)
        return walk.error();
    for (const RevisionNode *node : *walk) {
        if (!node || !node->isBranchPoint())
            continue;
        QStringList children;
        const QString pad(node->id().size(), QLatin1Char(' '));
        for (const QString &childId : node->nextRevisions()) {
            const RevisionNode *child = (*graph)->node(childId);
            children << QStringLiteral("%1 -> %2").arg(
                pad, RevisionFormatter::cmdFormat(*child, false, true, verbose));
        }
        context.out().printStdout(RevisionFormatter::cmdFormat(*node, verbose, true) + QLatin1Char('\n')
                                  + children.join(QLatin1Char('\n')) + QLatin1Char('\n'));
    }
    return {};
}

VoidResult ScriptCommands::show(CommandContext &context, const QString &rev,
                                const QStringList &currentHeads)
{
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    auto nodes = rev == QLatin1String("current") ? (*graph)->revisions(currentHeads).toResult()
                                                  : (*graph)->revisions(rev).toResult();
    if (!nodes)
        return nodes.error();
    for (const RevisionNode *node : *nodes)
        if (node)
            context.out().printStdout(RevisionFormatter::logEntry(*node));
    return {};
}

Result<void> ScriptCommands::checkHistoryRange(const QString &range)
{
    if (!range.contains(QLatin1Char(':')))
        return Error(QStringLiteral("History range requires [start]:[end], [start]:, or :[end]"));
    if (range.trimmed().count(QLatin1Char(':')) != 1)
        // Python: `base, head = rev_range.strip().split(":")` fails to unpack.
        return Error(QStringLiteral("too many values to unpack (expected 2)"));
    return {};
}

Result<bool> ScriptCommands::historyNeedsDatabase(CommandContext &context)
{
    const QString range = context.args().value(QStringLiteral("rev_range"));
    if (context.args().values.contains(QStringLiteral("rev_range"))) {
        auto ok = checkHistoryRange(range);
        if (!ok)
            return ok.error();
        const QStringList parts = range.trimmed().split(QLatin1Char(':'));
        if (parts.contains(QStringLiteral("current")))
            return true;
    }
    if (context.args().flag(QStringLiteral("indicate_current")))
        return true;
    auto cfg = context.config();
    if (!cfg)
        return cfg.error();
    auto env = (*cfg)->mainOption(QStringLiteral("revision_environment"));
    if (!env)
        return env.error();
    const QString v = env->value_or(QString()).trimmed().toLower();
    return v == QLatin1String("true") || v == QLatin1String("yes") || v == QLatin1String("on")
           || v == QLatin1String("1");
}

VoidResult ScriptCommands::history(CommandContext &context,
                                   const std::optional<QStringList> &currentHeads)
{
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    QString base, head;
    if (context.args().values.contains(QStringLiteral("rev_range"))) {
        const QString range = context.args().value(QStringLiteral("rev_range"));
        auto ok = checkHistoryRange(range);
        if (!ok)
            return ok.error();
        const QStringList parts = range.trimmed().split(QLatin1Char(':'));
        base = parts.at(0);
        head = parts.at(1);
    }
    QStringList baseArg{base.isEmpty() ? QStringLiteral("base") : base};
    QStringList headArg{head.isEmpty() ? QStringLiteral("heads") : head};
    QStringList currents;
    bool baseIsTuple = false, headIsTuple = false;
    if (currentHeads) {
        currents = *currentHeads;
        // `current` stands for the database's heads (a tuple; empty falls back).
        if (head == QLatin1String("current")) {
            headIsTuple = !currents.isEmpty();
            headArg = currents.isEmpty() ? QStringList{QStringLiteral("heads")} : currents;
        } else if (base == QLatin1String("current")) {
            baseIsTuple = !currents.isEmpty();
            baseArg = currents.isEmpty() ? QStringList{QStringLiteral("base")} : currents;
        }
    }
    const bool verbose = context.args().flag(QStringLiteral("verbose"));
    const bool indicate = context.args().flag(QStringLiteral("indicate_current"));
    auto walk = (*graph)->walkRevisions(baseArg, headArg, baseIsTuple, headIsTuple);
    if (!walk)
        return walk.error();
    for (const RevisionNode *node : *walk) {
        if (!node || node->isBaseMarker())
            continue;
        const bool current = indicate && currents.contains(node->id());
        context.out().printStdout(RevisionFormatter::cmdFormat(*node, verbose, true, true, true, true, current));
    }
    return {};
}

} // namespace retort
