#include "graphlayout.h"

#include <algorithm>

namespace retort {

namespace {

// Lowest free lane; grows the lane table when all are taken.
int takeFreeLane(QVector<int> &laneEdge)
{
    for (int i = 0; i < laneEdge.size(); ++i) {
        if (laneEdge.at(i) < 0)
            return i;
    }
    laneEdge.append(-1);
    return laneEdge.size() - 1;
}

int usedWidth(const QVector<int> &laneEdge)
{
    int w = laneEdge.size();
    while (w > 0 && laneEdge.at(w - 1) < 0)
        --w;
    return w;
}

} // namespace

GraphLayout GraphLayout::compute(const RevisionGraph &graph)
{
    auto walked = graph.walkRevisions();
    if (walked)
        return compute(*walked);
    // A walk error (e.g. a broken dependency) should not leave the view empty.
    const RevisionNodes all = graph.nodes();
    RevisionNodes heads;
    for (const RevisionNode *n : all) {
        if (n->isRealHead())
            heads << n;
    }
    RevisionNodes ordered;
    for (const QString &id : graph.topologicalSort(all, heads))
        ordered << graph.node(id);
    return compute(ordered);
}

GraphLayout GraphLayout::compute(const RevisionNodes &input)
{
    GraphLayout g;
    g.m_rows.reserve(input.size());
    for (const RevisionNode *node : input) {
        if (!node || node->isBaseMarker() || g.m_rowById.contains(node->id()))
            continue;
        g.m_rowById.insert(node->id(), g.m_rows.size());
        GraphRow row;
        row.node = node;
        g.m_rows.append(row);
    }

    // laneEdge[lane] = index of the edge travelling on it, -1 when free.
    QVector<int> laneEdge;
    for (int r = 0; r < g.m_rows.size(); ++r) {
        GraphRow &row = g.m_rows[r];
        int widthAbove = usedWidth(laneEdge);

        // The row's lane: the lowest lane among the edges arriving here.
        int lane = -1;
        for (int e : std::as_const(row.childEdges)) {
            const int l = g.m_edges.at(e).lane;
            if (lane < 0 || l < lane)
                lane = l;
        }
        for (int e : std::as_const(row.childEdges)) {
            GraphEdge &edge = g.m_edges[e];
            edge.parentLane = -2;   // set below once the lane is known
            laneEdge[edge.lane] = -1;
        }
        if (lane < 0)
            lane = takeFreeLane(laneEdge);
        row.lane = lane;
        for (int e : std::as_const(row.childEdges))
            g.m_edges[e].parentLane = lane;

        // Outgoing edges: down revisions first (the first one keeps this lane), then
        // depends_on targets that are not already down revisions.
        const QStringList &downs = row.node->downRevisions();
        QStringList targets = downs;
        for (const QString &dep : row.node->resolvedDependencies()) {
            if (!targets.contains(dep))
                targets << dep;
        }
        bool laneTaken = false;
        for (int i = 0; i < targets.size(); ++i) {
            const int parentRow = g.m_rowById.value(targets.at(i), -1);
            if (parentRow <= r) {
                row.missingParents << targets.at(i);
                continue;
            }
            GraphEdge edge;
            edge.childRow = r;
            edge.parentRow = parentRow;
            edge.childLane = lane;
            edge.kind = i < downs.size() ? GraphEdge::Parent : GraphEdge::Dependency;
            edge.parentIndex = i < downs.size() ? i : i - downs.size();
            // The first edge drawn (normally the first down revision) goes straight down.
            edge.lane = laneTaken ? takeFreeLane(laneEdge) : lane;
            laneTaken = true;
            const int index = g.m_edges.size();
            laneEdge[edge.lane] = index;
            g.m_edges.append(edge);
            row.parentEdges << index;
            g.m_rows[parentRow].childEdges << index;
        }
        row.width = std::max({widthAbove, usedWidth(laneEdge), lane + 1});
        g.m_laneCount = std::max(g.m_laneCount, row.width);
    }

    g.m_maxParentRowPrefix.resize(g.m_edges.size());
    int maxRow = -1;
    for (int i = 0; i < g.m_edges.size(); ++i) {
        maxRow = std::max(maxRow, g.m_edges.at(i).parentRow);
        g.m_maxParentRowPrefix[i] = maxRow;
    }
    return g;
}

QVector<int> GraphLayout::edgesInRows(int firstRow, int lastRow) const
{
    QVector<int> out;
    // Edges are stored by increasing childRow; skip the prefix that ends above firstRow.
    auto it = std::lower_bound(m_maxParentRowPrefix.cbegin(), m_maxParentRowPrefix.cend(),
                               firstRow);
    for (int i = int(it - m_maxParentRowPrefix.cbegin()); i < m_edges.size(); ++i) {
        const GraphEdge &e = m_edges.at(i);
        if (e.childRow > lastRow)
            break;
        if (e.parentRow >= firstRow)
            out << i;
    }
    return out;
}

} // namespace retort
