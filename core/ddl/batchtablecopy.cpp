#include "batchtablecopy.h"

#include "batchrenderer.h"
#include "columnclauses.h"
#include "columnrenderer.h"
#include "namingconvention.h"
#include "oparguments.h"
#include "schemabuilder.h"
#include "sqlexpression.h"
#include "tablerenderer.h"
#include "typerenderer.h"

#include <QRegularExpression>
#include <QSet>

namespace retort {

namespace {

// SQLAlchemy's _type_affinity, coarsely: the generic family a type belongs to.
QString affinity(const ColumnDef &c)
{
    QString n = c.typeSql.isEmpty() ? TypeRenderer::typeName(c.type).section(QLatin1Char('.'), -1)
                                    : c.typeSql.section(QLatin1Char('('), 0, 0).trimmed();
    n = n.toUpper();
    if (n.contains(QLatin1String("INT")))
        return QStringLiteral("Integer");
    if (n.contains(QLatin1String("CHAR")) || n.contains(QLatin1String("TEXT")) || n.contains(QLatin1String("CLOB"))
        || n == QLatin1String("STRING") || n == QLatin1String("UNICODE") || n == QLatin1String("ENUM"))
        return QStringLiteral("String");
    if (n == QLatin1String("NUMERIC") || n == QLatin1String("DECIMAL") || n == QLatin1String("FLOAT")
        || n == QLatin1String("REAL") || n == QLatin1String("DOUBLE"))
        return QStringLiteral("Numeric");
    if (n == QLatin1String("DATETIME") || n == QLatin1String("TIMESTAMP"))
        return QStringLiteral("DateTime");
    if (n == QLatin1String("BOOL"))
        return QStringLiteral("BOOLEAN");
    return n;
}

bool isFalse(const PyValue &v) { return v.kind() == PyValue::Bool && !v.toBool(); }

// The sa.column('x') / sa.literal_column('x') names inside an SQL expression, in order.
void referencedColumns(const PyValue &v, QStringList *out)
{
    if (v.kind() != PyValue::Call)
        return;
    const QString c = v.calleeName();
    if ((c == QLatin1String("sa.column") || c == QLatin1String("sa.literal_column")) && !v.args().isEmpty()
        && v.args().first().isStr()) {
        *out << v.args().first().toStr();
        return;
    }
    for (const PyValue &item : v.items())
        referencedColumns(item, out);
    for (const auto &kv : v.kwargs())
        referencedColumns(kv.second, out);
}

} // namespace

BatchTableCopy::BatchTableCopy(const TableDef &existing, const Dialect &dialect)
    : m_existing(existing), m_dialect(dialect)
{
    for (ColumnDef c : existing.columns) {
        c.unique = c.index = false;
        m_columns.append(c);
        m_transfers.append({c.name, c.name, false});
        m_keys.append(c.name);
    }
    m_existingOrdering = m_keys;
    for (const ConstraintDef &c : existing.constraints) {
        if (c.kind == ConstraintDef::PrimaryKey)
            m_primaryKey = c;
        else if (!c.typeCheckColumn.isEmpty())
            continue;   // type-bound: recreated by the column's type, if at all
        else if (!c.name.isEmpty())
            m_named.append(c);
        else
            m_unnamed.append(c);
    }
    m_indexes = existing.indexes;
}

ColumnDef *BatchTableCopy::column(const QString &name)
{
    for (ColumnDef &c : m_columns)
        if (c.name == name)
            return &c;
    return nullptr;
}

QString BatchTableCopy::tempName() const
{
    return QStringLiteral("_alembic_tmp_%1").arg(m_existing.name).left(50);
}

VoidResult BatchTableCopy::apply(const MigrationOp &op)
{
    const QString &n = op.name;
    if (n == QLatin1String("add_column"))
        return addColumn(op);
    if (n == QLatin1String("drop_column"))
        return dropColumn(op);
    if (n == QLatin1String("alter_column"))
        return alterColumn(op);
    if (n == QLatin1String("create_index"))
        return createIndex(op);
    if (n == QLatin1String("drop_index"))
        return dropIndex(op);
    if (n == QLatin1String("drop_constraint"))
        return dropConstraint(op);
    if ((n.startsWith(QLatin1String("create_")) && n.endsWith(QLatin1String("_constraint")))
        || n == QLatin1String("create_primary_key") || n == QLatin1String("create_foreign_key"))
        return addConstraint(op);
    if (n == QLatin1String("create_table_comment") || n == QLatin1String("drop_table_comment"))
        return {};   // no comments on SQLite
    return Error(QStringLiteral("not supported in batch mode"));
}

VoidResult BatchTableCopy::addColumn(const MigrationOp &op)
{
    auto a = OpArguments::bind(op, {QStringLiteral("column"), QStringLiteral("insert_before"),
                                    QStringLiteral("insert_after")});
    if (!a)
        return a.error();
    const QString before = a->str(QStringLiteral("insert_before"));
    const QString after = a->str(QStringLiteral("insert_after"));
    QVector<ConstraintDef> fks;
    auto col = SchemaBuilder::column(*a->get(QStringLiteral("column")), &fks);
    if (!col)
        return col.error();
    for (const ConstraintDef &fk : fks) {
        if (fk.name.isEmpty())
            return Error(QStringLiteral("Constraint must have a name"));
        m_named.append(fk);
    }
    if (col->unique && !col->index)
        return Error(QStringLiteral("Constraint must have a name"));
    if (col->index) {
        IndexDef ix;
        ix.name = QStringLiteral("ix_%1_%2").arg(m_existing.name, col->name);
        ix.table = m_existing.name;
        ix.expressions = {col->name};
        ix.isRawSql = {false};
        ix.unique = col->unique;
        m_newIndexes.append(ix);
    }
    col->unique = col->index = false;
    if (!after.isEmpty() && !m_existingOrdering.contains(after)
        && std::none_of(m_addOrdering.begin(), m_addOrdering.end(), [&](const auto &p) { return p.first == after; }))
        return Error(QStringLiteral("KeyError: '%1'").arg(after));
    if (!before.isEmpty() && !m_existingOrdering.contains(before)
        && std::none_of(m_addOrdering.begin(), m_addOrdering.end(), [&](const auto &p) { return p.second == before; }))
        return Error(QStringLiteral("KeyError: '%1'").arg(before));
    addOrdering(col->name, before, after);
    const int existing = int(m_keys.indexOf(col->name));
    if (existing >= 0) {   // Alembic's OrderedDict keeps the old slot for a re-added key
        m_columns[existing] = *col;
    } else {
        m_columns.append(*col);
        m_keys.append(col->name);
    }
    return {};
}

// Alembic's _setup_dependencies_for_add_column (without partial_reordering).
void BatchTableCopy::addOrdering(const QString &column, QString before, QString after)
{
    const QStringList &index = m_existingOrdering;
    if (!after.isEmpty() && before.isEmpty()) {
        const int i = int(index.indexOf(after));
        if (i >= 0) {
            if (i + 1 < index.size())
                before = index.at(i + 1);
        } else {
            for (const auto &p : m_addOrdering)   // dict(add_col_ordering)[after]: the last pair wins
                if (p.first == after)
                    before = p.second;
        }
    }
    if (!before.isEmpty() && after.isEmpty()) {
        const int i = int(index.indexOf(before));
        if (i >= 0) {
            if (i - 1 >= 0)
                after = index.at(i - 1);
        } else {
            for (const auto &p : m_addOrdering)
                if (p.second == before)
                    after = p.first;
        }
    }
    if (!before.isEmpty())
        m_addOrdering.append({column, before});
    if (!after.isEmpty())
        m_addOrdering.append({after, column});
    if (before.isEmpty() && after.isEmpty() && !index.isEmpty())
        m_addOrdering.append({index.last(), column});
}

// Alembic's _adjust_self_columns_for_partial_reordering: SQLAlchemy's deterministic
// topological sort of the column keys; indexes into m_columns.
Result<QVector<int>> BatchTableCopy::columnOrder() const
{
    QVector<int> order;
    for (int i = 0; i < m_keys.size(); ++i)
        order << i;
    if (m_addOrdering.isEmpty())
        return order;
    QVector<QPair<QString, QString>> pairs;
    for (int i = 1; i < m_existingOrdering.size(); ++i)   // Alembic pairs the current key list's
        if (i - 1 < m_keys.size())                          // (i-1)th with the existing ith
            pairs.append({m_keys.at(i - 1), m_existingOrdering.at(i)});
    pairs += m_addOrdering;
    QHash<QString, QSet<QString>> parents;
    for (const auto &p : pairs)
        if (p.first != p.second)
            parents[p.second].insert(p.first);
    QStringList todo = m_keys;
    QSet<QString> todoSet(m_keys.begin(), m_keys.end());
    QStringList sorted;
    while (!todoSet.isEmpty()) {
        QStringList output;
        for (const QString &node : todo) {
            const QSet<QString> ps = parents.value(node);
            if (!ps.intersects(todoSet))
                output << node;
        }
        if (output.isEmpty())
            return Error(QStringLiteral("Circular dependency detected in the column order"));
        for (const QString &o : output)
            todoSet.remove(o);
        QStringList rest;
        for (const QString &t : todo)
            if (todoSet.contains(t))
                rest << t;
        todo = rest;
        sorted += output;
    }
    order.clear();
    for (const QString &k : sorted)
        order << int(m_keys.indexOf(k));
    return order;
}

VoidResult BatchTableCopy::dropColumn(const MigrationOp &op)
{
    if (op.args.isEmpty() || !op.args.first().isStr())
        return Error(QStringLiteral("column name expected"));
    const QString name = op.args.first().toStr();
    int at = -1;
    for (int i = 0; i < m_columns.size(); ++i)
        if (m_columns.at(i).name == name)
            at = i;
    if (at < 0)
        return Error(QStringLiteral("no column '%1'").arg(name));
    m_columns.removeAt(at);
    m_existingOrdering.removeAll(m_keys.at(at));
    m_keys.removeAt(at);
    m_transfers.erase(std::remove_if(m_transfers.begin(), m_transfers.end(),
                                     [&](const Transfer &t) { return t.target == name; }), m_transfers.end());
    if (m_primaryKey)
        m_primaryKey->columns.removeAll(name);
    return {};
}

VoidResult BatchTableCopy::alterColumn(const MigrationOp &op)
{
    if (op.args.isEmpty() || !op.args.first().isStr())
        return Error(QStringLiteral("column name expected"));
    const QString name = op.args.first().toStr();
    ColumnDef *c = column(name);
    if (!c)
        return Error(QStringLiteral("no column '%1'").arg(name));
    if (const PyValue *t = op.kwarg(QStringLiteral("type_")); t && !t->isNone()) {
        ColumnDef probe;
        probe.type = *t;
        const bool json = TypeRenderer::typeName(*t) == QLatin1String("JSON");
        for (Transfer &tr : m_transfers)
            if (tr.target == name && affinity(*c) != affinity(probe) && !json)
                tr.cast = true;
        c->type = *t;
        c->typeSql.clear();
        m_retyped << c->name;
    }
    if (const PyValue *v = op.kwarg(QStringLiteral("nullable")); v && !v->isNone())
        c->nullable = v->truthy();
    if (const PyValue *v = op.kwarg(QStringLiteral("server_default")); v && !isFalse(*v)) {
        if (v->isNone())
            c->serverDefault.reset();
        else
            c->serverDefault = *v;
    }
    if (const PyValue *v = op.kwarg(QStringLiteral("comment")); v && !isFalse(*v))
        c->comment = v->isNone() ? std::optional<QString>() : v->toStr();
    if (const PyValue *v = op.kwarg(QStringLiteral("new_column_name")); v && v->isStr() && v->toStr() != name) {
        const QString newName = v->toStr();
        c->name = newName;
        for (Transfer &tr : m_transfers)
            if (tr.target == name)
                tr.target = newName;
        auto rename = [&](QStringList &cols) {
            for (QString &col : cols)
                if (col == name)
                    col = newName;
        };
        if (m_primaryKey)
            rename(m_primaryKey->columns);
        m_retyped.replaceInStrings(QRegularExpression(QStringLiteral("^") + QRegularExpression::escape(name) + QStringLiteral("$")), newName);
        for (IndexDef &ix : m_indexes)
            for (int i = 0; i < ix.expressions.size(); ++i)
                if (!ix.isRawSql.value(i) && ix.expressions.at(i) == name)
                    ix.expressions[i] = newName;
        for (ConstraintDef &k : m_named)
            rename(k.columns);
        for (ConstraintDef &k : m_unnamed)
            rename(k.columns);
    }
    return {};
}

VoidResult BatchTableCopy::addConstraint(const MigrationOp &op)
{
    // Render-free path: reuse the plain op's argument binding through a probe table.
    auto plain = BatchRenderer::toPlainOp(op, m_existing.name, QString());
    if (!plain)
        return plain.error();
    ConstraintDef c;
    const QVector<PyValue> &args = plain->args;
    QString name;
    if (args.isEmpty() || !SqlExpression::name(args.first(), &name) || name.isEmpty())
        return Error(QStringLiteral("Constraint must have a name"));
    c.name = name;
    auto list = [&](int i) { return i < args.size() && args.at(i).toStringTuple() ? *args.at(i).toStringTuple() : QStringList(); };
    if (op.name == QLatin1String("create_primary_key")) {
        c.kind = ConstraintDef::PrimaryKey;
        c.columns = list(2);
        m_primaryKey = c;
        return {};
    }
    if (op.name == QLatin1String("create_unique_constraint")) {
        c.kind = ConstraintDef::Unique;
        c.columns = list(2);
    } else if (op.name == QLatin1String("create_check_constraint")) {
        c.kind = ConstraintDef::Check;
        auto text = args.size() > 2 ? SqlExpression::sqlText(args.at(2), m_dialect)
                                    : Result<QString>(Error(QStringLiteral("missing condition")));
        if (!text)
            return text.error();
        c.sqlText = *text;
    }
    if (op.name == QLatin1String("create_unique_constraint") || op.name == QLatin1String("create_check_constraint")) {
        for (const auto &kv : op.kwargs) {
            auto r = ColumnClauses::applyDeferrability(c, kv.first, kv.second);
            if (!r)
                return r.error();
            if (!*r && kv.first != QLatin1String("info"))
                return Error(QStringLiteral("unsupported argument %1=").arg(kv.first));
        }
    } else {
        c.kind = ConstraintDef::ForeignKey;
        c.refTable = args.value(2).toStr();
        c.columns = list(3);
        c.refColumns = list(4);
        QVector<QPair<QString, PyValue>> opts;
        for (const auto &kv : op.kwargs) {
            if (kv.first == QLatin1String("referent_schema"))
                c.refSchema = kv.second.toStr();
            else
                opts.append(kv);
        }
        auto applied = SchemaBuilder::applyForeignKeyOptions(c, opts);
        if (!applied)
            return applied;
    }
    m_named.append(c);
    m_addedConstraints << c.name;
    return {};
}

VoidResult BatchTableCopy::dropConstraint(const MigrationOp &op)
{
    QString name;
    if (op.args.isEmpty() || !SqlExpression::name(op.args.first(), &name) || name.isEmpty())
        return Error(QStringLiteral("Constraint must have a name"));
    if (m_primaryKey && m_primaryKey->name == name) {
        m_primaryKey.reset();
        return {};
    }
    for (int i = 0; i < m_named.size(); ++i) {
        if (m_named.at(i).name == name) {
            m_named.removeAt(i);
            return {};
        }
    }
    return Error(QStringLiteral("No such constraint: '%1'").arg(name));
}

VoidResult BatchTableCopy::createIndex(const MigrationOp &op)
{
    auto a = OpArguments::bind(op, {QStringLiteral("index_name"), QStringLiteral("columns"),
                                    QStringLiteral("unique")}, true);
    if (!a)
        return a.error();
    IndexDef ix;
    if (!a->get(QStringLiteral("index_name")) || !SqlExpression::name(*a->get(QStringLiteral("index_name")), &ix.name))
        return Error(QStringLiteral("index name expected"));
    ix.table = m_existing.name;
    ix.unique = a->flag(QStringLiteral("unique"));
    ix.kwargs = a->extra();
    const PyValue *cols = a->get(QStringLiteral("columns"));
    const QVector<PyValue> items = cols && cols->isSequence() ? cols->items() : QVector<PyValue>{cols ? *cols : PyValue()};
    for (const PyValue &c : items) {
        auto r = SchemaBuilder::addIndexExpression(ix, c);
        if (!r)
            return r;
    }
    if (a->get(QStringLiteral("index_name"))->isNone()) {
        ix.name = NamingConvention::indexName(m_existing.schema, m_existing.name, ix.expressions.value(0));
        ix.conventionName = true;
    }
    // Alembic rebuilds an index created in the batch from the columns its elements
    // reference (Index(name, *[new_table.c[col] for col in index.columns.keys()])):
    // functions, DESC/ASC are lost; a text element would name no real column.
    QStringList columns;
    for (int i = 0; i < ix.expressions.size(); ++i) {
        if (!ix.isRawSql.value(i)) {
            if (!columns.contains(ix.expressions.at(i)))
                columns << ix.expressions.at(i);
            continue;
        }
        QStringList referenced;
        referencedColumns(ix.elements.value(i), &referenced);
        if (referenced.isEmpty())
            return Error(QStringLiteral("unsupported index expression %1 in a batch move-and-copy")
                             .arg(ix.expressions.at(i)));
        for (const QString &c : referenced)
            if (!columns.contains(c))
                columns << c;
    }
    ix.expressions = columns;
    ix.isRawSql = QVector<bool>(columns.size(), false);
    ix.elements.clear();
    m_newIndexes.append(ix);
    return {};
}

VoidResult BatchTableCopy::dropIndex(const MigrationOp &op)
{
    QString name;
    if (op.args.isEmpty() || !SqlExpression::name(op.args.first(), &name))
        return Error(QStringLiteral("index name expected"));
    for (int i = 0; i < m_indexes.size(); ++i) {
        if (m_indexes.at(i).name == name) {
            m_indexes.removeAt(i);
            return {};
        }
    }
    return Error(QStringLiteral("No such index: '%1'").arg(name));
}

TableDef BatchTableCopy::newTable(const QVector<int> &order) const
{
    TableDef t;
    t.name = tempName();
    t.schema = m_existing.schema;
    for (int i : order)
        t.columns.append(m_columns.at(i));
    t.kwargs = m_tableKwargs;
    QStringList present;
    for (ColumnDef &c : t.columns) {
        c.primaryKey = m_primaryKey && m_primaryKey->columns.contains(c.name);
        present << c.name;
    }
    if (m_primaryKey && !m_primaryKey->columns.isEmpty())
        t.constraints.append(*m_primaryKey);
    // Boolean/Enum types re-create their CHECK as the new table's columns attach,
    // before any copied constraint; an altered type loses it (create_constraint=False).
    for (const ColumnDef &c : t.columns) {
        if (m_retyped.contains(c.name) || !c.typeSql.isEmpty())
            continue;
        if (TypeRenderer::isBoolean(c.type) || TypeRenderer::enumInfo(c.type)) {
            ConstraintDef check;
            check.kind = ConstraintDef::Check;
            check.typeCheckColumn = c.name;
            t.constraints.append(check);
        }
    }
    // Alembic keeps a constraint whose columns are all keys of its column_transfers: an
    // existing column by its original name (a rename keeps the key), an added one by its
    // name. A reflected constraint follows its columns through a rename; one created by
    // batch_op names its columns, so one naming a renamed column by its new name is
    // dropped (Alembic 1.8.1 does so, silently).
    QStringList keys;
    QStringList transferred;
    for (const Transfer &tr : m_transfers) {
        keys << tr.source;
        transferred << tr.target;
    }
    for (const ColumnDef &c : m_columns)
        if (!transferred.contains(c.name))
            keys << c.name;
    for (const ConstraintDef &c : m_named + m_unnamed) {
        const QStringList &have = m_addedConstraints.contains(c.name) ? keys : present;
        bool all = true;
        for (const QString &col : c.columns)
            all = all && have.contains(col);
        if (all)
            t.constraints.append(c);
    }
    return t;
}

Result<QStringList> BatchTableCopy::statements() const
{
    const Dialect &d = m_dialect;
    auto order = columnOrder();
    if (!order)
        return order.error();
    const TableDef t = newTable(*order);
    auto create = TableRenderer::createTableStatement(t, d);
    if (!create)
        return create.error();
    const QString source = d.qualifiedName(m_existing.schema, m_existing.name);
    QStringList targets;
    QStringList exprs;
    // Transfers follow the new column order (their source is the column's key).
    QVector<Transfer> transfers;
    for (int i : *order)
        for (const Transfer &tr : m_transfers)
            if (tr.source == m_keys.at(i))
                transfers << tr;
    for (const Transfer &tr : transfers) {
        targets << d.quoteIdentifier(tr.target);
        QString e = source + QLatin1Char('.') + d.quoteIdentifier(tr.source);
        if (tr.cast) {
            for (const ColumnDef &c : m_columns) {
                if (c.name != tr.target)
                    continue;
                auto type = TypeRenderer::render(c.type, d);
                if (!type)
                    return type.error();
                e = QStringLiteral("CAST(%1 AS %2) AS %3").arg(e, *type, d.quoteIdentifier(tr.source));
            }
        }
        exprs << e;
    }
    QStringList out;
    // PostgreSQL's prep_table_for_batch: free the names the new table's constraints reuse.
    if (d.kind() == Dialect::PostgreSQL) {
        for (const ConstraintDef &c : m_existing.constraints) {
            bool kept = m_primaryKey && c.kind == ConstraintDef::PrimaryKey && m_primaryKey->name == c.name;
            for (const ConstraintDef &n : m_named)
                kept = kept || n.name == c.name;
            if (!c.name.isEmpty() && kept)
                out << QStringLiteral("ALTER TABLE %1 DROP CONSTRAINT %2").arg(source, d.quoteIdentifier(c.name));
        }
    }
    out << *create;
    out << QStringLiteral("INSERT INTO %1 (%2) SELECT %3 \nFROM %4")
               .arg(d.qualifiedName(t.schema, t.name), targets.join(QStringLiteral(", ")),
                    exprs.join(QStringLiteral(", ")), source);
    out << QStringLiteral("DROP TABLE ") + source;
    out << QStringLiteral("ALTER TABLE %1 RENAME TO %2").arg(d.qualifiedName(t.schema, t.name),
                                                             d.quoteIdentifier(m_existing.name));
    for (const IndexDef &ix : m_indexes + m_newIndexes) {
        auto s = TableRenderer::createIndex(ix, d);
        if (!s)
            return s.error();
        out << *s;
    }
    return out;
}

} // namespace retort
