#pragma once
// The few SQL expressions a migration script passes as values, rendered the way
// SQLAlchemy compiles them with literal_binds: Python literals (bulk_insert rows),
// server defaults (str, sa.text, sa.func.*, sa.true()/false()), and raw SQL text
// (execute, CHECK conditions, index expressions, postgresql_where).

#include "result.h"
#include "python/pyvalue.h"
#include "runtime/dialect.h"

#include <QString>

namespace retort {

class SqlExpression
{
public:
    // A Python literal as a SQL literal; `type` (may be null) is the column's type.
    static Result<QString> literal(const PyValue &value, const Dialect &dialect,
                                   const PyValue *type = nullptr);
    // Column DEFAULT clause text (without "DEFAULT ").
    static Result<QString> serverDefault(const PyValue &value, const Dialect &dialect);
    // Str or sa.text("...") -> the text as written; sa.func/true/false compiled.
    static Result<QString> sqlText(const PyValue &value, const Dialect &dialect);
    // op.f("name") / "name" -> name; None -> "".
    static bool name(const PyValue &value, QString *out);
    // True for sa.text(...) / sa.literal_column(...).
    static bool isText(const PyValue &value);
};

} // namespace retort
