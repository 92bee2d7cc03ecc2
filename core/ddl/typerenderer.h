#pragma once
// SQLAlchemy 1.4's type compilers for sqlite, postgresql and mysql: a type expression
// from a script (sa.String(50), postgresql.ARRAY(sa.Integer), mysql.INTEGER(unsigned=True),
// or an uncalled class such as sa.Integer) to the DDL text of that type.

#include "result.h"
#include "python/pyvalue.h"
#include "runtime/dialect.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace retort {

class TypeRenderer
{
public:
    // "String", "postgresql.UUID", "mysql.TINYINT": namespace kept for dialect types.
    static QString typeName(const PyValue &type);
    static Result<QString> render(const PyValue &type, const Dialect &dialect);
    // type.with_variant(other, 'mysql'): the type that applies on `dialect` (itself when
    // not a Variant). The is*() helpers below look at a Variant's fallback type, as
    // SQLAlchemy's type affinity does.
    static PyValue resolve(const PyValue &type, const Dialect &dialect);
    static bool isVariant(const PyValue &type);

    // Integer affinity (SQLAlchemy's autoincrement candidates).
    static bool isInteger(const PyValue &type);
    static bool isBigInteger(const PyValue &type);
    static bool isSmallInteger(const PyValue &type);
    static bool isTimestamp(const PyValue &type);   // MySQL's explicit NULL rule
    static bool isBoolean(const PyValue &type);

    struct EnumInfo
    {
        QString name;
        QString schema;               // the type's own schema= (not the table's)
        bool inheritSchema = false;   // inherit_schema=True: the table's schema
        QStringList values;
        bool native = true;
        bool createConstraint = false;
        bool createType = true;       // postgresql.ENUM(create_type=False)
    };
    static std::optional<EnumInfo> enumInfo(const PyValue &type);
    // PostgreSQL renders a native enum as a named type created before the table.
    static bool isPgNativeEnum(const PyValue &type, const Dialect &dialect);

    // The CHECK constraint SQLAlchemy attaches for Boolean/Enum(create_constraint=True)
    // on dialects without the native type: {name, sql}; nullopt when none.
    static std::optional<QPair<QString, QString>> typeCheck(const PyValue &type,
                                                             const QString &quotedColumn,
                                                             const Dialect &dialect);

    // Argument by position or keyword (nullptr when absent or None).
    static const PyValue *arg(const PyValue &type, int pos, const QString &key);
};

} // namespace retort
