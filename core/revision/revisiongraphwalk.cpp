// RevisionGraph, continued: the walks (_iterate_related_revisions, _walk,
// _topological_sort, iterate_revisions). Kept apart from revisiongraph.cpp for size.

#include "revisiongraph.h"

#include "migrationplantargets.h"

#include <vector>

namespace retort {

namespace {

using Edges = QVector<int> RevisionNode::*;

} // namespace

// _iterate_related_revisions: depth-first with a stack, yielding each node once.
// `edgesFor` picks the relation per node (omit_immediate_dependencies needs two).
template<typename EdgesFor>
static RevisionResult<RevisionNodes> iterateRelated(const QVector<RevisionNode> &nodes,
                                                    const RevisionNodes &targets,
                                                    EdgesFor edgesFor, bool check)
{
    RevisionNodes out;
    QVector<bool> seen(nodes.size(), false);
    QVector<int> todo;
    QVector<bool> isTarget;
    if (check) {
        isTarget.fill(false, nodes.size());
        for (const RevisionNode *t : targets)
            isTarget[t->index()] = true;
    }
    for (const RevisionNode *target : targets) {
        todo.append(target->index());
        QVector<int> overlaps;
        while (!todo.isEmpty()) {
            const int n = todo.takeLast();
            if (check && isTarget[n] && n != target->index() && !overlaps.contains(n))
                overlaps.append(n);
            if (seen[n])
                continue;
            seen[n] = true;
            todo += nodes[n].*edgesFor(n);
            out.append(&nodes[n]);
        }
        if (!overlaps.isEmpty()) {
            QStringList ids;
            for (int o : qAsConst(overlaps))
                ids.append(nodes[o].id());
            return RevisionError::generic(
                QStringLiteral("Requested revision %1 overlaps with other requested revisions %2")
                    .arg(target->id(), ids.join(QStringLiteral(", "))));
        }
    }
    return out;
}

static RevisionNodes validNodes(const RevisionNodes &in)
{
    RevisionNodes out;
    for (const RevisionNode *n : in)
        if (n && !n->isBaseMarker())
            out.append(n);
    return out;
}

RevisionResult<RevisionNodes> RevisionGraph::ancestors(const RevisionNodes &targets,
                                                       bool includeDependencies,
                                                       bool check) const
{
    const Edges edges = includeDependencies ? &RevisionNode::m_normalizedDownIdx
                                            : &RevisionNode::m_downIdx;
    return iterateRelated(m_nodes, validNodes(targets), [edges](int) { return edges; }, check);
}

RevisionResult<RevisionNodes> RevisionGraph::descendants(const RevisionNodes &targets,
                                                         bool includeDependencies,
                                                         bool omitImmediateDependencies,
                                                         bool check) const
{
    const RevisionNodes valid = validNodes(targets);
    if (omitImmediateDependencies) {
        QVector<bool> isTarget(m_nodes.size(), false);
        for (const RevisionNode *t : valid)
            isTarget[t->index()] = true;
        return iterateRelated(m_nodes, valid, [&isTarget](int n) -> Edges {
            return isTarget[n] ? &RevisionNode::m_nextIdx : &RevisionNode::m_allNextIdx;
        }, check);
    }
    const Edges edges = includeDependencies ? &RevisionNode::m_allNextIdx
                                            : &RevisionNode::m_nextIdx;
    return iterateRelated(m_nodes, valid, [edges](int) { return edges; }, check);
}

RevisionResult<const RevisionNode *> RevisionGraph::walk(const RevisionNode *start, int steps,
                                                         const QString &branchLabel,
                                                         bool noOverwalk) const
{
    const RevisionNode *initial = start;
    const int count = steps < 0 ? -steps : steps;
    for (int i = 0; i < count; ++i) {
        RevisionNodes children;
        if (steps > 0) {
            if (initial && initial->isBaseMarker()) {
                // Walking up from "base": an assertion in Alembic.
                RevisionError e = RevisionError::generic(QStringLiteral("AssertionError"));
                e.kind = RevisionError::Crash;
                return e;
            }
            const QStringList up = initial ? initial->nextRevisions() : m_bases;
            for (const QString &id : up)
                children.append(node(id));
            if (!branchLabel.isEmpty()) {
                auto filtered = filterForLineage(children, branchLabel);
                if (!filtered)
                    return filtered.error();
                children = *filtered;
            }
        } else if (!(initial && initial->isBaseMarker())) {
            const QStringList down = initial ? initial->downRevisions() : m_heads;
            for (const QString &id : down)
                children.append(node(id));
            if (children.isEmpty())
                children.append(baseMarker());
        }
        if (children.isEmpty())
            return noOverwalk ? nullptr : initial;
        if (children.size() > 1)
            return RevisionError::generic(QStringLiteral("Ambiguous walk"));
        initial = children.first();
    }
    return initial;
}

QStringList RevisionGraph::topologicalSort(const RevisionNodes &revisions,
                                           const RevisionNodes &heads,
                                           QStringList *unreached) const
{
    const int n = m_nodes.size();
    QVector<bool> todo(n, false);
    int remaining = 0;
    for (const RevisionNode *r : revisions)
        if (r && !r->isBaseMarker() && !todo[r->index()]) {
            todo[r->index()] = true;
            ++remaining;
        }
    // Marks a node when it is pushed, so that each is pushed once; one stack reused by
    // every call (this ran ~100 times over 2,000 nodes in a 2,000-revision upgrade).
    // A node is pushed at most once, so n slots always suffice: raw pointers, no checks.
    std::vector<int> stackSlots(size_t(qMax(n, 1)));
    auto ancestorsOf = [this, n, &stackSlots](int idx) {
        QVector<bool> set(n, false);
        bool *seen = set.data();
        int *const stack = stackSlots.data();
        int top = 0;
        stack[top++] = idx;
        seen[idx] = true;
        while (top > 0) {
            const QVector<int> &down = m_nodes[stack[--top]].m_normalizedDownIdx;
            for (const int *d = down.constData(), *end = d + down.size(); d != end; ++d)
                if (!seen[*d]) {
                    seen[*d] = true;
                    stack[top++] = *d;
                }
        }
        return set;
    };

    // Heads present in todo, in map order.
    QVector<int> currentHeads;
    {
        QVector<bool> isHead(n, false);
        for (const RevisionNode *h : heads)
            if (h && !h->isBaseMarker() && todo[h->index()])
                isHead[h->index()] = true;
        for (int i = 0; i < n; ++i)
            if (isHead[i])
                currentHeads.append(i);
    }
    QVector<QVector<bool>> ancestorsByIdx;
    for (int h : qAsConst(currentHeads))
        ancestorsByIdx.append(ancestorsOf(h));

    QStringList output;
    int candidateIdx = 0;
    while (!currentHeads.isEmpty()) {
        const int candidate = currentHeads[candidateIdx];
        bool deferred = false;
        for (int check = 0; check < ancestorsByIdx.size(); ++check) {
            // Another head still needs this one below it: walk that head first.
            if (check != candidateIdx && ancestorsByIdx[check][candidate]) {
                candidateIdx = check;
                deferred = true;
                break;
            }
        }
        if (deferred)
            continue;
        if (todo[candidate]) {
            output.append(m_nodes[candidate].id());
            todo[candidate] = false;
            --remaining;
        }
        const RevisionNode &rev = m_nodes[candidate];
        QVector<int> toAdd;
        for (int d : rev.m_normalizedDownIdx)
            if (todo[d] && !currentHeads.contains(d))
                toAdd.append(d);
        if (toAdd.isEmpty()) {
            currentHeads.removeAt(candidateIdx);
            ancestorsByIdx.removeAt(candidateIdx);
            candidateIdx = qMax(candidateIdx - 1, 0);
        } else if (rev.m_normalizedDeps.isEmpty() && rev.m_downIdx.size() == 1) {
            // Plain step down a line: update the ancestor set in place.
            currentHeads[candidateIdx] = toAdd.first();
            ancestorsByIdx[candidateIdx][candidate] = false;
        } else {
            currentHeads[candidateIdx] = toAdd.first();
            ancestorsByIdx[candidateIdx] = ancestorsOf(toAdd.first());
            for (int k = 1; k < toAdd.size(); ++k) {
                currentHeads.append(toAdd[k]);
                ancestorsByIdx.append(ancestorsOf(toAdd[k]));
            }
        }
    }
    if (unreached && remaining > 0)
        for (int i = 0; i < n; ++i)
            if (todo[i])
                unreached->append(m_nodes[i].id());
    return output;
}

RevisionResult<RevisionNodes> RevisionGraph::iterateRevisions(const QStringList &upper,
                                                              const QStringList &lower,
                                                              bool implicitBase, bool inclusive,
                                                              bool assertRelativeLength,
                                                              bool selectForDowngrade) const
{
    auto collected = selectForDowngrade
        ? MigrationPlanTargets::collectDowngradeRevisions(*this, upper, lower, inclusive,
                                                          implicitBase, assertRelativeLength)
        : MigrationPlanTargets::collectUpgradeRevisions(*this, upper, lower, inclusive,
                                                        implicitBase, assertRelativeLength);
    if (!collected)
        return collected.error();
    QStringList unreached;
    const QStringList sorted = topologicalSort(collected->revisions, collected->heads, &unreached);
    if (!unreached.isEmpty()) {
        RevisionError e = RevisionError::generic(
            QStringLiteral("AssertionError: revision(s) %1 cannot be reached from the "
                           "requested upper revision(s)")
                .arg(unreached.join(QStringLiteral(", "))));
        e.kind = RevisionError::Crash;  // an AssertionError in Alembic
        return e;
    }
    RevisionNodes out;
    for (const QString &id : sorted)
        out.append(node(id));
    return out;
}

Result<RevisionNodes> RevisionGraph::walkRevisions(const QStringList &base,
                                                   const QStringList &head,
                                                   bool baseIsTuple, bool headIsTuple) const
{
    auto str = [](const QStringList &v, bool tuple) {
        return tuple || v.size() != 1 ? pythonTupleRepr(v) : v.first();
    };
    const RevisionErrorContext context =
        RevisionErrorContext::walk(str(base, baseIsTuple), str(head, headIsTuple));
    auto walked = iterateRevisions(head, base, false, true, false, false);
    return walked.toResult(context);
}

} // namespace retort
