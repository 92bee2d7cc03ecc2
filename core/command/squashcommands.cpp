#include "squashcommands.h"

#include "command/commandcontext.h"
#include "command/multidatabaserun.h"
#include "proof/squasher.h"

namespace retort {

namespace {

const QString kLogger = QStringLiteral("retort.squash");

} // namespace

VoidResult SquashCommands::squash(CommandContext &context)
{
    const ParsedArguments &a = context.args();
    if (auto engines = MultiDatabaseRun::engines(context.project()); engines && !engines->isEmpty())
        return Error(QStringLiteral("squash works on a project with one database, not a multidb project"));
    const QString scratch = a.value(QStringLiteral("scratch"));
    if (!scratch.isEmpty() && scratch != QLatin1String("sqlite") && scratch != QLatin1String("dialect"))
        return Error(QStringLiteral("--scratch takes 'sqlite' or 'dialect', not '%1'").arg(scratch));

    if (a.value(QStringLiteral("until")).isEmpty())
        return Error(QStringLiteral("squash needs --until REV: the revision whose schema the baseline creates"));
    SquashOptions options;
    options.until = a.value(QStringLiteral("until"));
    options.message = a.value(QStringLiteral("message"));
    options.force = a.flag(QStringLiteral("force"));
    options.dryRun = a.flag(QStringLiteral("dry_run"));
    options.scratchSqlite = scratch == QLatin1String("sqlite");

    // The project's database: its dialect is the scratch database's, and a database
    // below REV could no longer be upgraded once squashed.
    Squasher squasher(context.project(), context);
    auto report = squasher.probeAndRun(context.urlOverride(), options);
    if (!report)
        return report.error();
    for (const QString &line : report->warnings())
        context.out().writeStderr(QStringLiteral("WARNING [%1] %2\n").arg(kLogger, line));
    for (const QString &line : report->summary())
        context.out().printStdout(line);
    return {};
}

} // namespace retort
