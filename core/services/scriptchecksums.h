#pragma once
// Applied scripts stay as applied: what a run records in retort_script_checksums
// (ScriptChecksumTable) and what an audit of a database finds against the scripts now.
// Upgrade steps record their revision's upgrade() checksum (UpgradeChecksum), downgrade
// steps remove theirs, stamps record the revisions they move the database onto and remove
// the ones they move it off. A script without source (.pyc) records nothing.

#include "result.h"
#include "revision/migrationplanner.h"
#include "runtime/scriptchecksumtable.h"
#include "runtime/versiontableoptions.h"

#include <QSet>
#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

class DatabaseConnection;
class RevisionGraph;

struct ChecksumFinding
{
    enum Kind { Changed, NotRecorded };
    Kind kind = Changed;
    QString revision;
    QString path;

    QString message() const;   // "script changed since applied" / "applied before ..."
};

class ScriptChecksums
{
public:
    // The change each step of the plan makes (aligned with plan.steps).
    static QVector<ScriptChecksumChange> forPlan(const RevisionGraph &graph, const MigrationPlan &plan);
    // The revisions the database has applied at these heads: the heads, their ancestors
    // and dependencies. Unknown ids are left out.
    static QSet<QString> applied(const RevisionGraph &graph, const QStringList &heads);
    // Applied revisions whose upgrade() differs from the recorded checksum, or that have
    // none, in the graph's map order. Reads only; no table: all NotRecorded.
    static Result<QVector<ChecksumFinding>> audit(DatabaseConnection &connection,
                                                  const VersionTableOptions &versionTable,
                                                  const RevisionGraph &graph, const QStringList &heads);
};

} // namespace retort
