#pragma once
// impl.compare_server_default of Alembic 1.8.1 per dialect (ddl/impl.py, sqlite.py,
// postgresql.py, mysql.py): do the reflected and the model's server default differ?
// Both texts come in as _compare_server_default hands them to the impl.

#include "schema/schemamodel.h"

#include <functional>
#include <optional>

namespace retort {

class ServerDefaultComparator
{
public:
    // PostgreSQL asks the server: `SELECT <conn> = <meta>`. nullopt = could not tell
    // (no connection, or the statement failed); the texts are then compared offline.
    using EqualityProbe = std::function<std::optional<bool>(const QString &connDefault,
                                                            const QString &metaDefault)>;

    struct Sides
    {
        const SchemaColumn *conn = nullptr;
        const SchemaColumn *meta = nullptr;
        std::optional<QString> connDefault;  // reflected (after autogen_column_reflect)
        std::optional<QString> metaDefault;  // _render_server_default_for_compare
        bool metaDefaultIsString = false;    // server_default given as a plain str
        bool metaIsAutoincrementPk = false;  // the table's _autoincrement_column (SERIAL)
        bool connInPrimaryKey = false;
    };

    static bool differ(const QString &dialect, const Sides &sides, const EqualityProbe &probe = {});

private:
    static bool sqliteDiffer(const Sides &s);
    static bool postgresDiffer(const Sides &s, const EqualityProbe &probe);
    static bool mysqlDiffer(const Sides &s);
};

} // namespace retort
