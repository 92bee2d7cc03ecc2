#include "schemabuilder.h"

#include "columnclauses.h"
#include "namingconvention.h"
#include "sqlexpression.h"
#include "typerenderer.h"

#include <algorithm>

namespace retort {

namespace {

Error bad(const QString &what, const PyValue &v)
{
    return Error(QStringLiteral("unsupported %1 %2").arg(what, v.repr()));
}

QString shortCallee(const PyValue &v)
{
    QString c = v.calleeName();
    if (c.startsWith(QLatin1String("sa.schema.")))
        c = c.mid(10);
    else if (c.startsWith(QLatin1String("sa.")))
        c = c.mid(3);
    return c;
}

bool isType(const PyValue &v)
{
    if (v.kind() == PyValue::Name)
        return !TypeRenderer::typeName(v).isEmpty() && v.toStr() != QLatin1String("None");
    static const QStringList schemaItems = {
        QStringLiteral("ForeignKey"), QStringLiteral("Identity"), QStringLiteral("Computed"),
        QStringLiteral("Sequence"), QStringLiteral("FetchedValue"), QStringLiteral("DefaultClause"),
        QStringLiteral("Index"), QStringLiteral("Column")};
    return v.kind() == PyValue::Call && !schemaItems.contains(shortCallee(v))
        && !SchemaBuilder::isConstraint(v);
}

Result<QStringList> columnNames(const PyValue &v)
{
    bool ok = true;
    if (v.kind() == PyValue::Str)
        return QStringList{v.toStr()};
    auto list = v.toStringTuple(&ok);
    if (!ok || !list)
        return bad(QStringLiteral("column list"), v);
    return *list;
}

Result<ConstraintDef> columnForeignKey(const PyValue &fk, const QString &column)
{
    const QVector<PyValue> args = fk.args();
    if (args.isEmpty() || !args.first().isStr())
        return bad(QStringLiteral("ForeignKey"), fk);
    ConstraintDef c;
    c.kind = ConstraintDef::ForeignKey;
    c.fromColumn = true;
    c.columns = {column};
    const QStringList parts = SchemaBuilder::splitColumnSpec(args.first().toStr());
    c.refSchema = parts.at(0);
    c.refTable = parts.at(1);
    c.refColumns = {parts.at(2)};
    QVector<QPair<QString, PyValue>> kw;
    for (const auto &p : fk.kwargs()) {
        if (p.first == QLatin1String("name")) {
            if (!SqlExpression::name(p.second, &c.name))
                return bad(QStringLiteral("constraint name"), p.second);
        } else {
            kw.append(p);
        }
    }
    auto applied = SchemaBuilder::applyForeignKeyOptions(c, kw);
    if (!applied)
        return applied.error();
    return c;
}

// Column schema items other than ForeignKey and the type: a CheckConstraint (rendered
// inline), Identity, Computed, Sequence. False when `a` is none of them.
Result<bool> columnItem(ColumnDef &col, const PyValue &a)
{
    const QString c = shortCallee(a);
    if (c == QLatin1String("CheckConstraint")) {
        auto check = SchemaBuilder::constraint(a);
        if (!check)
            return check.error();
        col.checks.append(*check);
        return true;
    }
    if (c == QLatin1String("Identity") || c == QLatin1String("Computed") || c == QLatin1String("Sequence")) {
        auto valid = c == QLatin1String("Identity") ? ColumnClauses::validateIdentity(a)
            : c == QLatin1String("Computed")        ? ColumnClauses::validateComputed(a)
                                                    : ColumnClauses::validateSequence(a);
        if (!valid)
            return valid.error();
        if (c == QLatin1String("Identity"))
            col.identity = a;
        else if (c == QLatin1String("Computed"))
            col.computed = a;
        else
            col.hasSequence = !ColumnClauses::isOptionalSequence(a);
        return true;
    }
    return false;
}

VoidResult applyColumnKwarg(ColumnDef &col, bool &nullableSet, const QString &key, const PyValue &v)
{
    if (key == QLatin1String("nullable")) {
        col.nullable = v.truthy();
        nullableSet = true;
    } else if (key == QLatin1String("primary_key")) {
        col.primaryKey = v.truthy();
    } else if (key == QLatin1String("unique")) {
        col.unique = v.truthy();
    } else if (key == QLatin1String("index")) {
        col.index = v.truthy();
    } else if (key == QLatin1String("server_default")) {
        if (!v.isNone())
            col.serverDefault = v;
    } else if (key == QLatin1String("autoincrement")) {
        col.autoincrement = v;
    } else if (key == QLatin1String("comment")) {
        if (!v.isNone())
            col.comment = v.toStr();
    } else if (key == QLatin1String("type_")) {
        col.type = v;
    } else if (key == QLatin1String("name")) {
        col.name = v.toStr();
    } else if (key == QLatin1String("default")) {
        col.clientDefault = !v.isNone() && !v.calleeName().endsWith(QLatin1String("Sequence"));
    } else if (key != QLatin1String("onupdate")
               && key != QLatin1String("key") && key != QLatin1String("quote")
               && key != QLatin1String("info") && key != QLatin1String("doc")) {
        // Client-side default/onupdate never reach DDL; anything else might.
        return Error(QStringLiteral("unsupported Column argument %1=").arg(key));
    }
    return {};
}

} // namespace

QStringList SchemaBuilder::splitColumnSpec(const QString &spec)
{
    QStringList parts = spec.split(QLatin1Char('.'));
    while (parts.size() < 3)
        parts.prepend(QString());
    if (parts.size() > 3)
        parts = QStringList{parts.mid(0, parts.size() - 2).join(QLatin1Char('.')),
                            parts.at(parts.size() - 2), parts.last()};
    return parts;
}

bool SchemaBuilder::isConstraint(const PyValue &value)
{
    const QString c = shortCallee(value);
    return c == QLatin1String("PrimaryKeyConstraint") || c == QLatin1String("ForeignKeyConstraint")
        || c == QLatin1String("UniqueConstraint") || c == QLatin1String("CheckConstraint");
}

Result<ColumnDef> SchemaBuilder::column(const PyValue &value, QVector<ConstraintDef> *fks)
{
    if (shortCallee(value) != QLatin1String("Column"))
        return bad(QStringLiteral("column"), value);
    ColumnDef col;
    bool nullableSet = false;
    QVector<PyValue> foreignKeys;
    for (const PyValue &a : value.args()) {
        if (a.isStr() && col.name.isEmpty())
            col.name = a.toStr();
        else if (shortCallee(a) == QLatin1String("ForeignKey"))
            foreignKeys.append(a);
        else if (auto item = columnItem(col, a); !item)
            return item.error();
        else if (*item)
            continue;
        else if (isType(a))
            col.type = a;
        else
            return bad(QStringLiteral("Column argument"), a);
    }
    for (const auto &kv : value.kwargs()) {
        auto r = applyColumnKwarg(col, nullableSet, kv.first, kv.second);
        if (!r)
            return r.error();
    }
    if (col.type.isNone())
        return Error(QStringLiteral("column '%1' has no type").arg(col.name));
    col.nullableExplicit = nullableSet;
    if (col.primaryKey && !nullableSet)
        col.nullable = false;
    // Identity._set_parent: an identity column is NOT NULL unless nullable= was given.
    if (col.identity && !nullableSet)
        col.nullable = false;
    if (col.computed && col.serverDefault)
        return Error(QStringLiteral("column '%1' has both server_default and Computed").arg(col.name));
    for (const PyValue &fk : foreignKeys) {
        auto c = columnForeignKey(fk, col.name);
        if (!c)
            return c.error();
        col.hasForeignKey = true;
        if (fks)
            fks->append(*c);
    }
    return col;
}

VoidResult SchemaBuilder::applyForeignKeyOptions(ConstraintDef &fk,
                                                 const QVector<QPair<QString, PyValue>> &kwargs)
{
    for (const auto &kv : kwargs) {
        const QString &k = kv.first;
        if (kv.second.isNone())
            continue;
        if (k == QLatin1String("ondelete"))
            fk.onDelete = kv.second.toStr();
        else if (k == QLatin1String("onupdate"))
            fk.onUpdate = kv.second.toStr();
        else if (k == QLatin1String("deferrable") || k == QLatin1String("initially")) {
            if (auto r = ColumnClauses::applyDeferrability(fk, k, kv.second); !r)
                return r.error();
        } else if (k == QLatin1String("match"))
            fk.match = kv.second.toStr();
        else if (k != QLatin1String("use_alter") && k != QLatin1String("link_to_name"))
            return Error(QStringLiteral("unsupported foreign key argument %1=").arg(k));
    }
    return {};
}

Result<ConstraintDef> SchemaBuilder::constraint(const PyValue &value)
{
    const QString kind = shortCallee(value);
    ConstraintDef c;
    QVector<QPair<QString, PyValue>> rest;
    for (const auto &kv : value.kwargs()) {
        if (kv.first == QLatin1String("name")) {
            if (!SqlExpression::name(kv.second, &c.name))
                return bad(QStringLiteral("constraint name"), kv.second);
        } else if (kind != QLatin1String("ForeignKeyConstraint")) {
            auto d = ColumnClauses::applyDeferrability(c, kv.first, kv.second);
            if (!d)
                return d.error();
            // Anything else (sqlite_on_conflict, postgresql_not_valid, mysql_using ...)
            // would change the SQL: not rendered, so not accepted.
            if (!*d && kv.first != QLatin1String("info") && kv.first != QLatin1String("_create_rule"))
                return Error(QStringLiteral("unsupported %1 argument %2=").arg(kind, kv.first));
        } else {
            rest.append(kv);
        }
    }
    const QVector<PyValue> args = value.args();
    if (kind == QLatin1String("CheckConstraint")) {
        c.kind = ConstraintDef::Check;
        if (args.isEmpty())
            return bad(QStringLiteral("CheckConstraint"), value);
        auto text = SqlExpression::sqlText(args.first(), Dialect());
        if (!text)
            return text.error();
        c.sqlText = *text;
        return c;
    }
    if (kind == QLatin1String("ForeignKeyConstraint")) {
        c.kind = ConstraintDef::ForeignKey;
        if (args.size() < 2)
            return bad(QStringLiteral("ForeignKeyConstraint"), value);
        auto local = columnNames(args.at(0));
        auto remote = columnNames(args.at(1));
        if (!local || !remote)
            return bad(QStringLiteral("ForeignKeyConstraint"), value);
        c.columns = *local;
        for (const QString &spec : *remote) {
            const QStringList parts = splitColumnSpec(spec);
            c.refSchema = parts.at(0);
            c.refTable = parts.at(1);
            c.refColumns << parts.at(2);
        }
        auto applied = applyForeignKeyOptions(c, rest);
        if (!applied)
            return applied.error();
        return c;
    }
    c.kind = kind == QLatin1String("PrimaryKeyConstraint") ? ConstraintDef::PrimaryKey
                                                           : ConstraintDef::Unique;
    for (const PyValue &a : args) {
        if (!a.isStr())
            return bad(kind + QStringLiteral(" column"), a);
        c.columns << a.toStr();
    }
    return c;
}

VoidResult SchemaBuilder::addIndexExpression(IndexDef &index, const PyValue &expr)
{
    const QString callee = expr.calleeName();
    QString name;
    PyValue element;
    bool raw = false;
    if (expr.isStr()) {
        name = expr.toStr();
    } else if (callee == QLatin1String("sa.column") && expr.args().size() == 1 && expr.args().first().isStr()
               && expr.kwargs().isEmpty()) {
        name = expr.args().first().toStr();   // a ColumnClause: quoted like a column name
    } else if (SqlExpression::isText(expr) && expr.args().size() == 1 && expr.args().first().isStr()
               && expr.kwargs().isEmpty()) {
        name = expr.args().first().toStr();
        raw = true;
        if (callee == QLatin1String("sa.literal_column"))
            element = expr;   // a ColumnClause: postgresql_ops finds it by its text
    } else if (expr.kind() == PyValue::Call) {
        // sa.func.lower(sa.column('x')), sa.desc(...), e.asc(): rendered per dialect;
        // one that does not render here is refused now, not at render time.
        auto probe = SqlExpression::sqlText(expr, Dialect());
        if (!probe)
            return bad(QStringLiteral("index expression"), expr);
        name = *probe;
        element = expr;
        raw = true;
    } else {
        return bad(QStringLiteral("index expression"), expr);
    }
    index.expressions << name;
    index.isRawSql << raw;
    while (index.elements.size() < index.expressions.size() - 1)
        index.elements << PyValue();
    index.elements << element;
    return {};
}

Result<IndexDef> SchemaBuilder::index(const PyValue &value)
{
    IndexDef ix;
    const QVector<PyValue> args = value.args();
    if (args.isEmpty() || !SqlExpression::name(args.first(), &ix.name))
        return bad(QStringLiteral("Index"), value);
    for (int i = 1; i < args.size(); ++i) {
        auto r = addIndexExpression(ix, args.at(i));
        if (!r)
            return r.error();
    }
    for (const auto &kv : value.kwargs()) {
        if (kv.first == QLatin1String("unique"))
            ix.unique = kv.second.truthy();
        else
            ix.kwargs.append(kv);
    }
    return ix;
}

namespace {

// Constraints SQLAlchemy derives from each column as it is attached to the Table:
// unique=True (unless index=True), the type's CHECK, then column ForeignKeys.
void appendColumnConstraints(TableDef &t, const ColumnDef &col, const QVector<ConstraintDef> &fks)
{
    if (col.unique && !col.index) {
        ConstraintDef u;
        u.kind = ConstraintDef::Unique;
        u.columns = {col.name};
        u.fromColumn = true;
        t.constraints.append(u);
    }
    if (TypeRenderer::isBoolean(col.type) || TypeRenderer::enumInfo(col.type)) {
        ConstraintDef check;
        check.kind = ConstraintDef::Check;
        check.typeCheckColumn = col.name;
        check.fromColumn = true;
        t.constraints.append(check);
    }
    for (const ConstraintDef &fk : fks)
        t.constraints.append(fk);
    if (col.index) {
        IndexDef ix;
        ix.name = NamingConvention::indexName(t.schema, t.name, col.name);
        ix.conventionName = true;
        ix.table = t.name;
        ix.schema = t.schema;
        ix.expressions = {col.name};
        ix.isRawSql = {false};
        ix.unique = col.unique;
        t.indexes.append(ix);
    }
}

VoidResult applyPrimaryKey(TableDef &t, const ConstraintDef *explicitPk)
{
    ConstraintDef pk;
    pk.kind = ConstraintDef::PrimaryKey;
    if (explicitPk) {
        pk = *explicitPk;
    } else {
        for (const ColumnDef &c : t.columns)
            if (c.primaryKey)
                pk.columns << c.name;
    }
    if (pk.columns.isEmpty())
        return {};
    for (ColumnDef &c : t.columns) {
        if (pk.columns.contains(c.name)) {
            c.primaryKey = true;
            if (!c.nullableExplicit)   // SQLAlchemy 1.4 keeps an explicit nullable=True
                c.nullable = false;
        }
    }
    t.constraints.prepend(pk);
    return {};
}

} // namespace

Result<TableDef> SchemaBuilder::table(const QString &name, const QVector<PyValue> &items,
                                      const QVector<QPair<QString, PyValue>> &kwargs)
{
    TableDef t;
    t.name = name;
    for (const auto &kv : kwargs) {
        if (kv.first == QLatin1String("schema"))
            t.schema = kv.second.isNone() ? QString() : kv.second.toStr();
        else if (kv.first == QLatin1String("comment"))
            t.comment = kv.second.isNone() ? std::optional<QString>() : kv.second.toStr();
        else
            t.kwargs.append(kv);
    }
    QVector<QPair<ColumnDef, QVector<ConstraintDef>>> columns;
    std::optional<ConstraintDef> explicitPk;
    QVector<IndexDef> explicitIndexes;
    for (const PyValue &item : items) {
        const QString callee = shortCallee(item);
        if (callee == QLatin1String("Column")) {
            QVector<ConstraintDef> fks;
            auto col = column(item, &fks);
            if (!col)
                return col.error();
            columns.append({*col, fks});
            // A name given twice: SQLAlchemy replaces the column in its place (with a
            // deprecation warning Python hides by default).
            auto same = std::find_if(t.columns.begin(), t.columns.end(),
                                     [&](const ColumnDef &c) { return c.name == col->name; });
            if (same != t.columns.end())
                *same = *col;
            else
                t.columns.append(*col);
        } else if (isConstraint(item)) {
            auto c = constraint(item);
            if (!c)
                return c.error();
            if (c->kind == ConstraintDef::PrimaryKey)
                explicitPk = *c;
            else
                t.constraints.append(*c);
        } else if (callee == QLatin1String("Index")) {
            auto ix = index(item);
            if (!ix)
                return ix.error();
            ix->table = name;
            explicitIndexes.append(*ix);
        } else if (callee == QLatin1String("MetaData")) {
            continue;   // Table() gives a MetaData among its items nothing to do (neutron passes one)
        } else {
            return bad(QStringLiteral("create_table argument"), item);
        }
    }
    for (const auto &c : columns)
        appendColumnConstraints(t, c.first, c.second);
    // A table-level ForeignKeyConstraint gives its columns foreign keys too: such a
    // primary-key column is not autoincrement.
    for (const ConstraintDef &c : t.constraints)
        if (c.kind == ConstraintDef::ForeignKey)
            for (ColumnDef &col : t.columns)
                if (c.columns.contains(col.name))
                    col.hasForeignKey = true;
    for (IndexDef ix : explicitIndexes) {
        ix.schema = t.schema;
        if (ix.name.isEmpty()) {
            // The convention's column_0 is the index's first column; text() is none.
            QString first;
            for (int i = 0; i < ix.expressions.size() && first.isEmpty(); ++i)
                if (!ix.isRawSql.value(i))
                    first = ix.expressions.at(i);
            ix.name = NamingConvention::indexName(t.schema, t.name, first);
            ix.conventionName = true;
        }
        t.indexes.append(ix);
    }
    auto pk = applyPrimaryKey(t, explicitPk ? &*explicitPk : nullptr);
    if (!pk)
        return pk.error();
    return t;
}

} // namespace retort
