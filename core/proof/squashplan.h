#pragma once
// What `retort squash --until REV` would fold into one baseline, decided on the revision
// graph alone (no files touched, no database): REV and the linear chain below it. Only
// simple cases are squashed: no merge at or below REV, no branch leaving the chain below
// REV, no depends_on in or into the chain, at most one branch label. Anything else is
// refused with a message that says why, so nothing half-squashed is ever written.

#include "result.h"

#include <QString>
#include <QStringList>

namespace retort {

class RevisionGraph;

struct SquashPlan
{
    QString revision;          // REV, full id: the baseline keeps it
    QString revisionPath;      // REV's current script
    QString revisionDoc;       // REV's message
    QStringList squashed;      // revisions below REV, base first (their ids vanish)
    QStringList squashedPaths; // their scripts, same order
    QString branchLabel;       // carried onto the baseline ("" = none)
    QStringList above;         // REV's children (keep REV as down_revision)

    // REV and everything below it, base first.
    QStringList chain() const { return squashed + QStringList{revision}; }
    QStringList chainPaths() const { return squashedPaths + QStringList{revisionPath}; }

    static Result<SquashPlan> make(const RevisionGraph &graph, const QString &until);
};

} // namespace retort
