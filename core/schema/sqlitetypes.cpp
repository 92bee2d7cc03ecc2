#include "sqlitetypes.h"

#include <QHash>
#include <QRegularExpression>

namespace retort {

namespace {

// Which constructor arguments each reflected class accepts positionally; more than
// that and SQLAlchemy falls back to the class without arguments.
enum class Args { None, Length, LengthCollation, Timezone, FloatLike, NumericLike, Any };

struct TypeClass
{
    const char *name;
    const char *affinity;
    Args args;
};

const QHash<QString, TypeClass> &ischemaNames()
{
    static const QHash<QString, TypeClass> names = {
        {QStringLiteral("BIGINT"), {"BIGINT", "Integer", Args::None}},
        {QStringLiteral("BLOB"), {"BLOB", "_Binary", Args::Length}},
        {QStringLiteral("BOOL"), {"BOOLEAN", "Boolean", Args::Any}},
        {QStringLiteral("BOOLEAN"), {"BOOLEAN", "Boolean", Args::Any}},
        {QStringLiteral("CHAR"), {"CHAR", "String", Args::LengthCollation}},
        {QStringLiteral("DATE"), {"DATE", "Date", Args::None}},
        {QStringLiteral("DATE_CHAR"), {"DATE", "Date", Args::None}},
        {QStringLiteral("DATETIME"), {"DATETIME", "DateTime", Args::Timezone}},
        {QStringLiteral("DATETIME_CHAR"), {"DATETIME", "DateTime", Args::Timezone}},
        {QStringLiteral("DOUBLE"), {"FLOAT", "Numeric", Args::FloatLike}},
        {QStringLiteral("DECIMAL"), {"DECIMAL", "Numeric", Args::NumericLike}},
        {QStringLiteral("FLOAT"), {"FLOAT", "Numeric", Args::FloatLike}},
        {QStringLiteral("INT"), {"INTEGER", "Integer", Args::None}},
        {QStringLiteral("INTEGER"), {"INTEGER", "Integer", Args::None}},
        {QStringLiteral("JSON"), {"JSON", "JSON", Args::Any}},
        {QStringLiteral("NUMERIC"), {"NUMERIC", "Numeric", Args::NumericLike}},
        {QStringLiteral("REAL"), {"REAL", "Numeric", Args::FloatLike}},
        {QStringLiteral("SMALLINT"), {"SMALLINT", "Integer", Args::None}},
        {QStringLiteral("TEXT"), {"TEXT", "String", Args::LengthCollation}},
        {QStringLiteral("TIME"), {"TIME", "Time", Args::Timezone}},
        {QStringLiteral("TIME_CHAR"), {"TIME", "Time", Args::Timezone}},
        {QStringLiteral("TIMESTAMP"), {"TIMESTAMP", "DateTime", Args::Timezone}},
        {QStringLiteral("VARCHAR"), {"VARCHAR", "String", Args::LengthCollation}},
        {QStringLiteral("NVARCHAR"), {"NVARCHAR", "String", Args::LengthCollation}},
        {QStringLiteral("NCHAR"), {"NCHAR", "String", Args::LengthCollation}},
    };
    return names;
}

int maxArgs(Args a)
{
    switch (a) {
    case Args::None: return 0;
    case Args::Length: return 1;
    case Args::LengthCollation: return 2;
    case Args::Timezone: return 1;
    case Args::FloatLike: return 3;
    case Args::NumericLike: return 4;
    case Args::Any: return 3;
    }
    return 0;
}

} // namespace

void SqliteTypes::resolve(const QString &declared, SchemaColumn &column)
{
    // SQLite keeps the declared type verbatim; SQLAlchemy reads a leading name (words and
    // spaces) and an optional parenthesised argument list of integers.
    static const QRegularExpression head(QStringLiteral("^([\\w ]+)(\\(.*?\\))?"),
                                         QRegularExpression::UseUnicodePropertiesOption);
    static const QRegularExpression digits(QStringLiteral("(\\d+)"));
    const QString upper = declared.toUpper();
    const QRegularExpressionMatch m = head.match(upper);
    QString name;
    QString argText;
    bool hasArgs = true;   // an unmatched declaration counts as an empty argument list
    if (m.hasMatch()) {
        name = m.captured(1);
        hasArgs = m.capturedStart(2) >= 0;
        argText = m.captured(2);
    }

    TypeClass cls;
    const auto &names = ischemaNames();
    if (names.contains(name))
        cls = names.value(name);
    else if (name.contains(QLatin1String("INT")))
        cls = {"INTEGER", "Integer", Args::None};
    else if (name.contains(QLatin1String("CHAR")) || name.contains(QLatin1String("CLOB"))
             || name.contains(QLatin1String("TEXT")))
        cls = {"TEXT", "String", Args::LengthCollation};
    else if (name.contains(QLatin1String("BLOB")) || name.isEmpty())
        cls = {"NullType", "NullType", Args::None};
    else if (name.contains(QLatin1String("REAL")) || name.contains(QLatin1String("FLOA"))
             || name.contains(QLatin1String("DOUB")))
        cls = {"REAL", "Numeric", Args::FloatLike};
    else
        cls = {"NUMERIC", "Numeric", Args::NumericLike};

    QList<int> args;
    if (hasArgs) {
        auto it = digits.globalMatch(argText);
        while (it.hasNext())
            args << it.next().captured(1).toInt();
    }
    if (args.size() > maxArgs(cls.args))
        args.clear();

    SchemaType t;
    t.typeClass = QString::fromLatin1(cls.name);
    t.affinity = QString::fromLatin1(cls.affinity);
    QString rendered = t.typeClass;
    switch (cls.args) {
    case Args::Length:
        if (!args.isEmpty())
            t.length = args.at(0);   // BLOB renders without its length
        break;
    case Args::LengthCollation:
        if (!args.isEmpty()) {
            t.length = args.at(0);
            rendered += QStringLiteral("(%1)").arg(args.at(0));
        }
        if (args.size() > 1) {
            // A second integer lands in the collation argument; rendered quoted.
            t.collation = QString::number(args.at(1));
            rendered += QStringLiteral(" COLLATE \"%1\"").arg(args.at(1));
        }
        break;
    case Args::Timezone:
        t.timezone = !args.isEmpty() && args.at(0) != 0;
        break;
    case Args::FloatLike:
        if (!args.isEmpty())
            t.precision = args.at(0);   // FLOAT/REAL render without precision here
        break;
    case Args::NumericLike:
        if (!args.isEmpty()) {
            t.precision = args.at(0);
            rendered += args.size() > 1 ? QStringLiteral("(%1, %2)").arg(args.at(0)).arg(args.at(1))
                                        : QStringLiteral("(%1)").arg(args.at(0));
        }
        if (args.size() > 1)
            t.scale = args.at(1);
        break;
    case Args::None:
    case Args::Any:
        break;
    }
    if (t.typeClass == QLatin1String("NullType"))
        rendered = QStringLiteral("NULL");
    column.type = rendered;
    column.typeInfo = t;
}

} // namespace retort
