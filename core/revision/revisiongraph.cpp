#include "revisiongraph.h"

#include "revisiongraphbuilder.h"

namespace retort {

namespace {

RevisionError resolutionError(const QString &message, const QString &argument)
{
    RevisionError e;
    e.kind = RevisionError::Resolution;
    e.message = message;
    e.argument = argument;
    return e;
}

RevisionError multipleHeads(const QStringList &heads, const QString &argument)
{
    RevisionError e;
    e.kind = RevisionError::MultipleHeads;
    e.heads = heads;
    e.argument = argument;
    e.message = QStringLiteral("Multiple heads are present for given argument '%1'; %2")
                    .arg(argument, heads.join(QStringLiteral(", ")));
    return e;
}

// Python's int(str) acceptance (sign, digits, single underscores, outer spaces).
std::optional<long long> pythonInt(const QString &text)
{
    const QString s = text.trimmed();
    int i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == QLatin1Char('+') || s[i] == QLatin1Char('-')))
        negative = s[i++] == QLatin1Char('-');
    if (i >= s.size())
        return std::nullopt;
    long long value = 0;
    bool lastDigit = false;
    for (; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c == QLatin1Char('_') && lastDigit) {
            lastDigit = false;
            continue;
        }
        if (!c.isDigit() || c.unicode() > 127)
            return std::nullopt;
        value = value * 10 + (c.unicode() - '0');
        lastDigit = true;
    }
    if (!lastDigit)
        return std::nullopt;
    return negative ? -value : value;
}

} // namespace

Result<RevisionGraph> RevisionGraph::build(QVector<Revision> revisions, QStringList *warnings)
{
    auto typed = buildTyped(std::move(revisions), warnings);
    if (!typed)
        return typed.error().toError();
    return std::move(typed).value();
}

RevisionResult<RevisionGraph> RevisionGraph::buildTyped(QVector<Revision> revisions,
                                                        QStringList *warnings)
{
    RevisionGraph graph;
    RevisionGraphBuilder builder(graph, warnings);
    auto ok = builder.run(std::move(revisions));
    if (!ok)
        return ok.error();
    return graph;
}

const RevisionNode *RevisionGraph::node(const QString &id) const
{
    const int idx = m_byId.value(id, -1);
    return idx < 0 ? nullptr : &m_nodes.at(idx);
}

RevisionNodes RevisionGraph::nodes() const
{
    RevisionNodes out;
    out.reserve(m_nodes.size());
    for (const RevisionNode &n : m_nodes)
        out.append(&n);
    return out;
}

const RevisionNode *RevisionGraph::baseMarker()
{
    static const RevisionNode marker = [] {
        RevisionNode n;
        n.m_revision.id = QStringLiteral("base");
        return n;
    }();
    return &marker;
}

RevisionNodes RevisionGraph::toNodes(const QVector<int> &indexes) const
{
    RevisionNodes out;
    out.reserve(indexes.size());
    for (int i : indexes)
        out.append(&m_nodes.at(i));
    return out;
}

const RevisionNode *RevisionGraph::lookupKey(const QString &key) const
{
    int idx = m_byId.value(key, -1);
    if (idx < 0)
        idx = m_byLabel.value(key, -1);
    return idx < 0 ? nullptr : &m_nodes.at(idx);
}

// --- resolution --------------------------------------------------------------------

RevisionResult<RevisionGraph::ResolvedNumber>
RevisionGraph::resolveRevisionNumber(const QString &id) const
{
    ResolvedNumber out;
    QString rest = id;
    const int at = id.indexOf(QLatin1Char('@'));
    if (at >= 0) {
        out.branchLabel = id.left(at);
        rest = id.mid(at + 1);
    }
    if (rest == QLatin1String("heads")) {
        if (!out.branchLabel.isEmpty()) {
            auto filtered = filterForLineage(m_heads, out.branchLabel);
            if (!filtered)
                return filtered.error();
            out.ids = *filtered;
        } else {
            out.ids = m_realHeads;
        }
    } else if (rest == QLatin1String("head")) {
        auto head = currentHead(out.branchLabel);
        if (!head)
            return head.error();
        if (!head->isEmpty())
            out.ids = QStringList{*head};
    } else if (rest.isNull() || rest == QLatin1String("base")) {
        // None / "base": nothing
    } else {
        out.ids = QStringList{rest};
    }
    return out;
}

RevisionResult<QStringList> RevisionGraph::asRevisionNumber(const QString &id) const
{
    auto resolved = resolveRevisionNumber(id);
    if (!resolved)
        return resolved.error();
    if (resolved->ids.isEmpty() || id == QLatin1String("heads"))
        return resolved->ids;
    return QStringList{resolved->ids.first()};
}

RevisionResult<QString> RevisionGraph::currentHead(const QString &branchLabel) const
{
    QStringList heads = m_heads;
    if (!branchLabel.isEmpty()) {
        auto filtered = filterForLineage(heads, branchLabel);
        if (!filtered)
            return filtered.error();
        heads = *filtered;
    }
    if (heads.size() > 1)
        return multipleHeads(heads, branchLabel.isEmpty()
                                        ? QStringLiteral("head")
                                        : QStringLiteral("%1@head").arg(branchLabel));
    return heads.isEmpty() ? QString() : heads.first();
}

