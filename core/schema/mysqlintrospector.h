#pragma once
// MySQL / MariaDB: information_schema, a fixed number of set-based queries per schema
// (database) whatever the number of tables.

#include "schemaintrospector.h"

namespace retort {

class MySqlIntrospector : public SchemaIntrospector
{
public:
    Result<SchemaModel> introspect(DatabaseConnection &connection,
                                   const IntrospectOptions &options) override;
};

} // namespace retort
