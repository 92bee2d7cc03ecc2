#pragma once
// MySQL / MariaDB COLUMN_TYPE text ("int(10) unsigned", "enum('a','b')") -> the type
// SQLAlchemy's MySQL dialect reflects from SHOW CREATE TABLE, and the text it compiles to.

#include "schemamodel.h"

namespace retort {

class MySqlTypes
{
public:
    // charset/collation: as SHOW CREATE TABLE prints them for the column ("" when it
    // prints none, i.e. the column uses the table's default collation).
    static void resolve(const QString &columnType, const QString &charset,
                        const QString &collation, SchemaColumn &column);
};

} // namespace retort
