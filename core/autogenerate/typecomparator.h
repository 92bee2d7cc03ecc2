#pragma once
// impl.compare_type of Alembic 1.8.1 (ddl/impl.py DefaultImpl and its dialect
// subclasses): the compiled type texts tokenized and compared, with the dialect's
// type_synonyms and type_arg_extract.

#include "schema/schemamodel.h"

namespace retort {

class TypeComparator
{
public:
    // True when the types differ. dialect: the database's SQLAlchemy dialect name
    // ("" = DefaultImpl only).
    static bool differ(const SchemaColumn &database, const SchemaColumn &target,
                       const QString &dialect = {});
};

} // namespace retort
