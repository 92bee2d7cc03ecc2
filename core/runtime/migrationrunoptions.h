#pragma once
// How a MigrationRunner runs its steps: the context.configure() options that matter to
// the runtime, plus the runner's own (offline output, locking).

#include "scriptchecksumtable.h"
#include "versiontableoptions.h"

#include "result.h"

#include <QStringList>
#include <functional>
#include <optional>

namespace retort {

struct MigrationRunOptions
{
    VersionTableOptions versionTable;
    bool transactionPerMigration = false;       // transaction_per_migration
    // SQLite without transaction_per_migration: steps share a transaction (a savepoint
    // each), committed after the step during which this long had passed since the last
    // commit, and at the end (GroupCommit). 0: one transaction per migration.
    int groupCommitMs = 1000;
    std::optional<bool> transactionalDdl;       // transactional_ddl; unset = dialect default
    bool offline = false;                       // --sql: produce text, touch nothing
    QStringList startingHeads;                  // offline: the "from" of "from:to"
    bool purge = false;                         // stamp --purge
    // Online: asked before each step; an error stops the run there (the caller's
    // migration lock was lost, say). The lock itself is the caller's: it is taken before
    // the version table is read and held across runners and Python hand-offs.
    std::function<VoidResult()> stepGuard;
    bool restartStep = false;                   // --restart-step: ignore an interrupted step's journal
    // Online: keep retort_script_checksums (ScriptChecksumTable) with the steps: checksums[i]
    // is written in step i's transaction, after the version table; purge clears it first.
    bool recordChecksums = false;
    QVector<ScriptChecksumChange> checksums;    // aligned with the runner's steps (missing: no change)
    // Checksums of steps Alembic ran just before this runner (committed by Alembic on its
    // own connection): written in the first step's transaction, so that they cost no commit
    // of their own (on SQLite, four fsyncs each).
    QVector<ScriptChecksumChange> carriedChecksums;
};

} // namespace retort
