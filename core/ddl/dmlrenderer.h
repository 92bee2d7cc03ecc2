#pragma once
// op.execute() of a statement the script builds: sa.table(...).insert()/update()/delete()
// (or sa.insert(t)/sa.update(t)/sa.delete(t)) with .values(...) and .where(...), and
// sa.text("...").bindparams(...), compiled as SQLAlchemy 1.4 does with literal_binds
// (Alembic's --sql mode, paramstyle "named"). Conditions: comparisons, and_/or_/not_,
// & | ~, in_/not_in, is_(None)/is_not(None), like/notlike, between, + - * /.

#include "result.h"
#include "python/pyvalue.h"
#include "runtime/dialect.h"

#include <QString>
#include <optional>

namespace retort {

class DmlRenderer
{
public:
    // nullopt when `statement` is not one of the shapes above (the caller reports it);
    // an Error when it is one but cannot be compiled (SQLAlchemy's message where it fails).
    static std::optional<Result<QString>> render(const PyValue &statement, const Dialect &dialect);
};

} // namespace retort
