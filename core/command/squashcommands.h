#pragma once
// Issue 14 item 5, `squash --until REV`: one
// baseline revision instead of REV and the chain below it (core/proof/Squasher); the
// project's database, when one is configured and reachable, is checked first.

#include "result.h"

namespace retort {

class CommandContext;

class SquashCommands
{
public:
    static VoidResult squash(CommandContext &context);
};

} // namespace retort
