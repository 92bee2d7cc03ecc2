#pragma once
// Reads a live database into a SchemaModel, the way SQLAlchemy's Inspector sees it
// (names, types rendered as SQLAlchemy compiles the reflected type, defaults as
// reflected). One subclass per dialect; each reads the catalog with a few set-based
// queries per schema rather than a query per table, so large schemas stay fast.

#include "introspectoptions.h"
#include "result.h"
#include "schemamodel.h"

#include <memory>

namespace retort {

class DatabaseConnection;
class Dialect;

class SchemaIntrospector
{
public:
    virtual ~SchemaIntrospector() = default;

    // The introspector for a connection's dialect.
    static std::unique_ptr<SchemaIntrospector> create(const Dialect &dialect);
    // create() + introspect() in one step.
    static Result<SchemaModel> read(DatabaseConnection &connection,
                                    const IntrospectOptions &options = {});

    virtual Result<SchemaModel> introspect(DatabaseConnection &connection,
                                           const IntrospectOptions &options) = 0;

    // Whether a table belongs in the model: version table and tableFilter applied.
    // schema is "" for the default schema; a versionTableSchema naming the default
    // schema (defaultSchema) counts as "".
    static bool wanted(const IntrospectOptions &options, const QString &schema,
                       const QString &table, const QString &defaultSchema = {});
    // The named schemas to read besides the default: options.schemas, or all of
    // `available` when includeSchemas, without the default schema and duplicates.
    static QStringList extraSchemas(const IntrospectOptions &options,
                                    const QStringList &available,
                                    const QString &defaultSchema);
};

} // namespace retort
