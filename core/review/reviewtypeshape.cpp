#include "reviewtypeshape.h"

#include "ddl/typerenderer.h"

#include <QHash>

namespace retort {

namespace {

struct Known
{
    const char *family;
    int integerBytes;
    int impliedLength;   // MySQL's TINYTEXT & co.; 0 = none
};

const QHash<QString, Known> &knownTypes()
{
    static const QHash<QString, Known> k = {
        {QStringLiteral("STRING"), {"String", 0, 0}}, {QStringLiteral("VARCHAR"), {"String", 0, 0}},
        {QStringLiteral("NVARCHAR"), {"String", 0, 0}}, {QStringLiteral("CHAR"), {"String", 0, 0}},
        {QStringLiteral("NCHAR"), {"String", 0, 0}}, {QStringLiteral("UNICODE"), {"String", 0, 0}},
        {QStringLiteral("TEXT"), {"String", 0, 0}}, {QStringLiteral("UNICODETEXT"), {"String", 0, 0}},
        {QStringLiteral("CLOB"), {"String", 0, 0}}, {QStringLiteral("TINYTEXT"), {"String", 0, 255}},
        {QStringLiteral("MEDIUMTEXT"), {"String", 0, 0}}, {QStringLiteral("LONGTEXT"), {"String", 0, 0}},
        {QStringLiteral("TINYINT"), {"Integer", 1, 0}}, {QStringLiteral("SMALLINT"), {"Integer", 2, 0}},
        {QStringLiteral("SMALLINTEGER"), {"Integer", 2, 0}}, {QStringLiteral("MEDIUMINT"), {"Integer", 3, 0}},
        {QStringLiteral("INTEGER"), {"Integer", 4, 0}}, {QStringLiteral("INT"), {"Integer", 4, 0}},
        {QStringLiteral("BIGINT"), {"Integer", 8, 0}}, {QStringLiteral("BIGINTEGER"), {"Integer", 8, 0}},
        {QStringLiteral("NUMERIC"), {"Numeric", 0, 0}}, {QStringLiteral("DECIMAL"), {"Numeric", 0, 0}},
        {QStringLiteral("FLOAT"), {"Numeric", 0, 0}}, {QStringLiteral("REAL"), {"Numeric", 0, 0}},
        {QStringLiteral("DOUBLE"), {"Numeric", 0, 0}}, {QStringLiteral("DOUBLE_PRECISION"), {"Numeric", 0, 0}},
        {QStringLiteral("BOOLEAN"), {"Boolean", 0, 0}}, {QStringLiteral("DATE"), {"Date", 0, 0}},
        {QStringLiteral("DATETIME"), {"DateTime", 0, 0}}, {QStringLiteral("TIMESTAMP"), {"DateTime", 0, 0}},
        {QStringLiteral("TIME"), {"Time", 0, 0}}, {QStringLiteral("INTERVAL"), {"Interval", 0, 0}},
        {QStringLiteral("ENUM"), {"Enum", 0, 0}}, {QStringLiteral("JSON"), {"JSON", 0, 0}},
        {QStringLiteral("JSONB"), {"JSON", 0, 0}}, {QStringLiteral("LARGEBINARY"), {"Binary", 0, 0}},
        {QStringLiteral("BLOB"), {"Binary", 0, 0}}, {QStringLiteral("BYTEA"), {"Binary", 0, 0}},
        {QStringLiteral("UUID"), {"UUID", 0, 0}},
    };
    return k;
}

std::optional<int> intArg(const PyValue &type, int pos, const QString &key)
{
    const PyValue *v = TypeRenderer::arg(type, pos, key);
    if (v && v->kind() == PyValue::Int)
        return int(v->toInt());
    return std::nullopt;
}

} // namespace

ReviewTypeShape ReviewTypeShape::of(const PyValue &type)
{
    ReviewTypeShape s;
    QString name = TypeRenderer::typeName(type);
    name = name.mid(name.lastIndexOf(QLatin1Char('.')) + 1).toUpper();
    const auto known = knownTypes().constFind(name);
    if (known == knownTypes().constEnd())
        return s;
    s.family = QString::fromLatin1(known->family);
    s.integerBytes = known->integerBytes;
    if (s.family == QLatin1String("String")) {
        s.length = intArg(type, 0, QStringLiteral("length"));
        if (!s.length && known->impliedLength)
            s.length = known->impliedLength;
    } else if (s.family == QLatin1String("Numeric")) {
        s.precision = intArg(type, 0, QStringLiteral("precision"));
        s.scale = intArg(type, 1, QStringLiteral("scale"));
    } else if (s.family == QLatin1String("Enum")) {
        if (auto e = TypeRenderer::enumInfo(type))
            s.enumValues = e->values;
    }
    return s;
}

bool ReviewTypeShape::isNarrowing(const ReviewTypeShape &from, const ReviewTypeShape &to)
{
    if (from.family.isEmpty() || to.family.isEmpty())
        return false;
    if (from.family != to.family) {
        // Text holds any value's text; integers fit a numeric type.
        if (to.family == QLatin1String("String"))
            return to.length.has_value();
        return !(from.family == QLatin1String("Integer") && to.family == QLatin1String("Numeric"));
    }
    if (to.length && (!from.length || *to.length < *from.length))
        return true;
    if (from.integerBytes && to.integerBytes && to.integerBytes < from.integerBytes)
        return true;
    if (to.precision && (!from.precision || *to.precision < *from.precision))
        return true;
    if (to.scale && from.scale && *to.scale < *from.scale)
        return true;
    for (const QString &v : from.enumValues)
        if (!to.enumValues.contains(v))
            return true;
    return false;
}

} // namespace retort
