#pragma once
// One step of an upgrade, downgrade or stamp plan, as Alembic's runtime would take it,
// together with the change it makes to the version table. Pure data: computed by the
// planner in this module, executed (online) or printed (offline) by the runtime module.

#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

struct VersionTableOp
{
    enum Kind { Insert, Delete, Update };
    Kind kind = Update;
    QString from;   // Update/Delete: the row's current version_num
    QString to;     // Update/Insert: the new version_num

    bool operator==(const VersionTableOp &o) const
    { return kind == o.kind && from == o.from && to == o.to; }
};

struct MigrationStep
{
    enum Kind { Upgrade, Downgrade, Stamp };
    Kind kind = Upgrade;
    QString revision;            // the script whose upgrade()/downgrade() runs; empty for Stamp
    QStringList fromRevisions;   // as in Alembic's step.from_revisions_no_deps
    QStringList toRevisions;     // as in Alembic's step.to_revisions_no_deps
    QString shortLog;            // "upgrade a -> b" etc.: the text after "Running " in logs and --sql comments
    QVector<VersionTableOp> versionOps;  // applied after the script body, in order

    bool isUpgrade() const { return kind == Upgrade; }
};

} // namespace retort
