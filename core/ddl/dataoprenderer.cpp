#include "dataoprenderer.h"

#include "columnclauses.h"
#include "columnrenderer.h"
#include "dmlrenderer.h"
#include "oparguments.h"
#include "schemabuilder.h"
#include "sqlexpression.h"
#include "tablerenderer.h"
#include "typerenderer.h"

#include <QRegularExpression>

namespace retort {

namespace {

Result<QString> constraintName(const OpArguments &a)
{
    QString out;
    const PyValue *v = a.get(QStringLiteral("constraint_name"));
    if (v && !SqlExpression::name(*v, &out))
        return Error(QStringLiteral("argument constraint_name must be a name"));
    return out;
}

Result<QStringList> addConstraint(const OpArguments &a, const QString &tableKey, const QString &schemaKey,
                                  ConstraintDef c, const Dialect &d)
{
    if (d.kind() == Dialect::SQLite)
        return DataOpRenderer::sqliteConstraintError();
    auto name = constraintName(a);
    if (!name)
        return name.error();
    c.name = *name;
    auto sql = ColumnRenderer::constraint(c, TableDef(), d);
    if (!sql)
        return sql.error();
    return QStringList{QStringLiteral("ALTER TABLE %1 ADD %2")
                           .arg(d.qualifiedName(a.str(schemaKey), a.str(tableKey)), sql->value_or(QString()))};
}

Result<QStringList> columnsArg(const OpArguments &a, const QString &key)
{
    const PyValue *v = a.get(key);
    bool ok = false;
    auto list = v ? v->toStringTuple(&ok) : std::nullopt;
    if (!list)
        return Error(QStringLiteral("argument %1 must be a list of column names").arg(key));
    return *list;
}

// op.drop_constraint(None, ...): SQLAlchemy cannot name what it drops, and Alembic fails
// with these words (object addresses left out of the reprs).
Error unnamedDropError(const QString &type, const QString &schema, const QString &table, const Dialect &d)
{
    if (d.isMySqlFamily()) {
        if (type.isEmpty())
            return Error(QStringLiteral("No generic 'DROP CONSTRAINT' in MySQL - please specify constraint type"));
        return Error(QStringLiteral("the constraint has no name; Alembic fails with TypeError: "
                                    "object of type 'NoneType' has no len()"));
    }
    const QString tableRepr = QStringLiteral("table=Table('%1', MetaData(), schema=%2)")
                                  .arg(table, schema.isEmpty() ? QStringLiteral("None") : QLatin1Char('\'') + schema + QLatin1Char('\''));
    const QString rule = QStringLiteral("_create_rule=<sqlalchemy.util.langhelpers.portable_instancemethod>");
    QString repr;
    if (type == QLatin1String("foreignkey"))
        repr = QStringLiteral("ForeignKeyConstraint(<sqlalchemy.sql.base.DedupeColumnCollection>, None, %1)").arg(tableRepr);
    else if (type == QLatin1String("unique"))
        repr = QStringLiteral("UniqueConstraint()");
    else if (type == QLatin1String("primary"))
        repr = QStringLiteral("PrimaryKeyConstraint()");
    else if (type == QLatin1String("check"))
        repr = QStringLiteral("CheckConstraint(<sqlalchemy.sql.elements.TextClause>, %1, %2)").arg(tableRepr, rule);
    else
        repr = QStringLiteral("Constraint(%1)").arg(rule);
    return Error(QStringLiteral("the constraint has no name; Alembic fails with CompileError: Can't emit DROP "
                                "CONSTRAINT for constraint %1; it has no name").arg(repr));
}

// The constraint's **kw: deferrable=/initially= are rendered; anything else is refused.
VoidResult applyConstraintKw(ConstraintDef &c, const OpArguments &a)
{
    for (const auto &kv : a.extra()) {
        auto r = ColumnClauses::applyDeferrability(c, kv.first, kv.second);
        if (!r)
            return r.error();
        if (!*r && kv.first != QLatin1String("info"))
            return Error(QStringLiteral("unsupported argument %1=").arg(kv.first));
    }
    return {};
}

const QStringList constraintParams = {QStringLiteral("constraint_name"), QStringLiteral("table_name"),
                                      QStringLiteral("columns"), QStringLiteral("schema")};

} // namespace

Error DataOpRenderer::sqliteConstraintError()
{
    return Error(QStringLiteral("No support for ALTER of constraints in SQLite dialect. Please refer to the "
                                "batch mode feature which allows for SQLite migrations using a "
                                "copy-and-move strategy."));
}

QString DataOpRenderer::compileText(const QString &text)
{
    static const QRegularExpression bind(QStringLiteral("(?<![:\\w\\\\]):(\\w+)(?!:)"));
    QString out = text;
    out.replace(bind, QStringLiteral("NULL"));
    out.replace(QStringLiteral("\\:"), QStringLiteral(":"));
    return out;
}

Result<QStringList> DataOpRenderer::createPrimaryKey(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = OpArguments::bind(op, constraintParams);
    if (!a)
        return a.error();
    auto cols = columnsArg(*a, QStringLiteral("columns"));
    if (!cols)
        return cols.error();
    ConstraintDef c;
    c.kind = ConstraintDef::PrimaryKey;
    c.columns = *cols;
    return addConstraint(*a, QStringLiteral("table_name"), QStringLiteral("schema"), c, d);
}

Result<QStringList> DataOpRenderer::createUniqueConstraint(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = OpArguments::bind(op, constraintParams, true);
    if (!a)
        return a.error();
    auto cols = columnsArg(*a, QStringLiteral("columns"));
    if (!cols)
        return cols.error();
    ConstraintDef c;
    c.kind = ConstraintDef::Unique;
    c.columns = *cols;
    if (auto kw = applyConstraintKw(c, *a); !kw)
        return kw.error();
    return addConstraint(*a, QStringLiteral("table_name"), QStringLiteral("schema"), c, d);
}

Result<QStringList> DataOpRenderer::createCheckConstraint(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = OpArguments::bind(op, {QStringLiteral("constraint_name"), QStringLiteral("table_name"),
                                    QStringLiteral("condition"), QStringLiteral("schema")}, true);
    if (!a)
        return a.error();
    const PyValue *cond = a->get(QStringLiteral("condition"));
    auto text = cond ? SqlExpression::sqlText(*cond, d) : Result<QString>(Error(QStringLiteral("missing condition")));
    if (!text)
        return text.error();
    ConstraintDef c;
    c.kind = ConstraintDef::Check;
    c.sqlText = *text;
    if (auto kw = applyConstraintKw(c, *a); !kw)
        return kw.error();
    return addConstraint(*a, QStringLiteral("table_name"), QStringLiteral("schema"), c, d);
}

Result<QStringList> DataOpRenderer::createForeignKey(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = OpArguments::bind(op, {QStringLiteral("constraint_name"), QStringLiteral("source_table"),
                                    QStringLiteral("referent_table"), QStringLiteral("local_cols"),
                                    QStringLiteral("remote_cols"), QStringLiteral("onupdate"),
                                    QStringLiteral("ondelete"), QStringLiteral("deferrable"),
                                    QStringLiteral("initially"), QStringLiteral("match"),
                                    QStringLiteral("source_schema"), QStringLiteral("referent_schema")}, true);
    if (!a)
        return a.error();
    auto local = columnsArg(*a, QStringLiteral("local_cols"));
    auto remote = columnsArg(*a, QStringLiteral("remote_cols"));
    if (!local || !remote)
        return local ? remote.error() : local.error();
    ConstraintDef c;
    c.kind = ConstraintDef::ForeignKey;
    c.columns = *local;
    c.refColumns = *remote;
    c.refTable = a->str(QStringLiteral("referent_table"));
    c.refSchema = a->str(QStringLiteral("referent_schema"));
    QVector<QPair<QString, PyValue>> fkOpts;
    for (const char *k : {"onupdate", "ondelete", "deferrable", "initially", "match"})
        if (const PyValue *v = a->get(QLatin1String(k)))
            fkOpts.append({QLatin1String(k), *v});
    auto applied = SchemaBuilder::applyForeignKeyOptions(c, fkOpts);
    if (!applied)
        return applied.error();
    return addConstraint(*a, QStringLiteral("source_table"), QStringLiteral("source_schema"), c, d);
}

Result<QStringList> DataOpRenderer::dropConstraint(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = OpArguments::bind(op, {QStringLiteral("constraint_name"), QStringLiteral("table_name"),
                                    QStringLiteral("type_"), QStringLiteral("schema")});
    if (!a)
        return a.error();
    if (d.kind() == Dialect::SQLite)
        return sqliteConstraintError();
    auto name = constraintName(*a);
    if (!name)
        return name.error();
    const QString prefix = QStringLiteral("ALTER TABLE ")
        + d.qualifiedName(a->str(QStringLiteral("schema")), a->str(QStringLiteral("table_name")));
    const QString type = a->str(QStringLiteral("type_"));
    if (name->isEmpty() && !(d.isMySqlFamily() && type == QLatin1String("primary")))
        return unnamedDropError(type, a->str(QStringLiteral("schema")), a->str(QStringLiteral("table_name")), d);
    const QString n = d.quoteIdentifier(*name);
    if (!d.isMySqlFamily())
        return QStringList{prefix + QStringLiteral(" DROP CONSTRAINT ") + n};
    if (type == QLatin1String("foreignkey"))
        return QStringList{prefix + QStringLiteral(" DROP FOREIGN KEY ") + n};
    if (type == QLatin1String("primary"))
        return QStringList{prefix + QStringLiteral(" DROP PRIMARY KEY")};
    if (type == QLatin1String("unique"))
        return QStringList{prefix + QStringLiteral(" DROP INDEX ") + n};
    if (type == QLatin1String("check"))
        return QStringList{prefix + (d.kind() == Dialect::MariaDB ? QStringLiteral(" DROP CONSTRAINT ")
                                                                  : QStringLiteral(" DROP CHECK ")) + n};
    return Error(QStringLiteral("No generic 'DROP CONSTRAINT' in MySQL - please specify constraint type"));
}

Result<QStringList> DataOpRenderer::createTableComment(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = OpArguments::bind(op, {QStringLiteral("table_name"), QStringLiteral("comment"),
                                    QStringLiteral("existing_comment"), QStringLiteral("schema")});
    if (!a)
        return a.error();
    const QString schema = a->str(QStringLiteral("schema"));
    const QString table = a->str(QStringLiteral("table_name"));
    const std::optional<QString> comment = a->str(QStringLiteral("comment"));
    if (d.kind() == Dialect::SQLite)   // the base compiler's COMMENT ON, which SQLite cannot run
        return QStringList{QStringLiteral("COMMENT ON TABLE %1 IS %2")
                               .arg(d.qualifiedName(schema, table), d.stringLiteral(*comment))};
    return TableRenderer::tableComment(schema, table, comment, d);
}

Result<QStringList> DataOpRenderer::dropTableComment(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = OpArguments::bind(op, {QStringLiteral("table_name"), QStringLiteral("existing_comment"),
                                    QStringLiteral("schema")});
    if (!a)
        return a.error();
    const QString schema = a->str(QStringLiteral("schema"));
    const QString table = a->str(QStringLiteral("table_name"));
    if (d.kind() == Dialect::SQLite)
        return QStringList{QStringLiteral("COMMENT ON TABLE %1 IS NULL").arg(d.qualifiedName(schema, table))};
    return TableRenderer::tableComment(schema, table, std::nullopt, d);
}

Result<QStringList> DataOpRenderer::execute(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = OpArguments::bind(op, {QStringLiteral("sqltext"), QStringLiteral("execution_options")});
    if (!a)
        return a.error();
    const PyValue *sql = a->get(QStringLiteral("sqltext"));
    if (sql && ColumnClauses::isSequenceDdl(*sql)) {   // sa.schema.CreateSequence / DropSequence
        auto ddl = ColumnClauses::sequenceDdl(*sql, d);
        return ddl ? Result<QStringList>(QStringList{*ddl}) : Result<QStringList>(ddl.error());
    }
    if (sql && sql->calleeName() == u"postgresql.CreateEnumType" && sql->args().size() == 1) {
        // <enum>.create(op.get_bind()) (EnumCreate): the enum's own CREATE TYPE.
        const auto info = TypeRenderer::enumInfo(sql->args().first());
        if (d.kind() != Dialect::PostgreSQL || !info)
            return Error(QStringLiteral("CreateEnumType is PostgreSQL's"));
        if (info->name.isEmpty())
            return Error(QStringLiteral("PostgreSQL ENUM type requires a name."));
        QStringList values;
        for (const QString &v : info->values)
            values << d.stringLiteral(v);
        return QStringList{QStringLiteral("CREATE TYPE %1 AS ENUM (%2)")
                               .arg(d.qualifiedName(info->schema, info->name), values.join(QStringLiteral(", ")))};
    }
    if (sql && !sql->isStr() && !SqlExpression::isText(*sql)) {
        // A statement built in the script: table DML or text().bindparams().
        if (auto dml = DmlRenderer::render(*sql, d)) {
            if (!*dml)
                return dml->error();
            return QStringList{**dml};
        }
    }
    if (!sql || !(sql->isStr() || (SqlExpression::isText(*sql) && sql->args().size() == 1
                                   && sql->args().first().isStr() && sql->kwargs().isEmpty())))
        return Error(QStringLiteral("argument sqltext: only a string, sa.text(\"...\") or a table "
                                    "insert()/update()/delete() is supported"));
    return QStringList{compileText(sql->isStr() ? sql->toStr() : sql->args().first().toStr())};
}

namespace {

struct InsertTable
{
    QString schema;
    QString name;
    QVector<QPair<QString, PyValue>> columns;   // name, type (None when untyped)
};

// sa.table("t", sa.column("a", sa.Integer), ..., schema=) or sa.Table(..., sa.Column(...)).
Result<InsertTable> insertTable(const PyValue &v)
{
    const QString callee = v.calleeName();
    if (callee != QLatin1String("sa.table") && callee != QLatin1String("sa.Table"))
        return Error(QStringLiteral("argument table must be sa.table(...) or sa.Table(...)"));
    InsertTable t;
    const QVector<PyValue> args = v.args();
    if (args.isEmpty() || !args.first().isStr())
        return Error(QStringLiteral("argument table has no name"));
    t.name = args.first().toStr();
    if (const PyValue *s = v.kwarg(QStringLiteral("schema")); s && s->isStr())
        t.schema = s->toStr();
    for (int i = 1; i < args.size(); ++i) {
        const PyValue &c = args.at(i);
        const QString cc = c.calleeName();
        if (cc != QLatin1String("sa.column") && cc != QLatin1String("sa.Column"))
            continue;   // sa.Table's constraints play no part in an INSERT
        const QVector<PyValue> ca = c.args();
        if (ca.isEmpty() || !ca.first().isStr())
            return Error(QStringLiteral("unsupported column %1").arg(c.repr()));
        PyValue type = ca.size() > 1 ? ca.at(1) : PyValue();
        if (const PyValue *kt = c.kwarg(QStringLiteral("type_")))
            type = *kt;
        t.columns.append({ca.first().toStr(), type});
    }
    return t;
}

Result<QString> insertRow(const InsertTable &t, const PyValue &row, const Dialect &d)
{
    if (row.kind() != PyValue::Dict)
        return Error(QStringLiteral("List of dictionaries expected"));
    QStringList names;
    QStringList values;
    for (const auto &kv : row.dictItems()) {
        bool known = false;
        for (const auto &c : t.columns)
            known = known || (kv.first.isStr() && c.first == kv.first.toStr());
        if (!known)
            return Error(QStringLiteral("Unconsumed column names: %1").arg(kv.first.toStr()));
    }
    for (const auto &c : t.columns) {
        for (const auto &kv : row.dictItems()) {
            if (kv.first.toStr() != c.first)
                continue;
            auto lit = SqlExpression::literal(kv.second, d, &c.second);
            if (!lit)
                return lit.error();
            names << d.quoteIdentifier(c.first);
            values << *lit;
        }
    }
    return QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
        .arg(d.qualifiedName(t.schema, t.name), names.join(QStringLiteral(", ")), values.join(QStringLiteral(", ")));
}

} // namespace

Result<QStringList> DataOpRenderer::bulkInsert(const MigrationOp &op, const Dialect &d, const RenderOptions &o)
{
    auto a = OpArguments::bind(op, {QStringLiteral("table"), QStringLiteral("rows"), QStringLiteral("multiinsert")});
    if (!a)
        return a.error();
    const PyValue *tv = a->get(QStringLiteral("table"));
    const PyValue *rows = a->get(QStringLiteral("rows"));
    if (!tv || !rows)
        return Error(QStringLiteral("table and rows are required"));
    if (rows->kind() != PyValue::List)
        return Error(QStringLiteral("List expected"));
    auto t = insertTable(*tv);
    if (!t)
        return t.error();
    // In --sql mode Alembic writes one INSERT per row, values rendered inline. Online with
    // multiinsert=True it runs one executemany of the INSERT the first row's columns make:
    // a later row lacking one of them fails, its other keys are ignored.
    QStringList firstKeys;
    const bool executemany = o.online && a->flag(QStringLiteral("multiinsert"), true) && !rows->items().isEmpty()
        && rows->items().first().kind() == PyValue::Dict;
    if (executemany)
        for (const auto &kv : rows->items().first().dictItems())
            firstKeys << kv.first.toStr();
    QStringList out;
    for (int i = 0; i < rows->items().size(); ++i) {
        PyValue row = rows->items().at(i);
        if (executemany && i > 0 && row.kind() == PyValue::Dict) {
            QVector<QPair<PyValue, PyValue>> kept;
            for (const QString &k : firstKeys) {
                const PyValue *v = nullptr;
                for (const auto &kv : row.dictItems())
                    if (kv.first.isStr() && kv.first.toStr() == k)
                        v = &kv.second;
                if (!v)
                    return Error(QStringLiteral("A value is required for bind parameter '%1', in parameter group %2")
                                     .arg(k).arg(i));
                kept.append({PyValue::string(k), *v});
            }
            row = PyValue::dict(kept);
        }
        auto s = insertRow(*t, row, d);
        if (!s)
            return s.error();
        out << *s;
    }
    return out;
}

} // namespace retort
