#pragma once
// SQLite: sqlite_master once per schema (tables, views, index SQL), then per table the
// PRAGMAs table_xinfo / index_list / index_info / foreign_key_list. Names of constraints
// and CHECK constraints exist only in the CREATE TABLE text, which is parsed the way
// SQLAlchemy's SQLite dialect does (same patterns, same blind spots).

#include "schemaintrospector.h"

namespace retort {

class SqliteIntrospector : public SchemaIntrospector
{
public:
    Result<SchemaModel> introspect(DatabaseConnection &connection,
                                   const IntrospectOptions &options) override;
};

} // namespace retort
