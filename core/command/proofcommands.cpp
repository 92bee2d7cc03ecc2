#include "proofcommands.h"

#include "command/commandcontext.h"
#include "command/multidatabaserun.h"
#include "proof/squasher.h"
#include "services/migrationenvironment.h"

namespace retort {

namespace {

const QString kLogger = QStringLiteral("retort.squash");

} // namespace

VoidResult ProofCommands::squash(CommandContext &context)
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
    QString unchecked;
    {
        MigrationEnvironment env(context.project(), context, context.urlOverride());
        if (auto loaded = env.load(); !loaded) {
            unchecked = QStringLiteral("no database URL could be read (%1)").arg(loaded.error().message);
        } else {
            options.projectUrl = env.url().toString();
            env.setReadOnly(true);   // looking only: no SQLite file is created
            if (env.isMissingSqliteFile())
                options.databaseHeads = QStringList();
            else if (auto connected = env.connect(); !connected)
                unchecked = QStringLiteral("cannot connect to %1 (%2)").arg(env.obfuscatedUrl(), connected.error().message);
            else if (auto heads = env.currentHeads(); !heads)
                unchecked = heads.error().message;
            else
                options.databaseHeads = *heads;
        }
    }
    if (!unchecked.isEmpty() && !options.force)
        return Error(QStringLiteral("Cannot check the project's database: %1. A database below the squashed "
                                    "revision can no longer be upgraded afterwards; pass --force to squash "
                                    "without checking").arg(unchecked));

    Squasher squasher(context.project(), context);
    auto report = squasher.run(options);
    if (!report)
        return report.error();

    CommandOutput &out = context.out();
    const SquashPlan &plan = report->plan;
    if (!unchecked.isEmpty())
        out.writeStderr(QStringLiteral("WARNING [%1] database not checked: %2\n").arg(kLogger, unchecked));
    else if (report->databaseNote.contains(QLatin1String("--force")))
        out.writeStderr(QStringLiteral("WARNING [%1] %2\n").arg(kLogger, report->databaseNote));
    out.printStdout(QStringLiteral("Schema at %1 built by running base..%1 (%2 revisions) on %3: %4 table(s)")
                        .arg(plan.revision).arg(plan.chain().size()).arg(report->scratch).arg(report->tables));
    if (options.dryRun) {
        out.printStdout(QStringLiteral("Dry run: nothing written. The baseline would be:"));
        out.writeStdout(report->baselineText);
        return {};
    }
    out.printStdout(QStringLiteral("Baseline %1 (down_revision None) written to %2").arg(plan.revision, report->baselinePath));
    out.printStdout(QStringLiteral("Archived %1 script(s) to %2 (no longer read):")
                        .arg(report->archived.size()).arg(report->archiveDir));
    const QStringList ids = plan.chain();
    for (int i = 0; i < ids.size(); ++i)
        out.printStdout(QStringLiteral("  %1  %2").arg(ids.at(i), report->archived.value(i)));
    if (!plan.above.isEmpty())
        out.printStdout(QStringLiteral("Unchanged above %1: %2 (down_revision %1)")
                            .arg(plan.revision, plan.above.join(QStringLiteral(", "))));
    if (!report->databaseNote.isEmpty() && !report->databaseNote.contains(QLatin1String("--force")))
        out.printStdout(report->databaseNote);
    out.printStdout(QStringLiteral("Databases at %1 or above keep working; a database at a squashed revision (%2) "
                                   "can no longer be located: upgrade such databases to %1 with the old scripts first.")
                        .arg(plan.revision, plan.squashed.join(QStringLiteral(", "))));
    for (const QString &data : report->dataRevisions)
        out.writeStderr(QStringLiteral("WARNING [%1] not carried into the baseline (data migrations and SQL text are "
                                       "not schema): %2\n").arg(kLogger, data));
    for (const QString &view : report->views)
        out.writeStderr(QStringLiteral("WARNING [%1] view %2 exists at %3 and is not in the baseline\n")
                            .arg(kLogger, view, plan.revision));
    return {};
}

} // namespace retort
