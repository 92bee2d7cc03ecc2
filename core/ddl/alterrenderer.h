#pragma once
// op.alter_column as Alembic 1.8.1's impls emit it: the generic ALTER COLUMN sequence
// (PostgreSQL: TYPE [USING] first), and MySQL's CHANGE/MODIFY forms that restate the
// whole column from the existing_* arguments.

#include "result.h"
#include "runtime/dialect.h"
#include "operations/migrationop.h"

#include <QStringList>

namespace retort {

class AlterRenderer
{
public:
    // `op` is an alter_column op (or a batch_op.alter_column with the table filled in).
    static Result<QStringList> alterColumn(const QString &schema, const QString &table,
                                           const QString &column, const MigrationOp &op,
                                           const Dialect &dialect);
};

} // namespace retort