RevisionResult<RevisionNodes> RevisionGraph::revisions(const QStringList &ids) const
{
    RevisionNodes out;
    for (const QString &id : ids) {
        auto part = revisions(id);
        if (!part)
            return part.error();
        out += *part;
    }
    return out;
}

RevisionResult<RevisionNodes> RevisionGraph::revisions(const QString &id) const
{
    auto resolved = resolveRevisionNumber(id);
    if (!resolved)
        return resolved.error();
    const QString &label = resolved->branchLabel;
    if (resolved->ids.size() == 1) {
        const auto steps = pythonInt(resolved->ids.first());
        if (steps && *steps < 0) {
            // branch@-n: walk down from each (matching) head.
            auto heads = revisions(QStringLiteral("heads"));
            if (!heads)
                return heads.error();
            RevisionNodes out;
            for (const RevisionNode *head : qAsConst(*heads)) {
                if (!label.isNull() && !head->branchLabels().contains(label))
                    continue;
                auto walked = walk(head, int(*steps));
                if (!walked)
                    return walked.error();
                out.append(*walked);
            }
            return out;
        }
    }
    RevisionNodes out;
    for (const QString &rid : qAsConst(resolved->ids)) {
        auto node = revisionForIdent(rid, label);
        if (!node)
            return node.error();
        out.append(*node);
    }
    return out;
}

RevisionResult<const RevisionNode *> RevisionGraph::revision(const QString &id) const
{
    auto resolved = resolveRevisionNumber(id);
    if (!resolved)
        return resolved.error();
    if (resolved->ids.size() > 1)
        return multipleHeads(resolved->ids, id);
    if (resolved->ids.isEmpty())
        return static_cast<const RevisionNode *>(nullptr);  // _revision_map[()] is None
    return revisionForIdent(resolved->ids.first(), resolved->branchLabel);
}

RevisionResult<const RevisionNode *> RevisionGraph::resolveBranch(const QString &label) const
{
    if (const RevisionNode *n = lookupKey(label))
        return n;
    auto partial = revisionForIdent(label);
    if (!partial && partial.error().kind == RevisionError::Resolution)
        return resolutionError(QStringLiteral("No such branch: '%1'").arg(label), label);
    return partial;
}

RevisionResult<const RevisionNode *> RevisionGraph::revisionForIdent(const QString &id,
                                                                     const QString &checkBranch) const
{
    const RevisionNode *branchRev = nullptr;
    if (!checkBranch.isEmpty()) {
        auto b = resolveBranch(checkBranch);
        if (!b)
            return b;
        branchRev = *b;
    }
    const RevisionNode *rev = lookupKey(id);
    if (!rev) {
        if (id.isEmpty()) {
            // "label@" with nothing after it: Alembic fails an assertion here.
            RevisionError e = RevisionError::generic(
                QStringLiteral("AssertionError: no revision identifier after '@'"));
            e.kind = RevisionError::Crash;
            return e;
        }
        QStringList matches;
        for (const QString &key : m_keys)
            if (key.size() > 3 && key.startsWith(id))
                matches.append(key);
        if (branchRev) {
            auto filtered = filterForLineage(matches, checkBranch);
            if (!filtered)
                return filtered.error();
            matches = *filtered;
        }
        if (matches.isEmpty())
            return resolutionError(
                QStringLiteral("No such revision or branch '%1'%2")
                    .arg(id, id.size() < 4
                                 ? QStringLiteral("; please ensure at least four characters "
                                                  "are present for partial revision "
                                                  "identifier matches")
                                 : QString()),
                id);
        if (matches.size() > 1) {
            QStringList quoted;
            for (const QString &m : matches.mid(0, 3))
                quoted.append(QStringLiteral("'%1'").arg(m));
            return resolutionError(QStringLiteral("Multiple revisions start with '%1': %2...")
                                       .arg(id, quoted.join(QStringLiteral(", "))),
                                   id);
        }
        rev = lookupKey(matches.first());
    }
    if (branchRev && !sharesLineage(rev, {branchRev}))
        return resolutionError(QStringLiteral("Revision %1 is not a member of branch '%2'")
                                   .arg(rev->id(), checkBranch),
                               id);
    return rev;
}

// --- lineage -----------------------------------------------------------------------

bool RevisionGraph::sharesLineage(const RevisionNode *target, const RevisionNodes &testAgainst,
                                  bool includeDependencies) const
{
    if (testAgainst.isEmpty())
        return true;
    if (!target || target->isBaseMarker())
        return false;
    QVector<bool> wanted(m_nodes.size(), false);
    bool any = false;
    for (const RevisionNode *n : testAgainst)
        if (n && !n->isBaseMarker()) {
            wanted[n->index()] = true;
            any = true;
        }
    if (!any)
        return false;
    const auto down = includeDependencies ? &RevisionNode::m_normalizedDownIdx
                                          : &RevisionNode::m_downIdx;
    const auto up = includeDependencies ? &RevisionNode::m_allNextIdx : &RevisionNode::m_nextIdx;
    for (auto edges : {down, up}) {
        QVector<bool> seen(m_nodes.size(), false);
        QVector<int> todo{target->index()};
        while (!todo.isEmpty()) {
            const int n = todo.takeLast();
            if (seen[n])
                continue;
            if (wanted[n])
                return true;
            seen[n] = true;
            todo += m_nodes[n].*edges;
        }
    }
    return false;
}

