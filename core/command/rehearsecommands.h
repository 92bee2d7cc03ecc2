#pragma once
// Beyond Alembic (issue 14): prove a migration before it touches the real database.
// upgrade/downgrade --rehearse: run the plan on a copy of the database first (Rehearsal),
// print its report as INFO lines, and run for real only when it succeeded;
// --rehearse-only stops after the rehearsal.

#include "result.h"

namespace retort {

class ArgumentParser;
class CommandContext;
class MigrationEnvironment;
struct MigrationPlan;

class RehearseCommands
{
public:
    // upgrade/downgrade's hidden --rehearse and --rehearse-only.
    static void addRehearseOptions(ArgumentParser &parser);
    static bool wantsRehearsal(const CommandContext &context);
    static bool rehearsalOnly(const CommandContext &context);

    // Called by upgrade/downgrade with the plan made under the migration lock. Runs the
    // rehearsal (the lock released meanwhile: a MySQL lock is server-wide, and the copy's
    // run takes it too), then takes the lock again and checks the heads did not move.
    // An error: the rehearsal failed, nothing was run on `env`'s database.
    static VoidResult rehearseBeforeRun(CommandContext &context, MigrationEnvironment &env,
                                        const MigrationPlan &plan);
};

} // namespace retort
