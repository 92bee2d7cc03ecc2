#pragma once
// The steps of `upgrade`, `downgrade` and `stamp`, exactly as Alembic 1.8.1 takes them:
// ScriptDirectory._upgrade_revs / _downgrade_revs / _stamp_revs (alembic/script/base.py)
// turned into RevisionStep / StampStep, and each step's version-table statements as
// HeadMaintainer.update_to_step issues them, simulated from the starting rows.
//
// Starting heads (what MigrationContext.get_current_heads returns):
// - online: the version_num rows of the version table, in the order the database
//   returns them (an empty list when the table doesn't exist or is empty);
// - offline (--sql): offlineStartHeads(graph, start) with `start` the part before ':'
//   of "start:end", or a null QString when no range was given (Alembic then assumes
//   an empty version table: the runtime emits CREATE TABLE before the first step and
//   DROP TABLE when no rows remain, see MigrationPlan::endHeads).
//
// Errors come back with the text Alembic prints after "FAILED: " (its
// _catch_revision_errors rewriting already applied). Where Alembic itself crashes
// with a traceback (asserts, KeyError in its bookkeeping), the error names the
// Python exception.

#include "migrationstep.h"
#include "result.h"
#include "revisiongraph.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

struct MigrationPlan
{
    // stamp --purge: delete every row of the version table before the first step
    // (Alembic: _ensure_version_table(purge=True), "DELETE FROM alembic_version").
    // Alembic refuses --purge with --sql ("Can't use --purge with --sql mode"): the
    // caller checks that before planning.
    bool purge = false;
    QStringList startHeads;       // rows before the first step (after the purge)
    QStringList endHeads;         // rows after the last step
    QVector<MigrationStep> steps; // in execution order
    QStringList warnings;         // util.warn texts Alembic would print

    // Rows just before steps[index] runs (index == steps.size(): endHeads). Offline,
    // Alembic emits CREATE TABLE for the version table before every step that starts
    // with no rows, and DROP TABLE at the end when endHeads is empty.
    QStringList headsBefore(int index) const;
};

class MigrationPlanner
{
public:
    // command.upgrade: ScriptDirectory._upgrade_revs(destination, current heads).
    static Result<MigrationPlan> upgrade(const RevisionGraph &graph,
                                         const QStringList &currentHeads,
                                         const QString &destination);
    // command.downgrade: ScriptDirectory._downgrade_revs(destination, current heads).
    static Result<MigrationPlan> downgrade(const RevisionGraph &graph,
                                           const QStringList &currentHeads,
                                           const QString &destination);
    // command.stamp: ScriptDirectory._stamp_revs(destinations, current heads).
    // With purge the current rows are dropped first and planning starts from none.
    static Result<MigrationPlan> stamp(const RevisionGraph &graph,
                                       const QStringList &currentHeads,
                                       const QStringList &destinations, bool purge = false);

    // MigrationContext.get_current_heads() in --sql mode for starting_rev `start`:
    // null or "base" gives no rows; otherwise the full id of get_revision(start).
    static Result<QStringList> offlineStartHeads(const RevisionGraph &graph, const QString &start);

    // MigrationStep.short_log for a revision step ("upgrade a, b -> c").
    static QString shortLog(const QString &name, const QStringList &from, const QStringList &to);
};

} // namespace retort
