#pragma once
// How a MigrationRunner runs its steps: the context.configure() options that matter to
// the runtime, plus the runner's own (offline output, locking).

#include "versiontableoptions.h"

#include <QStringList>
#include <optional>

namespace retort {

struct MigrationRunOptions
{
    VersionTableOptions versionTable;
    bool transactionPerMigration = false;       // transaction_per_migration
    std::optional<bool> transactionalDdl;       // transactional_ddl; unset = dialect default
    bool offline = false;                       // --sql: produce text, touch nothing
    QStringList startingHeads;                  // offline: the "from" of "from:to"
    bool purge = false;                         // stamp --purge
    bool takeLock = false;                      // hold a MigrationLock for the run
    int lockTimeoutMs = 30000;
    bool restartStep = false;                   // --restart-step: ignore an interrupted step's journal
};

} // namespace retort
