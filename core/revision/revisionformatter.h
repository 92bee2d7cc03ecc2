#pragma once
// Text forms of a revision, exactly as Alembic's Script prints them
// (alembic/script/base.py: cmd_format, _head_only, log_entry, __str__,
// _format_down_revision; alembic/util/messaging.py: format_as_comma).
// `current` plays the role of Script._db_current_indicator.
// Lists Alembic keeps as sets (branch labels, "Branches into") print in the stable
// order documented in revisionnode.h.

#include "revisionnode.h"

#include <QString>
#include <QStringList>

namespace retort {

class RevisionFormatter
{
public:
    // util.format_as_comma for an iterable: ", ".join(...)
    static QString formatAsComma(const QStringList &values);
    // "<base>" or the down revisions joined with ", ".
    static QString formatDownRevision(const RevisionNode &node);
    // Script.__str__: "down -> rev (head)..., doc"
    static QString toString(const RevisionNode &node);
    // Script.log_entry (verbose form; ends with "\n").
    static QString logEntry(const RevisionNode &node, bool current = false);
    // Script._head_only.
    static QString headOnly(const RevisionNode &node, bool includeBranches = false,
                            bool includeDoc = false, bool includeParents = false,
                            bool treeIndicators = true, bool headIndicators = true,
                            bool current = false);
    // Script.cmd_format.
    static QString cmdFormat(const RevisionNode &node, bool verbose,
                             bool includeBranches = false, bool includeDoc = false,
                             bool includeParents = false, bool treeIndicators = true,
                             bool current = false);
};

} // namespace retort
