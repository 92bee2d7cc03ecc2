#pragma once
// Commands that run "env.py": current, upgrade, downgrade, stamp, ensure_version, and
// the database-aware forms of history and show. Online they go through QtSql and the
// MigrationRunner; with --sql they print what Alembic's offline mode prints.

#include "result.h"

namespace retort {

class CommandContext;
class MigrationEnvironment;

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
    // ensure_version --sql: env.py's begin_transaction() around the version table's
    // CREATE, and the DROP run_migrations() ends with when no revision is left.
    static QString ensureVersionSql(const MigrationEnvironment &env);
};

} // namespace retort
