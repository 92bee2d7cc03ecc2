#include "postgrestypes.h"

#include <QRegularExpression>

namespace retort {

namespace {

struct Known
{
    const char *typeClass;
    const char *affinity;
};

const QHash<QString, Known> &ischemaNames()
{
    static const QHash<QString, Known> names = {
        {QStringLiteral("hstore"), {"HSTORE", "HSTORE"}},
        {QStringLiteral("json"), {"JSON", "JSON"}},
        {QStringLiteral("jsonb"), {"JSONB", "JSON"}},
        {QStringLiteral("int4range"), {"INT4RANGE", "INT4RANGE"}},
        {QStringLiteral("int8range"), {"INT8RANGE", "INT8RANGE"}},
        {QStringLiteral("numrange"), {"NUMRANGE", "NUMRANGE"}},
        {QStringLiteral("daterange"), {"DATERANGE", "DATERANGE"}},
        {QStringLiteral("tsrange"), {"TSRANGE", "TSRANGE"}},
        {QStringLiteral("tstzrange"), {"TSTZRANGE", "TSTZRANGE"}},
        {QStringLiteral("integer"), {"INTEGER", "Integer"}},
        {QStringLiteral("bigint"), {"BIGINT", "Integer"}},
        {QStringLiteral("smallint"), {"SMALLINT", "Integer"}},
        {QStringLiteral("character varying"), {"VARCHAR", "String"}},
        {QStringLiteral("character"), {"CHAR", "String"}},
        {QStringLiteral("\"char\""), {"String", "String"}},
        {QStringLiteral("name"), {"String", "String"}},
        {QStringLiteral("text"), {"TEXT", "String"}},
        {QStringLiteral("numeric"), {"NUMERIC", "Numeric"}},
        {QStringLiteral("float"), {"FLOAT", "Numeric"}},
        {QStringLiteral("real"), {"REAL", "Numeric"}},
        {QStringLiteral("inet"), {"INET", "INET"}},
        {QStringLiteral("cidr"), {"CIDR", "CIDR"}},
        {QStringLiteral("uuid"), {"UUID", "UUID"}},
        {QStringLiteral("bit"), {"BIT", "BIT"}},
        {QStringLiteral("bit varying"), {"BIT", "BIT"}},
        {QStringLiteral("macaddr"), {"MACADDR", "MACADDR"}},
        {QStringLiteral("macaddr8"), {"MACADDR8", "MACADDR8"}},
        {QStringLiteral("money"), {"MONEY", "MONEY"}},
        {QStringLiteral("oid"), {"OID", "OID"}},
        {QStringLiteral("regclass"), {"REGCLASS", "REGCLASS"}},
        {QStringLiteral("double precision"), {"DOUBLE_PRECISION", "Numeric"}},
        {QStringLiteral("timestamp"), {"TIMESTAMP", "DateTime"}},
        {QStringLiteral("timestamp with time zone"), {"TIMESTAMP", "DateTime"}},
        {QStringLiteral("timestamp without time zone"), {"TIMESTAMP", "DateTime"}},
        {QStringLiteral("time with time zone"), {"TIME", "Time"}},
        {QStringLiteral("time without time zone"), {"TIME", "Time"}},
        {QStringLiteral("date"), {"DATE", "Date"}},
        {QStringLiteral("time"), {"TIME", "Time"}},
        {QStringLiteral("bytea"), {"BYTEA", "_Binary"}},
        {QStringLiteral("boolean"), {"BOOLEAN", "Boolean"}},
        {QStringLiteral("interval"), {"INTERVAL", "Interval"}},
        {QStringLiteral("tsvector"), {"TSVECTOR", "TSVECTOR"}},
    };
    return names;
}

// `a."B c".d` -> [a, B c, d]: dotted name with double-quoted parts.
QStringList quotedTokens(const QString &text)
{
    QStringList out;
    QString current;
    bool inQuotes = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('"')) {
            if (inQuotes && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                current += c;
                ++i;
            } else {
                inQuotes = !inQuotes;
            }
        } else if (c == QLatin1Char('.') && !inQuotes) {
            out << current;
            current.clear();
        } else {
            current += c;
        }
    }
    out << current;
    return out;
}

