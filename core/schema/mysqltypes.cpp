#include "mysqltypes.h"

#include <QHash>
#include <QRegularExpression>

namespace retort {

namespace {

enum class Family { Integer, Decimal, FloatLike, Double, String, Text, EnumSet, Binary,
                    Blob, Temporal, Plain, Bit, Year };

struct Known
{
    const char *typeClass;
    const char *affinity;
    Family family;
};

const QHash<QString, Known> &ischemaNames()
{
    static const QHash<QString, Known> names = {
        {QStringLiteral("bigint"), {"BIGINT", "Integer", Family::Integer}},
        {QStringLiteral("binary"), {"BINARY", "_Binary", Family::Binary}},
        {QStringLiteral("bit"), {"BIT", "BIT", Family::Bit}},
        {QStringLiteral("blob"), {"BLOB", "_Binary", Family::Blob}},
        {QStringLiteral("boolean"), {"BOOLEAN", "Boolean", Family::Plain}},
        {QStringLiteral("char"), {"CHAR", "String", Family::String}},
        {QStringLiteral("date"), {"DATE", "Date", Family::Plain}},
        {QStringLiteral("datetime"), {"DATETIME", "DateTime", Family::Temporal}},
        {QStringLiteral("decimal"), {"DECIMAL", "Numeric", Family::Decimal}},
        {QStringLiteral("double"), {"DOUBLE", "Numeric", Family::Double}},
        {QStringLiteral("enum"), {"ENUM", "String", Family::EnumSet}},
        {QStringLiteral("fixed"), {"DECIMAL", "Numeric", Family::Decimal}},
        {QStringLiteral("float"), {"FLOAT", "Numeric", Family::FloatLike}},
        {QStringLiteral("int"), {"INTEGER", "Integer", Family::Integer}},
        {QStringLiteral("integer"), {"INTEGER", "Integer", Family::Integer}},
        {QStringLiteral("json"), {"JSON", "JSON", Family::Plain}},
        {QStringLiteral("longblob"), {"LONGBLOB", "_Binary", Family::Blob}},
        {QStringLiteral("longtext"), {"LONGTEXT", "String", Family::Text}},
        {QStringLiteral("mediumblob"), {"MEDIUMBLOB", "_Binary", Family::Blob}},
        {QStringLiteral("mediumint"), {"MEDIUMINT", "Integer", Family::Integer}},
        {QStringLiteral("mediumtext"), {"MEDIUMTEXT", "String", Family::Text}},
        {QStringLiteral("nchar"), {"NCHAR", "String", Family::String}},
        {QStringLiteral("nvarchar"), {"NVARCHAR", "String", Family::String}},
        {QStringLiteral("numeric"), {"NUMERIC", "Numeric", Family::Decimal}},
        {QStringLiteral("set"), {"SET", "String", Family::EnumSet}},
        {QStringLiteral("smallint"), {"SMALLINT", "Integer", Family::Integer}},
        {QStringLiteral("text"), {"TEXT", "String", Family::Text}},
        {QStringLiteral("time"), {"TIME", "Time", Family::Temporal}},
        {QStringLiteral("timestamp"), {"TIMESTAMP", "DateTime", Family::Temporal}},
        {QStringLiteral("tinyblob"), {"TINYBLOB", "_Binary", Family::Blob}},
        {QStringLiteral("tinyint"), {"TINYINT", "Integer", Family::Integer}},
        {QStringLiteral("tinytext"), {"TINYTEXT", "String", Family::Text}},
        {QStringLiteral("varbinary"), {"VARBINARY", "_Binary", Family::Binary}},
        {QStringLiteral("varchar"), {"VARCHAR", "String", Family::String}},
        {QStringLiteral("year"), {"YEAR", "YEAR", Family::Year}},
    };
    return names;
}

QString quoteValue(const QString &v)
{
    return QLatin1Char('\'') + QString(v).replace(QLatin1Char('\''), QStringLiteral("''"))
           + QLatin1Char('\'');
}

} // namespace

void MySqlTypes::resolve(const QString &columnType, const QString &charset,
                         const QString &collation, SchemaColumn &column)
{
    static const QRegularExpression head(
        QStringLiteral("^(\\w+)(?:\\((.*)\\))?((?: +unsigned| +zerofill)*)"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression ints(QStringLiteral("\\d+"));
    static const QRegularExpression strings(QStringLiteral("'((?:''|[^'])*)'"));
    const QRegularExpressionMatch m = head.match(columnType);
    const QString name = m.captured(1).toLower();
    const QString argText = m.captured(2);
    const QString flags = m.captured(3).toLower();
    const bool isUnsigned = flags.contains(QLatin1String("unsigned"));
    const bool zerofill = flags.contains(QLatin1String("zerofill"));

    SchemaType t;
    if (!ischemaNames().contains(name)) {
        t.typeClass = t.affinity = QStringLiteral("NullType");
        column.type = QStringLiteral("NULL");
        column.typeInfo = t;
        return;
    }
    const Known k = ischemaNames().value(name);
    t.typeClass = QString::fromLatin1(k.typeClass);
    t.affinity = QString::fromLatin1(k.affinity);

    QList<int> args;
    QStringList values;
    if (argText.startsWith(QLatin1Char('\''))) {
        auto it = strings.globalMatch(argText);
        while (it.hasNext())
            values << it.next().captured(1).replace(QStringLiteral("''"), QStringLiteral("'"));
    } else {
        auto it = ints.globalMatch(argText);
        while (it.hasNext())
            args << it.next().captured(0).toInt();
    }

    QString text = t.typeClass;
    auto numericSuffix = [&]() {
        t.isUnsigned = isUnsigned;
        t.zerofill = zerofill;
        if (isUnsigned)
            text += QStringLiteral(" UNSIGNED");
        if (zerofill)
            text += QStringLiteral(" ZEROFILL");
    };
    auto stringSuffix = [&]() {
        if (!charset.isEmpty()) {
            t.charset = charset;
            text += QStringLiteral(" CHARACTER SET ") + charset;
        }
        if (!collation.isEmpty()) {
            t.collation = collation;
            text += QStringLiteral(" COLLATE ") + collation;
        }
    };
    switch (k.family) {
    case Family::Integer:
        if (!args.isEmpty()) {
            t.displayWidth = args.at(0);
            text += QStringLiteral("(%1)").arg(args.at(0));
        }
        numericSuffix();
        break;
    case Family::Decimal:
    case Family::FloatLike:
    case Family::Double:
        if (!args.isEmpty())
            t.precision = args.at(0);
        if (args.size() > 1)
            t.scale = args.at(1);
        if (args.size() > 1)
            text += QStringLiteral("(%1, %2)").arg(args.at(0)).arg(args.at(1));
        else if (args.size() == 1 && k.family != Family::Double)
            text += QStringLiteral("(%1)").arg(args.at(0));
        numericSuffix();
        break;
    case Family::String:
    case Family::Text:
        if (!args.isEmpty()) {
            t.length = args.at(0);
            text += QStringLiteral("(%1)").arg(args.at(0));
        }
        if (name.startsWith(QLatin1Char('n')))
            text = QStringLiteral("NATIONAL ") + text.mid(1);   // NCHAR -> NATIONAL CHAR
        stringSuffix();
        break;
    case Family::EnumSet: {
        t.enumValues = values;
        QStringList quoted;
        int longest = 0;
        for (const QString &v : std::as_const(values)) {
            quoted << quoteValue(v);
            longest = qMax(longest, int(v.size()));
        }
        if (t.typeClass == QLatin1String("SET"))
            t.length = longest;   // SET is a string type sized by its longest member
        text += QLatin1Char('(') + quoted.join(QLatin1Char(',')) + QLatin1Char(')');
        stringSuffix();
        break;
    }
    case Family::Binary:
    case Family::Blob:
        if (!args.isEmpty()) {
            t.length = args.at(0);
            text += QStringLiteral("(%1)").arg(args.at(0));
        }
        break;
    case Family::Temporal:
        t.timezone = false;
        if (!args.isEmpty()) {
            t.fsp = args.at(0);
            text += QStringLiteral("(%1)").arg(args.at(0));
        }
        break;
    case Family::Bit:
    case Family::Year:
        if (!args.isEmpty()) {
            (k.family == Family::Bit ? t.length : t.displayWidth) = args.at(0);
            text += QStringLiteral("(%1)").arg(args.at(0));
        }
        break;
    case Family::Plain:
        if (t.typeClass == QLatin1String("BOOLEAN"))
            text = QStringLiteral("BOOL");
        break;
    }
    column.type = text;
    column.typeInfo = t;
}

} // namespace retort
