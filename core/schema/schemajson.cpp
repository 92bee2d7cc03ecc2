#include "schemajson.h"

#include "schemamodel.h"

#include <QJsonArray>

namespace retort {

namespace {

const QString kFormat = QStringLiteral("retort-schema");

QJsonValue str(const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); }
QJsonValue optStr(const std::optional<QString> &s) { return s ? QJsonValue(*s) : QJsonValue(); }
QJsonValue optBool(const std::optional<bool> &b) { return b ? QJsonValue(*b) : QJsonValue(); }
QJsonValue optInt(const std::optional<int> &i) { return i ? QJsonValue(*i) : QJsonValue(); }
QJsonValue optI64(const std::optional<qint64> &i)
{
    return i ? QJsonValue(*i) : QJsonValue();   // integral: 2^63-1 survives
}
QJsonArray strings(const QStringList &l) { return QJsonArray::fromStringList(l); }

QJsonObject writeType(const SchemaType &t)
{
    QJsonObject o;
    auto put = [&o](const char *key, const QJsonValue &v) {
        if (!v.isNull())
            o.insert(QLatin1String(key), v);
    };
    put("class", str(t.typeClass));
    put("affinity", str(t.affinity));
    put("length", optInt(t.length));
    put("precision", optInt(t.precision));
    put("scale", optInt(t.scale));
    put("timezone", optBool(t.timezone));
    put("unsigned", optBool(t.isUnsigned));
    if (t.zerofill)
        o.insert(QStringLiteral("zerofill"), true);
    put("display_width", optInt(t.displayWidth));
    put("fsp", optInt(t.fsp));
    if (!t.enumValues.isEmpty())
        o.insert(QStringLiteral("enum_values"), strings(t.enumValues));
    put("enum_name", str(t.enumName));
    put("enum_schema", str(t.enumSchema));
    put("collation", str(t.collation));
    put("charset", str(t.charset));
    put("item_type", str(t.itemType));
    if (t.dimensions)
        o.insert(QStringLiteral("dimensions"), t.dimensions);
    return o;
}

QJsonValue writeAutoincrement(SchemaColumn::Autoincrement a)
{
    switch (a) {
    case SchemaColumn::Autoincrement::Yes: return true;
    case SchemaColumn::Autoincrement::No: return false;
    case SchemaColumn::Autoincrement::Auto: break;
    }
    return QStringLiteral("auto");
}

QJsonObject writeColumn(const SchemaColumn &c)
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), c.name);
    o.insert(QStringLiteral("type"), c.type);
    o.insert(QStringLiteral("type_info"), writeType(c.typeInfo));
    o.insert(QStringLiteral("nullable"), c.nullable);
    o.insert(QStringLiteral("default"), optStr(c.serverDefault));
    o.insert(QStringLiteral("autoincrement"), writeAutoincrement(c.autoincrement));
    if (c.identity) {
        const SchemaIdentity &i = *c.identity;
        QJsonObject io;
        io.insert(QStringLiteral("always"), i.always);
        io.insert(QStringLiteral("start"), optI64(i.start));
        io.insert(QStringLiteral("increment"), optI64(i.increment));
        io.insert(QStringLiteral("minvalue"), optI64(i.minValue));
        io.insert(QStringLiteral("maxvalue"), optI64(i.maxValue));
        io.insert(QStringLiteral("cycle"), optBool(i.cycle));
        io.insert(QStringLiteral("cache"), optI64(i.cache));
        o.insert(QStringLiteral("identity"), io);
    } else {
        o.insert(QStringLiteral("identity"), QJsonValue());
    }
    if (c.computed) {
        QJsonObject co;
        co.insert(QStringLiteral("sqltext"), c.computed->sqltext);
        co.insert(QStringLiteral("persisted"), optBool(c.computed->persisted));
        o.insert(QStringLiteral("computed"), co);
    } else {
        o.insert(QStringLiteral("computed"), QJsonValue());
    }
    o.insert(QStringLiteral("comment"), optStr(c.comment));
    o.insert(QStringLiteral("dialect_options"), c.dialectOptions);
    return o;
}