QString key(const QString &name, const QString &schema, bool visible)
{
    return visible ? name : schema + QChar(0) + name;
}

// A name as PostgreSQL's compiler quotes it: lower case identifiers stay bare.
QString quoteName(const QString &name)
{
    static const QRegularExpression legal(QStringLiteral("^[a-z_][a-z0-9_$]*$"));
    if (legal.match(name).hasMatch())
        return name;
    QString s = name;
    s.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + s + QLatin1Char('"');
}

} // namespace

void PostgresTypes::addEnum(const EnumType &e)
{
    m_enums.insert(key(e.name, e.schema, e.visible), e);
}

void PostgresTypes::addDomain(const QString &name, const QString &schema, bool visible,
                              const Domain &d)
{
    m_domains.insert(key(name, schema, visible), d);
}

void PostgresTypes::resolve(const QString &formatType, SchemaColumn &column) const
{
    static const QRegularExpression parens(QStringLiteral("\\(.*\\)"));
    static const QRegularExpression charlenRe(QStringLiteral("\\(([\\d,]+)\\)"));
    static const QRegularExpression arraySuffix(QStringLiteral("\\[\\]$"));
    static const QRegularExpression intervalFields(QStringLiteral("^interval (.+)"),
                                                   QRegularExpression::CaseInsensitiveOption);

    QString format = formatType;
    QString attype = QString(format).remove(parens);
    bool isArray = attype.endsWith(QLatin1String("[]"));
    attype.remove(arraySuffix);

    QString typeClass;
    QString affinity;
    SchemaType t;
    QStringList tokens = quotedTokens(attype);
    for (int depth = 0; depth < 16; ++depth) {   // domains over domains
        const QString k = tokens.size() == 1 ? tokens.at(0) : tokens.join(QChar(0));
        const QString bare = QString(attype);
        const QString charlen = charlenRe.match(format).captured(1);
        if (ischemaNames().contains(bare)
            || bare.startsWith(QLatin1String("interval"))) {
            const Known known = bare.startsWith(QLatin1String("interval"))
                                    ? Known{"INTERVAL", "Interval"}
                                    : ischemaNames().value(bare);
            typeClass = QString::fromLatin1(known.typeClass);
            affinity = QString::fromLatin1(known.affinity);
            QString rendered;
            if (bare == QLatin1String("numeric")) {
                const QStringList ps = charlen.split(QLatin1Char(','));
                if (!charlen.isEmpty() && ps.size() == 2) {
                    t.precision = ps.at(0).toInt();
                    t.scale = ps.at(1).toInt();
                    rendered = QStringLiteral("NUMERIC(%1, %2)").arg(ps.at(0), ps.at(1));
                } else {
                    rendered = QStringLiteral("NUMERIC");
                }
            } else if (bare == QLatin1String("double precision")) {
                t.precision = 53;
                rendered = QStringLiteral("DOUBLE PRECISION");
            } else if (bare.startsWith(QLatin1String("timestamp"))
                       || bare.startsWith(QLatin1String("time"))) {
                const bool tz = bare.endsWith(QLatin1String("with time zone"))
                                && !bare.endsWith(QLatin1String("without time zone"));
                t.timezone = tz;
                if (!charlen.isEmpty())
                    t.precision = charlen.toInt();
                const QString base = bare.startsWith(QLatin1String("timestamp"))
                                         ? QStringLiteral("TIMESTAMP") : QStringLiteral("TIME");
                rendered = base + (charlen.isEmpty() ? QString() : QStringLiteral("(%1)").arg(charlen))
                           + (tz ? QStringLiteral(" WITH TIME ZONE")
                                 : QStringLiteral(" WITHOUT TIME ZONE"));
            } else if (bare.startsWith(QLatin1String("interval"))) {
                const QString fields = intervalFields.match(bare).captured(1);
                rendered = QStringLiteral("INTERVAL");
                if (!fields.isEmpty())
                    rendered += QLatin1Char(' ') + fields;
                if (!charlen.isEmpty()) {
                    t.precision = charlen.toInt();
                    rendered += QStringLiteral(" (%1)").arg(charlen);
                }
            } else if (bare == QLatin1String("bit varying")) {
                rendered = QStringLiteral("BIT VARYING")
                           + (charlen.isEmpty() ? QString() : QStringLiteral("(%1)").arg(charlen));
                if (!charlen.isEmpty())
                    t.length = charlen.toInt();
            } else if (bare == QLatin1String("bit")) {
                if (!charlen.isEmpty())
                    t.length = charlen.toInt();
                rendered = QStringLiteral("BIT(%1)").arg(charlen.isEmpty() ? QStringLiteral("1") : charlen);
            } else if (typeClass == QLatin1String("VARCHAR") || typeClass == QLatin1String("CHAR")
                       || typeClass == QLatin1String("String")
                       || typeClass == QLatin1String("TEXT")) {
                const QString name = typeClass == QLatin1String("String") ? QStringLiteral("VARCHAR")
                                                                          : typeClass;
                if (!charlen.isEmpty() && !charlen.contains(QLatin1Char(','))) {
                    t.length = charlen.toInt();
                    rendered = QStringLiteral("%1(%2)").arg(name, charlen);
                } else {
                    rendered = name;
                }
            } else if (typeClass == QLatin1String("FLOAT") || typeClass == QLatin1String("REAL")) {
                if (!charlen.isEmpty())
                    t.precision = charlen.toInt();
                rendered = typeClass;
                if (typeClass == QLatin1String("FLOAT") && t.precision)
                    rendered += QStringLiteral("(%1)").arg(*t.precision);
            } else if (typeClass == QLatin1String("DOUBLE_PRECISION")) {
                rendered = QStringLiteral("DOUBLE PRECISION");
            } else {
                rendered = typeClass;
            }
            t.typeClass = typeClass;
            t.affinity = affinity;
            column.type = rendered;
            break;
        }
        if (m_enums.contains(k)) {
            const EnumType &e = m_enums[k];
            t.typeClass = QStringLiteral("ENUM");
            t.affinity = QStringLiteral("String");
            t.enumName = e.name;
            t.enumValues = e.labels;
            if (!e.visible)
                t.enumSchema = e.schema;
            column.type = (e.visible ? QString() : quoteName(e.schema) + QLatin1Char('.'))
                          + quoteName(e.name);
            break;
        }
        if (m_domains.contains(k)) {
            // As in SQLAlchemy: the base type's name, but the length and precision
            // still come from the column's own format_type (so a domain over
            // varchar(30) reflects as plain VARCHAR).
            const Domain &d = m_domains[k];
            attype = d.baseType.section(QLatin1Char('('), 0, 0);
            isArray = attype.endsWith(QLatin1String("[]"));
            attype.remove(arraySuffix);
            tokens = quotedTokens(attype);
            column.nullable = column.nullable && d.nullable;
            if (d.defaultText && !column.serverDefault)
                column.serverDefault = d.defaultText;
            continue;
        }
        t.typeClass = QStringLiteral("NullType");
        t.affinity = QStringLiteral("NullType");
        column.type = QStringLiteral("NULL");
        isArray = false;   // SQLAlchemy gives up on the element type too
        break;
    }
    if (isArray) {
        SchemaType array;
        array.typeClass = QStringLiteral("ARRAY");
        array.affinity = QStringLiteral("ARRAY");
        array.itemType = column.type;
        column.type += QStringLiteral("[]");
        column.typeInfo = array;
        return;
    }
    column.typeInfo = t;
}

} // namespace retort
