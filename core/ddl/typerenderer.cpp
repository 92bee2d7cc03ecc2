#include "typerenderer.h"

#include <algorithm>

namespace retort {

namespace {

// <base>.with_variant(<variant>, '<dialect name>'): getattr(base, 'with_variant')(variant, name).
bool variantParts(const PyValue &t, PyValue *base, PyValue *variant, QString *dialectName)
{
    if (t.kind() != PyValue::Call)
        return false;
    const PyValue &c = t.callee();
    if (c.kind() != PyValue::Call || c.calleeName() != QLatin1String("getattr") || c.args().size() != 2
        || !c.args().at(1).isStr() || c.args().at(1).toStr() != QLatin1String("with_variant"))
        return false;
    const QVector<PyValue> args = t.args();
    const PyValue *v = t.kwarg(QStringLiteral("type_"));
    const PyValue *n = t.kwarg(QStringLiteral("dialect_name"));
    if (!v && !args.isEmpty())
        v = &args.at(0);
    if (!n && args.size() > 1)
        n = &args.at(1);
    if (!v || !n || !n->isStr())
        return false;
    *base = c.args().at(0);
    *variant = *v;
    *dialectName = n->toStr();
    return true;
}

// The fallback type of a Variant chain (the type itself otherwise).
const PyValue &variantBase(const PyValue &t)
{
    PyValue base, variant;
    QString name;
    if (!variantParts(t, &base, &variant, &name))
        return t;
    return variantBase(t.callee().items().at(1));   // getattr's receiver, by reference
}

const PyValue &calleeOf(const PyValue &type)
{
    const PyValue &t = variantBase(type);
    return t.kind() == PyValue::Call ? t.callee() : t;
}

QString intArg(const PyValue *v)
{
    if (!v)
        return {};
    if (v->kind() == PyValue::Int)
        return QString::number(v->toInt());
    return v->toStr();
}

bool boolArg(const PyValue &type, const QString &key, bool fallback = false)
{
    const PyValue *v = type.kind() == PyValue::Call ? type.kwarg(key) : nullptr;
    return v ? v->truthy() : fallback;
}

QString strKw(const PyValue &type, const QString &key)
{
    const PyValue *v = type.kind() == PyValue::Call ? type.kwarg(key) : nullptr;
    return v && v->isStr() ? v->toStr() : QString();
}

QString withLength(const QString &spec, const PyValue *len)
{
    return len ? spec + QLatin1Char('(') + intArg(len) + QLatin1Char(')') : spec;
}

QString precisionScale(const QString &spec, const PyValue *p, const PyValue *s)
{
    if (!p)
        return spec;
    if (!s)
        return QStringLiteral("%1(%2)").arg(spec, intArg(p));
    return QStringLiteral("%1(%2, %3)").arg(spec, intArg(p), intArg(s));
}

Error cannotRender(const QString &name, const Dialect &d)
{
    // SQLAlchemy's UnsupportedCompilationError, without the compiler's address.
    QString compiler = d.kind() == Dialect::SQLite ? QStringLiteral("sqlite.base.SQLiteTypeCompiler")
                     : d.kind() == Dialect::PostgreSQL ? QStringLiteral("postgresql.base.PGTypeCompiler")
                     : QStringLiteral("mysql.base.MySQLTypeCompiler");
    return Error(QStringLiteral("Compiler <sqlalchemy.dialects.%1> can't render element of type %2")
                     .arg(compiler, name.section(QLatin1Char('.'), -1)));
}

// MySQL's _extend_string: CHARACTER SET / COLLATE suffixes.
QString mysqlString(const PyValue &type, const QString &spec, bool national = false)
{
    QStringList parts;
    if (national)
        parts << QStringLiteral("NATIONAL");
    parts << spec;
    const QString charset = strKw(type, QStringLiteral("charset"));
    if (!national) {
        if (!charset.isEmpty())
            parts << QStringLiteral("CHARACTER SET ") + charset;
        else if (boolArg(type, QStringLiteral("ascii")))
            parts << QStringLiteral("ASCII");
        else if (boolArg(type, QStringLiteral("unicode")))
            parts << QStringLiteral("UNICODE");
    }
    const QString collation = strKw(type, QStringLiteral("collation"));
    if (!collation.isEmpty())
        parts << QStringLiteral("COLLATE ") + collation;
    else if (boolArg(type, QStringLiteral("binary")))
        parts << QStringLiteral("BINARY");
    return parts.join(QLatin1Char(' '));
}

// MySQL's _extend_numeric: UNSIGNED / ZEROFILL.
QString mysqlNumeric(const PyValue &type, const QString &spec)
{
    QString s = spec;
    if (boolArg(type, QStringLiteral("unsigned")))
        s += QStringLiteral(" UNSIGNED");
    if (boolArg(type, QStringLiteral("zerofill")))
        s += QStringLiteral(" ZEROFILL");
    return s;
}

QString quotedValues(const QStringList &values)
{
    QStringList q;
    for (QString v : values)
        q << QLatin1Char('\'') + v.replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
    return q.join(QLatin1Char(','));
}

QString collationSuffix(const PyValue &type, const Dialect &d)
{
    const QString c = strKw(type, QStringLiteral("collation"));
    if (c.isEmpty())
        return {};
    if (d.isMySqlFamily())
        return QStringLiteral(" COLLATE ") + c;
    return QStringLiteral(" COLLATE \"%1\"").arg(c);
}

// Strings: VARCHAR / CHAR / TEXT family shared by the generic types.
std::optional<Result<QString>> renderString(const QString &n, const PyValue &t, const Dialect &d)
{
    const PyValue *len = TypeRenderer::arg(t, 0, QStringLiteral("length"));
    QString spec;
    if (n == QLatin1String("String") || n == QLatin1String("Unicode") || n == QLatin1String("VARCHAR")) {
        if (d.isMySqlFamily() && !len)
            return Result<QString>(Error(QStringLiteral("VARCHAR requires a length on dialect mysql")));
        spec = withLength(QStringLiteral("VARCHAR"), len);
    } else if (n == QLatin1String("CHAR")) {
        spec = withLength(QStringLiteral("CHAR"), len);
    } else if (n == QLatin1String("Text") || n == QLatin1String("UnicodeText") || n == QLatin1String("TEXT")) {
        spec = withLength(QStringLiteral("TEXT"), len);
    } else if (n == QLatin1String("CLOB")) {
        spec = withLength(QStringLiteral("CLOB"), len);
    } else {
        return std::nullopt;
    }
    if (d.isMySqlFamily())
        return Result<QString>(mysqlString(t, spec));
    return Result<QString>(spec + collationSuffix(t, d));
}

QString pgTimeZone(const PyValue &t, const QString &base)
{
    const PyValue *p = TypeRenderer::arg(t, 1, QStringLiteral("precision"));
    QString s = base;
    if (p)
        s += QLatin1Char('(') + intArg(p) + QLatin1Char(')');
    const bool tz = boolArg(t, QStringLiteral("timezone"))
        || (t.kind() == PyValue::Call && !t.args().isEmpty() && t.args().first().truthy());
    return s + (tz ? QStringLiteral(" WITH TIME ZONE") : QStringLiteral(" WITHOUT TIME ZONE"));
}

QString mysqlFsp(const PyValue &t, const QString &spec)
{
    const PyValue *fsp = TypeRenderer::arg(t, 1, QStringLiteral("fsp"));
    return fsp ? QStringLiteral("%1(%2)").arg(spec, intArg(fsp)) : spec;
}

// Generic (sa.*) types, including the uppercase SQL standard ones.
std::optional<Result<QString>> renderGeneric(const QString &n, const PyValue &t, const Dialect &d)
{
    if (auto s = renderString(n, t, d))
        return s;
    const bool pg = d.kind() == Dialect::PostgreSQL;
    const bool my = d.isMySqlFamily();
    const bool lite = d.kind() == Dialect::SQLite;
    auto num = [&](const QString &spec) { return my ? mysqlNumeric(t, spec) : spec; };
    if (n == QLatin1String("Integer") || n == QLatin1String("INTEGER") || n == QLatin1String("INT"))
        return Result<QString>(num(QStringLiteral("INTEGER")));
    if (n == QLatin1String("BigInteger") || n == QLatin1String("BIGINT"))
        return Result<QString>(num(QStringLiteral("BIGINT")));
    if (n == QLatin1String("SmallInteger") || n == QLatin1String("SMALLINT"))
        return Result<QString>(num(QStringLiteral("SMALLINT")));
    if (n == QLatin1String("Boolean") || n == QLatin1String("BOOLEAN"))
        return Result<QString>(my ? QStringLiteral("BOOL") : QStringLiteral("BOOLEAN"));
    if (n == QLatin1String("Date") || n == QLatin1String("DATE"))
        return Result<QString>(QStringLiteral("DATE"));
    if (n == QLatin1String("DateTime"))
        return Result<QString>(pg ? pgTimeZone(t, QStringLiteral("TIMESTAMP")) : QStringLiteral("DATETIME"));
    if (n == QLatin1String("DATETIME"))
        return Result<QString>(my ? mysqlFsp(t, QStringLiteral("DATETIME")) : QStringLiteral("DATETIME"));
    if (n == QLatin1String("TIMESTAMP"))
        return Result<QString>(pg ? pgTimeZone(t, QStringLiteral("TIMESTAMP"))
                               : my ? mysqlFsp(t, QStringLiteral("TIMESTAMP")) : QStringLiteral("TIMESTAMP"));
    if (n == QLatin1String("Time") || n == QLatin1String("TIME"))
        return Result<QString>(pg ? pgTimeZone(t, QStringLiteral("TIME"))
                               : my ? mysqlFsp(t, QStringLiteral("TIME")) : QStringLiteral("TIME"));
    const PyValue *prec = TypeRenderer::arg(t, 0, QStringLiteral("precision"));
    const PyValue *scale = TypeRenderer::arg(t, 1, QStringLiteral("scale"));
    if (n == QLatin1String("Numeric") || n == QLatin1String("NUMERIC"))
        return Result<QString>(num(precisionScale(QStringLiteral("NUMERIC"), prec, scale)));
    if (n == QLatin1String("DECIMAL"))
        return Result<QString>(num(precisionScale(QStringLiteral("DECIMAL"), prec, scale)));
    if (n == QLatin1String("Float") || n == QLatin1String("FLOAT")) {
        if (lite || !prec)
            return Result<QString>(num(QStringLiteral("FLOAT")));
        return Result<QString>(num(withLength(QStringLiteral("FLOAT"), prec)));
    }
    if (n == QLatin1String("REAL"))
        return Result<QString>(num(QStringLiteral("REAL")));
    if (n == QLatin1String("LargeBinary") || n == QLatin1String("BLOB"))
        return Result<QString>(pg ? QStringLiteral("BYTEA")
                               : withLength(QStringLiteral("BLOB"), my ? TypeRenderer::arg(t, 0, QStringLiteral("length")) : nullptr));
    if (n == QLatin1String("JSON"))
        return Result<QString>(QStringLiteral("JSON"));
    if (n == QLatin1String("Interval"))
        return Result<QString>(pg ? QStringLiteral("INTERVAL") : QStringLiteral("DATETIME"));
    return std::nullopt;
}

Result<QString> renderEnum(const PyValue &t, const Dialect &d)
{
    const auto info = TypeRenderer::enumInfo(t);
    if (d.kind() == Dialect::PostgreSQL && info->native) {
        if (info->name.isEmpty())
            return Error(QStringLiteral("PostgreSQL ENUM type requires a name."));
        if (info->inheritSchema)   // the schema would come from the table the column joins
            return Error(QStringLiteral("Enum(inherit_schema=True) is not supported"));
        return d.qualifiedName(info->schema, info->name);
    }
    if (d.isMySqlFamily() && info->native)
        return mysqlString(t, QStringLiteral("ENUM(%1)").arg(quotedValues(info->values)));
    int len = 0;
    for (const QString &v : info->values)
        len = std::max(len, int(v.size()));
    if (const PyValue *l = t.kind() == PyValue::Call ? t.kwarg(QStringLiteral("length")) : nullptr)
        len = int(l->toInt());
    return QStringLiteral("VARCHAR(%1)").arg(len);
}

// Dialect types whose __visit_name__ is a generic SQL type: any dialect compiles them.
bool hasGenericVisit(const QString &n)
{
    static const QStringList names = {
        QStringLiteral("INTEGER"), QStringLiteral("BIGINT"), QStringLiteral("SMALLINT"),
        QStringLiteral("VARCHAR"), QStringLiteral("CHAR"), QStringLiteral("TEXT"),
        QStringLiteral("DATETIME"), QStringLiteral("TIMESTAMP"), QStringLiteral("TIME"),
        QStringLiteral("DATE"), QStringLiteral("DECIMAL"), QStringLiteral("NUMERIC"),
        QStringLiteral("FLOAT"), QStringLiteral("REAL"), QStringLiteral("BOOLEAN"),
        QStringLiteral("JSON"), QStringLiteral("BLOB")};
    return names.contains(n);
}

Result<QString> renderPostgres(const QString &n, const PyValue &t, const Dialect &d)
{
    static const QStringList plain = {
        QStringLiteral("UUID"), QStringLiteral("JSONB"), QStringLiteral("INET"), QStringLiteral("CIDR"),
        QStringLiteral("MACADDR"), QStringLiteral("MONEY"), QStringLiteral("TSVECTOR"),
        QStringLiteral("HSTORE"), QStringLiteral("BYTEA"), QStringLiteral("OID"), QStringLiteral("REGCLASS"),
        QStringLiteral("INT4RANGE"), QStringLiteral("INT8RANGE"), QStringLiteral("NUMRANGE"),
        QStringLiteral("DATERANGE"), QStringLiteral("TSRANGE"), QStringLiteral("TSTZRANGE")};
    if (d.kind() != Dialect::PostgreSQL) {
        if (n == QLatin1String("ENUM"))   // an Enum: VARCHAR, or MySQL's ENUM(...)
            return renderEnum(t, d);
        if (hasGenericVisit(n))
            if (auto g = renderGeneric(n, t, d))
                return *g;
        return cannotRender(n, d);
    }
    if (plain.contains(n))
        return n;
    if (n == QLatin1String("DOUBLE_PRECISION"))
        return QStringLiteral("DOUBLE PRECISION");
    if (n == QLatin1String("TIMESTAMP") || n == QLatin1String("TIME")) {
        QString s = n;
        if (const PyValue *p = t.kind() == PyValue::Call ? t.kwarg(QStringLiteral("precision")) : nullptr)
            s += QLatin1Char('(') + intArg(p) + QLatin1Char(')');
        return s + (boolArg(t, QStringLiteral("timezone")) ? QStringLiteral(" WITH TIME ZONE")
                                                            : QStringLiteral(" WITHOUT TIME ZONE"));
    }
    if (n == QLatin1String("INTERVAL")) {
        QString s = QStringLiteral("INTERVAL");
        const QString fields = strKw(t, QStringLiteral("fields"));
        if (!fields.isEmpty())
            s += QLatin1Char(' ') + fields;
        if (const PyValue *p = TypeRenderer::arg(t, 0, QStringLiteral("precision")))
            s += QStringLiteral(" (%1)").arg(intArg(p));
        return s;
    }
    if (n == QLatin1String("ARRAY")) {
        const PyValue *item = TypeRenderer::arg(t, 0, QStringLiteral("item_type"));
        if (!item)
            return Error(QStringLiteral("ARRAY needs an item type"));
        auto inner = TypeRenderer::render(*item, d);
        if (!inner)
            return inner;
        const PyValue *dims = TypeRenderer::arg(t, 2, QStringLiteral("dimensions"));
        const int n = dims ? int(dims->toInt()) : 1;
        return *inner + QStringLiteral("[]").repeated(std::max(1, n));
    }
    if (n == QLatin1String("ENUM"))
        return renderEnum(t, d);
    if (auto g = renderGeneric(n, t, d))
        return *g;
    return cannotRender(n, d);
}

Result<QString> renderMySql(const QString &n, const PyValue &t, const Dialect &d)
{
    if (!d.isMySqlFamily()) {
        if (n == QLatin1String("ENUM") && d.kind() == Dialect::PostgreSQL)
            return renderEnum(t, d);
        if (hasGenericVisit(n))
            if (auto g = renderGeneric(n, t, d))
                return *g;
        return cannotRender(n, d);
    }
    static const QStringList ints = {QStringLiteral("TINYINT"), QStringLiteral("SMALLINT"),
                                     QStringLiteral("MEDIUMINT"), QStringLiteral("INTEGER"),
                                     QStringLiteral("BIGINT"), QStringLiteral("INT")};
    if (ints.contains(n)) {
        const QString spec = n == QLatin1String("INT") ? QStringLiteral("INTEGER") : n;
        return mysqlNumeric(t, withLength(spec, TypeRenderer::arg(t, 0, QStringLiteral("display_width"))));
    }
    static const QStringList texts = {QStringLiteral("TINYTEXT"), QStringLiteral("MEDIUMTEXT"),
                                      QStringLiteral("LONGTEXT")};
    if (texts.contains(n))
        return mysqlString(t, n);
    if (n == QLatin1String("TEXT"))
        return mysqlString(t, withLength(n, TypeRenderer::arg(t, 0, QStringLiteral("length"))));
    if (n == QLatin1String("VARCHAR") || n == QLatin1String("CHAR")) {
        const PyValue *len = TypeRenderer::arg(t, 0, QStringLiteral("length"));
        if (!len && n == QLatin1String("VARCHAR"))
            return Error(QStringLiteral("VARCHAR requires a length on dialect mysql"));
        return mysqlString(t, withLength(n, len));
    }
    if (n == QLatin1String("NVARCHAR") || n == QLatin1String("NCHAR"))
        return mysqlString(t, withLength(n.mid(1), TypeRenderer::arg(t, 0, QStringLiteral("length"))), true);
    if (n == QLatin1String("DATETIME") || n == QLatin1String("TIMESTAMP") || n == QLatin1String("TIME")) {
        const PyValue *fsp = t.kind() == PyValue::Call ? t.kwarg(QStringLiteral("fsp")) : nullptr;
        return fsp ? QStringLiteral("%1(%2)").arg(n, intArg(fsp)) : n;
    }
    if (n == QLatin1String("DOUBLE") || n == QLatin1String("FLOAT") || n == QLatin1String("DECIMAL")
        || n == QLatin1String("NUMERIC") || n == QLatin1String("REAL")) {
        return mysqlNumeric(t, precisionScale(n, TypeRenderer::arg(t, 0, QStringLiteral("precision")),
                                              TypeRenderer::arg(t, 1, QStringLiteral("scale"))));
    }
    if (n == QLatin1String("YEAR"))
        return withLength(n, TypeRenderer::arg(t, 0, QStringLiteral("display_width")));
    static const QStringList blobs = {QStringLiteral("TINYBLOB"), QStringLiteral("MEDIUMBLOB"),
                                      QStringLiteral("LONGBLOB"),
                                      QStringLiteral("JSON"), QStringLiteral("BOOLEAN")};
    if (blobs.contains(n))
        return n == QLatin1String("BOOLEAN") ? QStringLiteral("BOOL") : n;
    if (n == QLatin1String("BIT") || n == QLatin1String("BLOB") || n == QLatin1String("BINARY")
        || n == QLatin1String("VARBINARY"))
        return withLength(n, TypeRenderer::arg(t, 0, QStringLiteral("length")));
    if (n == QLatin1String("ENUM") || n == QLatin1String("SET")) {
        QStringList values;
        for (const PyValue &v : t.args())
            values << v.toStr();
        return mysqlString(t, QStringLiteral("%1(%2)").arg(n, quotedValues(values)));
    }
    if (auto g = renderGeneric(n, t, d))
        return *g;
    return cannotRender(n, d);
}

} // namespace

const PyValue *TypeRenderer::arg(const PyValue &type, int pos, const QString &key)
{
    if (type.kind() != PyValue::Call)
        return nullptr;
    const PyValue *v = type.kwarg(key);
    if (!v) {
        const QVector<PyValue> &items = type.items();   // callee + args
        if (pos + 1 < items.size())
            v = &items.at(pos + 1);
    }
    return v && !v->isNone() ? v : nullptr;
}

QString TypeRenderer::typeName(const PyValue &type)
{
    QString n = calleeOf(type).kind() == PyValue::Name ? calleeOf(type).toStr() : QString();
    for (const char *prefix : {"sa.types.", "sa.", "sqlite."})
        if (n.startsWith(QLatin1String(prefix)))
            return n.mid(int(qstrlen(prefix)));
    return n;
}

PyValue TypeRenderer::resolve(const PyValue &type, const Dialect &dialect)
{
    PyValue base, variant;
    QString dialectName;
    if (!variantParts(type, &base, &variant, &dialectName))
        return type;
    // Variant.load_dialect_impl: the mapping entry named like the dialect, else the fallback.
    return dialectName == dialect.name() ? variant : resolve(base, dialect);
}

bool TypeRenderer::isVariant(const PyValue &type)
{
    PyValue base, variant;
    QString dialectName;
    return variantParts(type, &base, &variant, &dialectName);
}

namespace {

// Enum's CREATE TYPE / CHECK and Boolean's CHECK are schema events, which a Variant
// dispatches to every type it holds whatever the dialect: not modelled.
bool variantHasSchemaEvents(const PyValue &type)
{
    PyValue base, variant;
    QString dialectName;
    if (!variantParts(type, &base, &variant, &dialectName))
        return TypeRenderer::enumInfo(type).has_value()
            || (TypeRenderer::isBoolean(type) && boolArg(type, QStringLiteral("create_constraint")));
    return variantHasSchemaEvents(base) || variantHasSchemaEvents(variant);
}

// A name the script imported from its project (neutron's db_const.UUID_FIELD_SIZE as a
// String length): its value is unknown here, and rendering the dotted name is wrong SQL.
QString projectName(const PyValue &v)
{
    switch (v.kind()) {
    case PyValue::Name: {
        static const char *known[] = {"sa.", "postgresql.", "mysql.", "sqlite.", "mssql.", "oracle.",
                                      "op.", "alembic.", "datetime.", "decimal.", "uuid.", "operator."};
        const QString &n = v.toStr();
        if (!n.contains(u'.') || std::any_of(std::begin(known), std::end(known),
                                             [&n](const char *p) { return n.startsWith(QLatin1String(p)); }))
            return {};
        return n;
    }
    case PyValue::Call:
    case PyValue::Tuple:
    case PyValue::List:
    case PyValue::Set:
    case PyValue::Subscript:
        for (const PyValue &item : v.items())
            if (QString n = projectName(item); !n.isEmpty())
                return n;
        if (v.kind() == PyValue::Call)
            for (const auto &kv : v.kwargs())
                if (QString n = projectName(kv.second); !n.isEmpty())
                    return n;
        return {};
    case PyValue::Dict:
        for (const auto &kv : v.dictItems())
            for (const PyValue *x : {&kv.first, &kv.second})
                if (QString n = projectName(*x); !n.isEmpty())
                    return n;
        return {};
    default:
        return {};
    }
}

} // namespace

Result<QString> TypeRenderer::render(const PyValue &type, const Dialect &dialect)
{
    if (type.kind() == PyValue::Call) {
        QVector<PyValue> arguments = type.args();
        for (const auto &kv : type.kwargs())
            arguments << kv.second;
        for (const PyValue &a : arguments)
            if (const QString n = projectName(a); !n.isEmpty())
                return Error(QStringLiteral("unsupported type argument %1 (a name from the project)").arg(n));
    }
    if (isVariant(type)) {
        if (variantHasSchemaEvents(type))
            return Error(QStringLiteral("with_variant() of an Enum or constrained Boolean type is not supported"));
        return render(resolve(type, dialect), dialect);
    }
    const QString n = typeName(type);
    if (n.isEmpty())
        return Error(QStringLiteral("unsupported type expression %1").arg(type.repr()));
    if (n.startsWith(QLatin1String("postgresql.")))
        return renderPostgres(n.mid(11), type, dialect);
    if (n.startsWith(QLatin1String("mysql.")))
        return renderMySql(n.mid(6), type, dialect);
    if (n == QLatin1String("Enum"))
        return renderEnum(type, dialect);
    if (n == QLatin1String("ARRAY")) {   // sa.ARRAY: PostgreSQL's ARRAY there, nowhere else
        if (dialect.kind() == Dialect::PostgreSQL)
            return renderPostgres(n, type, dialect);
        return cannotRender(n, dialect);
    }
    if (auto g = renderGeneric(n, type, dialect))
        return *g;
    return Error(QStringLiteral("unsupported type %1").arg(calleeOf(type).toStr()));
}

bool TypeRenderer::isInteger(const PyValue &type)
{
    static const QStringList names = {
        QStringLiteral("Integer"), QStringLiteral("INTEGER"), QStringLiteral("INT"),
        QStringLiteral("BigInteger"), QStringLiteral("BIGINT"), QStringLiteral("SmallInteger"),
        QStringLiteral("SMALLINT"), QStringLiteral("TINYINT"), QStringLiteral("MEDIUMINT")};
    return names.contains(typeName(type).section(QLatin1Char('.'), -1));
}

bool TypeRenderer::isBigInteger(const PyValue &type)
{
    const QString n = typeName(type).section(QLatin1Char('.'), -1);
    return n == QLatin1String("BigInteger") || n == QLatin1String("BIGINT");
}

bool TypeRenderer::isSmallInteger(const PyValue &type)
{
    const QString n = typeName(type).section(QLatin1Char('.'), -1);
    return n == QLatin1String("SmallInteger") || n == QLatin1String("SMALLINT")
        || n == QLatin1String("TINYINT");
}

bool TypeRenderer::isTimestamp(const PyValue &type)
{
    return typeName(type).section(QLatin1Char('.'), -1) == QLatin1String("TIMESTAMP");
}

bool TypeRenderer::isBoolean(const PyValue &type)
{
    const QString n = typeName(type);
    return n == QLatin1String("Boolean") || n == QLatin1String("BOOLEAN");
}

std::optional<TypeRenderer::EnumInfo> TypeRenderer::enumInfo(const PyValue &variantOrType)
{
    const PyValue &type = variantBase(variantOrType);
    const QString n = typeName(type);
    if (n != QLatin1String("Enum") && n != QLatin1String("postgresql.ENUM") && n != QLatin1String("mysql.ENUM"))
        return std::nullopt;
    EnumInfo info;
    if (type.kind() == PyValue::Call) {
        for (const PyValue &v : type.args())
            if (v.isStr())
                info.values << v.toStr();
    }
    info.name = strKw(type, QStringLiteral("name"));
    info.schema = strKw(type, QStringLiteral("schema"));
    info.inheritSchema = boolArg(type, QStringLiteral("inherit_schema"), false);
    info.native = boolArg(type, QStringLiteral("native_enum"), true);
    info.createConstraint = boolArg(type, QStringLiteral("create_constraint"), false);
    info.createType = boolArg(type, QStringLiteral("create_type"), true);
    return info;
}

bool TypeRenderer::isPgNativeEnum(const PyValue &type, const Dialect &dialect)
{
    const auto info = enumInfo(type);
    return info && info->native && dialect.kind() == Dialect::PostgreSQL;
}

std::optional<QPair<QString, QString>> TypeRenderer::typeCheck(const PyValue &variantOrType,
                                                               const QString &quotedColumn,
                                                               const Dialect &dialect)
{
    const PyValue &type = variantBase(variantOrType);
    if (isBoolean(type)) {
        // SQLAlchemy 1.4: Boolean(create_constraint=False) by default; PostgreSQL is native.
        if (!boolArg(type, QStringLiteral("create_constraint")) || dialect.kind() == Dialect::PostgreSQL)
            return std::nullopt;
        return qMakePair(strKw(type, QStringLiteral("name")),
                         QStringLiteral("%1 IN (0, 1)").arg(quotedColumn));
    }
    const auto info = enumInfo(type);
    if (!info || !info->createConstraint)
        return std::nullopt;
    if (info->native && dialect.kind() != Dialect::SQLite)
        return std::nullopt;
    QStringList quoted;
    for (const QString &v : info->values)
        quoted << dialect.stringLiteral(v);
    return qMakePair(info->name, QStringLiteral("%1 IN (%2)").arg(quotedColumn, quoted.join(QStringLiteral(", "))));
}

} // namespace retort
