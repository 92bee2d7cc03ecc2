#pragma once
// Beyond Alembic: before an online run, the CLI logs what PlanReview found as WARNING
// lines of the retort.review logger, formatted like Alembic's own log lines (the ini's
// console format once env.py configured logging, "WARNING [retort.review] ..." before):
// the summary first, then each finding that loses data or could not be checked, named
// by its step. A downgrade logs whenever something needs attention; an upgrade only
// when data will be lost (steps needing Python are common there and say so already).

#include "revision/migrationplanner.h"

namespace retort {

class CommandContext;
class DatabaseConnection;
class ScriptStepBodyProvider;

class ReviewWarnings
{
public:
    static void log(CommandContext &context, ScriptStepBodyProvider *scripts, DatabaseConnection *connection,
                    const MigrationPlan &plan);
};

} // namespace retort
