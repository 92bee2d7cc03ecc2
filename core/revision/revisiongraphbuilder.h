#pragma once
// Internal to the revision module: fills a RevisionGraph the way
// RevisionMap._revision_map does (validation, labels, dependencies, cycles,
// heads/bases, branch label inheritance). Use RevisionGraph::build().

#include "revisiongraph.h"

namespace retort {

class RevisionGraphBuilder
{
public:
    RevisionGraphBuilder(RevisionGraph &graph, QStringList *warnings)
        : m_graph(graph), m_warnings(warnings) {}

    RevisionResult<bool> run(QVector<Revision> revisions);

private:
    struct Entry
    {
        int node = -1;        // index in the graph's nodes
        bool shadowed = false;  // an earlier duplicate replaced in the map
        Revision revision;    // as declared by this entry
    };

    static RevisionResult<bool> checkRevision(const Revision &rev);
    void addEntries(QVector<Revision> revisions);
    RevisionResult<bool> mapBranchLabels();
    RevisionResult<bool> addDependsOn();
    RevisionResult<bool> linkDownRevisions();
    void normalizeDependsOn();
    RevisionResult<bool> detectCycles() const;
    QStringList unreachable(bool real) const;
    void collectHeadsAndBases();
    void addBranches();
    int keyIndex(const QString &key) const;  // id or declared label

    RevisionGraph &m_graph;
    QStringList *m_warnings;
    QVector<Entry> m_entries;   // generator order, duplicates included
    QVector<bool> m_isHead;     // per entry: still in Alembic's `heads` set
    QVector<bool> m_isRealHead;
};

} // namespace retort
