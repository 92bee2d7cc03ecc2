#pragma once
// PostgreSQL: pg_catalog, a fixed number of set-based queries per schema (columns,
// constraints, indexes, comments, enums) whatever the number of tables.

#include "schemaintrospector.h"

namespace retort {

class PostgresIntrospector : public SchemaIntrospector
{
public:
    Result<SchemaModel> introspect(DatabaseConnection &connection,
                                   const IntrospectOptions &options) override;
};

} // namespace retort
