#pragma once
// The set of rows in the version table while a plan runs: Alembic's HeadMaintainer
// (alembic/runtime/migration.py) together with the per-step decisions of RevisionStep
// and StampStep (should_delete_branch, should_create_branch, should_merge_branches,
// should_unmerge_branches, merge/unmerge_branch_idents, update_version_num).
//
// Alembic picks rows from Python sets in merge_branch_idents and
// _unmerge_to_revisions, so which row is deleted/updated can change with
// PYTHONHASHSEED; we keep the order of the revision's down revisions instead.

#include "migrationstep.h"
#include "revisionerror.h"
#include "revisiongraph.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

class VersionHeads
{
public:
    explicit VersionHeads(const QStringList &heads = {});

    // Current rows (order of arrival; Alembic keeps a set).
    QStringList heads() const { return m_heads; }
    bool contains(const QString &rev) const { return m_heads.contains(rev); }

    // update_to_step() for RevisionStep(rev, is_upgrade): returns the statements in
    // the order Alembic issues them and applies them to the simulated rows.
    RevisionResult<QVector<VersionTableOp>> applyRevisionStep(const RevisionGraph &graph,
                                                              const RevisionNode &rev,
                                                              bool isUpgrade);
    // update_to_step() for StampStep(from_, to_, is_upgrade, branch_move).
    RevisionResult<QVector<VersionTableOp>> applyStampStep(const QStringList &from,
                                                           const QStringList &to,
                                                           bool isUpgrade, bool branchMove);

private:
    // _unmerge_to_revisions(heads): the down revisions not already implied by other rows.
    RevisionResult<QStringList> unmergeToRevisions(const RevisionGraph &graph,
                                                   const RevisionNode &rev) const;
    // merge_branch_idents(heads) before the split into (deletes, from, to).
    RevisionResult<QStringList> mergeFromRevisions(const RevisionGraph &graph,
                                                   const RevisionNode &rev) const;
    // Revision ids that are ancestors (dependencies included) of the rows except `except`.
    RevisionResult<QStringList> ancestorsOfOtherRows(const RevisionGraph &graph,
                                                     const QStringList &except) const;

    // The merge, unmerge and plain update branches of update_to_step for a RevisionStep.
    RevisionResult<bool> mergeInto(const RevisionGraph &graph, const RevisionNode &rev,
                                   QVector<VersionTableOp> &ops);
    RevisionResult<bool> unmergeFrom(const RevisionNode &rev, const QStringList &to,
                                     QVector<VersionTableOp> &ops);
    RevisionResult<bool> updateAlong(const RevisionNode &rev, bool isUpgrade,
                                     QVector<VersionTableOp> &ops);

    // _insert_version / _delete_version / _update_version, with Alembic's asserts.
    RevisionResult<bool> insertVersion(const QString &rev, QVector<VersionTableOp> &ops);
    RevisionResult<bool> deleteVersion(const QString &rev, QVector<VersionTableOp> &ops);
    RevisionResult<bool> updateVersion(const QString &from, const QString &to,
                                       QVector<VersionTableOp> &ops);

    QStringList m_heads;
};

} // namespace retort
