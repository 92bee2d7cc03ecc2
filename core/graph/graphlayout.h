#pragma once
// Lane assignment for drawing a RevisionGraph as gitk / `git log --graph` does, computed
// here as pure data so any front end can paint it (qgit's split: lanes in the model,
// pixels in the view).
//
// Rows are revisions in history order (RevisionGraph::walkRevisions: heads first). Each
// edge runs from a child's row down to a parent's row on a lane of its own:
//   - the first down_revision continues on the child's lane (a straight line);
//   - other down revisions (merges) and depends_on targets take the lowest free lane;
//   - at the parent's row every incoming edge bends into the parent's lane, which is
//     the lowest lane among them (so forks converge like "|/").
// A lane is free again once its edge has reached its parent, and later edges reuse it.
// Lanes never shift sideways while in use, so the result depends only on the row order
// and is deterministic. Cost is O(rows * lanes + edges).

#include "revision/revisiongraph.h"

#include <QHash>
#include <QVector>

namespace retort {

struct GraphEdge
{
    enum Kind { Parent, Dependency };   // down_revision, depends_on (drawn dashed)

    int childRow = -1;    // the row the edge leaves (upper end)
    int parentRow = -1;   // the row it reaches (lower end)
    int childLane = -1;   // the child's lane: the edge leaves the child's dot here
    int lane = -1;        // the lane it travels on through the rows in between
    int parentLane = -1;  // the parent's lane: the edge ends in the parent's dot here
    Kind kind = Parent;
    int parentIndex = 0;  // position among the child's down revisions / dependencies

    // Passes through `row` (strictly between its ends) on `lane`.
    bool passesThrough(int row) const { return row > childRow && row < parentRow; }
};

struct GraphRow
{
    const RevisionNode *node = nullptr;
    int lane = -1;
    QVector<int> parentEdges;   // indexes into GraphLayout::edges(), leaving this row
    QVector<int> childEdges;    // indexes of edges arriving at this row
    int width = 0;              // lanes in use around this row (highest lane + 1)
    QStringList missingParents; // parents/dependencies not among the rows (not drawn)
};

class GraphLayout
{
public:
    GraphLayout() = default;

    // The whole graph in history order; falls back to a topological sort of all
    // revisions if the walk fails.
    static GraphLayout compute(const RevisionGraph &graph);
    // Any row order in which parents come after their children (others are dropped
    // into missingParents).
    static GraphLayout compute(const RevisionNodes &rows);

    int rowCount() const { return m_rows.size(); }
    const GraphRow &row(int index) const { return m_rows.at(index); }
    const QVector<GraphRow> &rows() const { return m_rows; }
    const QVector<GraphEdge> &edges() const { return m_edges; }
    int laneCount() const { return m_laneCount; }   // widest row
    int rowOf(const QString &revisionId) const { return m_rowById.value(revisionId, -1); }

    // Edges drawn in rows [firstRow, lastRow] (any part of them), for painting only
    // what is visible.
    QVector<int> edgesInRows(int firstRow, int lastRow) const;

private:
    QVector<GraphRow> m_rows;
    QVector<GraphEdge> m_edges;
    QHash<QString, int> m_rowById;
    // Edges sorted by childRow, with the running maximum parentRow, for edgesInRows().
    QVector<int> m_maxParentRowPrefix;
    int m_laneCount = 0;
};

} // namespace retort
