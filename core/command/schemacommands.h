#pragma once
// Commands that compare schemas: `revision --autogenerate`, and Retort's own `check`,
// `schema dump` and `diff` (not in Alembic 1.8.1; hidden from the argparse texts so that
// Alembic's usage and help stay byte-identical).

#include "result.h"

namespace retort {

class CommandContext;

class SchemaCommands
{
public:
    static VoidResult autogenerateRevision(CommandContext &context);
    // Exit code 1 (not a FAILED line) when models and database differ: made for CI.
    static VoidResult check(CommandContext &context);
    static VoidResult schemaDump(CommandContext &context);
    static VoidResult diff(CommandContext &context);
};

} // namespace retort
