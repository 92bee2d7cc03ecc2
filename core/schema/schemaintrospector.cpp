#include "schemaintrospector.h"

#include "runtime/sidetables.h"

#include "mysqlintrospector.h"
#include "postgresintrospector.h"
#include "runtime/databaseconnection.h"
#include "sqliteintrospector.h"

namespace retort {

std::unique_ptr<SchemaIntrospector> SchemaIntrospector::create(const Dialect &dialect)
{
    switch (dialect.kind()) {
    case Dialect::SQLite: return std::make_unique<SqliteIntrospector>();
    case Dialect::PostgreSQL: return std::make_unique<PostgresIntrospector>();
    case Dialect::MySQL:
    case Dialect::MariaDB: return std::make_unique<MySqlIntrospector>();
    }
    return nullptr;
}

Result<SchemaModel> SchemaIntrospector::read(DatabaseConnection &connection,
                                             const IntrospectOptions &options)
{
    std::unique_ptr<SchemaIntrospector> introspector = create(connection.dialect());
    if (!introspector)
        return Error(QStringLiteral("no schema introspection for dialect %1")
                         .arg(connection.dialect().name()));
    return introspector->introspect(connection, options);
}

bool SchemaIntrospector::wanted(const IntrospectOptions &options, const QString &schema,
                                const QString &table, const QString &defaultSchema)
{
    const QString versionSchema =
        options.versionTableSchema == defaultSchema ? QString() : options.versionTableSchema;
    if (options.skipVersionTable && schema == versionSchema
        && (table == options.versionTable || SideTables::isSideTable(table)))
        return false;
    return !options.tableFilter || options.tableFilter(schema, table);
}

QStringList SchemaIntrospector::extraSchemas(const IntrospectOptions &options,
                                             const QStringList &available,
                                             const QString &defaultSchema)
{
    const QStringList requested = options.includeSchemas ? available : options.schemas;
    QStringList out;
    for (const QString &s : requested) {
        if (s.isEmpty() || s == defaultSchema || out.contains(s))
            continue;
        out << s;
    }
    return out;
}

} // namespace retort
