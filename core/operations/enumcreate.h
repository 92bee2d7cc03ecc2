#pragma once
// `<enum>.create(op.get_bind())` as a statement, <enum> a name bound to sa.Enum(...) or
// postgresql.ENUM(...) of string values (name=, schema= only), for FunctionInterpreter.
// SQLAlchemy 1.4's SchemaType.create(bind, checkfirst=False): on PostgreSQL the enum's
// CREATE TYPE (an "execute" op of postgresql.CreateEnumType(<enum>), rendered by
// DataOpRenderer); on SQLite nothing (no native enums). checkfirst=True online asks the
// database (has_type), MySQL's native enums and anything else need Python. Offline,
// Alembic's mock connection ignores checkfirst, so CREATE TYPE is written either way.

namespace retort {

class FunctionInterpreter;

class EnumCreate
{
public:
    explicit EnumCreate(FunctionInterpreter &fn) : m_fn(fn) {}

    // One simple statement [begin, end); *handled = false when it is not such a call.
    bool run(int begin, int end, bool *handled);

private:
    FunctionInterpreter &m_fn;
};

} // namespace retort
