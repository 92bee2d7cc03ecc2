#include "schemacomparator.h"

#include "indexcomparator.h"
#include "migrationscriptrenderer.h"
#include "reflectedtyperepr.h"
#include "serverdefaultcomparator.h"
#include "typecomparator.h"

#include <QRegularExpression>
#include <QSet>
#include <algorithm>

namespace retort {

namespace {

using TableKey = QPair<QString, QString>;   // (schema, table)

bool keyLess(const TableKey &a, const TableKey &b)
{
    return a.first != b.first ? a.first < b.first : a.second < b.second;
}

QString normalizedFkAction(const QString &a)
{
    const QString l = a.toLower();
    return l == QLatin1String("no action") ? QString() : l;
}

QString qualifiedName(const QString &schema, const QString &table)
{
    return schema.isEmpty() ? table : schema + QLatin1Char('.') + table;
}

// repr() of a type as Alembic's log prints it: the rendered type without its module prefix.
QString typeReprForLog(const ColumnRef &ref, const ModelRenderHints *hints)
{
    QString text;
    if (hints && ref.side == OpSide::Model)
        if (const TableHint *t = hints->table(ref.schema, ref.table))
            if (const ColumnHint *c = t->column(ref.column.name))
                text = c->pythonType;
    if (text.isEmpty())
        text = ReflectedTypeRepr::render(ref.column, QString(), nullptr);
    static const QRegularExpression prefix(QStringLiteral("^\\w+\\."));
    return text.remove(prefix);
}

// MySQLImpl.correct_for_autogen_foreignkeys: MySQL does not report RESTRICT (its
// default); when the model spells it out, read the matching reflected FK as RESTRICT.
template <typename RefSchema>
void restoreMySqlRestrict(QVector<SchemaForeignKey> &connFks, const QVector<SchemaForeignKey> &metaFks,
                          RefSchema refSchema)
{
    auto baseSig = [&](const SchemaForeignKey &fk) {
        return QStringList{refSchema(fk.referredSchema), fk.referredTable, fk.columns.join(QLatin1Char(',')),
                           fk.referredColumns.join(QLatin1Char(','))}.join(QChar(0x1f));
    };
    auto isRestrict = [](const QString &a) { return a.compare(QLatin1String("restrict"), Qt::CaseInsensitive) == 0; };
    for (SchemaForeignKey &c : connFks)
        for (const SchemaForeignKey &m : metaFks) {
            if (baseSig(c) != baseSig(m))
                continue;
            if (isRestrict(m.onDelete) && c.onDelete.isEmpty())
                c.onDelete = QStringLiteral("RESTRICT");
            if (isRestrict(m.onUpdate) && c.onUpdate.isEmpty())
                c.onUpdate = QStringLiteral("RESTRICT");
        }
}

} // namespace

QVector<AutogenOp> SchemaDiff::flattened() const
{
    QVector<AutogenOp> out;
    for (const AutogenOp &op : upgradeOps) {
        if (op.kind == AutogenOp::ModifyTable)
            out += op.ops;
        else
            out.append(op);
    }
    return out;
}

QStringList SchemaDiff::alembicLog() const
{
    QStringList out;
    for (const AutogenOp &op : upgradeOps) {
        out += op.alembicLog;
        for (const AutogenOp &sub : op.ops)
            out += sub.alembicLog;
    }
    return out;
}

bool SchemaDiff::hasDestructive() const
{
    const auto all = flattened();
    return std::any_of(all.begin(), all.end(),
                       [](const AutogenOp &o) { return o.safety == OpSafety::Destructive; });
}

SchemaComparator::SchemaComparator(const SchemaModel &target, const ModelRenderHints *hints,
                                   const SchemaModel &database, CompareOptions options)
    : m_target(target), m_hints(hints), m_db(database), m_options(std::move(options)),
      m_targetTables(indexTables(target)), m_dbTables(indexTables(database))
{
}

SchemaComparator::TableIndex SchemaComparator::indexTables(const SchemaModel &model)
{
    // What findTable answers: the first namespace of a name, its first table of a name.
    TableIndex index;
    QSet<QString> seenSchemas;
    for (const SchemaNamespace &ns : model.schemas) {
        if (seenSchemas.contains(ns.name))
            continue;
        seenSchemas.insert(ns.name);
        for (const SchemaTable &t : ns.tables)
            if (!index.contains({ns.name, t.name}))
                index.insert({ns.name, t.name}, &t);
    }
    return index;
}

const SchemaTable *SchemaComparator::find(const TableIndex &index, const QString &schema, const QString &table)
{
    return index.value({schema, table}, nullptr);
}

bool SchemaComparator::keepName(const FilterTarget &target) const
{
    return !m_options.includeName || m_options.includeName(target);
}

bool SchemaComparator::keepObject(const FilterTarget &target) const
{
    return !m_options.includeObject || m_options.includeObject(target);
}

bool SchemaComparator::supportsComments() const
{
    return m_db.dialect != QLatin1String("sqlite");
}

bool SchemaComparator::typesDiffer(const SchemaColumn &database, const SchemaColumn &target)
{
    return TypeComparator::differ(database, target);
}

OpName SchemaComparator::modelName(const QString &schema, const QString &table, const QString &name,
                                   bool isIndex) const
{
    OpName n{name, false};
    if (!m_hints || name.isEmpty())
        return n;
    if (const TableHint *t = m_hints->table(schema, table)) {
        const QVector<ConstraintHint> *lists[] = {&t->indexes, &t->uniqueConstraints, &t->foreignKeys};
        for (int i = isIndex ? 0 : 1; i < 3; ++i)
            for (const ConstraintHint &c : *lists[i])
                if (c.finalName == name) {
                    n.conv = c.conv;
                    return n;
                }
    }
    return n;
}

QVector<QPair<QString, const SchemaTable *>> SchemaComparator::targetTablesInOrder() const
{
    QVector<QPair<QString, const SchemaTable *>> all;
    for (const SchemaNamespace &ns : m_target.schemas)
        for (const SchemaTable &t : ns.tables)
            all.append({ns.name, &t});
    if (m_hints && !m_hints->tables().isEmpty()) {
        // metadata.sorted_tables, as the helper reported it.
        QVector<QPair<QString, const SchemaTable *>> ordered;
        for (const TableHint &h : m_hints->tables())
            if (const SchemaTable *t = find(m_targetTables, h.schema, h.name))
                ordered.append({h.schema, t});
        for (const auto &e : all)
            if (!m_hints->table(e.first, e.second->name))
                ordered.append(e);
        return ordered;
    }
    // No model: sorted_tables' rule ourselves, dependencies first, ties by name.
    std::sort(all.begin(), all.end(), [](const auto &a, const auto &b) {
        return keyLess({a.first, a.second->name}, {b.first, b.second->name});
    });
    QVector<QPair<QString, const SchemaTable *>> ordered;
    QSet<QString> placed;
    auto keyOf = [](const QString &s, const QString &t) { return s + QLatin1Char('.') + t; };
    while (ordered.size() < all.size()) {
        bool progressed = false;
        for (const auto &e : all) {
            const QString k = keyOf(e.first, e.second->name);
            if (placed.contains(k))
                continue;
            bool ready = true;
            for (const SchemaForeignKey &fk : e.second->foreignKeys) {
                const QString dep = keyOf(fk.referredSchema, fk.referredTable);
                if (dep != k && !placed.contains(dep) && find(m_targetTables, fk.referredSchema, fk.referredTable))
                    ready = false;
            }
            if (ready) {
                ordered.append(e);
                placed.insert(k);
                progressed = true;
            }
        }
        if (!progressed) {   // a cycle: the rest by name
            for (const auto &e : all)
                if (!placed.contains(keyOf(e.first, e.second->name))) {
                    ordered.append(e);
                    placed.insert(keyOf(e.first, e.second->name));
                }
        }
    }
    return ordered;
}

SchemaDiff SchemaComparator::compare() const
{
    SchemaDiff diff;
    // Schemas inspected on the database side.
    QStringList schemas{QString()};
    if (m_options.includeSchemas)
        for (const SchemaNamespace &ns : m_db.schemas)
            if (!ns.name.isEmpty() && ns.name != QLatin1String("information_schema")
                && ns.name != m_db.defaultSchemaName)
                schemas << ns.name;
    // include_name sees the default schema too (as None)
    schemas.erase(std::remove_if(schemas.begin(), schemas.end(), [this](const QString &s) {
                      return !keepName({QStringLiteral("schema"), s, {}, s, {}, true});
                  }),
                  schemas.end());

    QVector<TableKey> connTables;
    for (const QString &s : schemas) {
        const SchemaNamespace *ns = m_db.findSchema(s);
        if (!ns)
            continue;
        for (const SchemaTable &t : ns->tables) {
            if (s == m_options.versionTableSchema && t.name == m_options.versionTable)
                continue;
            if (keepName({QStringLiteral("table"), s, t.name, t.name, {}, true}))
                connTables.append({s, t.name});
        }
    }
    // Metadata tables, with the default schema's explicit name read as None.
    QVector<QPair<TableKey, const SchemaTable *>> metaTables;
    for (const auto &e : targetTablesInOrder()) {
        QString s = e.first == m_db.defaultSchemaName ? QString() : e.first;
        if (s == m_options.versionTableSchema && e.second->name == m_options.versionTable)
            continue;
        metaTables.append({{s, e.second->name}, e.second});
    }
    // Hashed: 1,000s of tables on each side, each looked up from the other.
    const QSet<TableKey> connSet(connTables.cbegin(), connTables.cend());
    QHash<TableKey, const SchemaTable *> metaIndex;
    for (const auto &m : metaTables)
        if (!metaIndex.contains(m.first))   // the first one, as a linear search finds it
            metaIndex.insert(m.first, m.second);
    auto inConn = [&](const TableKey &k) { return connSet.contains(k); };
    auto metaFind = [&](const TableKey &k) { return metaIndex.value(k, nullptr); };

    // 1. added tables, in sorted_tables order, each followed by its indexes.
    for (const auto &m : metaTables) {
        if (inConn(m.first) || !keepObject({QStringLiteral("table"), m.first.first, m.first.second, m.first.second, {}, false}))
            continue;
        AutogenOp create;
        create.kind = AutogenOp::CreateTable;
        create.schema = m.first.first;
        create.table = m.first.second;
        create.side = OpSide::Model;
        create.tableDef = *m.second;
        create.alembicLog << QStringLiteral("Detected added table %1").arg(MigrationScriptRenderer::pyRepr(qualifiedName(create.schema, create.table)));
        diff.upgradeOps.append(create);
        AutogenOp modify;
        modify.schema = create.schema;
        modify.table = create.table;
        compareTable(create.schema, nullptr, m.second, modify, diff);
        if (!modify.isEmpty())
            diff.upgradeOps.append(modify);
    }
    // 2. removed tables (Alembic iterates a set here; Retort sorts by name).
    QVector<TableKey> removed;
    for (const TableKey &k : connTables)
        if (!metaFind(k))
            removed.append(k);
    std::sort(removed.begin(), removed.end(), keyLess);
    for (const TableKey &k : removed) {
        const SchemaTable *conn = find(m_dbTables, k.first, k.second);
        if (!keepObject({QStringLiteral("table"), k.first, k.second, k.second, {}, true}))
            continue;
        AutogenOp modify;
        modify.schema = k.first;
        modify.table = k.second;
        compareTable(k.first, conn, nullptr, modify, diff);
        if (!modify.isEmpty())
            diff.upgradeOps.append(modify);
        AutogenOp drop;
        drop.kind = AutogenOp::DropTable;
        drop.schema = k.first;
        drop.table = k.second;
        drop.side = OpSide::Database;
        drop.tableDef = *conn;
        drop.alembicLog << QStringLiteral("Detected removed table %1").arg(MigrationScriptRenderer::pyRepr(qualifiedName(drop.schema, drop.table)));
        diff.upgradeOps.append(drop);
    }
    // 3. tables on both sides, sorted by (schema, name).
    QVector<TableKey> existing;
    for (const TableKey &k : connTables)
        if (metaFind(k))
            existing.append(k);
    std::sort(existing.begin(), existing.end(), keyLess);
    for (const TableKey &k : existing) {
        if (!keepObject({QStringLiteral("table"), k.first, k.second, k.second, {}, false}))
            continue;
        AutogenOp modify;
        modify.schema = k.first;
        modify.table = k.second;
        compareTable(k.first, find(m_dbTables, k.first, k.second), metaFind(k), modify, diff);
        if (!modify.isEmpty())
            diff.upgradeOps.append(modify);
    }
    return diff;
}

void SchemaComparator::compareTable(const QString &schema, const SchemaTable *conn,
                                    const SchemaTable *meta, AutogenOp &modify, SchemaDiff &) const
{
    if (conn && meta) {
        AutogenOps drops;   // columns are dropped after the table-level comparisons
        compareColumns(schema, *conn, *meta, modify, drops);
        compareIndexesAndUniques(schema, conn, meta, modify);
        compareForeignKeys(schema, *conn, *meta, modify);
        compareTableComment(schema, *conn, *meta, modify);
        modify.ops += drops;
    } else {
        compareIndexesAndUniques(schema, conn, meta, modify);
    }
}

void SchemaComparator::compareColumns(const QString &schema, const SchemaTable &conn,
                                      const SchemaTable &meta, AutogenOp &modify,
                                      AutogenOps &drops) const
{
    const TableHint *hint = m_hints ? m_hints->table(schema, meta.name) : nullptr;
    auto isSystem = [&](const QString &c) {
        const ColumnHint *h = hint ? hint->column(c) : nullptr;
        return h && h->system;
    };
    QStringList connCols;
    for (const SchemaColumn &c : conn.columns)
        if (keepName({QStringLiteral("column"), schema, conn.name, c.name, {}, true}))
            connCols << c.name;

    for (const SchemaColumn &c : meta.columns) {
        if (isSystem(c.name) || connCols.contains(c.name))
            continue;
        if (!keepObject({QStringLiteral("column"), schema, meta.name, c.name, {}, false}))
            continue;
        AutogenOp add;
        add.kind = AutogenOp::AddColumn;
        add.schema = schema;
        add.table = meta.name;
        add.side = OpSide::Model;
        add.column = ColumnRef{OpSide::Model, schema, meta.name, c};
        add.alembicLog << QStringLiteral("Detected added column '%1.%2'").arg(qualifiedName(schema, meta.name), c.name);
        modify.ops.append(add);
    }
    for (const SchemaColumn &mc : meta.columns) {
        if (isSystem(mc.name) || !connCols.contains(mc.name))
            continue;
        if (!keepObject({QStringLiteral("column"), schema, meta.name, mc.name, {}, false}))
            continue;
        const SchemaColumn &cc = *conn.findColumn(mc.name);
        AutogenOp alter;
        alter.kind = AutogenOp::AlterColumn;
        alter.schema = schema;
        alter.table = meta.name;
        alter.columnName = mc.name;
        const ColumnRef connRef{OpSide::Database, schema, conn.name, cc};
        const ColumnRef metaRef{OpSide::Model, schema, meta.name, mc};
        // _compare_nullable (identity / computed columns are left alone)
        alter.existingNullable = cc.nullable;
        if (cc.nullable != mc.nullable && !mc.identity && !cc.identity && !mc.computed) {
            alter.modifyNullable = mc.nullable;
            alter.alembicLog << QStringLiteral("Detected %1 on column '%2.%3'")
                                    .arg(mc.nullable ? QStringLiteral("NULL") : QStringLiteral("NOT NULL"), meta.name, mc.name);
        }
        // _setup_autoincrement
        const ColumnHint *ch = hint ? hint->column(mc.name) : nullptr;
        if (ch) {
            if (ch->autoincrementColumn || (ch->autoincrement && *ch->autoincrement))
                alter.autoincrement = true;
            else if (ch->autoincrement && !*ch->autoincrement)
                alter.autoincrement = false;
        } else if (mc.autoincrement != SchemaColumn::Autoincrement::Auto) {
            alter.autoincrement = mc.autoincrement == SchemaColumn::Autoincrement::Yes;
        }
        // _compare_type
        alter.existingType = connRef;
        if (m_options.compareType && cc.typeInfo.affinity != QLatin1String("NullType")
            && mc.typeInfo.affinity != QLatin1String("NullType")
            && TypeComparator::differ(cc, mc, m_db.dialect)) {
            alter.modifyType = metaRef;
            alter.alembicLog << QStringLiteral("Detected type change from %1 to %2 on '%3.%4'")
                                    .arg(typeReprForLog(connRef, nullptr), typeReprForLog(metaRef, m_hints),
                                         meta.name, mc.name);
        }
        // _compare_server_default
        const auto connDefault = ReflectedTypeRepr::reflectedDefault(cc, conn.name, m_db.dialect);
        const bool metaHasDefault = (ch && ch->serverDefault) || mc.serverDefault || mc.computed;
        if (connDefault || metaHasDefault) {
            if (mc.computed || (ch && ch->serverDefault && ch->serverDefault->kind == QLatin1String("computed"))) {
                // computed: only a warning in Alembic, never an op
            } else if (cc.computed) {
            } else if (mc.identity || cc.identity) {
                // identity comparison is not modelled; treated as unchanged
            } else {
                if (connDefault)
                    alter.existingServerDefault = connRef;
                if (m_options.compareServerDefault && serverDefaultsDiffer(conn.name, cc, mc)) {
                    alter.modifiesServerDefault = true;
                    alter.alembicLog << QStringLiteral("Detected server default on column '%1.%2'").arg(meta.name, mc.name);
                    if (metaHasDefault)
                        alter.modifyServerDefault = metaRef;
                }
            }
        }
        // _compare_column_comment
        if (supportsComments() && (cc.comment || mc.comment)) {
            alter.existingComment = cc.comment;
            if (cc.comment != mc.comment) {
                alter.modifiesComment = true;
                alter.modifyComment = mc.comment;
                alter.alembicLog << QStringLiteral("Detected column comment '%1.%2'").arg(meta.name, mc.name);
            }
        }
        if (alter.alterHasChanges())
            modify.ops.append(alter);
    }
    for (const SchemaColumn &c : conn.columns) {
        if (!connCols.contains(c.name) || meta.findColumn(c.name))
            continue;
        if (!keepObject({QStringLiteral("column"), schema, conn.name, c.name, {}, true}))
            continue;
        AutogenOp drop;
        drop.kind = AutogenOp::DropColumn;
        drop.schema = schema;
        drop.table = conn.name;
        drop.side = OpSide::Database;
        drop.column = ColumnRef{OpSide::Database, schema, conn.name, c};
        drop.alembicLog << QStringLiteral("Detected removed column '%1.%2'").arg(qualifiedName(schema, conn.name), c.name);
        drops.append(drop);
    }
}

bool SchemaComparator::serverDefaultsDiffer(const QString &table, const SchemaColumn &conn,
                                            const SchemaColumn &meta) const
{
    const TableHint *hint = m_hints ? m_hints->table(QString(), table) : nullptr;
    const ColumnHint *ch = hint ? hint->column(meta.name) : nullptr;
    ServerDefaultComparator::Sides sides;
    sides.conn = &conn;
    sides.meta = &meta;
    if (ch) {
        if (ch->serverDefault) {
            sides.metaDefault = ch->serverDefault->compare;
            sides.metaDefaultIsString = ch->serverDefault->kind == QLatin1String("string");
        }
        sides.metaIsAutoincrementPk = ch->autoincrementColumn;
    } else {
        // The "model" is a reflected database too (`retort diff`): the same text is the
        // same default, and both sides go through the dialect's column_reflect hook.
        if (conn.serverDefault == meta.serverDefault)
            return false;
        sides.metaDefault = ReflectedTypeRepr::reflectedDefault(meta, table, m_db.dialect);
    }
    sides.connDefault = ReflectedTypeRepr::reflectedDefault(conn, table, m_db.dialect);
    if (const SchemaTable *t = find(m_dbTables, QString(), table))
        sides.connInPrimaryKey = t->primaryKey.columns.contains(conn.name);
    return ServerDefaultComparator::differ(m_db.dialect, sides, m_options.serverDefaultsEqual);
}

void SchemaComparator::compareIndexesAndUniques(const QString &schema, const SchemaTable *conn,
                                                const SchemaTable *meta, AutogenOp &modify) const
{
    IndexComparator::Context ctx;
    ctx.dialect = m_db.dialect;
    ctx.keepName = [this](const FilterTarget &t) { return keepName(t); };
    ctx.keepObject = [this](const FilterTarget &t) { return keepObject(t); };
    ctx.modelName = [this](const QString &s, const QString &t, const QString &n, bool ix) {
        return modelName(s, t, n, ix);
    };
    IndexComparator::compare(ctx, schema, conn, meta, modify);
}

void SchemaComparator::compareForeignKeys(const QString &schema, const SchemaTable &conn,
                                          const SchemaTable &meta, AutogenOp &modify) const
{
    QVector<SchemaForeignKey> connFks;
    for (const SchemaForeignKey &fk : conn.foreignKeys)
        if (keepName({QStringLiteral("foreign_key_constraint"), schema, conn.name, fk.name, fk.columns, true}))
            connFks.append(fk);
    // Every supported backend reflects FK options; Alembic compares them when it has any FK.
    const bool withOptions = !connFks.isEmpty();
    auto refSchema = [this](const QString &s) { return s == m_db.defaultSchemaName ? QString() : s; };
    if (m_db.dialect == QLatin1String("mysql") || m_db.dialect == QLatin1String("mariadb"))
        restoreMySqlRestrict(connFks, meta.foreignKeys, refSchema);
    auto sig = [&](const SchemaForeignKey &fk) {
        QStringList s{refSchema(fk.referredSchema), fk.referredTable,
                      fk.columns.join(QLatin1Char(',')), fk.referredColumns.join(QLatin1Char(','))};
        if (withOptions) {
            s << normalizedFkAction(fk.onUpdate) << normalizedFkAction(fk.onDelete);
            if (fk.initially.compare(QLatin1String("deferred"), Qt::CaseInsensitive) == 0)
                s << QStringLiteral("initially_deferrable");
            else
                s << (fk.deferrable.value_or(false) ? QStringLiteral("deferrable") : QStringLiteral("not deferrable"));
        }
        return s.join(QChar(0x1f));
    };
    QSet<QString> metaSigs, connSigs;
    for (const SchemaForeignKey &fk : meta.foreignKeys)
        metaSigs.insert(sig(fk));
    for (const SchemaForeignKey &fk : connFks)
        connSigs.insert(sig(fk));
    QSet<QString> seen;
    for (const SchemaForeignKey &fk : connFks) {
        const QString s = sig(fk);
        if (metaSigs.contains(s) || seen.contains(s) || !keepObject({QStringLiteral("foreign_key_constraint"), schema, conn.name, fk.name, fk.columns, true}))
            continue;
        seen.insert(s);
        AutogenOp op;
        op.kind = AutogenOp::DropForeignKey;
        op.schema = schema;
        op.table = conn.name;
        op.side = OpSide::Database;
        op.foreignKey = fk;
        op.name = OpName{fk.name, false};
        op.alembicLog << QStringLiteral("Detected removed foreign key (%1)(%2) on table %3")
                             .arg(fk.columns.join(QStringLiteral(", ")), fk.referredColumns.join(QStringLiteral(", ")),
                                  qualifiedName(schema, conn.name));
        modify.ops.append(op);
    }
    for (const SchemaForeignKey &fk : meta.foreignKeys) {
        const QString s = sig(fk);
        if (connSigs.contains(s) || seen.contains(s) || !keepObject({QStringLiteral("foreign_key_constraint"), schema, meta.name, fk.name, fk.columns, false}))
            continue;
        seen.insert(s);
        AutogenOp op;
        op.kind = AutogenOp::CreateForeignKey;
        op.schema = schema;
        op.table = meta.name;
        op.side = OpSide::Model;
        op.foreignKey = fk;
        op.name = modelName(schema, meta.name, fk.name, false);
        op.alembicLog << QStringLiteral("Detected added foreign key (%1)(%2) on table %3")
                             .arg(fk.columns.join(QStringLiteral(", ")), fk.referredColumns.join(QStringLiteral(", ")),
                                  qualifiedName(schema, meta.name));
        modify.ops.append(op);
    }
}

void SchemaComparator::compareTableComment(const QString &schema, const SchemaTable &conn,
                                           const SchemaTable &meta, AutogenOp &modify) const
{
    if (!supportsComments() || (!conn.comment && !meta.comment))
        return;
    AutogenOp op;
    op.schema = schema;
    op.table = meta.name;
    op.existingComment = conn.comment;
    if (!meta.comment) {
        op.kind = AutogenOp::DropTableComment;
    } else if (meta.comment != conn.comment) {
        op.kind = AutogenOp::CreateTableComment;
        op.comment = meta.comment;
    } else {
        return;
    }
    modify.ops.append(op);
}

} // namespace retort
