#pragma once
// Commands that only read the script directory: heads, branches, history, show.
// (history --indicate-current and `show current` need the database and go through
// DatabaseCommands for the current heads.)

#include "result.h"

#include <QStringList>
#include <optional>

namespace retort {

class CommandContext;

class ScriptCommands
{
public:
    static VoidResult heads(CommandContext &context);
    static VoidResult branches(CommandContext &context);
    static VoidResult show(CommandContext &context, const QString &rev,
                           const QStringList &currentHeads = {});
    // currentHeads: nullopt when the environment was not run (no database involved).
    static VoidResult history(CommandContext &context,
                              const std::optional<QStringList> &currentHeads);
    // Whether `history` must consult the database first (Alembic runs env.py then).
    static Result<bool> historyNeedsDatabase(CommandContext &context);
    static Result<void> checkHistoryRange(const QString &range);
};

} // namespace retort
