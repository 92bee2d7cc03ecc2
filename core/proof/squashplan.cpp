#include "squashplan.h"

#include "revision/revisiongraph.h"

namespace retort {

Result<SquashPlan> SquashPlan::make(const RevisionGraph &graph, const QString &until)
{
    auto resolved = graph.revision(until).toResult();
    if (!resolved)
        return resolved.error();
    const RevisionNode *rev = *resolved;
    if (!rev || rev->isBaseMarker())
        return Error(QStringLiteral("squash --until needs one revision, not '%1'").arg(until));
    SquashPlan plan;
    plan.revision = rev->id();
    plan.revisionPath = rev->path();
    plan.revisionDoc = rev->doc();
    plan.above = rev->allNextRevisions();

    QStringList labels;
    QStringList chainDown;   // REV first
    for (const RevisionNode *node = rev; node;) {
        if (node->isMergePoint())
            return Error(QStringLiteral("Cannot squash: %1 is a merge point (of %2); squash keeps to a linear "
                                        "history up to %3")
                             .arg(node->id(), node->downRevisions().join(QStringLiteral(", ")), plan.revision));
        if (!node->dependencies().isEmpty())
            return Error(QStringLiteral("Cannot squash: %1 has depends_on (%2); dependencies are not carried into "
                                        "a baseline").arg(node->id(), node->dependencies().join(QStringLiteral(", "))));
        if (node != rev) {
            // Everything that builds on a squashed revision must be in the chain itself:
            // a branch or a dependent leaving it would lose its down_revision.
            const QString inChain = chainDown.last();
            for (const QString &child : node->allNextRevisions())
                if (child != inChain)
                    return Error(QStringLiteral("Cannot squash: %1 (below %2) is a branch point: %3 also builds on "
                                                "it. Squash keeps to a linear history below %2")
                                     .arg(node->id(), plan.revision, child));
        }
        labels += node->declaredBranchLabels();
        chainDown.append(node->id());
        if (node != rev) {
            plan.squashed.prepend(node->id());
            plan.squashedPaths.prepend(node->path());
        }
        const QStringList down = node->downRevisions();
        node = down.isEmpty() ? nullptr : graph.node(down.first());
    }
    if (plan.squashed.isEmpty())
        return Error(QStringLiteral("Nothing to squash: %1 is already a base revision").arg(plan.revision));
    labels.removeDuplicates();
    if (labels.size() > 1)
        return Error(QStringLiteral("Cannot squash: the revisions up to %1 carry several branch labels (%2); "
                                    "a baseline keeps one").arg(plan.revision, labels.join(QStringLiteral(", "))));
    plan.branchLabel = labels.value(0);
    return plan;
}

} // namespace retort
