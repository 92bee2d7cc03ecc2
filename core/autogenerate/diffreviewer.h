#pragma once
// Beyond Alembic: reviews an autogenerate diff before it is written. Flags possible
// renames (a dropped + added column of the same type in one table; a dropped + added
// table with the same columns) and classifies each op safe or destructive (drops,
// NOT NULL added, narrowing type changes), naming the affected rows when the caller
// can count them in the live database.

#include "autogenop.h"
#include "result.h"

#include <functional>
#include <optional>

namespace retort {

class DiffReviewer
{
public:
    // (schema, table, column or "", condition: "" | "IS NULL" | "IS NOT NULL") -> rows,
    // nullopt when unknown. The caller answers it from the live database.
    using RowCounter = std::function<std::optional<qint64>(const QString &schema, const QString &table,
                                                           const QString &column, const QString &condition)>;

    // Sets safety / reason / possibleRename / renameCounterpart on the upgrade ops.
    static void review(AutogenOps &upgradeOps, const RowCounter &rows = {});

    // An accepted possible rename: column `from` -> `to` in schema.table, or (table =
    // true) table `from` -> `to` in schema (`table` is then unused).
    struct RenameChoice
    {
        QString schema, table, from, to;
        bool isTable = false;
    };
    // Replaces the flagged drop + add pair by one op: AlterColumn with newColumnName,
    // or RenameTable (index ops that the rename makes redundant are dropped too). Call
    // after review(); the downgrade follows from reverseOps(). An error names the
    // table / column when the choice does not match a flagged pair.
    static VoidResult applyRename(AutogenOps &upgradeOps, const RenameChoice &choice);

    // A type change that may lose data: a shorter length, less precision or scale, or
    // another type family (String -> Integer).
    static bool isNarrowing(const SchemaColumn &from, const SchemaColumn &to);
};

} // namespace retort
