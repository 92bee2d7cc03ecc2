#pragma once
// What a plan review needs to know about a type expression from a script
// (sa.String(50), sa.Numeric(10, 2), mysql.TINYINT, sa.Enum("a", "b")): its family,
// length, precision, scale, integer width and enum labels, and whether changing one
// type into another can lose values.

#include "python/pyvalue.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace retort {

struct ReviewTypeShape
{
    QString family;                 // "String", "Integer", "Numeric", "Enum", ... ("" unknown)
    std::optional<int> length;      // String: characters; none = unbounded
    std::optional<int> precision;   // Numeric
    std::optional<int> scale;       // Numeric
    int integerBytes = 0;           // Integer: 1 (TINYINT) .. 8 (BIGINT)
    QStringList enumValues;

    static ReviewTypeShape of(const PyValue &type);

    // Changing `from` into `to` may lose or reject values: a shorter string, a smaller
    // integer, less precision or scale, fewer enum labels, another family (Integer ->
    // Numeric and anything -> unbounded String keep values). Unknown families: false.
    static bool isNarrowing(const ReviewTypeShape &from, const ReviewTypeShape &to);
};

} // namespace retort