QJsonObject writeTable(const SchemaTable &t)
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), t.name);
    o.insert(QStringLiteral("comment"), optStr(t.comment));
    o.insert(QStringLiteral("dialect_options"), t.dialectOptions);
    QJsonArray cols;
    for (const SchemaColumn &c : t.columns)
        cols.append(writeColumn(c));
    o.insert(QStringLiteral("columns"), cols);

    QJsonObject pk;
    pk.insert(QStringLiteral("name"), str(t.primaryKey.name));
    pk.insert(QStringLiteral("columns"), strings(t.primaryKey.columns));
    o.insert(QStringLiteral("primary_key"), pk);

    QJsonArray fks;
    for (const SchemaForeignKey &f : t.foreignKeys) {
        QJsonObject fo;
        fo.insert(QStringLiteral("name"), str(f.name));
        fo.insert(QStringLiteral("columns"), strings(f.columns));
        fo.insert(QStringLiteral("referred_schema"), str(f.referredSchema));
        fo.insert(QStringLiteral("referred_table"), f.referredTable);
        fo.insert(QStringLiteral("referred_columns"), strings(f.referredColumns));
        fo.insert(QStringLiteral("ondelete"), str(f.onDelete));
        fo.insert(QStringLiteral("onupdate"), str(f.onUpdate));
        fo.insert(QStringLiteral("deferrable"), optBool(f.deferrable));
        fo.insert(QStringLiteral("initially"), str(f.initially));
        fo.insert(QStringLiteral("match"), str(f.match));
        fks.append(fo);
    }
    o.insert(QStringLiteral("foreign_keys"), fks);

    QJsonArray ixs;
    for (const SchemaIndex &ix : t.indexes) {
        QJsonObject io;
        io.insert(QStringLiteral("name"), str(ix.name));
        io.insert(QStringLiteral("unique"), ix.unique);
        io.insert(QStringLiteral("columns"), strings(ix.columns));
        QJsonArray expr;
        for (int i = 0; i < ix.columns.size(); ++i)
            expr.append(i < ix.isExpression.size() && ix.isExpression.at(i));
        io.insert(QStringLiteral("expressions"), expr);
        io.insert(QStringLiteral("where"), optStr(ix.where));
        io.insert(QStringLiteral("dialect_options"), ix.dialectOptions);
        io.insert(QStringLiteral("duplicates_constraint"), str(ix.duplicatesConstraint));
        ixs.append(io);
    }
    o.insert(QStringLiteral("indexes"), ixs);

    QJsonArray uqs;
    for (const SchemaUniqueConstraint &u : t.uniqueConstraints) {
        QJsonObject uo;
        uo.insert(QStringLiteral("name"), str(u.name));
        uo.insert(QStringLiteral("columns"), strings(u.columns));
        uo.insert(QStringLiteral("dialect_options"), u.dialectOptions);
        uqs.append(uo);
    }
    o.insert(QStringLiteral("unique_constraints"), uqs);

    QJsonArray cks;
    for (const SchemaCheckConstraint &ck : t.checkConstraints) {
        QJsonObject co;
        co.insert(QStringLiteral("name"), str(ck.name));
        co.insert(QStringLiteral("sqltext"), ck.sqltext);
        cks.append(co);
    }
    o.insert(QStringLiteral("check_constraints"), cks);
    return o;
}

// Reading: each accessor checks the JSON type and records the first error with its
// path, so callers read straight through and check once per object.
class Reader
{
public:
    explicit Reader(QString source) : m_source(std::move(source)) {}

    bool failed() const { return m_failed; }
    Error error() const { return m_error; }

    void fail(const QString &path, const QString &msg)
    {
        if (m_failed)
            return;
        m_failed = true;
        m_error = Error(path.isEmpty() ? msg : QStringLiteral("%1: %2").arg(path, msg), m_source);
    }

