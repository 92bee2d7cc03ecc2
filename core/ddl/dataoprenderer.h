#pragma once
// The ops that name a table and one constraint or comment (create_primary_key,
// create_foreign_key, create_unique_constraint, create_check_constraint,
// drop_constraint, create/drop_table_comment) and the data ops (execute, bulk_insert).

#include "ddlrenderer.h"

namespace retort {

class DataOpRenderer
{
public:
    using R = Result<QStringList>;
    static R createPrimaryKey(const MigrationOp &op, const Dialect &d, const RenderOptions &o);
    static R createForeignKey(const MigrationOp &op, const Dialect &d, const RenderOptions &o);
    static R createUniqueConstraint(const MigrationOp &op, const Dialect &d, const RenderOptions &o);
    static R createCheckConstraint(const MigrationOp &op, const Dialect &d, const RenderOptions &o);
    static R dropConstraint(const MigrationOp &op, const Dialect &d, const RenderOptions &o);
    static R createTableComment(const MigrationOp &op, const Dialect &d, const RenderOptions &o);
    static R dropTableComment(const MigrationOp &op, const Dialect &d, const RenderOptions &o);
    static R execute(const MigrationOp &op, const Dialect &d, const RenderOptions &o);
    static R bulkInsert(const MigrationOp &op, const Dialect &d, const RenderOptions &o);

    // SQLite's refusal of ALTER ... ADD/DROP CONSTRAINT outside batch mode.
    static Error sqliteConstraintError();
    // Text as SQLAlchemy's text() compiles it with literal binds: ":name" -> NULL, "\:" -> ":".
    static QString compileText(const QString &text);
};

} // namespace retort
