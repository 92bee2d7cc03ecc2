#pragma once
// Values a revision script reads from its run that the interpreter knows without Python:
// the dialect's name through op.get_bind() / op.get_context() (also as a local `bind =
// op.get_bind()`), context.is_offline_mode(), op.get_context().as_sql, and the versions
// of SQLAlchemy and Alembic the native engine renders for (sa.__version__,
// alembic.__version__). The bind and the context are kept as marker Names
// ("op.get_bind()", "op.get_context()"); anything else read from them needs Python.

#include "python/pyvalue.h"
#include "scriptcontext.h"

#include <QString>

namespace retort {

class ScriptKnownValues
{
public:
    enum Status {
        Unchanged,   // not a known value: evaluate as usual
        Known,       // *out holds the value
        Needs        // reads the run in a way only Python can answer; *reason says why
    };

    // The versions the native engine matches: Debian 12's python3-sqlalchemy and
    // python3-alembic (/usr/lib/python3/dist-packages), the reference implementation.
    static const char *const SqlAlchemyVersion;
    static const char *const AlembicVersion;

    // A dotted Name just formed (`sa.__version__`, `<bind>.dialect.name`); called: a '('
    // follows it.
    static Status name(const PyValue &v, const ScriptContext &context, bool called, PyValue *out,
                       QString *reason);
    // A call of callee with no arguments: op.get_bind(), op.get_context(),
    // context.get_bind(), context.is_offline_mode().
    static Status call(const PyValue &callee, const ScriptContext &context, PyValue *out,
                       QString *reason);
    // Whether v is (or holds) the bind or the context, which only Python can pass on.
    static bool isLive(const PyValue &v);
    // The bind marker, for `conn.execute(...)` statements.
    static bool isBind(const PyValue &v);
};

} // namespace retort
