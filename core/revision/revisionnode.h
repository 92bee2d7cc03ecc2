#pragma once
// One revision inside a built RevisionGraph: the declared Revision plus everything
// Alembic's RevisionMap computes for it (alembic/script/revision.py, class Revision).
// Nodes are owned by the graph; pointers stay valid as long as the graph (or a copy
// of it: copies share the node storage) lives.

#include "revision.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

class RevisionNode
{
public:
    const Revision &revision() const { return m_revision; }
    const QString &id() const { return m_revision.id; }
    const QString &path() const { return m_revision.path; }
    QString doc() const { return m_revision.doc(); }
    const QString &longDoc() const { return m_revision.longDoc; }
    int order() const { return m_revision.order; }   // Revision::order
    int index() const { return m_index; }            // position in the graph's map order

    // down_revision as written (Alembic's _versioned_down_revisions).
    const QStringList &downRevisions() const { return m_revision.downRevisions; }
    // depends_on as written (Alembic's Script.dependencies): ids, partial ids or labels.
    const QStringList &dependencies() const { return m_revision.dependsOn; }
    // Effective branch labels: declared ones plus those inherited along the lineage
    // (_add_branches). Alembic keeps a set here; we keep a stable order: own labels as
    // declared, then inherited ones in map order of the revisions declaring them.
    const QStringList &branchLabels() const { return m_branchLabels; }
    // Declared labels only (Alembic's _orig_branch_labels).
    const QStringList &declaredBranchLabels() const { return m_revision.branchLabels; }

    // _resolved_dependencies: depends_on turned into full revision ids.
    const QStringList &resolvedDependencies() const { return m_resolvedDeps; }
    // _normalized_resolved_dependencies: minus those already reached through ancestors.
    // Alembic builds it from a set (hash order); we keep depends_on order.
    const QStringList &normalizedDependencies() const { return m_normalizedDeps; }
    // _all_down_revisions = down_revision + resolved deps, deduplicated.
    const QStringList &allDownRevisions() const { return m_allDown; }
    // _normalized_down_revisions = down_revision + normalized deps, deduplicated.
    const QStringList &normalizedDownRevisions() const { return m_normalizedDown; }
    // nextrev (children through down_revision) and _all_nextrev (also dependents).
    // Alembic keeps frozensets (hash order); we keep map order of the children.
    const QStringList &nextRevisions() const { return m_next; }
    const QStringList &allNextRevisions() const { return m_allNext; }

    bool isHead() const { return m_next.isEmpty(); }
    bool isRealHead() const { return m_allNext.isEmpty(); }
    bool isBase() const { return m_revision.downRevisions.isEmpty(); }
    bool isRealBase() const { return isBase() && m_revision.dependsOn.isEmpty(); }
    bool isBranchPoint() const { return m_next.size() > 1; }
    bool isRealBranchPoint() const { return m_allNext.size() > 1; }
    bool isMergePoint() const { return m_revision.downRevisions.size() > 1; }

    // Alembic's "base" string returned by walks past a base (see RevisionGraph::walk).
    bool isBaseMarker() const { return m_index < 0; }

private:
    friend class RevisionGraph;
    friend class RevisionGraphBuilder;

    Revision m_revision;
    int m_index = -1;
    QStringList m_branchLabels;
    QStringList m_resolvedDeps;
    QStringList m_normalizedDeps;
    QStringList m_allDown;
    QStringList m_normalizedDown;
    QStringList m_next;
    QStringList m_allNext;
    // Same relations as node indexes, for the walks.
    QVector<int> m_downIdx;            // versioned down revisions
    QVector<int> m_allDownIdx;         // _all_down_revisions
    QVector<int> m_normalizedDownIdx;  // _normalized_down_revisions
    QVector<int> m_nextIdx;
    QVector<int> m_allNextIdx;
};

} // namespace retort
