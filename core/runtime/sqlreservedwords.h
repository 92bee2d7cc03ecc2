#pragma once
// SQLAlchemy's per-dialect reserved words: an identifier in this set gets quoted.

#include "dialect.h"

#include <QString>

namespace retort {

class SqlReservedWords
{
public:
    static bool contains(Dialect::Kind kind, const QString &lowerWord);
};

} // namespace retort
