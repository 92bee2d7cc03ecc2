#include "revisiongraphbuilder.h"

#include <QSet>
#include <vector>
#include <algorithm>

namespace retort {

namespace {

QStringList dedupe(const QStringList &list)
{
    QStringList out;
    for (const QString &s : list)
        if (!out.contains(s))
            out.append(s);
    return out;
}

RevisionError cycleError(const QString &kind, const QStringList &revs)
{
    RevisionError e;
    e.kind = RevisionError::Cycle;
    e.message = QStringLiteral("%1 is detected in revisions (%2)")
                    .arg(kind, revs.join(QStringLiteral(", ")));
    return e;
}

// Depth-first closure with Alembic's stack discipline (_iterate_related_revisions);
// only membership is needed here.
QVector<bool> closure(const QVector<QVector<int>> &edges, const QVector<int> &roots, int size)
{
    QVector<bool> seen(size, false);
    QVector<int> todo;
    for (int root : roots) {
        todo.append(root);
        while (!todo.isEmpty()) {
            const int n = todo.takeLast();
            if (seen[n])
                continue;
            seen[n] = true;
            for (int next : edges[n])
                todo.append(next);
        }
    }
    return seen;
}

} // namespace

RevisionResult<bool> RevisionGraphBuilder::checkRevision(const Revision &rev)
{
    // Revision.__init__: self-loops first, then illegal characters.
    if (rev.downRevisions.contains(rev.id)) {
        RevisionError e = cycleError(QStringLiteral("Self-loop"), {rev.id});
        e.file = rev.path;
        return e;
    }
    if (rev.dependsOn.contains(rev.id)) {
        RevisionError e = cycleError(QStringLiteral("Dependency self-loop"), {rev.id});
        e.file = rev.path;
        return e;
    }
    QStringList illegal;
    for (const QString &c : {QStringLiteral("+"), QStringLiteral("-"), QStringLiteral("@")})
        if (rev.id.contains(c))
            illegal.append(c);
    if (!illegal.isEmpty())
        return RevisionError::generic(
            QStringLiteral("Character(s) '%1' not allowed in revision identifier '%2'")
                .arg(illegal.join(QStringLiteral(", ")), rev.id),
            rev.path);
    return true;
}

RevisionResult<bool> RevisionGraphBuilder::run(QVector<Revision> revisions)
{
    for (const Revision &rev : qAsConst(revisions)) {
        auto ok = checkRevision(rev);
        if (!ok)
            return ok;
    }
    // Map order is discovery order: Revision::order, ties kept as given.
    const auto byOrder = [](const Revision &a, const Revision &b) { return a.order < b.order; };
    if (!std::is_sorted(revisions.begin(), revisions.end(), byOrder))   // as loaded, usually
        std::stable_sort(revisions.begin(), revisions.end(), byOrder);
    addEntries(std::move(revisions));
    for (auto step : {&RevisionGraphBuilder::mapBranchLabels,
                      &RevisionGraphBuilder::addDependsOn,
                      &RevisionGraphBuilder::linkDownRevisions}) {
        auto ok = (this->*step)();
        if (!ok)
            return ok;
    }
    normalizeDependsOn();
    auto ok = detectCycles();
    if (!ok)
        return ok;
    collectHeadsAndBases();
    addBranches();
    return true;
}

void RevisionGraphBuilder::addEntries(QVector<Revision> revisions)
{
    auto &nodes = m_graph.m_nodes;
    nodes.reserve(revisions.size());
    m_graph.m_byId.reserve(revisions.size());
    for (Revision &rev : revisions) {
        Entry entry;
        entry.revision = rev;
        const auto it = m_graph.m_byId.constFind(rev.id);
        if (it != m_graph.m_byId.constEnd()) {
            if (m_warnings)
                m_warnings->append(
                    QStringLiteral("Revision %1 is present more than once").arg(rev.id));
            // The dict keeps the first position but the last object; the earlier
            // object stays in Alembic's heads/bases sets.
            for (Entry &e : m_entries)
                if (e.node == *it && !e.shadowed)
                    e.shadowed = true;
            entry.node = *it;
            nodes[*it].m_revision = std::move(rev);
        } else {
            entry.node = nodes.size();
            m_graph.m_byId.insert(rev.id, nodes.size());
            m_graph.m_keys.append(rev.id);
            RevisionNode node;
            node.m_index = nodes.size();
            node.m_revision = std::move(rev);
            nodes.append(std::move(node));
        }
        m_entries.append(std::move(entry));
    }
    for (RevisionNode &node : nodes)
        node.m_branchLabels = dedupe(node.m_revision.branchLabels);
}

int RevisionGraphBuilder::keyIndex(const QString &key) const
{
    const int id = m_graph.m_byId.value(key, -1);
    return id >= 0 ? id : m_graph.m_byLabel.value(key, -1);
}

RevisionResult<bool> RevisionGraphBuilder::mapBranchLabels()
{
    // Alembic walks a set of revisions here; we use discovery order.
    for (const Entry &entry : qAsConst(m_entries)) {
        for (const QString &label : entry.revision.branchLabels) {
            const int used = keyIndex(label);
            if (used >= 0)
                return RevisionError::generic(
                    QStringLiteral("Branch name '%1' in revision %2 already used by revision %3")
                        .arg(label, entry.revision.id, m_graph.m_nodes[used].id()),
                    entry.revision.path);
            m_graph.m_byLabel.insert(label, entry.node);
            m_graph.m_keys.append(label);
        }
    }
    return true;
}

RevisionResult<bool> RevisionGraphBuilder::addDependsOn()
{
    // Dependencies must be exact ids or branch labels (Alembic raises KeyError
    // otherwise; we report it cleanly).
    for (const Entry &entry : qAsConst(m_entries)) {
        QStringList resolved;
        for (const QString &dep : entry.revision.dependsOn) {
            const int idx = keyIndex(dep);
            if (idx < 0) {
                RevisionError e = RevisionError::generic(
                    QStringLiteral("Dependency %1 referenced from %2 is not present")
                        .arg(dep, entry.revision.id),
                    entry.revision.path);
                e.kind = RevisionError::Crash;
                return e;
            }
            resolved.append(m_graph.m_nodes[idx].id());
        }
        if (!entry.shadowed)
            m_graph.m_nodes[entry.node].m_resolvedDeps = resolved;
    }
    for (RevisionNode &node : m_graph.m_nodes)
        node.m_allDown = dedupe(node.m_revision.downRevisions + node.m_resolvedDeps);
    return true;
}

RevisionResult<bool> RevisionGraphBuilder::linkDownRevisions()
{
    auto &nodes = m_graph.m_nodes;
    m_isHead.fill(true, nodes.size());
    m_isRealHead.fill(true, nodes.size());
    // Nodes with a relation by depends_on only (as parent or child): their versioned lists differ.
    std::vector<bool> partial(size_t(nodes.size()), false);
    for (RevisionNode &node : nodes) {
        for (const QString &down : qAsConst(node.m_allDown)) {
            const int idx = m_graph.m_byId.value(down, -1);
            if (idx < 0) {
                RevisionError e = RevisionError::generic(
                    QStringLiteral("Revision %1 referenced from %2 is not present")
                        .arg(down, node.id()),
                    node.path());
                e.kind = RevisionError::Crash;
                return e;
            }
            RevisionNode &parent = nodes[idx];
            parent.m_allNext.append(node.id());
            parent.m_allNextIdx.append(node.m_index);
            node.m_allDownIdx.append(idx);
            if (node.m_revision.downRevisions.contains(down))
                m_isHead[idx] = false;
            else
                partial[size_t(idx)] = partial[size_t(node.m_index)] = true;
            m_isRealHead[idx] = false;
        }
    }
    // The versioned relations (down_revision only, no depends_on): for most nodes the same
    // lists as all relations, shared instead of built again; else those entries in order.
    for (RevisionNode &node : nodes) {
        if (!partial[size_t(node.m_index)]) {
            node.m_next = node.m_allNext;
            node.m_nextIdx = node.m_allNextIdx;
            node.m_downIdx = node.m_allDownIdx;
            continue;
        }
        for (int k = 0; k < node.m_allNextIdx.size(); ++k) {
            const RevisionNode &child = nodes[node.m_allNextIdx[k]];
            if (child.m_revision.downRevisions.contains(node.id())) {
                node.m_next.append(node.m_allNext[k]);
                node.m_nextIdx.append(node.m_allNextIdx[k]);
            }
        }
        for (int k = 0; k < node.m_allDownIdx.size(); ++k)
            if (node.m_revision.downRevisions.contains(nodes[node.m_allDownIdx[k]].id()))
                node.m_downIdx.append(node.m_allDownIdx[k]);
    }
    return true;
}

void RevisionGraphBuilder::normalizeDependsOn()
{
    auto &nodes = m_graph.m_nodes;
    for (RevisionNode &node : nodes) {
        if (node.m_resolvedDeps.isEmpty()) {
            node.m_normalizedDown = node.m_revision.downRevisions;
            node.m_normalizedDownIdx = node.m_downIdx;
            continue;
        }
        // Drop dependencies that an ancestor (by down_revision) already depends on.
        QSet<QString> inherited;
        QVector<int> todo = node.m_downIdx;
        QVector<bool> seen(nodes.size(), false);
        while (!todo.isEmpty()) {
            const int n = todo.takeLast();
            if (seen[n])
                continue;
            seen[n] = true;
            for (const QString &d : qAsConst(nodes[n].m_resolvedDeps))
                inherited.insert(d);
            todo += nodes[n].m_downIdx;
        }
        QStringList normalized;
        for (const QString &d : qAsConst(node.m_resolvedDeps))
            if (!inherited.contains(d) && !normalized.contains(d))
                normalized.append(d);
        node.m_normalizedDeps = normalized;
        node.m_normalizedDown = dedupe(node.m_revision.downRevisions + normalized);
        node.m_normalizedDownIdx.clear();
        for (const QString &id : qAsConst(node.m_normalizedDown))
            node.m_normalizedDownIdx.append(m_graph.m_byId.value(id));
    }
}

RevisionResult<bool> RevisionGraphBuilder::detectCycles() const
{
    const auto &nodes = m_graph.m_nodes;
    if (nodes.isEmpty())
        return true;
    const QStringList versioned = unreachable(false);
    if (!versioned.isEmpty())
        return cycleError(QStringLiteral("Cycle"), versioned);
    const QStringList real = unreachable(true);
    if (!real.isEmpty())
        return cycleError(QStringLiteral("Dependency cycle"), real);
    return true;
}

// Ids not both below a head and above a base (_detect_cycles' total_space). Shadowed
// duplicates take part as extra vertices: Alembic keeps them in its heads/bases sets.
QStringList RevisionGraphBuilder::unreachable(bool real) const
{
    const auto &nodes = m_graph.m_nodes;
    const int n = nodes.size();
    QVector<QVector<int>> down(n), up(n);
    QVector<int> heads, bases, vertexNode(n);
    for (int v = 0; v < n; ++v) {
        down[v] = real ? nodes[v].m_allDownIdx : nodes[v].m_downIdx;
        up[v] = real ? nodes[v].m_allNextIdx : nodes[v].m_nextIdx;
        vertexNode[v] = v;
    }
    for (const Entry &e : m_entries) {
        int v = e.node;
        if (e.shadowed) {
            v = down.size();
            down.append(QVector<int>());
            up.append(QVector<int>());
            vertexNode.append(e.node);
            for (const QString &id : e.revision.downRevisions)
                down[v].append(m_graph.m_byId.value(id));
        }
        const Revision &rev = e.shadowed ? e.revision : nodes[v].revision();
        if (e.shadowed || (real ? m_isRealHead[v] : m_isHead[v]))
            heads.append(v);
        if (rev.downRevisions.isEmpty() && (!real || rev.dependsOn.isEmpty()))
            bases.append(v);
    }
    if (heads.isEmpty() || bases.isEmpty())
        return m_graph.m_keys.mid(0, n);  // list(rev_map): every id, map order
    const QVector<bool> fromHeads = closure(down, heads, down.size());
    const QVector<bool> fromBases = closure(up, bases, up.size());
    QVector<bool> headIds(n, false), baseIds(n, false);
    for (int v = 0; v < down.size(); ++v) {
        headIds[vertexNode[v]] = headIds[vertexNode[v]] || fromHeads[v];
        baseIds[vertexNode[v]] = baseIds[vertexNode[v]] || fromBases[v];
    }
    QStringList deleted;
    for (int v = 0; v < n; ++v)
        if (!headIds[v] || !baseIds[v])
            deleted.append(nodes[v].id());
    std::sort(deleted.begin(), deleted.end());
    return deleted;
}

void RevisionGraphBuilder::collectHeadsAndBases()
{
    const auto &nodes = m_graph.m_nodes;
    for (const Entry &e : qAsConst(m_entries)) {
        const Revision &rev = e.shadowed ? e.revision : nodes[e.node].revision();
        if (e.shadowed || m_isHead[e.node])
            m_graph.m_heads.append(rev.id);
        if (e.shadowed || m_isRealHead[e.node])
            m_graph.m_realHeads.append(rev.id);
        if (rev.downRevisions.isEmpty())
            m_graph.m_bases.append(rev.id);
        if (rev.downRevisions.isEmpty() && rev.dependsOn.isEmpty())
            m_graph.m_realBases.append(rev.id);
    }
}

void RevisionGraphBuilder::addBranches()
{
    // Label sets as bitmasks over the declared labels (in map key order): the
    // propagation below touches every descendant of every labelled revision.
    auto &nodes = m_graph.m_nodes;
    const int n = nodes.size();
    const QStringList labelNames = m_graph.m_keys.mid(n);
    if (labelNames.isEmpty())
        return;
    QHash<QString, int> labelIndex;
    for (int k = 0; k < labelNames.size(); ++k)
        labelIndex.insert(labelNames[k], k);
    const int words = (labelNames.size() + 63) / 64;
    std::vector<quint64> bits(size_t(n) * words, 0);
    auto row = [&bits, words](int node) { return bits.data() + size_t(node) * words; };
    for (int i = 0; i < n; ++i)
        for (const QString &l : nodes[i].m_revision.branchLabels)
            row(i)[labelIndex.value(l) / 64] |= quint64(1) << (labelIndex.value(l) % 64);

    std::vector<quint64> labels(words);
    QVector<char> seen;
    for (int i = 0; i < n; ++i) {
        if (nodes[i].m_revision.branchLabels.isEmpty())
            continue;
        // _add_branches: the revision's current labels (inherited ones included) go
        // to all descendants by down_revision, then down from the last one yielded.
        std::copy(row(i), row(i) + words, labels.begin());
        auto addTo = [&](int node) {
            for (int w = 0; w < words; ++w)
                row(node)[w] |= labels[w];
        };
        seen.fill(0, n);
        QVector<int> todo{i};
        int last = i;
        while (!todo.isEmpty()) {
            const int m = todo.takeLast();
            if (seen[m])
                continue;
            seen[m] = 1;
            todo += nodes[m].m_nextIdx;
            addTo(m);
            last = m;
        }
        int parent = last;
        while (!nodes[parent].isRealBranchPoint() && !nodes[parent].isMergePoint()) {
            addTo(parent);
            if (nodes[parent].m_downIdx.isEmpty())
                break;
            parent = nodes[parent].m_downIdx.first();
        }
    }
    // Stable order: declared labels as written, then inherited ones in key order. A node
    // without labels of its own gets the list of its label set, built once per set and
    // shared (most nodes inherit one of a few sets).
    QHash<quint64, QStringList> inheritedOnly;
    for (int i = 0; i < n; ++i) {
        QStringList &out = nodes[i].m_branchLabels;
        const bool shareable = words == 1 && out.isEmpty();
        if (shareable) {
            const auto known = inheritedOnly.constFind(row(i)[0]);
            if (known != inheritedOnly.constEnd()) {
                out = *known;
                continue;
            }
        }
        for (int k = 0; k < labelNames.size(); ++k)
            if ((row(i)[k / 64] >> (k % 64)) & 1 && !out.contains(labelNames[k]))
                out.append(labelNames[k]);
        if (shareable)
            inheritedOnly.insert(row(i)[0], out);
    }
}

} // namespace retort
