#pragma once
// Python builtins (repr, str, len ...), the modules template code may import
// (re, alembic.util) and Mako's escape filters (h, x, u, trim, str, n).

#include "pyvalue.h"

namespace retort {

class PyBuiltins
{
public:
    // A builtin function by name, or UNDEFINED.
    static PyValue builtin(const QString &name);
    // `import <dotted>` / `from <package> import <name>`: UNDEFINED when not supported.
    static PyValue module(const QString &dottedName);
    // A Mako filter name as written after `|` (`h`, `trim` ...), or UNDEFINED.
    static PyValue makoFilter(const QString &name);

    // alembic.util.format_as_comma.
    static Result<PyValue> formatAsComma(const PyValue &value);

private:
    static PyValue reModule();
    static PyValue utilModule();
};

} // namespace retort
