#pragma once
// Dispatches a parsed command line to the command implementations
// (Alembic's alembic/command.py, split by what each command needs).

#include "result.h"

namespace retort {

class CommandContext;

class Commands
{
public:
    static VoidResult run(CommandContext &context);
};

} // namespace retort
