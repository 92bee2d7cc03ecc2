#pragma once
// Alembic's RevisionMap (alembic/script/revision.py): the graph of revisions with
// branch labels, dependencies, identifier resolution and ordered walks.
//
// Conventions, mirroring the Python API:
// - A revision "identifier" argument that Alembic types as str | tuple | None is a
//   QStringList here: empty = None / (), one element = that string, more = a tuple.
// - In node lists, nullptr stands for Python's None and baseMarker() for the "base"
//   string that _walk() can return.
// - Where Alembic's result order comes from Python set iteration (nextrev,
//   branch_labels, normalized dependencies, _get_all_current, the order labels enter
//   the map), which changes with PYTHONHASHSEED or object addresses, we use map order
//   instead: revisions by Revision::order (discovery order), then label keys in that
//   same revision order; dependencies keep their depends_on order. With several
//   depends_on per revision Alembic's history order itself varies between runs; ours
//   is one of its orders (checked against several seeds in tst_revisiongraph).
// - Known differences: a down_revision naming a branch label (Alembic half-accepts it)
//   is reported as missing; where Alembic dies with a traceback (missing down revision
//   or dependency, topological sort assertion, "label@" with no id) we return a clean
//   error of kind RevisionError::Crash.

#include "revision.h"
#include "revisionerror.h"
#include "revisionnode.h"
#include "result.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

using RevisionNodes = QVector<const RevisionNode *>;

class RevisionGraph
{
public:
    RevisionGraph() = default;

    // Builds the map like RevisionMap._revision_map. Map order (Alembic's dict order)
    // is discovery order: `revisions` sorted by Revision::order, ties kept as given.
    // Alembic's warnings ("Revision %s is present more than once") go to *warnings;
    // hard failures (cycles, duplicate branch names, missing down revisions or
    // dependencies, bad ids) come back as an Error whose message is the text Alembic
    // prints after "FAILED: " and whose file is the offending script where known.
    static Result<RevisionGraph> build(QVector<Revision> revisions,
                                       QStringList *warnings = nullptr);
    // Same failure, typed (kind Cycle / Generic / Crash).
    static RevisionResult<RevisionGraph> buildTyped(QVector<Revision> revisions,
                                                    QStringList *warnings = nullptr);

    int size() const { return m_nodes.size(); }
    bool isEmpty() const { return m_nodes.isEmpty(); }
    // Exact revision id only (no labels, no partial ids); nullptr if unknown.
    const RevisionNode *node(const QString &id) const;
    const RevisionNode *nodeAt(int index) const { return &m_nodes.at(index); }
    RevisionNodes nodes() const;   // map order
    static const RevisionNode *baseMarker();

    QStringList heads() const { return m_heads; }          // RevisionMap.heads
    QStringList bases() const { return m_bases; }          // RevisionMap.bases
    QStringList realHeads() const { return m_realHeads; }  // _real_heads
    QStringList realBases() const { return m_realBases; }  // _real_bases

    // --- identifier resolution -------------------------------------------------
    struct ResolvedNumber
    {
        QStringList ids;       // resolved ids (may still be partial / labels / "-1")
        QString branchLabel;   // text before '@'; empty if none
    };
    // _resolve_revision_number(id): "heads", "head", "base", None (null string), @.
    RevisionResult<ResolvedNumber> resolveRevisionNumber(const QString &id) const;
    // get_current_head(branch_label): empty string for None.
    RevisionResult<QString> currentHead(const QString &branchLabel = {}) const;
    // get_revisions(str) and get_revisions(tuple).
    RevisionResult<RevisionNodes> revisions(const QString &id) const;
    RevisionResult<RevisionNodes> revisions(const QStringList &ids) const;
    // get_revision(id): nullptr for "base" / None.
    RevisionResult<const RevisionNode *> revision(const QString &id) const;
    // _revision_for_ident(id, check_branch) and _resolve_branch(label).
    RevisionResult<const RevisionNode *> revisionForIdent(const QString &id,
                                                          const QString &checkBranch = {}) const;
    RevisionResult<const RevisionNode *> resolveBranch(const QString &label) const;

