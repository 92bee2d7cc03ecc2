#pragma once
// PostgreSQL format_type() text -> the type SQLAlchemy's PostgreSQL dialect reflects
// (ischema_names, enums, domains) and the DDL text that type compiles to.

#include "schemamodel.h"

#include <QHash>
#include <QStringList>

namespace retort {

class PostgresTypes
{
public:
    struct EnumType
    {
        QString name;
        QString schema;
        bool visible = true;      // on the search path: referred to without its schema
        QStringList labels;
    };
    struct Domain
    {
        QString baseType;         // format_type of the base type
        bool nullable = true;
        std::optional<QString> defaultText;
    };

    // Keys as SQLAlchemy builds them: the bare name when visible, else "schema.name"
    // (names unquoted, joined with a NUL so dots inside quoted names stay apart).
    void addEnum(const EnumType &e);
    void addDomain(const QString &name, const QString &schema, bool visible, const Domain &d);

    // Fills column.type / typeInfo from format_type; a domain may tighten nullable and
    // supply the default, as in SQLAlchemy.
    void resolve(const QString &formatType, SchemaColumn &column) const;

private:
    QHash<QString, EnumType> m_enums;
    QHash<QString, Domain> m_domains;
};

} // namespace retort
