#include "rehearsecommands.h"

#include "command/argumentparser.h"
#include "command/commandcontext.h"
#include "proof/rehearsal.h"
#include "revision/migrationplanner.h"
#include "services/migrationenvironment.h"

namespace retort {

namespace {

const QString kLogger = QStringLiteral("retort.rehearse");

ArgumentSpec hiddenFlag(const QString &flag, const QString &dest, const QString &help)
{
    ArgumentSpec s;
    s.kind = ArgumentSpec::Flag;
    s.flags = QStringList{flag};
    s.dest = dest;
    s.help = help;
    s.hidden = true;   // Alembic's usage and help stay as they are
    return s;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

void RehearseCommands::addRehearseOptions(ArgumentParser &parser)
{
    parser.addArgument(hiddenFlag(QStringLiteral("--rehearse"), QStringLiteral("rehearse"),
                                  QStringLiteral("Run the plan on a copy of the database first")));
    parser.addArgument(hiddenFlag(QStringLiteral("--rehearse-only"), QStringLiteral("rehearse_only"),
                                  QStringLiteral("Run the plan on a copy of the database only")));
}

bool RehearseCommands::wantsRehearsal(const CommandContext &context)
{
    return context.args().flag(QStringLiteral("rehearse")) || rehearsalOnly(context);
}

bool RehearseCommands::rehearsalOnly(const CommandContext &context)
{
    return context.args().flag(QStringLiteral("rehearse_only"));
}

VoidResult RehearseCommands::rehearseBeforeRun(CommandContext &context, MigrationEnvironment &env,
                                            const MigrationPlan &plan)
{
    if (auto released = env.releaseLock(); !released)
        return released;
    Rehearsal rehearsal(context.project(), context);
    const RehearsalReport report = rehearsal.run(env.url(), plan);
    // The report is shown whatever env.py's logging configuration says.
    for (const QString &line : report.lines())
        context.notice(kLogger, line);
    if (!report.ok)
        return Error(QStringLiteral("Rehearsal on a copy failed, the database was not touched: %1")
                         .arg(report.error.message));
    if (rehearsalOnly(context))
        return {};
    // The real run: under the lock again, from the heads the rehearsal started from.
    env.setLockTimeoutMs(context.lockTimeoutMs());
    if (auto locked = env.lockForMigration(); !locked)
        return locked;
    auto heads = env.currentHeads();
    if (!heads)
        return heads.error();
    if (sorted(*heads) != sorted(plan.startHeads))
        return Error(QStringLiteral("The database moved from %1 to %2 while the rehearsal ran: run again")
                         .arg(plan.startHeads.join(QStringLiteral(", ")), heads->join(QStringLiteral(", "))));
    context.notice(kLogger, QStringLiteral("Rehearsal done; running on %1").arg(env.obfuscatedUrl()));
    return {};
}

} // namespace retort
