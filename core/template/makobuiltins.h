#pragma once
// Python builtins (repr, str, len ...), the modules template code may import
// (re, alembic.util) and Mako's escape filters (h, x, u, trim, str, n).

#include "makovalue.h"

namespace retort {

class MakoBuiltins
{
public:
    // A builtin function by name, or UNDEFINED.
    static MakoValue builtin(const QString &name);
    // `import <dotted>` / `from <package> import <name>`: UNDEFINED when not supported.
    static MakoValue module(const QString &dottedName);
    // A Mako filter name as written after `|` (`h`, `trim` ...), or UNDEFINED.
    static MakoValue makoFilter(const QString &name);

    // alembic.util.format_as_comma.
    static Result<MakoValue> formatAsComma(const MakoValue &value);

private:
    static MakoValue reModule();
    static MakoValue utilModule();
};

} // namespace retort