    // filter_for_lineage(targets, check_against, include_dependencies).
    RevisionResult<QStringList> filterForLineage(const QStringList &targets,
                                                 const QString &checkAgainst,
                                                 bool includeDependencies = false) const;
    RevisionResult<RevisionNodes> filterForLineage(const RevisionNodes &targets,
                                                   const QString &checkAgainst,
                                                   bool includeDependencies = false) const;
    // _shares_lineage(target, test_against_revs, include_dependencies).
    RevisionResult<bool> sharesLineage(const QString &target, const QStringList &testAgainst,
                                       bool includeDependencies = false) const;
    bool sharesLineage(const RevisionNode *target, const RevisionNodes &testAgainst,
                       bool includeDependencies = false) const;
    // _get_all_current(ids): the current revisions filtered into branch heads.
    // Alembic returns a set; we return map order.
    RevisionResult<RevisionNodes> allCurrent(const QStringList &ids) const;
    // _filter_into_branch_heads(targets), map order.
    RevisionNodes filterIntoBranchHeads(const RevisionNodes &targets) const;

    // --- walks ----------------------------------------------------------------------
    // _get_ancestor_nodes / _get_descendant_nodes, in Alembic's yield order (targets
    // included). check=true raises "Requested revision %s overlaps with ...".
    RevisionResult<RevisionNodes> ancestors(const RevisionNodes &targets,
                                            bool includeDependencies = true,
                                            bool check = false) const;
    RevisionResult<RevisionNodes> descendants(const RevisionNodes &targets,
                                              bool includeDependencies = true,
                                              bool omitImmediateDependencies = false,
                                              bool check = false) const;
    // _walk(start, steps, branch_label, no_overwalk). start nullptr = None.
    RevisionResult<const RevisionNode *> walk(const RevisionNode *start, int steps,
                                              const QString &branchLabel = {},
                                              bool noOverwalk = true) const;
    // _topological_sort(revisions, heads): ids, revisions after their down revisions
    // reversed (heads first), Alembic's tie-breaking by map order. Revisions the walk
    // from `heads` cannot reach are left out and listed in *unreached (Alembic fails
    // an assertion there).
    QStringList topologicalSort(const RevisionNodes &revisions, const RevisionNodes &heads,
                                QStringList *unreached = nullptr) const;

    // iterate_revisions(upper, lower, ...): collects with the planner's
    // _collect_upgrade_revisions / _collect_downgrade_revisions, then topological sort.
    RevisionResult<RevisionNodes> iterateRevisions(const QStringList &upper,
                                                   const QStringList &lower,
                                                   bool implicitBase = false,
                                                   bool inclusive = false,
                                                   bool assertRelativeLength = true,
                                                   bool selectForDowngrade = false) const;
    // ScriptDirectory.walk_revisions(base, head): the `history`/`branches` walk, with
    // errors already rewritten by _catch_revision_errors(start=base, end=head).
    // History with "current" passes the database heads as a tuple: set headIsTuple so
    // messages print it as Python does ("('abc',)"); same for baseIsTuple.
    Result<RevisionNodes> walkRevisions(const QStringList &base = {QStringLiteral("base")},
                                        const QStringList &head = {QStringLiteral("heads")},
                                        bool baseIsTuple = false, bool headIsTuple = false) const;

    // ScriptDirectory.as_revision_number(id): empty for None, every head for "heads",
    // else the single resolved id (still unvalidated, as in Alembic).
    RevisionResult<QStringList> asRevisionNumber(const QString &id) const;

private:
    RevisionNodes toNodes(const QVector<int> &indexes) const;
    const RevisionNode *lookupKey(const QString &key) const;  // _revision_map[key]

    QVector<RevisionNode> m_nodes;          // map order
    QHash<QString, int> m_byId;             // revision ids
    QHash<QString, int> m_byLabel;          // declared branch labels
    QStringList m_keys;                     // map key order: ids, then labels
    QStringList m_heads, m_bases, m_realHeads, m_realBases;

    friend class RevisionGraphBuilder;
};

} // namespace retort
