#pragma once
// Which revisions an upgrade or downgrade has to run: Alembic's
// RevisionMap._parse_upgrade_target, _parse_downgrade_target,
// _collect_upgrade_revisions and _collect_downgrade_revisions
// (alembic/script/revision.py), on top of RevisionGraph.
//
// Identifier arguments follow revisiongraph.h: a QStringList stands for Python's
// str | tuple | None (empty = None, one element = that string). Collected sets come
// back in map order (Alembic returns Python sets; callers only sort or test them).

#include "revisionerror.h"
#include "revisiongraph.h"

#include <QString>
#include <QStringList>

namespace retort {

class MigrationPlanTargets
{
public:
    struct DowngradeTarget
    {
        QString branchLabel;                    // empty for None
        const RevisionNode *target = nullptr;   // nullptr = None; may be baseMarker()
    };

    struct Collected
    {
        RevisionNodes revisions;  // the revisions to run (a set in Alembic)
        RevisionNodes heads;      // what topologicalSort() starts from
    };

    // _parse_upgrade_target(current_revisions, target, assert_relative_length).
    // Entries may be nullptr (None) or baseMarker() where Alembic's _walk gives those.
    static RevisionResult<RevisionNodes> parseUpgradeTarget(const RevisionGraph &graph,
                                                            const QStringList &currentRevisions,
                                                            const QStringList &target,
                                                            bool assertRelativeLength);
    // _parse_downgrade_target(current_revisions, target, assert_relative_length).
    // `warnings` receives Alembic's util.warn texts (downgrade -1 from several heads).
    static RevisionResult<DowngradeTarget> parseDowngradeTarget(const RevisionGraph &graph,
                                                                const QStringList &currentRevisions,
                                                                const QStringList &target,
                                                                bool assertRelativeLength,
                                                                QStringList *warnings = nullptr);

    // _collect_upgrade_revisions(upper, lower, inclusive, implicit_base, assert_relative_length)
    static RevisionResult<Collected> collectUpgradeRevisions(const RevisionGraph &graph,
                                                             const QStringList &upper,
                                                             const QStringList &lower,
                                                             bool inclusive, bool implicitBase,
                                                             bool assertRelativeLength);
    // _collect_downgrade_revisions(upper, target, inclusive, implicit_base, assert_relative_length)
    static RevisionResult<Collected> collectDowngradeRevisions(const RevisionGraph &graph,
                                                               const QStringList &upper,
                                                               const QStringList &target,
                                                               bool inclusive, bool implicitBase,
                                                               bool assertRelativeLength,
                                                               QStringList *warnings = nullptr);

    // iterate_revisions(upper, lower, ...): collect, then topological sort (heads first).
    static RevisionResult<RevisionNodes> iterate(const RevisionGraph &graph,
                                                 const QStringList &upper,
                                                 const QStringList &lower,
                                                 bool implicitBase = false,
                                                 bool inclusive = false,
                                                 bool assertRelativeLength = true,
                                                 bool selectForDowngrade = false,
                                                 QStringList *warnings = nullptr);
};

} // namespace retort
