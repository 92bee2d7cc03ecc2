#pragma once
// Retort's own backup commands over core/backup: `backup` (write one into the project's
// catalogue), `backups` (list them; --prune N keeps the N newest per database), `restore
// FILE` (back the current state up, then restore exactly), and the --backup option of
// upgrade/downgrade. Progress goes out as INFO [retort.backup] log lines.

#include "result.h"

#include <QStringList>

namespace retort {

class BackupLocation;
class CommandContext;
class MigrationEnvironment;

class BackupCommands
{
public:
    static VoidResult backup(CommandContext &context);
    static VoidResult list(CommandContext &context);
    static VoidResult restore(CommandContext &context);
    // upgrade/downgrade --backup: after connect and lock, before the first step.
    static VoidResult backupBeforeRun(CommandContext &context, MigrationEnvironment &env,
                                      const QStringList &heads, const QString &note);
    // --backup-dir, else BackupLocation's default.
    static BackupLocation location(CommandContext &context);
};

} // namespace retort
