#include "commands.h"

#include "command/backupcommands.h"
#include "command/proofcommands.h"
#include "command/commandcontext.h"
#include "command/databasecommands.h"
#include "command/projectcommands.h"
#include "command/squashcommands.h"
#include "command/schemacommands.h"
#include "command/scriptcommands.h"

namespace retort {

VoidResult Commands::run(CommandContext &context)
{
    const QString &cmd = context.args().command;
    const ParsedArguments &a = context.args();
    if (cmd == QLatin1String("heads"))
        return ScriptCommands::heads(context);
    if (cmd == QLatin1String("branches"))
        return ScriptCommands::branches(context);
    if (cmd == QLatin1String("show")) {
        if (a.value(QStringLiteral("rev")) == QLatin1String("current"))
            return DatabaseCommands::showCurrent(context);
        return ScriptCommands::show(context, a.value(QStringLiteral("rev")));
    }
    if (cmd == QLatin1String("history")) {
        auto needsDb = ScriptCommands::historyNeedsDatabase(context);
        if (!needsDb)
            return needsDb.error();
        if (*needsDb)
            return DatabaseCommands::historyWithCurrent(context);
        return ScriptCommands::history(context, std::nullopt);
    }
    if (cmd == QLatin1String("current"))
        return DatabaseCommands::current(context);
    if (cmd == QLatin1String("upgrade"))
        return DatabaseCommands::upgrade(context);
    if (cmd == QLatin1String("downgrade"))
        return DatabaseCommands::downgrade(context);
    if (cmd == QLatin1String("stamp"))
        return DatabaseCommands::stamp(context);
    if (cmd == QLatin1String("ensure_version"))
        return DatabaseCommands::ensureVersion(context);
    if (cmd == QLatin1String("init"))
        return ProjectCommands::init(context);
    if (cmd == QLatin1String("list_templates"))
        return ProjectCommands::listTemplates(context);
    if (cmd == QLatin1String("revision"))
        return ProjectCommands::revision(context);
    if (cmd == QLatin1String("merge"))
        return ProjectCommands::merge(context);
    if (cmd == QLatin1String("edit"))
        return ProjectCommands::edit(context);
    if (cmd == QLatin1String("check"))
        return SchemaCommands::check(context);
    if (cmd == QLatin1String("diff"))
        return SchemaCommands::diff(context);
    if (cmd == QLatin1String("schema")) {
        if (a.value(QStringLiteral("action")) != QLatin1String("dump"))
            return Error(QStringLiteral("Unknown schema action '%1' (expected: dump)").arg(a.value(QStringLiteral("action"))));
        return SchemaCommands::schemaDump(context);
    }
    if (cmd == QLatin1String("verify"))
        return ProofCommands::verify(context);
    if (cmd == QLatin1String("backup"))
        return BackupCommands::backup(context);
    if (cmd == QLatin1String("backups"))
        return BackupCommands::list(context);
    if (cmd == QLatin1String("restore"))
        return BackupCommands::restore(context);
    if (cmd == QLatin1String("squash"))
        return SquashCommands::squash(context);
    return Error(QStringLiteral("Unknown command '%1'").arg(cmd));
}

} // namespace retort
