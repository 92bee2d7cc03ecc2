#pragma once
// The Python text autogenerate writes for a type that came from the database: the
// repr() of the class SQLAlchemy's reflection builds, with Alembic's module prefix
// (sa.VARCHAR(length=30), postgresql.TIMESTAMP(timezone=True), mysql.INTEGER()).
// Model-side types do not come through here: the Python helper renders those.

#include "schema/schemamodel.h"

#include <QSet>
#include <QString>

namespace retort {

class ReflectedTypeRepr
{
public:
    // imports receives "from sqlalchemy.dialects import <name>" when a dialect type is used.
    static QString render(const SchemaColumn &column, const QString &dialect, QSet<QString> *imports);

    // The server default as reflection hands it to autogenerate (after the impl's
    // column_reflect hook: SQLite parenthesizes expressions, PostgreSQL drops the
    // implicit SERIAL sequence default). nullopt = no default.
    static std::optional<QString> reflectedDefault(const SchemaColumn &column, const QString &table,
                                                   const QString &dialect);
};

} // namespace retort
