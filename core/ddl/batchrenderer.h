#pragma once
// op.batch_alter_table: where no table recreate is needed (any dialect but SQLite, or
// SQLite with only add_column/create_index/drop_index), the inner ops as plain ALTERs;
// otherwise Alembic's "move and copy" (CREATE TABLE _alembic_tmp_<t>, INSERT ... SELECT,
// DROP TABLE, ALTER TABLE ... RENAME TO, indexes), built from the current table
// definition (RenderOptions::tableProvider, or copy_from=sa.Table(...)).

#include "ddlrenderer.h"

namespace retort {

class BatchRenderer
{
public:
    static Result<QStringList> render(const MigrationOp &op, const Dialect &dialect,
                                      const RenderOptions &options);

    // A batch_op.<name>(...) call as the equivalent op.<name>(...) on `table`.
    static Result<MigrationOp> toPlainOp(const MigrationOp &batchOp, const QString &table,
                                         const QString &schema);
    // Whether Alembic's "auto" mode recreates the table for these ops on this dialect.
    static bool needsRecreate(const QVector<MigrationOp> &ops, const Dialect &dialect);
};

} // namespace retort
