#include "reflectedtyperepr.h"

#include "migrationscriptrenderer.h"

#include <QRegularExpression>

namespace retort {

namespace {

// Classes PostgreSQL's reflection takes from sqlalchemy.dialects.postgresql.
const QSet<QString> &postgresqlClasses()
{
    static const QSet<QString> s{
        QStringLiteral("TIMESTAMP"), QStringLiteral("TIME"), QStringLiteral("INTERVAL"),
        QStringLiteral("DOUBLE_PRECISION"), QStringLiteral("BYTEA"), QStringLiteral("UUID"),
        QStringLiteral("JSON"), QStringLiteral("JSONB"), QStringLiteral("ENUM"),
        QStringLiteral("ARRAY"), QStringLiteral("INET"), QStringLiteral("CIDR"),
        QStringLiteral("MACADDR"), QStringLiteral("MONEY"), QStringLiteral("OID"),
        QStringLiteral("REGCLASS"), QStringLiteral("TSVECTOR"), QStringLiteral("BIT"),
        QStringLiteral("HSTORE"), QStringLiteral("INT4RANGE"), QStringLiteral("INT8RANGE"),
        QStringLiteral("NUMRANGE"), QStringLiteral("DATERANGE"), QStringLiteral("TSRANGE"),
        QStringLiteral("TSTZRANGE")};
    return s;
}

bool isStringClass(const QString &c)
{
    static const QSet<QString> s{QStringLiteral("VARCHAR"), QStringLiteral("CHAR"),
                                 QStringLiteral("NVARCHAR"), QStringLiteral("NCHAR"),
                                 QStringLiteral("TEXT"), QStringLiteral("CLOB"),
                                 QStringLiteral("TINYTEXT"), QStringLiteral("MEDIUMTEXT"),
                                 QStringLiteral("LONGTEXT"), QStringLiteral("String"),
                                 QStringLiteral("Text"), QStringLiteral("Unicode")};
    return s.contains(c);
}

QString repr(const QString &s) { return MigrationScriptRenderer::pyRepr(s); }

bool isMySql(const QString &dialect)
{
    return dialect == QLatin1String("mysql") || dialect == QLatin1String("mariadb");
}

// MySQL's reflected types print through util.generic_repr, keyword arguments in the
// order their __init__ signatures list them (sqlalchemy/dialects/mysql/types.py).
QStringList mySqlArgs(const SchemaType &t, const QString &cls)
{
    static const QSet<QString> integers{QStringLiteral("INTEGER"), QStringLiteral("BIGINT"),
                                        QStringLiteral("SMALLINT"), QStringLiteral("TINYINT"),
                                        QStringLiteral("MEDIUMINT")};
    static const QSet<QString> floats{QStringLiteral("DOUBLE"), QStringLiteral("REAL"), QStringLiteral("FLOAT")};
    QStringList args;
    auto optInt = [&](const char *key, const std::optional<int> &v) {
        if (v)
            args << QStringLiteral("%1=%2").arg(QLatin1String(key)).arg(*v);
    };
    auto numericFlags = [&] {
        if (t.isUnsigned && *t.isUnsigned)
            args << QStringLiteral("unsigned=True");
        if (t.zerofill)
            args << QStringLiteral("zerofill=True");
    };
    auto charsetCollation = [&] {
        if (!t.charset.isEmpty())
            args << QStringLiteral("charset=") + repr(t.charset);
        if (!t.collation.isEmpty())
            args << QStringLiteral("collation=") + repr(t.collation);
    };
    if (integers.contains(cls)) {
        optInt("display_width", t.displayWidth);
        numericFlags();
    } else if (cls == QLatin1String("DECIMAL") || cls == QLatin1String("NUMERIC")) {
        numericFlags();
        optInt("precision", t.precision);
        optInt("scale", t.scale);
    } else if (floats.contains(cls)) {
        optInt("precision", t.precision);
        optInt("scale", t.scale);
        if (cls != QLatin1String("FLOAT"))   // asdecimal: DOUBLE's True differs from Float's False
            args << QStringLiteral("asdecimal=True");
        numericFlags();
    } else if (cls == QLatin1String("YEAR")) {
        optInt("display_width", t.displayWidth);
    } else if (cls == QLatin1String("DATETIME") || cls == QLatin1String("TIME") || cls == QLatin1String("TIMESTAMP")) {
        optInt("fsp", t.fsp);
    } else if (cls == QLatin1String("ENUM") || cls == QLatin1String("SET")) {
        for (const QString &v : t.enumValues)
            args << repr(v);
        charsetCollation();
        if (cls == QLatin1String("SET") && t.enumValues.contains(QString()))
            args << QStringLiteral("retrieve_as_bitwise=True");
    } else if (isStringClass(cls)) {
        charsetCollation();
        optInt("length", t.length);
    } else {   // BIT, BINARY, VARBINARY, the BLOBs
        optInt("length", t.length);
    }
    return args;
}

QString renderMySql(const SchemaType &t, const QString &cls, QSet<QString> *imports)
{
    // The ischema_names entries that are generic sqlalchemy types.
    static const QSet<QString> generic{QStringLiteral("DATE"), QStringLiteral("BINARY"),
                                       QStringLiteral("VARBINARY"), QStringLiteral("BLOB"),
                                       QStringLiteral("BOOLEAN"), QStringLiteral("NullType")};
    if (generic.contains(cls))
        return QStringLiteral("sa.%1(%2)").arg(cls, mySqlArgs(t, cls).join(QStringLiteral(", ")));
    if (imports)
        imports->insert(QStringLiteral("from sqlalchemy.dialects import mysql"));
    return QStringLiteral("mysql.%1(%2)").arg(cls, mySqlArgs(t, cls).join(QStringLiteral(", ")));
}

} // namespace

QString ReflectedTypeRepr::render(const SchemaColumn &column, const QString &dialect,
                                  QSet<QString> *imports)
{
    const SchemaType &t = column.typeInfo;
    QString cls = t.typeClass;
    if (cls.isEmpty()) {
        // No structured class: the first word of the rendered type.
        static const QRegularExpression word(QStringLiteral("^[A-Za-z_]+"));
        cls = word.match(column.type).captured(0).toUpper();
        if (cls.isEmpty())
            cls = QStringLiteral("NullType");
    }
    if (isMySql(dialect))
        return renderMySql(t, cls, imports);
    QString prefix = QStringLiteral("sa.");
    if (dialect == QLatin1String("postgresql") && postgresqlClasses().contains(cls))
        prefix = QStringLiteral("postgresql.");
    if (prefix != QLatin1String("sa.") && imports)
        imports->insert(QStringLiteral("from sqlalchemy.dialects import %1").arg(prefix.chopped(1)));

    QStringList args;
    if (cls == QLatin1String("ENUM") || cls == QLatin1String("Enum")) {
        for (const QString &v : t.enumValues)
            args << repr(v);
        if (!t.enumName.isEmpty())
            args << QStringLiteral("name=%1").arg(repr(t.enumName));
        if (!t.enumSchema.isEmpty())
            args << QStringLiteral("schema=%1").arg(repr(t.enumSchema));
    } else if (isStringClass(cls)) {
        if (t.length)
            args << QStringLiteral("length=%1").arg(*t.length);
        if (!t.collation.isEmpty())
            args << QStringLiteral("collation=%1").arg(repr(t.collation));
    } else if (cls == QLatin1String("NUMERIC") || cls == QLatin1String("DECIMAL")
               || cls == QLatin1String("FLOAT") || cls == QLatin1String("DOUBLE")
               || cls == QLatin1String("DOUBLE_PRECISION")) {
        if (t.precision)
            args << QStringLiteral("precision=%1").arg(*t.precision);
        if (t.scale)
            args << QStringLiteral("scale=%1").arg(*t.scale);
    } else if (cls == QLatin1String("TIMESTAMP") || cls == QLatin1String("TIME")
               || cls == QLatin1String("DATETIME")) {
        if (t.timezone && *t.timezone)
            args << QStringLiteral("timezone=True");
        if (t.precision && prefix != QLatin1String("sa."))
            args << QStringLiteral("precision=%1").arg(*t.precision);
    } else if (prefix == QLatin1String("postgresql.") && cls == QLatin1String("INTERVAL")) {
        if (t.precision)
            args << QStringLiteral("precision=%1").arg(*t.precision);
        // The fields are only in the rendered text: "INTERVAL day to second (3)".
        static const QRegularExpression fields(QStringLiteral("^INTERVAL ([a-z][a-z ]*[a-z])"));
        if (const auto m = fields.match(column.type); m.hasMatch())
            args << QStringLiteral("fields=") + repr(m.captured(1));
    } else if (prefix == QLatin1String("postgresql.") && cls == QLatin1String("BIT")) {
        if (t.length)
            args << QStringLiteral("length=%1").arg(*t.length);
        if (column.type.startsWith(QLatin1String("BIT VARYING")))
            args << QStringLiteral("varying=True");
    } else if (prefix == QLatin1String("postgresql.")
               && (cls == QLatin1String("JSON") || cls == QLatin1String("JSONB"))) {
        // PostgresqlImpl.render_type writes the astext_type sub-type with its prefix.
        args << QStringLiteral("astext_type=sa.Text()");
    } else if (cls == QLatin1String("ARRAY") && !t.itemType.isEmpty()) {
        static const QRegularExpression word(QStringLiteral("^[A-Za-z_ ]+"));
        QString item = word.match(t.itemType).captured(0).trimmed().toUpper().replace(QLatin1Char(' '), QLatin1Char('_'));
        if (item == QLatin1String("CHARACTER_VARYING"))
            item = QStringLiteral("VARCHAR");
        args << QStringLiteral("%1%2()").arg(postgresqlClasses().contains(item) ? QStringLiteral("postgresql.")
                                                                            : QStringLiteral("sa."), item);
        if (t.dimensions > 1)
            args << QStringLiteral("dimensions=%1").arg(t.dimensions);
    }
    if (t.isUnsigned && *t.isUnsigned)
        args << QStringLiteral("unsigned=True");
    return prefix + cls + QLatin1Char('(') + args.join(QStringLiteral(", ")) + QLatin1Char(')');
}

std::optional<QString> ReflectedTypeRepr::reflectedDefault(const SchemaColumn &column,
                                                           const QString &table,
                                                           const QString &dialect)
{
    if (!column.serverDefault)
        return std::nullopt;
    QString d = *column.serverDefault;
    if (dialect == QLatin1String("sqlite")) {
        // SQLiteImpl.autogen_column_reflect: expression defaults get parentheses.
        static const QRegularExpression digit(QStringLiteral("^[0-9\\.]$"));
        static const QRegularExpression quoted(QStringLiteral("^'.+'$"));
        static const QRegularExpression parens(QStringLiteral("^\\(.+\\)$"));
        if (!d.isEmpty() && !digit.match(d).hasMatch() && !quoted.match(d).hasMatch()
            && !parens.match(d).hasMatch())
            d = QLatin1Char('(') + d + QLatin1Char(')');
    } else if (dialect == QLatin1String("postgresql")) {
        // PostgresqlImpl.autogen_column_reflect: a SERIAL's own sequence is not a default.
        static const QRegularExpression seq(QStringLiteral("^nextval\\('(.+?)'::regclass\\)$"));
        const auto m = seq.match(d);
        if (m.hasMatch() && column.typeInfo.affinity == QLatin1String("Integer")) {
            QString seqName = m.captured(1);
            seqName.remove(QLatin1Char('"'));
            if (seqName.section(QLatin1Char('.'), -1) == QStringLiteral("%1_%2_seq").arg(table, column.name))
                return std::nullopt;
        }
    }
    return d;
}

} // namespace retort