    QString string(const QJsonObject &o, const char *key, const QString &path, bool required = false)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isString())
            return v.toString();
        if (v.isNull() || v.isUndefined()) {
            if (required)
                fail(path, QStringLiteral("'%1' is required").arg(QLatin1String(key)));
            return {};
        }
        fail(path, QStringLiteral("'%1' must be a string").arg(QLatin1String(key)));
        return {};
    }
    std::optional<QString> optString(const QJsonObject &o, const char *key, const QString &path)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isString())
            return v.toString();
        if (!v.isNull() && !v.isUndefined())
            fail(path, QStringLiteral("'%1' must be a string or null").arg(QLatin1String(key)));
        return std::nullopt;
    }
    std::optional<bool> optBool(const QJsonObject &o, const char *key, const QString &path)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isBool())
            return v.toBool();
        if (!v.isNull() && !v.isUndefined())
            fail(path, QStringLiteral("'%1' must be a boolean or null").arg(QLatin1String(key)));
        return std::nullopt;
    }
    std::optional<qint64> optI64(const QJsonObject &o, const char *key, const QString &path)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isDouble())
            return v.toInteger(qint64(v.toDouble()));
        if (!v.isNull() && !v.isUndefined())
            fail(path, QStringLiteral("'%1' must be a number or null").arg(QLatin1String(key)));
        return std::nullopt;
    }
    std::optional<int> optInt(const QJsonObject &o, const char *key, const QString &path)
    {
        const auto v = optI64(o, key, path);
        return v ? std::optional<int>(int(*v)) : std::nullopt;
    }
    QStringList stringList(const QJsonObject &o, const char *key, const QString &path)
    {
        QStringList out;
        for (const QJsonValue &v : array(o, key, path)) {
            if (!v.isString()) {
                fail(path, QStringLiteral("'%1' must hold strings").arg(QLatin1String(key)));
                return {};
            }
            out << v.toString();
        }
        return out;
    }
    QJsonArray array(const QJsonObject &o, const char *key, const QString &path)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isArray())
            return v.toArray();
        if (!v.isNull() && !v.isUndefined())
            fail(path, QStringLiteral("'%1' must be an array").arg(QLatin1String(key)));
        return {};
    }
    QJsonObject object(const QJsonObject &o, const char *key, const QString &path)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isObject())
            return v.toObject();
        if (!v.isNull() && !v.isUndefined())
            fail(path, QStringLiteral("'%1' must be an object").arg(QLatin1String(key)));
        return {};
    }
    // Array elements must be objects.
    QJsonObject element(const QJsonValue &v, const QString &path)
    {
        if (!v.isObject())
            fail(path, QStringLiteral("must be an object"));
        return v.toObject();
    }

private:
    QString m_source;
    bool m_failed = false;
    Error m_error;
};

QString at(const QString &path, const char *key, int i)
{
    const QString k = QStringLiteral("%1[%2]").arg(QLatin1String(key)).arg(i);
    return path.isEmpty() ? k : path + QLatin1Char('.') + k;
}

SchemaType readType(Reader &r, const QJsonObject &o, const QString &p)
{
    SchemaType t;
    t.typeClass = r.string(o, "class", p);
    t.affinity = r.string(o, "affinity", p);
    t.length = r.optInt(o, "length", p);
    t.precision = r.optInt(o, "precision", p);
    t.scale = r.optInt(o, "scale", p);
    t.timezone = r.optBool(o, "timezone", p);
    t.isUnsigned = r.optBool(o, "unsigned", p);
    t.zerofill = r.optBool(o, "zerofill", p).value_or(false);
    t.displayWidth = r.optInt(o, "display_width", p);
    t.fsp = r.optInt(o, "fsp", p);
    t.enumValues = r.stringList(o, "enum_values", p);
    t.enumName = r.string(o, "enum_name", p);
    t.enumSchema = r.string(o, "enum_schema", p);
    t.collation = r.string(o, "collation", p);
    t.charset = r.string(o, "charset", p);
    t.itemType = r.string(o, "item_type", p);
    t.dimensions = int(r.optI64(o, "dimensions", p).value_or(0));
    return t;
}

