#include "modelrenderhints.h"

#include <QJsonArray>

namespace retort {

namespace {

QString str(const QJsonValue &v) { return v.isString() ? v.toString() : QString(); }

QStringList strList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out << str(x);
    return out;
}

RenderedKwargs kwargs(const QJsonValue &v)
{
    RenderedKwargs out;
    for (const QJsonValue &pair : v.toArray()) {
        const QJsonArray a = pair.toArray();
        if (a.size() == 2)
            out.append({a.at(0).toString(), a.at(1).toString()});
    }
    return out;
}

std::optional<bool> optBool(const QJsonValue &v)
{
    if (v.isBool())
        return v.toBool();
    return std::nullopt;
}

ConstraintHint constraint(const QJsonObject &o)
{
    ConstraintHint c;
    c.name = str(o.value(QStringLiteral("name")));
    c.conv = o.value(QStringLiteral("conv")).toBool();
    c.finalName = str(o.value(QStringLiteral("finalName")));
    c.columns = strList(o.value(QStringLiteral("columns")));
    c.colspecs = strList(o.value(QStringLiteral("colspecs")));
    c.useAlter = o.value(QStringLiteral("useAlter")).toBool();
    // deferrable may be a bool or a string in SQLAlchemy; only True/False matter here.
    c.deferrable = optBool(o.value(QStringLiteral("deferrable")));
    c.initially = str(o.value(QStringLiteral("initially")));
    c.onupdate = str(o.value(QStringLiteral("onupdate")));
    c.ondelete = str(o.value(QStringLiteral("ondelete")));
    c.named = o.value(QStringLiteral("named")).toBool();
    c.python = str(o.value(QStringLiteral("python")));
    c.expressions = strList(o.value(QStringLiteral("expressions")));
    c.kwargs = kwargs(o.value(QStringLiteral("kwargs")));
    return c;
}

QVector<ConstraintHint> constraints(const QJsonValue &v)
{
    QVector<ConstraintHint> out;
    for (const QJsonValue &x : v.toArray())
        out.append(constraint(x.toObject()));
    return out;
}

} // namespace

const ColumnHint *TableHint::column(const QString &name) const
{
    auto it = columns.constFind(name);
    return it == columns.constEnd() ? nullptr : &*it;
}

const ConstraintHint *TableHint::index(const QString &finalName) const
{
    for (const ConstraintHint &c : indexes)
        if (c.finalName == finalName)
            return &c;
    return nullptr;
}

const ConstraintHint *TableHint::unique(const QString &finalName, const QStringList &cols) const
{
    for (const ConstraintHint &c : uniqueConstraints)
        if (finalName.isEmpty() ? (c.finalName.isEmpty() && c.columns == cols) : c.finalName == finalName)
            return &c;
    return nullptr;
}

namespace {
QString tableKey(const QString &schema, const QString &name)
{
    return schema + QChar(0x1f) + name;
}
} // namespace

void ModelRenderHints::addTable(const TableHint &t)
{
    const QString key = tableKey(t.schema, t.name);
    if (!m_tableIndex.contains(key))   // table() finds the first one of a name
        m_tableIndex.insert(key, m_tables.size());
    m_tables.append(t);
}

const TableHint *ModelRenderHints::table(const QString &schema, const QString &name) const
{
    const auto it = m_tableIndex.constFind(tableKey(schema, name));
    return it == m_tableIndex.cend() ? nullptr : &m_tables.at(*it);
}

Result<ModelRenderHints> ModelRenderHints::fromJsonObject(const QJsonObject &render)
{
    ModelRenderHints h;
    h.m_imports = strList(render.value(QStringLiteral("imports")));
    const QJsonArray schemas = render.value(QStringLiteral("metadata_schemas")).toArray();
    if (!schemas.isEmpty())
        h.m_metadataSchema = str(schemas.first());
    for (const QJsonValue &tv : render.value(QStringLiteral("tables")).toArray()) {
        const QJsonObject o = tv.toObject();
        TableHint t;
        t.schema = str(o.value(QStringLiteral("schema")));
        t.name = str(o.value(QStringLiteral("name")));
        if (t.name.isEmpty())
            return Error(QStringLiteral("render hints: a table without a name"));
        t.module = str(o.value(QStringLiteral("module")));
        t.kwargs = kwargs(o.value(QStringLiteral("kwargs")));
        t.prefixes = strList(o.value(QStringLiteral("prefixes")));
        for (const QJsonValue &cv : o.value(QStringLiteral("columns")).toArray()) {
            const QJsonObject c = cv.toObject();
            ColumnHint ch;
            ch.pythonType = str(c.value(QStringLiteral("python_type")));
            const QJsonValue sd = c.value(QStringLiteral("server_default"));
            if (sd.isObject()) {
                const QJsonObject s = sd.toObject();
                ServerDefaultHint d;
                d.kind = str(s.value(QStringLiteral("kind")));
                d.python = str(s.value(QStringLiteral("python")));
                if (s.value(QStringLiteral("compare")).isString())
                    d.compare = s.value(QStringLiteral("compare")).toString();
                ch.serverDefault = d;
            }
            ch.autoincrement = optBool(c.value(QStringLiteral("autoincrement")));
            ch.autoincrementColumn = c.value(QStringLiteral("autoincrement_column")).toBool();
            ch.system = c.value(QStringLiteral("system")).toBool();
            ch.kwargs = kwargs(c.value(QStringLiteral("kwargs")));
            t.columns.insert(str(c.value(QStringLiteral("name"))), ch);
        }
        if (o.value(QStringLiteral("primary_key")).isObject())
            t.primaryKey = constraint(o.value(QStringLiteral("primary_key")).toObject());
        t.foreignKeys = constraints(o.value(QStringLiteral("foreign_keys")));
        t.uniqueConstraints = constraints(o.value(QStringLiteral("unique_constraints")));
        t.checkConstraints = constraints(o.value(QStringLiteral("check_constraints")));
        t.indexes = constraints(o.value(QStringLiteral("indexes")));
        h.addTable(t);
    }
    return h;
}

} // namespace retort
