#pragma once
// What SchemaIntrospector reads: which schemas, which tables. Mirrors the knobs of
// Alembic's autogenerate (include_schemas, version_table[_schema], include_name).

#include <QString>
#include <QStringList>
#include <functional>

namespace retort {

struct IntrospectOptions
{
    // The default schema is always read (as the namespace named ""). These named schemas
    // are read as well; a name equal to the default schema's is folded into "".
    QStringList schemas;
    // Alembic's include_schemas=True: every schema the database has, system ones aside
    // (pg_catalog, information_schema, pg_toast*, mysql, performance_schema, sys, temp).
    bool includeSchemas = false;

    // The version table is not part of the schema being migrated.
    bool skipVersionTable = true;
    QString versionTable = QStringLiteral("alembic_version");
    QString versionTableSchema;           // "" = the default schema

    // Extra filter: return false to leave a table out. schema is "" for the default.
    std::function<bool(const QString &schema, const QString &table)> tableFilter;

    bool includeViews = true;             // record view names (never their columns)
};

} // namespace retort
