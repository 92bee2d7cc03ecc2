#include "batchrenderer.h"

#include "batchtablecopy.h"
#include "oparguments.h"
#include "schemabuilder.h"
#include "sqlexpression.h"

#include <algorithm>

namespace retort {

namespace {

// Where the table name goes in the op.<name>() signature of each batch op.
int tableArgPosition(const QString &name)
{
    static const QHash<QString, int> pos = {
        {QStringLiteral("add_column"), 0}, {QStringLiteral("drop_column"), 0},
        {QStringLiteral("alter_column"), 0}, {QStringLiteral("create_index"), 1},
        {QStringLiteral("create_primary_key"), 1}, {QStringLiteral("create_foreign_key"), 1},
        {QStringLiteral("create_unique_constraint"), 1}, {QStringLiteral("create_check_constraint"), 1},
        {QStringLiteral("drop_constraint"), 1}, {QStringLiteral("create_table_comment"), 0},
        {QStringLiteral("drop_table_comment"), 0}, {QStringLiteral("drop_index"), -1},
        {QStringLiteral("execute"), -2}};
    return pos.value(name, -3);
}

bool isSqlExpressionDefault(const MigrationOp &addColumn)
{
    if (addColumn.args.isEmpty())
        return false;
    const PyValue *def = addColumn.args.first().kwarg(QStringLiteral("server_default"));
    return def && !def->isNone() && !def->isStr();
}

// A stored computed column cannot be added by ALTER on SQLite.
bool isPersistedComputed(const MigrationOp &addColumn)
{
    if (addColumn.args.isEmpty())
        return false;
    for (const PyValue &a : addColumn.args.first().args()) {
        if (!a.calleeName().endsWith(QLatin1String("Computed")))
            continue;
        const PyValue *persisted = a.kwarg(QStringLiteral("persisted"));
        if (persisted ? persisted->truthy() : a.args().size() > 1 && a.args().at(1).truthy())
            return true;
    }
    return false;
}

bool hasForeignKeyOrUnique(const MigrationOp &addColumn)
{
    if (addColumn.args.isEmpty())
        return false;
    const PyValue &col = addColumn.args.first();
    for (const PyValue &a : col.args())
        if (a.calleeName().endsWith(QLatin1String("ForeignKey")))
            return true;
    const PyValue *unique = col.kwarg(QStringLiteral("unique"));
    return unique && unique->truthy();
}

Result<QStringList> renderPlain(const QVector<MigrationOp> &ops, const QString &table, const QString &schema,
                                const Dialect &d, const RenderOptions &o)
{
    QStringList out;
    for (const MigrationOp &b : ops) {
        auto plain = BatchRenderer::toPlainOp(b, table, schema);
        if (!plain)
            return Error(plain.error().message, QString(), b.line);
        auto r = DdlRenderer::render(*plain, d, o);
        if (!r)
            return r;
        out << *r;
    }
    return out;
}

} // namespace

Result<MigrationOp> BatchRenderer::toPlainOp(const MigrationOp &b, const QString &table, const QString &schema)
{
    const int pos = tableArgPosition(b.name);
    if (pos == -3)
        return Error(QStringLiteral("batch_op.%1() is not supported").arg(b.name));
    MigrationOp op = b;
    if (pos == -2)
        return op;
    if (pos == -1) {
        op.kwargs.append({QStringLiteral("table_name"), PyValue::string(table)});
    } else {
        if (op.args.size() < pos)
            return Error(QStringLiteral("batch_op.%1(): missing arguments").arg(b.name));
        op.args.insert(pos, PyValue::string(table));
    }
    if (!schema.isEmpty()) {
        const QString key = b.name == QLatin1String("create_foreign_key") ? QStringLiteral("source_schema")
                                                                           : QStringLiteral("schema");
        op.kwargs.append({key, PyValue::string(schema)});
    }
    return op;
}

bool BatchRenderer::needsRecreate(const QVector<MigrationOp> &ops, const Dialect &dialect)
{
    if (dialect.kind() != Dialect::SQLite)
        return false;
    for (const MigrationOp &b : ops) {
        if (b.name == QLatin1String("add_column")) {
            if (isSqlExpressionDefault(b) || isPersistedComputed(b) || hasForeignKeyOrUnique(b))
                return true;
        } else if (b.name != QLatin1String("create_index") && b.name != QLatin1String("drop_index")) {
            return true;
        }
    }
    return false;
}

Result<QStringList> BatchRenderer::render(const MigrationOp &op, const Dialect &d, const RenderOptions &o)
{
    auto a = OpArguments::bind(op, {QStringLiteral("table_name"), QStringLiteral("schema"), QStringLiteral("recreate"),
                                    QStringLiteral("partial_reordering"), QStringLiteral("copy_from"),
                                    QStringLiteral("table_args"), QStringLiteral("table_kwargs"),
                                    QStringLiteral("reflect_args"), QStringLiteral("reflect_kwargs"),
                                    QStringLiteral("naming_convention")});
    if (!a)
        return a.error();
    const QString table = a->str(QStringLiteral("table_name"));
    const QString schema = a->str(QStringLiteral("schema"));
    const QString recreate = a->has(QStringLiteral("recreate")) ? a->str(QStringLiteral("recreate"))
                                                                : QStringLiteral("auto");
    if (recreate != QLatin1String("auto") && recreate != QLatin1String("always") && recreate != QLatin1String("never"))
        return Error(QStringLiteral("recreate may be one of 'auto', 'always', or 'never'."));
    for (const char *unsupported : {"partial_reordering", "table_args", "reflect_args",
                                    "reflect_kwargs", "naming_convention"}) {
        const PyValue *v = a->get(QLatin1String(unsupported));
        if (v && v->truthy())
            return Error(QStringLiteral("argument %1 is not supported").arg(QLatin1String(unsupported)));
    }
    // table_kwargs only reach the table a recreate builds (sqlite_autoincrement, mysql_*).
    QVector<QPair<QString, PyValue>> tableKwargs;
    if (const PyValue *kw = a->get(QStringLiteral("table_kwargs"))) {
        if (kw->kind() != PyValue::Dict)
            return Error(QStringLiteral("argument table_kwargs must be a dict"));
        for (const auto &kv : kw->dictItems()) {
            if (!kv.first.isStr())
                return Error(QStringLiteral("argument table_kwargs must have string keys"));
            tableKwargs.append({kv.first.toStr(), kv.second});
        }
    }
    auto recreateAt = [&](int opCount) {
        return recreate == QLatin1String("always")
            || (recreate == QLatin1String("auto") && needsRecreate(op.batchOps.mid(0, opCount), d));
    };
    // Alembic decides at each add_column whether the batch will ALTER (then a column
    // position cannot be given), from the ops queued before it.
    for (int i = 0; i < op.batchOps.size(); ++i) {
        const MigrationOp &b = op.batchOps.at(i);
        if (b.name == QLatin1String("add_column") && !recreateAt(i)) {
            for (const char *k : {"insert_before", "insert_after"}) {
                const PyValue *v = b.kwarg(QLatin1String(k));
                if (v && v->truthy())
                    return Error(QStringLiteral("Can't specify insert_before or insert_after when using ALTER; "
                                                "please specify recreate='always'"), QString(), b.line);
            }
        }
    }
    const bool recreateTable = recreateAt(int(op.batchOps.size()));
    if (!recreateTable) {
        // insert_before=None / insert_after=None are not passed on by Alembic.
        QVector<MigrationOp> ops = op.batchOps;
        for (MigrationOp &b : ops)
            if (b.name == QLatin1String("add_column"))
                b.kwargs.erase(std::remove_if(b.kwargs.begin(), b.kwargs.end(), [](const auto &kv) {
                                   return kv.first == QLatin1String("insert_before")
                                       || kv.first == QLatin1String("insert_after");
                               }), b.kwargs.end());
        return renderPlain(ops, table, schema, d, o);
    }

    Result<TableDef> existing = Error(QString());
    if (const PyValue *copyFrom = a->get(QStringLiteral("copy_from")); copyFrom && !copyFrom->isNone()) {
        QVector<PyValue> items;
        for (const PyValue &item : copyFrom->args().mid(1))
            if (item.calleeName() != QLatin1String("sa.MetaData"))
                items.append(item);
        existing = SchemaBuilder::table(table, items, copyFrom->kwargs());
    } else if (o.tableProvider) {
        existing = o.tableProvider(schema, table);
        // Alembic's ApplyBatchImpl skips unnamed reflected CHECK constraints (it cannot
        // tell a type's CHECK from another): the copy loses them too.
        if (existing)
            existing->constraints.erase(std::remove_if(existing->constraints.begin(), existing->constraints.end(),
                                                       [](const ConstraintDef &c) {
                                                           return c.kind == ConstraintDef::Check && c.name.isEmpty()
                                                               && c.typeCheckColumn.isEmpty();
                                                       }),
                                        existing->constraints.end());
    } else {
        return Error(QStringLiteral("This operation cannot proceed in --sql mode; batch mode with dialect %1 "
                                    "requires a live database connection with which to reflect the table \"%2\". "
                                    "To generate a batch SQL migration script using table \"move and copy\", a "
                                    "complete Table object should be passed to the \"copy_from\" argument of the "
                                    "batch_alter_table() method so that table reflection can be skipped.")
                         .arg(d.name(), table));
    }
    if (!existing)
        return existing.error();
    BatchTableCopy copy(*existing, d);
    copy.setTableKwargs(tableKwargs);
    for (const MigrationOp &b : op.batchOps) {
        auto r = copy.apply(b);
        if (!r)
            return Error(QStringLiteral("batch_op.%1(): %2").arg(b.name, r.error().message), QString(), b.line);
    }
    return copy.statements();
}

} // namespace retort
