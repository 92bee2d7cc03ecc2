#pragma once
// Column specifications and table-level constraint clauses as SQLAlchemy 1.4's DDL
// compilers write them inside CREATE TABLE and ALTER TABLE ... ADD.

#include "result.h"
#include "runtime/dialect.h"
#include "tabledef.h"

#include <optional>

namespace retort {

class ColumnRenderer
{
public:
    // `autoincrement`: the column is the table's _autoincrement_column.
    static Result<QString> columnSpec(const ColumnDef &column, const Dialect &dialect,
                                      bool autoincrement);
    // Table._autoincrement_column's name, "" when none; an Error where SQLAlchemy raises.
    static Result<QString> autoincrementColumn(const TableDef &table);
    // "CONSTRAINT x UNIQUE (a, b)" etc.; nullopt when the dialect renders nothing
    // (a type CHECK on a dialect with the native type).
    static Result<std::optional<QString>> constraint(const ConstraintDef &c, const TableDef &table,
                                                     const Dialect &dialect);
    static QString columnList(const QStringList &columns, const Dialect &dialect);

private:
    // The spec without the column's inline CHECK constraints.
    static Result<QString> columnSpecification(const ColumnDef &column, const Dialect &dialect,
                                               bool autoincrement);
};

} // namespace retort
