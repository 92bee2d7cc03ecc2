#pragma once
// Alembic 1.8.1's _compare_indexes_and_uniques (autogenerate/compare.py) for one table:
// indexes and unique constraints matched by name, unnamed unique constraints by their
// column signature, doubled index/constraint names (MySQL, PostgreSQL) resolved, and
// the dialect's correct_for_autogen_constraints applied first.

#include "autogenop.h"
#include "modelfilters.h"

#include <functional>

namespace retort {

class IndexComparator
{
public:
    struct Context
    {
        QString dialect;   // the database's SQLAlchemy dialect name
        std::function<bool(const FilterTarget &target)> keepName;     // include_name
        std::function<bool(const FilterTarget &target)> keepObject;   // include_object
        // The model-side name with its conv() flag (op.f()).
        std::function<OpName(const QString &schema, const QString &table, const QString &name, bool isIndex)> modelName;
    };

    // conn == nullptr: the table is being created; meta == nullptr: it is being dropped.
    static void compare(const Context &ctx, const QString &schema, const SchemaTable *conn,
                        const SchemaTable *meta, AutogenOp &modify);
};

} // namespace retort
