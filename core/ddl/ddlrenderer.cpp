#include "ddlrenderer.h"

#include "alterrenderer.h"
#include "batchrenderer.h"
#include "columnrenderer.h"
#include "dataoprenderer.h"
#include "namingconvention.h"
#include "oparguments.h"
#include "schemabuilder.h"
#include "sqlexpression.h"
#include "tablerenderer.h"

#include <algorithm>

namespace retort {

namespace {

using Renderer = Result<QStringList> (*)(const MigrationOp &, const Dialect &, const RenderOptions &);

Result<OpArguments> bind(const MigrationOp &op, const QStringList &params, bool dialectKw = false)
{
    return OpArguments::bind(op, params, dialectKw);
}

Result<QString> nameArg(const OpArguments &a, const QString &key)
{
    const PyValue *v = a.get(key);
    QString out;
    if (!v || !SqlExpression::name(*v, &out))
        return Error(QStringLiteral("argument %1 must be a name").arg(key));
    return out;
}

bool isNoneArg(const OpArguments &a, const QString &key)
{
    const PyValue *v = a.get(key);
    return !v || v->isNone();
}

QString alterPrefix(const OpArguments &a, const QString &tableKey, const Dialect &d,
                    const QString &schemaKey = QStringLiteral("schema"))
{
    return QStringLiteral("ALTER TABLE ") + d.qualifiedName(a.str(schemaKey), a.str(tableKey));
}

// Dialect keywords for the target dialect that the renderers know; other dialects'
// keywords are ignored, as SQLAlchemy does. Anything else would change the SQL silently.
VoidResult checkDialectKwargs(const QVector<QPair<QString, PyValue>> &kwargs, const Dialect &d,
                              const QStringList &known, const QStringList &ignoredPlain = {})
{
    const QStringList prefixes = d.isMySqlFamily() ? QStringList{QStringLiteral("mysql_"), QStringLiteral("mariadb_")}
                                                   : QStringList{d.name() + QLatin1Char('_')};
    for (const auto &kv : kwargs) {
        const QString &k = kv.first;
        const bool ours = std::any_of(prefixes.begin(), prefixes.end(),
                                      [&](const QString &p) { return k.startsWith(p); });
        static const QStringList others = {QStringLiteral("postgresql_"), QStringLiteral("mysql_"),
                                           QStringLiteral("mariadb_"), QStringLiteral("sqlite_"),
                                           QStringLiteral("mssql_"), QStringLiteral("oracle_")};
        const bool dialectKw = std::any_of(others.begin(), others.end(),
                                           [&](const QString &p) { return k.startsWith(p); });
        if ((ours && !known.contains(k) && !known.contains(QStringLiteral("*")))
            || (!dialectKw && !ignoredPlain.contains(k)))
            return Error(QStringLiteral("unsupported argument %1=").arg(k));
    }
    return {};
}

// The index keywords TableRenderer::createIndex renders.
const QStringList &indexKwargs()
{
    static const QStringList k = {
        QStringLiteral("postgresql_where"), QStringLiteral("postgresql_using"),
        QStringLiteral("postgresql_concurrently"), QStringLiteral("postgresql_ops"),
        QStringLiteral("postgresql_include"), QStringLiteral("postgresql_with"),
        QStringLiteral("postgresql_tablespace"), QStringLiteral("sqlite_where"), QStringLiteral("mysql_length"),
        QStringLiteral("mysql_prefix"), QStringLiteral("mysql_using")};
    return k;
}

Result<QStringList> createTable(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = bind(op, {QStringLiteral("table_name"), QStringLiteral("*columns")}, true);
    if (!a)
        return a.error();
    QVector<QPair<QString, PyValue>> dialectKw;
    for (const auto &kv : a->extra())
        if (kv.first != QLatin1String("schema") && kv.first != QLatin1String("comment"))
            dialectKw.append(kv);
    // MySQL's table options are rendered generically; PostgreSQL/SQLite ones are not.
    auto checked = checkDialectKwargs(dialectKw, d, d.isMySqlFamily() ? QStringList{QStringLiteral("*")}
                                                    : QStringList{QStringLiteral("sqlite_autoincrement")},
                                      {QStringLiteral("info"), QStringLiteral("quote"), QStringLiteral("quote_schema")});
    if (!checked)
        return checked.error();
    auto t = SchemaBuilder::table(a->str(QStringLiteral("table_name")), a->rest(), a->extra());
    if (!t)
        return t.error();
    return TableRenderer::createTable(*t, d);
}

Result<QStringList> dropTable(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = bind(op, {QStringLiteral("table_name"), QStringLiteral("schema")}, true);
    if (!a)
        return a.error();
    return QStringList{QStringLiteral("DROP TABLE ")
                       + d.qualifiedName(a->str(QStringLiteral("schema")), a->str(QStringLiteral("table_name")))};
}

Result<QStringList> renameTable(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = bind(op, {QStringLiteral("old_table_name"), QStringLiteral("new_table_name"), QStringLiteral("schema")});
    if (!a)
        return a.error();
    const QString schema = a->str(QStringLiteral("schema"));
    // MySQL qualifies the new name too; the others take the bare name.
    const QString target = d.isMySqlFamily() ? d.qualifiedName(schema, a->str(QStringLiteral("new_table_name")))
                                             : d.quoteIdentifier(a->str(QStringLiteral("new_table_name")));
    return QStringList{alterPrefix(*a, QStringLiteral("old_table_name"), d) + QStringLiteral(" RENAME TO ") + target};
}

Result<QStringList> addColumn(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = bind(op, {QStringLiteral("table_name"), QStringLiteral("column"), QStringLiteral("schema")});
    if (!a || !a->get(QStringLiteral("column")))
        return a ? Error(QStringLiteral("missing column")) : a.error();
    TableDef t;
    t.name = a->str(QStringLiteral("table_name"));
    t.schema = a->str(QStringLiteral("schema"));
    auto built = SchemaBuilder::table(t.name, {*a->get(QStringLiteral("column"))},
                                      {{QStringLiteral("schema"), PyValue::string(t.schema)}});
    if (!built)
        return built.error();
    const ColumnDef &col = built->columns.first();
    auto spec = ColumnRenderer::columnSpec(col, d, false);
    if (!spec)
        return spec.error();
    QStringList out{alterPrefix(*a, QStringLiteral("table_name"), d) + QStringLiteral(" ADD COLUMN ") + *spec};
    for (const ConstraintDef &c : built->constraints) {
        if (c.kind == ConstraintDef::PrimaryKey)
            continue;
        auto sql = ColumnRenderer::constraint(c, *built, d);
        if (!sql)
            return sql.error();
        if (!*sql)
            continue;
        if (d.kind() == Dialect::SQLite)
            return Error(QStringLiteral("No support for ALTER of constraints in SQLite dialect. Please refer to the "
                                        "batch mode feature which allows for SQLite migrations using a "
                                        "copy-and-move strategy."));
        out << alterPrefix(*a, QStringLiteral("table_name"), d) + QStringLiteral(" ADD ") + **sql;
    }
    for (const IndexDef &ix : built->indexes) {
        auto s = TableRenderer::createIndex(ix, d);
        if (!s)
            return s.error();
        out << *s;
    }
    if (col.comment && d.kind() == Dialect::PostgreSQL)
        out << TableRenderer::columnComment(t.schema, t.name, col.name, col.comment, d);
    return out;
}

Result<QStringList> dropColumn(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = bind(op, {QStringLiteral("table_name"), QStringLiteral("column_name"), QStringLiteral("schema")}, true);
    if (!a)
        return a.error();
    return QStringList{alterPrefix(*a, QStringLiteral("table_name"), d) + QStringLiteral(" DROP COLUMN ")
                       + d.quoteIdentifier(a->str(QStringLiteral("column_name")))};
}

Result<QStringList> alterColumn(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    if (op.args.size() < 2 || !op.args.at(0).isStr() || !op.args.at(1).isStr()) {
        const PyValue *t = op.kwarg(QStringLiteral("table_name"));
        const PyValue *c = op.kwarg(QStringLiteral("column_name"));
        if (!t || !c)
            return Error(QStringLiteral("table_name and column_name must be given"));
        return AlterRenderer::alterColumn(op.kwarg(QStringLiteral("schema")) ? op.kwarg(QStringLiteral("schema"))->toStr() : QString(),
                                          t->toStr(), c->toStr(), op, d);
    }
    const PyValue *schema = op.kwarg(QStringLiteral("schema"));
    return AlterRenderer::alterColumn(schema && schema->isStr() ? schema->toStr() : QString(),
                                      op.args.at(0).toStr(), op.args.at(1).toStr(), op, d);
}

Result<QStringList> createIndex(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = bind(op, {QStringLiteral("index_name"), QStringLiteral("table_name"), QStringLiteral("columns"),
                       QStringLiteral("schema"), QStringLiteral("unique")}, true);
    if (!a)
        return a.error();
    IndexDef ix;
    auto name = nameArg(*a, QStringLiteral("index_name"));
    if (!name)
        return name.error();
    ix.name = *name;
    ix.table = a->str(QStringLiteral("table_name"));
    ix.schema = a->str(QStringLiteral("schema"));
    ix.unique = a->flag(QStringLiteral("unique"));
    ix.kwargs = a->extra();
    ix.textKeys = true;
    auto checked = checkDialectKwargs(ix.kwargs, d, indexKwargs(),
                                      // Alembic 1.8 only warns about these and drops them.
                                      {QStringLiteral("if_not_exists"), QStringLiteral("quote"), QStringLiteral("info")});
    if (!checked)
        return checked.error();
    const PyValue *cols = a->get(QStringLiteral("columns"));
    if (!cols)
        return Error(QStringLiteral("missing columns"));
    const QVector<PyValue> items = cols->isSequence() ? cols->items() : QVector<PyValue>{*cols};
    for (const PyValue &c : items) {
        auto r = SchemaBuilder::addIndexExpression(ix, c);
        if (!r)
            return r.error();
    }
    if (isNoneArg(*a, QStringLiteral("index_name"))) {
        // Alembic makes each element a column of a stand-in table, text() ones too.
        ix.name = NamingConvention::indexName(ix.schema, ix.table, ix.expressions.value(0));
        ix.conventionName = true;
    }
    auto s = TableRenderer::createIndex(ix, d);
    if (!s)
        return s.error();
    return QStringList{*s};
}

Result<QStringList> dropIndex(const MigrationOp &op, const Dialect &d, const RenderOptions &)
{
    auto a = bind(op, {QStringLiteral("index_name"), QStringLiteral("table_name"), QStringLiteral("schema")}, true);
    if (!a)
        return a.error();
    IndexDef ix;
    auto name = nameArg(*a, QStringLiteral("index_name"));
    if (!name)
        return name.error();
    ix.name = *name;
    ix.table = a->str(QStringLiteral("table_name"));
    ix.schema = a->str(QStringLiteral("schema"));
    ix.kwargs = a->extra();
    if (isNoneArg(*a, QStringLiteral("index_name"))) {
        // Alembic's stand-in index for a drop has one column, "x".
        ix.name = NamingConvention::indexName(ix.schema, ix.table, QStringLiteral("x"));
        ix.conventionName = true;
    }
    // Alembic builds the same Index for drop_index: its options are accepted, and only
    // postgresql_concurrently shows in DROP INDEX.
    auto checked = checkDialectKwargs(ix.kwargs, d, indexKwargs(), {QStringLiteral("if_exists")});
    if (!checked)
        return checked.error();
    auto s = TableRenderer::dropIndex(ix, d);
    if (!s)
        return s.error();
    return QStringList{*s};
}

const QHash<QString, Renderer> &renderers()
{
    static const QHash<QString, Renderer> table = {
        {QStringLiteral("create_table"), createTable},
        {QStringLiteral("drop_table"), dropTable},
        {QStringLiteral("rename_table"), renameTable},
        {QStringLiteral("add_column"), addColumn},
        {QStringLiteral("drop_column"), dropColumn},
        {QStringLiteral("alter_column"), alterColumn},
        {QStringLiteral("create_index"), createIndex},
        {QStringLiteral("drop_index"), dropIndex},
        {QStringLiteral("create_primary_key"), DataOpRenderer::createPrimaryKey},
        {QStringLiteral("create_foreign_key"), DataOpRenderer::createForeignKey},
        {QStringLiteral("create_unique_constraint"), DataOpRenderer::createUniqueConstraint},
        {QStringLiteral("create_check_constraint"), DataOpRenderer::createCheckConstraint},
        {QStringLiteral("drop_constraint"), DataOpRenderer::dropConstraint},
        {QStringLiteral("create_table_comment"), DataOpRenderer::createTableComment},
        {QStringLiteral("drop_table_comment"), DataOpRenderer::dropTableComment},
        {QStringLiteral("execute"), DataOpRenderer::execute},
        {QStringLiteral("bulk_insert"), DataOpRenderer::bulkInsert},
        {QStringLiteral("batch_alter_table"), BatchRenderer::render},
    };
    return table;
}

} // namespace

void DdlRenderer::skipCreatedEnumTypes(const MigrationOp &op, QStringList *statements, QSet<QString> *created)
{
    if (op.name != QLatin1String("create_table"))
        return;
    QStringList kept;
    for (const QString &s : *statements) {
        const int as = int(s.indexOf(QLatin1String(" AS ENUM (")));
        if (s.startsWith(QLatin1String("CREATE TYPE ")) && as > 0) {
            const QString name = s.mid(12, as - 12);
            if (created->contains(name))
                continue;
            created->insert(name);
        }
        kept << s;
    }
    *statements = kept;
}

bool DdlRenderer::isSupported(const QString &name)
{
    return renderers().contains(name);
}

Result<QStringList> DdlRenderer::render(const MigrationOp &op, const Dialect &dialect,
                                        const RenderOptions &options)
{
    const auto fn = renderers().value(op.name);
    if (!fn)
        return Error(QStringLiteral("op.%1() is not supported").arg(op.name), QString(), op.line);
    auto r = fn(op, dialect, options);
    if (!r) {
        Error e = r.error();
        if (!e.message.startsWith(QLatin1String("op.")) && !e.message.startsWith(QLatin1String("This operation")))
            e.message = QStringLiteral("op.%1(): %2").arg(op.name, e.message);
        if (e.line == 0)
            e.line = op.line;
        return e;
    }
    return r;
}

Result<QStringList> DdlRenderer::renderAll(const QVector<MigrationOp> &ops, const Dialect &dialect,
                                           const RenderOptions &options)
{
    QStringList out;
    for (const MigrationOp &op : ops) {
        auto r = render(op, dialect, options);
        if (!r)
            return r;
        out << *r;
    }
    return out;
}

} // namespace retort
