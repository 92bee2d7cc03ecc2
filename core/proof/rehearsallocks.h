#pragma once
// Beyond Alembic: the lock a statement is documented to take, from its kind alone, for a
// rehearsal's report. Not observed (pg_locks of a finished statement is empty), so the
// report labels it "expected". PostgreSQL: the table-level lock modes of its manual
// ("Explicit Locking"); MySQL/MariaDB: the metadata lock DDL and DML take on the table;
// SQLite: the whole-file write lock any change takes. Unknown statements: nothing.

#include "runtime/dialect.h"

#include <QString>
#include <optional>

namespace retort {

struct ExpectedLock
{
    QString level;   // "ACCESS EXCLUSIVE", "exclusive metadata lock", "database write lock"
    QString table;   // as written in the statement; "" when the lock is not on one table

    QString text() const { return table.isEmpty() ? level : level + QStringLiteral(" on ") + table; }
};

class RehearsalLocks
{
public:
    static std::optional<ExpectedLock> expected(Dialect::Kind dialect, const QString &sql);
    // INSERT/UPDATE/DELETE/REPLACE/MERGE: statements whose driver row count means rows
    // changed (SQLite's count after DDL is the last DML's, so only these are counted).
    static bool isDataChange(const QString &sql);
};

} // namespace retort