SchemaColumn readColumn(Reader &r, const QJsonObject &o, const QString &p)
{
    SchemaColumn c;
    c.name = r.string(o, "name", p, true);
    c.type = r.string(o, "type", p);
    c.typeInfo = readType(r, r.object(o, "type_info", p), p + QStringLiteral(".type_info"));
    c.nullable = r.optBool(o, "nullable", p).value_or(true);
    c.serverDefault = r.optString(o, "default", p);
    const QJsonValue ai = o.value(QStringLiteral("autoincrement"));
    if (ai.isBool())
        c.autoincrement = ai.toBool() ? SchemaColumn::Autoincrement::Yes
                                      : SchemaColumn::Autoincrement::No;
    else if (!ai.isUndefined() && !ai.isNull() && ai != QJsonValue(QStringLiteral("auto")))
        r.fail(p, QStringLiteral("'autoincrement' must be true, false or \"auto\""));
    const QJsonObject io = r.object(o, "identity", p);
    if (!io.isEmpty()) {
        const QString ip = p + QStringLiteral(".identity");
        SchemaIdentity i;
        i.always = r.optBool(io, "always", ip).value_or(false);
        i.start = r.optI64(io, "start", ip);
        i.increment = r.optI64(io, "increment", ip);
        i.minValue = r.optI64(io, "minvalue", ip);
        i.maxValue = r.optI64(io, "maxvalue", ip);
        i.cycle = r.optBool(io, "cycle", ip);
        i.cache = r.optI64(io, "cache", ip);
        c.identity = i;
    }
    const QJsonObject co = r.object(o, "computed", p);
    if (!co.isEmpty()) {
        SchemaComputed cp;
        cp.sqltext = r.string(co, "sqltext", p + QStringLiteral(".computed"), true);
        cp.persisted = r.optBool(co, "persisted", p + QStringLiteral(".computed"));
        c.computed = cp;
    }
    c.comment = r.optString(o, "comment", p);
    c.dialectOptions = r.object(o, "dialect_options", p);
    return c;
}

SchemaTable readTable(Reader &r, const QJsonObject &o, const QString &p)
{
    SchemaTable t;
    t.name = r.string(o, "name", p, true);
    t.comment = r.optString(o, "comment", p);
    t.dialectOptions = r.object(o, "dialect_options", p);
    const QJsonArray cols = r.array(o, "columns", p);
    for (int i = 0; i < cols.size(); ++i)
        t.columns.append(readColumn(r, r.element(cols.at(i), at(p, "columns", i)),
                                    at(p, "columns", i)));
    const QJsonObject pk = r.object(o, "primary_key", p);
    t.primaryKey.name = r.string(pk, "name", p + QStringLiteral(".primary_key"));
    t.primaryKey.columns = r.stringList(pk, "columns", p + QStringLiteral(".primary_key"));

    const QJsonArray fks = r.array(o, "foreign_keys", p);
    for (int i = 0; i < fks.size(); ++i) {
        const QString fp = at(p, "foreign_keys", i);
        const QJsonObject fo = r.element(fks.at(i), fp);
        SchemaForeignKey f;
        f.name = r.string(fo, "name", fp);
        f.columns = r.stringList(fo, "columns", fp);
        f.referredSchema = r.string(fo, "referred_schema", fp);
        f.referredTable = r.string(fo, "referred_table", fp, true);
        f.referredColumns = r.stringList(fo, "referred_columns", fp);
        f.onDelete = r.string(fo, "ondelete", fp);
        f.onUpdate = r.string(fo, "onupdate", fp);
        f.deferrable = r.optBool(fo, "deferrable", fp);
        f.initially = r.string(fo, "initially", fp);
        f.match = r.string(fo, "match", fp);
        t.foreignKeys.append(f);
    }

    const QJsonArray ixs = r.array(o, "indexes", p);
    for (int i = 0; i < ixs.size(); ++i) {
        const QString ip = at(p, "indexes", i);
        const QJsonObject io = r.element(ixs.at(i), ip);
        SchemaIndex ix;
        ix.name = r.string(io, "name", ip);
        ix.unique = r.optBool(io, "unique", ip).value_or(false);
        ix.columns = r.stringList(io, "columns", ip);
        const QJsonArray expr = r.array(io, "expressions", ip);
        for (int k = 0; k < ix.columns.size(); ++k)
            ix.isExpression.append(k < expr.size() && expr.at(k).toBool());
        ix.where = r.optString(io, "where", ip);
        ix.dialectOptions = r.object(io, "dialect_options", ip);
        ix.duplicatesConstraint = r.string(io, "duplicates_constraint", ip);
        t.indexes.append(ix);
    }

    const QJsonArray uqs = r.array(o, "unique_constraints", p);
    for (int i = 0; i < uqs.size(); ++i) {
        const QString up = at(p, "unique_constraints", i);
        const QJsonObject uo = r.element(uqs.at(i), up);
        SchemaUniqueConstraint u;
        u.name = r.string(uo, "name", up);
        u.columns = r.stringList(uo, "columns", up);
        u.dialectOptions = r.object(uo, "dialect_options", up);
        t.uniqueConstraints.append(u);
    }

    const QJsonArray cks = r.array(o, "check_constraints", p);
    for (int i = 0; i < cks.size(); ++i) {
        const QString cp = at(p, "check_constraints", i);
        const QJsonObject co = r.element(cks.at(i), cp);
        SchemaCheckConstraint ck;
        ck.name = r.string(co, "name", cp);
        ck.sqltext = r.string(co, "sqltext", cp, true);
        t.checkConstraints.append(ck);
    }
    return t;
}

} // namespace

