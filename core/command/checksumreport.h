#pragma once
// `current --verbose` and `check`: applied revisions whose script changed since they were
// applied (and those applied before Retort recorded checksums), as [retort.checksum] log
// lines on stderr, next to Alembic's own output.

#include "result.h"

#include <QStringList>

namespace retort {

class CommandContext;
class MigrationEnvironment;
class RevisionGraph;

class ChecksumReport
{
public:
    // Logs every finding; returns how many applied scripts changed since applied.
    static Result<int> log(CommandContext &context, MigrationEnvironment &env, const RevisionGraph &graph,
                           const QStringList &heads);
};

} // namespace retort
