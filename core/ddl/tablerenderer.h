#pragma once
// Statements for whole tables and indexes: CREATE TABLE (with PostgreSQL's CREATE TYPE
// for native enums before it, then the table's indexes and, where comments are not
// inline, COMMENT ON statements, as Alembic's create_table emits them), CREATE/DROP INDEX
// and the comment statements.

#include "result.h"
#include "runtime/dialect.h"
#include "tabledef.h"

#include <QStringList>

namespace retort {

class TableRenderer
{
public:
    static Result<QStringList> createTable(const TableDef &table, const Dialect &dialect);
    // Only the CREATE TABLE statement (batch mode's temporary table uses it alone).
    static Result<QString> createTableStatement(const TableDef &table, const Dialect &dialect);
    static Result<QString> createIndex(const IndexDef &index, const Dialect &dialect);
    static Result<QString> dropIndex(const IndexDef &index, const Dialect &dialect);
    // PostgreSQL COMMENT ON / MySQL ALTER TABLE ... COMMENT; empty list on SQLite.
    static QStringList tableComment(const QString &schema, const QString &table,
                                    const std::optional<QString> &comment, const Dialect &dialect);
    static QString columnComment(const QString &schema, const QString &table, const QString &column,
                                 const std::optional<QString> &comment, const Dialect &dialect);
};

} // namespace retort
