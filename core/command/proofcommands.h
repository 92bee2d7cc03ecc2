#pragma once
// Retort's commands of issue 14 items 1 and 3, on a scratch database (core/proof):
// `verify [RANGE]` (the stairway; exit 1 on a finding), `schema dump --at REV` (the schema
// a revision gives, as text or JSON) and `diff REV1 REV2` (what the schema gains and loses
// between two revisions; exit 1 when it changes, as `diff` of two databases does).

#include "result.h"

#include <QString>

namespace retort {

class CommandContext;

class ProofCommands
{
public:
    static VoidResult verify(CommandContext &context);
    static VoidResult schemaDumpAt(CommandContext &context);
    static VoidResult diffRevisions(CommandContext &context);
    // `diff` compares revisions when neither side is a URL nor an existing .json file.
    static bool isRevisionSide(const QString &side);
};

} // namespace retort
