#pragma once
// SQLAlchemy's naming conventions for objects created without a name. Alembic's ops build
// their objects in a MetaData() with the default convention, {"ix": "ix_%(column_0_label)s"}:
// an unnamed index gets a name, unnamed constraints stay unnamed (and cannot be dropped).
// A convention name longer than the dialect allows is truncated the way SQLAlchemy's
// compiler truncates a conv() name: cut, then "_" and the last 4 hex digits of its MD5.

#include "runtime/dialect.h"

#include <QString>

namespace retort {

class NamingConvention
{
public:
    // Column._ddl_label: "<schema>_<table>_<column>" ("." in the schema becomes "_").
    static QString columnLabel(const QString &schema, const QString &table, const QString &column);
    // The default convention's name for an index whose first column is `firstColumn`
    // ("" when the index has no column, e.g. only a text() expression: "ix_").
    static QString indexName(const QString &schema, const QString &table, const QString &firstColumn);
    // A convention name as the dialect renders it (index or constraint).
    static QString truncated(const QString &name, const Dialect &dialect);
    // The longest index or constraint name the dialect takes (SQLAlchemy's default
    // max_identifier_length, max_index_name_length).
    static int maxNameLength(const Dialect &dialect);
};

} // namespace retort