RevisionResult<bool> RevisionGraph::sharesLineage(const QString &target,
                                                  const QStringList &testAgainst,
                                                  bool includeDependencies) const
{
    if (testAgainst.isEmpty())
        return true;
    auto t = revisionForIdent(target);
    if (!t)
        return t.error();
    RevisionNodes against;
    for (const QString &id : testAgainst) {
        auto r = revisionForIdent(id);
        if (!r)
            return r.error();
        against.append(*r);
    }
    if (!*t) {
        RevisionError e = RevisionError::generic(QStringLiteral("AssertionError"));
        e.kind = RevisionError::Crash;  // not_none() in Alembic
        return e;
    }
    return sharesLineage(*t, against, includeDependencies);
}

RevisionResult<RevisionNodes> RevisionGraph::filterForLineage(const RevisionNodes &targets,
                                                              const QString &checkAgainst,
                                                              bool includeDependencies) const
{
    auto resolved = resolveRevisionNumber(checkAgainst);
    if (!resolved)
        return resolved.error();
    if (targets.isEmpty())
        return targets;  // Alembic resolves the lineage revisions per target
    QStringList shares;
    if (!resolved->branchLabel.isEmpty())
        shares.append(resolved->branchLabel);
    shares += resolved->ids;
    if (shares.isEmpty())
        return targets;
    RevisionNodes against;
    for (const QString &id : qAsConst(shares)) {
        auto r = revisionForIdent(id);
        if (!r)
            return r.error();
        against.append(*r);
    }
    RevisionNodes out;
    for (const RevisionNode *t : targets)
        if (t && !t->isBaseMarker() && sharesLineage(t, against, includeDependencies))
            out.append(t);
    return out;
}

RevisionResult<QStringList> RevisionGraph::filterForLineage(const QStringList &targets,
                                                            const QString &checkAgainst,
                                                            bool includeDependencies) const
{
    // Alembic resolves each target before the lineage revisions it is tested against.
    RevisionNodes nodes;
    RevisionResult<RevisionNodes> filtered = RevisionNodes();
    for (int i = 0; i < targets.size(); ++i) {
        auto r = revisionForIdent(targets[i]);
        if (!r)
            return r.error();
        nodes.append(*r);
        if (i == 0) {
            filtered = filterForLineage(nodes, checkAgainst, includeDependencies);
            if (!filtered)
                return filtered.error();
        }
    }
    filtered = filterForLineage(nodes, checkAgainst, includeDependencies);
    if (!filtered)
        return filtered.error();
    // Keep the caller's spelling of each target (labels stay labels).
    QStringList out;
    int j = 0;
    for (int i = 0; i < targets.size() && j < filtered->size(); ++i)
        if (nodes[i] == filtered->at(j)) {
            out.append(targets[i]);
            ++j;
        }
    return out;
}

RevisionNodes RevisionGraph::filterIntoBranchHeads(const RevisionNodes &targets) const
{
    // A target is dropped when another target descends from it by down_revision.
    // covered[n]: some target lies strictly above n; one memoised post-order pass.
    const int n = m_nodes.size();
    QVector<char> inTargets(n, 0), covered(n, 0), state(n, 0);
    for (const RevisionNode *t : targets)
        if (t && !t->isBaseMarker())
            inTargets[t->index()] = 1;
    for (int root = 0; root < n; ++root) {
        if (!inTargets[root] || state[root])
            continue;
        QVector<QPair<int, int>> stack{{root, 0}};  // (node, next child position)
        state[root] = 1;
        while (!stack.isEmpty()) {
            auto &[node, pos] = stack.last();
            const QVector<int> &next = m_nodes[node].m_nextIdx;
            if (pos < next.size()) {
                const int child = next[pos++];
                if (state[child] == 0) {
                    state[child] = 1;
                    stack.append({child, 0});
                }
                continue;
            }
            for (int child : next)
                covered[node] = covered[node] || inTargets[child] || covered[child];
            state[node] = 2;
            stack.removeLast();
        }
    }
    RevisionNodes out;
    for (int i = 0; i < n; ++i)
        if (inTargets[i] && !covered[i])
            out.append(&m_nodes[i]);
    return out;
}

RevisionResult<RevisionNodes> RevisionGraph::allCurrent(const QStringList &ids) const
{
    auto top = revisions(ids);
    if (!top)
        return top.error();
    RevisionNodes valid;
    for (const RevisionNode *n : qAsConst(*top))
        if (n && !n->isBaseMarker())
            valid.append(n);
    auto withAncestors = ancestors(valid, true);
    if (!withAncestors)
        return withAncestors.error();
    return filterIntoBranchHeads(*withAncestors);
}

} // namespace retort
