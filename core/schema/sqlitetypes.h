#pragma once
// SQLite declared column types -> the type SQLAlchemy reflects (its affinity rules and
// ischema_names) and the text that type compiles to on SQLite.

#include "schemamodel.h"

namespace retort {

class SqliteTypes
{
public:
    // `declared` as PRAGMA table_info reports it (any case). Fills column.type and
    // column.typeInfo.
    static void resolve(const QString &declared, SchemaColumn &column);
};

} // namespace retort
