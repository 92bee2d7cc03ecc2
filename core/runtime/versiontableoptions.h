#pragma once
// The version-table settings env.py passes to context.configure().

#include <QString>

namespace retort {

struct VersionTableOptions
{
    QString table = QStringLiteral("alembic_version");   // version_table
    QString schema;                                       // version_table_schema ("" = default)
    bool primaryKey = true;                               // version_table_pk
};

} // namespace retort
