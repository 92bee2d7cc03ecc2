#pragma once
// Commands that run "env.py": current, upgrade, downgrade, stamp, ensure_version, and
// the database-aware forms of history and show. Online they go through QtSql and the
// MigrationRunner; with --sql they print what Alembic's offline mode prints.

#include "result.h"

namespace retort {

class CommandContext;

class DatabaseCommands
{
public:
    static VoidResult current(CommandContext &context);
    static VoidResult showCurrent(CommandContext &context);
    static VoidResult historyWithCurrent(CommandContext &context);
    static VoidResult upgrade(CommandContext &context);
    static VoidResult downgrade(CommandContext &context);
    static VoidResult stamp(CommandContext &context);
    static VoidResult ensureVersion(CommandContext &context);
};

} // namespace retort