QJsonObject SchemaJson::write(const SchemaModel &model)
{
    QJsonObject root;
    root.insert(QStringLiteral("format"), kFormat);
    root.insert(QStringLiteral("format_version"), SchemaModel::formatVersion);
    root.insert(QStringLiteral("dialect"), model.dialect);
    root.insert(QStringLiteral("default_schema"), str(model.defaultSchemaName));
    root.insert(QStringLiteral("server_version"), model.serverVersion);
    QJsonArray schemas;
    for (const SchemaNamespace &s : model.schemas) {
        QJsonObject so;
        so.insert(QStringLiteral("name"), str(s.name));
        QJsonArray enums;
        for (const SchemaEnum &e : s.enums) {
            QJsonObject eo;
            eo.insert(QStringLiteral("name"), e.name);
            eo.insert(QStringLiteral("schema"), str(e.schema));
            eo.insert(QStringLiteral("labels"), strings(e.labels));
            enums.append(eo);
        }
        so.insert(QStringLiteral("enums"), enums);
        so.insert(QStringLiteral("views"), strings(s.views));
        QJsonArray tables;
        for (const SchemaTable &t : s.tables)
            tables.append(writeTable(t));
        so.insert(QStringLiteral("tables"), tables);
        schemas.append(so);
    }
    root.insert(QStringLiteral("schemas"), schemas);
    return root;
}

Result<SchemaModel> SchemaJson::read(const QJsonObject &o, const QString &source)
{
    Reader r(source);
    const QString format = r.string(o, "format", {});
    if (!format.isEmpty() && format != kFormat)
        return Error(QStringLiteral("not a retort schema document (format '%1')").arg(format),
                     source);
    const int version = int(r.optI64(o, "format_version", {}).value_or(SchemaModel::formatVersion));
    if (version > SchemaModel::formatVersion)
        return Error(QStringLiteral("schema format version %1 is newer than this Retort reads (%2)")
                         .arg(version)
                         .arg(SchemaModel::formatVersion),
                     source);
    SchemaModel m;
    m.dialect = r.string(o, "dialect", {});
    m.defaultSchemaName = r.string(o, "default_schema", {});
    m.serverVersion = r.string(o, "server_version", {});
    const QJsonArray schemas = r.array(o, "schemas", {});
    for (int i = 0; i < schemas.size(); ++i) {
        const QString sp = at({}, "schemas", i);
        const QJsonObject so = r.element(schemas.at(i), sp);
        SchemaNamespace s;
        s.name = r.string(so, "name", sp);
        const QJsonArray enums = r.array(so, "enums", sp);
        for (int k = 0; k < enums.size(); ++k) {
            const QString ep = at(sp, "enums", k);
            const QJsonObject eo = r.element(enums.at(k), ep);
            SchemaEnum e;
            e.name = r.string(eo, "name", ep, true);
            e.schema = r.string(eo, "schema", ep);
            e.labels = r.stringList(eo, "labels", ep);
            s.enums.append(e);
        }
        s.views = r.stringList(so, "views", sp);
        const QJsonArray tables = r.array(so, "tables", sp);
        for (int k = 0; k < tables.size(); ++k) {
            const QString tp = at(sp, "tables", k);
            s.tables.append(readTable(r, r.element(tables.at(k), tp), tp));
        }
        if (r.failed())
            return r.error();
        m.schemas.append(s);
    }
    if (r.failed())
        return r.error();
    return m;
}

} // namespace retort
