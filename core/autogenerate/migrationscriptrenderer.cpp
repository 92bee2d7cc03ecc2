#include "migrationscriptrenderer.h"

#include "reflectedtyperepr.h"

#include <QRegularExpression>
#include <algorithm>

namespace retort {

namespace {

QString pyBool(bool b) { return b ? QStringLiteral("True") : QStringLiteral("False"); }

QString reprOrNone(const std::optional<QString> &s)
{
    return s ? MigrationScriptRenderer::pyRepr(*s) : QStringLiteral("None");
}

QString reprList(const QStringList &items)
{
    QStringList r;
    for (const QString &i : items)
        r << MigrationScriptRenderer::pyRepr(i);
    return QLatin1Char('[') + r.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// _repr_type adds "from sqlalchemy.dialects import X" for dialect types.
void collectDialectImports(const QString &rendered, QSet<QString> *imports)
{
    if (!imports)
        return;
    static const QRegularExpression re(QStringLiteral("\\b(postgresql|mysql|sqlite|mssql|oracle)\\.[A-Za-z_]"));
    auto it = re.globalMatch(rendered);
    while (it.hasNext())
        imports->insert(QStringLiteral("from sqlalchemy.dialects import %1").arg(it.next().captured(1)));
}

// mako's PythonPrinter as _render_cmd_body uses it: a line ending in ':' opens a block,
// an empty line closes one; only the first physical line of an entry is indented.
class Printer
{
public:
    void writeline(const QString &line)
    {
        if (line.trimmed().isEmpty()) {
            if (m_indent > 0)
                --m_indent;
            m_out += QLatin1Char('\n');
            return;
        }
        m_out += QString(m_indent * 4, QLatin1Char(' ')) + line + QLatin1Char('\n');
        static const QRegularExpression opener(QStringLiteral(":[ \\t]*(?:#.*)?$"));
        if (opener.match(line).hasMatch() && !line.contains(QLatin1Char('\n')))
            ++m_indent;
    }
    QString text() const { return m_out; }

private:
    QString m_out;
    int m_indent = 0;
};

// render.py's _indent(): four spaces before every line, stripped, no trailing blanks.
QString indentBody(const QString &text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &l : lines)
        l = QStringLiteral("    ") + l;
    QString joined = lines.join(QLatin1Char('\n')).trimmed();
    static const QRegularExpression trailing(QStringLiteral(" +$"), QRegularExpression::MultilineOption);
    joined.replace(trailing, QString());
    return joined;
}

QString tableKey(const QString &schema, const QString &table)
{
    return schema + QLatin1Char('.') + table;
}

// compare._compare_tables reflects removed tables one by one into a shared MetaData,
// hooking column_reflect on each first; reflecting a table autoloads its foreign keys'
// targets (recursively) unhooked, and a table already loaded is not reflected again.
QSet<QString> tablesReflectedThroughForeignKeys(const AutogenOps &upgradeOps)
{
    QHash<QString, const SchemaTable *> removed;
    for (const AutogenOp &op : upgradeOps)
        if (op.kind == AutogenOp::DropTable && op.side == OpSide::Database)
            removed.insert(tableKey(op.schema, op.table), &op.tableDef);
    QSet<QString> loaded, unhooked;
    for (const AutogenOp &op : upgradeOps) {
        const QString key = tableKey(op.schema, op.table);
        if (!removed.contains(key))
            continue;
        if (loaded.contains(key)) {
            unhooked.insert(key);
            continue;
        }
        loaded.insert(key);
        QStringList pending{key};
        while (!pending.isEmpty()) {
            const QString schema = pending.first().section(QLatin1Char('.'), 0, 0);
            const SchemaTable *t = removed.value(pending.takeFirst());
            if (!t)
                continue;   // a table that is not removed: its own FKs are not known here
            for (const SchemaForeignKey &fk : t->foreignKeys) {
                const QString target = tableKey(fk.referredSchema.isEmpty() ? schema : fk.referredSchema,
                                                fk.referredTable);
                if (!loaded.contains(target)) {
                    loaded.insert(target);
                    pending << target;
                }
            }
        }
    }
    return unhooked;
}

} // namespace

void RenderedMigration::addTo(QMap<QString, MakoValue> &templateArgs) const
{
    templateArgs.insert(QStringLiteral("imports"), MakoValue::str(imports));
    templateArgs.insert(QStringLiteral("upgrades"), MakoValue::str(upgrades));
    templateArgs.insert(QStringLiteral("downgrades"), MakoValue::str(downgrades));
}

MigrationScriptRenderer::MigrationScriptRenderer(const ModelRenderHints *hints, QString dialect,
                                                 ScriptRenderOptions options)
    : m_hints(hints), m_dialect(std::move(dialect)), m_options(std::move(options))
{
}

QString MigrationScriptRenderer::pyRepr(const QString &s)
{
    return MakoValue::reprString(s);
}

RenderedMigration MigrationScriptRenderer::render(const AutogenOps &upgradeOps) const
{
    QSet<QString> imports;
    RenderedMigration r;
    m_reflectedThroughForeignKey = tablesReflectedThroughForeignKeys(upgradeOps);
    r.upgrades = body(upgradeOps, &imports);
    r.downgrades = body(reverseOps(upgradeOps), &imports);
    QStringList sorted(imports.begin(), imports.end());
    std::sort(sorted.begin(), sorted.end());
    r.imports = sorted.join(QLatin1Char('\n'));
    return r;
}

QString MigrationScriptRenderer::body(const AutogenOps &ops, QSet<QString> *imports) const
{
    Printer p;
    p.writeline(QStringLiteral("# ### commands auto generated by Alembic - please adjust! ###"));
    bool hasLines = false;
    for (const AutogenOp &op : ops) {
        const QStringList lines = renderOp(op, false, imports);
        hasLines = hasLines || !lines.isEmpty();
        for (const QString &l : lines)
            p.writeline(l);
    }
    if (!hasLines)
        p.writeline(QStringLiteral("pass"));
    p.writeline(QStringLiteral("# ### end Alembic commands ###"));
    return indentBody(p.text());
}

QString MigrationScriptRenderer::prefix(bool inBatch) const
{
    return inBatch ? QStringLiteral("batch_op.") : m_options.alembicPrefix;
}

QString MigrationScriptRenderer::genName(const OpName &name, bool inBatch) const
{
    if (name.name.isEmpty())
        return QStringLiteral("None");
    if (name.conv)
        return QStringLiteral("%1f(%2)").arg(prefix(inBatch), pyRepr(name.name));
    return pyRepr(name.name);
}

bool MigrationScriptRenderer::reflectedThroughForeignKey(const QString &schema, const QString &table) const
{
    return m_reflectedThroughForeignKey.contains(tableKey(schema, table));
}

const ColumnHint *MigrationScriptRenderer::columnHint(const ColumnRef &col) const
{
    if (col.side != OpSide::Model || !m_hints)
        return nullptr;
    const TableHint *t = m_hints->table(col.schema, col.table);
    return t ? t->column(col.column.name) : nullptr;
}

QString MigrationScriptRenderer::renderType(const ColumnRef &col, QSet<QString> *imports) const
{
    QString text;
    if (const ColumnHint *h = columnHint(col); h && !h->pythonType.isEmpty())
        text = h->pythonType;
    else
        text = ReflectedTypeRepr::render(col.column, m_dialect, imports);
    if (m_options.sqlalchemyPrefix != QLatin1String("sa.") && text.startsWith(QLatin1String("sa.")))
        text = m_options.sqlalchemyPrefix + text.mid(3);
    collectDialectImports(text, imports);
    return text;
}

std::optional<QString> MigrationScriptRenderer::renderServerDefault(const ColumnRef &col,
                                                                    bool *positional) const
{
    if (positional)
        *positional = false;
    const SchemaColumn &c = col.column;
    if (col.side == OpSide::Model && m_hints) {
        const ColumnHint *h = columnHint(col);
        if (h) {
            if (!h->serverDefault || h->serverDefault->python.isEmpty())
                return std::nullopt;
            if (positional)
                *positional = h->serverDefault->kind == QLatin1String("computed")
                              || h->serverDefault->kind == QLatin1String("identity");
            return h->serverDefault->python;
        }
    }
    const QString sa = m_options.sqlalchemyPrefix;
    if (c.computed) {
        if (positional)
            *positional = true;
        return QStringLiteral("%1Computed(%2, %3)").arg(sa, pyRepr(c.computed->sqltext),
            c.computed->persisted ? QStringLiteral("persisted=") + pyBool(*c.computed->persisted) : QString());
    }
    if (c.identity) {
        if (positional)
            *positional = true;
        QStringList kw{QStringLiteral("always=") + pyBool(c.identity->always)};
        auto num = [&](const char *k, const std::optional<qint64> &v) {
            if (v)
                kw << QStringLiteral("%1=%2").arg(QLatin1String(k)).arg(*v);
        };
        num("start", c.identity->start);
        num("increment", c.identity->increment);
        num("minvalue", c.identity->minValue);
        num("maxvalue", c.identity->maxValue);
        if (c.identity->cycle)
            kw << QStringLiteral("cycle=") + pyBool(*c.identity->cycle);
        num("cache", c.identity->cache);
        return QStringLiteral("%1Identity(%2)").arg(sa, kw.join(QStringLiteral(", ")));
    }
    const auto d = col.side == OpSide::Database && !reflectedThroughForeignKey(col.schema, col.table)
                       ? ReflectedTypeRepr::reflectedDefault(c, col.table, m_dialect)
                       : c.serverDefault;
    if (!d)
        return std::nullopt;
    return QStringLiteral("%1text(%2)").arg(sa, pyRepr(*d));
}

QString MigrationScriptRenderer::renderColumn(const ColumnRef &col, QSet<QString> *imports) const
{
    const SchemaColumn &c = col.column;
    QStringList args, opts;
    bool positional = false;
    if (const auto d = renderServerDefault(col, &positional))
        (positional ? args : opts) << (positional ? *d : QStringLiteral("server_default=") + *d);
    const ColumnHint *h = columnHint(col);
    if (h) {
        if (h->autoincrement)
            opts << QStringLiteral("autoincrement=") + pyBool(*h->autoincrement);
    } else if (c.autoincrement != SchemaColumn::Autoincrement::Auto) {
        opts << QStringLiteral("autoincrement=") + pyBool(c.autoincrement == SchemaColumn::Autoincrement::Yes);
    }
    opts << QStringLiteral("nullable=") + pyBool(c.nullable);
    if (c.comment && !c.comment->isEmpty())
        opts << QStringLiteral("comment=") + pyRepr(*c.comment);
    if (h)
        for (const auto &kw : h->kwargs)
            opts << kw.first + QLatin1Char('=') + kw.second;
    return QStringLiteral("%1Column(%2, %3, %4%5)")
        .arg(m_options.sqlalchemyPrefix, pyRepr(c.name), renderType(col, imports),
             args.isEmpty() ? QString() : args.join(QStringLiteral(", ")) + QStringLiteral(", "),
             opts.join(QStringLiteral(", ")));
}

QStringList MigrationScriptRenderer::renderConstraints(const AutogenOp &op) const
{
    const QString sa = m_options.sqlalchemyPrefix;
    const SchemaTable &t = op.tableDef;
    QStringList out;
    auto nameOpt = [&](const QString &name, bool conv) {
        return name.isEmpty() ? QString() : QStringLiteral("name=") + genName(OpName{name, conv}, false);
    };
    auto joinArgs = [](QStringList parts) {
        parts.removeAll(QString());
        return parts.join(QStringLiteral(", "));
    };
    const TableHint *hint = (op.side == OpSide::Model && m_hints) ? m_hints->table(op.schema, op.table) : nullptr;
    if (hint) {
        if (hint->primaryKey && !hint->primaryKey->columns.isEmpty()) {
            QStringList parts;
            for (const QString &c : hint->primaryKey->columns)
                parts << pyRepr(c);
            parts << nameOpt(hint->primaryKey->name, hint->primaryKey->conv);
            out << QStringLiteral("%1PrimaryKeyConstraint(%2)").arg(sa, joinArgs(parts));
        }
        for (const ConstraintHint &fk : hint->foreignKeys) {
            QStringList opts{nameOpt(fk.name, fk.conv)};
            if (!fk.onupdate.isEmpty())
                opts << QStringLiteral("onupdate=") + pyRepr(fk.onupdate);
            if (!fk.ondelete.isEmpty())
                opts << QStringLiteral("ondelete=") + pyRepr(fk.ondelete);
            if (!fk.initially.isEmpty())
                opts << QStringLiteral("initially=") + pyRepr(fk.initially);
            if (fk.deferrable && *fk.deferrable)
                opts << QStringLiteral("deferrable=True");
            if (fk.useAlter)
                opts << QStringLiteral("use_alter=True");
            QStringList cols, refs;
            for (const QString &c : fk.columns)
                cols << pyRepr(c);
            for (const QString &r : fk.colspecs)
                refs << pyRepr(r);
            out << QStringLiteral("%1ForeignKeyConstraint([%2], [%3], %4)")
                       .arg(sa, cols.join(QStringLiteral(", ")), refs.join(QStringLiteral(", ")), joinArgs(opts));
        }
        for (const ConstraintHint &u : hint->uniqueConstraints) {
            QStringList parts;
            for (const QString &c : u.columns)
                parts << pyRepr(c);
            if (u.deferrable && *u.deferrable)
                parts << QStringLiteral("deferrable='True'");
            if (!u.initially.isEmpty())
                parts << QStringLiteral("initially=") + pyRepr(u.initially);
            parts << nameOpt(u.name, u.conv);
            out << QStringLiteral("%1UniqueConstraint(%2)").arg(sa, joinArgs(parts));
        }
        for (const ConstraintHint &ck : hint->checkConstraints)
            out << QStringLiteral("%1CheckConstraint(%2%3)")
                       .arg(sa, ck.python, ck.name.isEmpty() ? QString() : QStringLiteral(", ") + nameOpt(ck.name, ck.conv));
    } else {
        if (!t.primaryKey.isEmpty()) {
            QStringList parts;
            for (const QString &c : t.primaryKey.columns)
                parts << pyRepr(c);
            parts << nameOpt(t.primaryKey.name, false);
            out << QStringLiteral("%1PrimaryKeyConstraint(%2)").arg(sa, joinArgs(parts));
        }
        for (const SchemaForeignKey &fk : t.foreignKeys) {
            QStringList opts{nameOpt(fk.name, false)};
            if (!fk.onUpdate.isEmpty())
                opts << QStringLiteral("onupdate=") + pyRepr(fk.onUpdate);
            if (!fk.onDelete.isEmpty())
                opts << QStringLiteral("ondelete=") + pyRepr(fk.onDelete);
            if (!fk.initially.isEmpty())
                opts << QStringLiteral("initially=") + pyRepr(fk.initially);
            if (fk.deferrable && *fk.deferrable)
                opts << QStringLiteral("deferrable=True");
            QStringList cols, refs;
            const QString refTable = fk.referredSchema.isEmpty() ? fk.referredTable
                                                                 : fk.referredSchema + QLatin1Char('.') + fk.referredTable;
            for (const QString &c : fk.columns)
                cols << pyRepr(c);
            for (const QString &r : fk.referredColumns)
                refs << pyRepr(refTable + QLatin1Char('.') + r);
            out << QStringLiteral("%1ForeignKeyConstraint([%2], [%3], %4)")
                       .arg(sa, cols.join(QStringLiteral(", ")), refs.join(QStringLiteral(", ")), joinArgs(opts));
        }
        for (const SchemaUniqueConstraint &u : t.uniqueConstraints) {
            QStringList parts;
            for (const QString &c : u.columns)
                parts << pyRepr(c);
            parts << nameOpt(u.name, false);
            out << QStringLiteral("%1UniqueConstraint(%2)").arg(sa, joinArgs(parts));
        }
        for (const SchemaCheckConstraint &ck : t.checkConstraints)
            out << QStringLiteral("%1CheckConstraint(%2%3)")
                       .arg(sa, pyRepr(ck.sqltext), ck.name.isEmpty() ? QString() : QStringLiteral(", ") + nameOpt(ck.name, false));
    }
    std::sort(out.begin(), out.end());
    return out;
}

QString MigrationScriptRenderer::renderCreateTable(const AutogenOp &op, QSet<QString> *imports) const
{
    QStringList args;
    for (const SchemaColumn &c : op.tableDef.columns)
        args << renderColumn(ColumnRef{op.side, op.schema, op.table, c}, imports);
    args += renderConstraints(op);
    // More than 255 arguments do not fit a Python call: render.py passes *[...] instead.
    QString argText = args.size() > 255 ? QStringLiteral("*[") + args.join(QStringLiteral(",\n")) + QLatin1Char(']')
                                        : args.join(QStringLiteral(",\n"));
    QString text = QStringLiteral("%1create_table(%2,\n%3").arg(m_options.alembicPrefix, pyRepr(op.table), argText);
    if (!op.schema.isEmpty())
        text += QStringLiteral(",\nschema=") + pyRepr(op.schema);
    if (op.tableDef.comment && !op.tableDef.comment->isEmpty())
        text += QStringLiteral(",\ncomment=") + pyRepr(*op.tableDef.comment);
    const TableHint *hint = (op.side == OpSide::Model && m_hints) ? m_hints->table(op.schema, op.table) : nullptr;
    if (hint) {
        for (const auto &kw : hint->kwargs)
            text += QStringLiteral(",\n%1=%2").arg(kw.first, kw.second);
        if (!hint->prefixes.isEmpty()) {
            QStringList p;
            for (const QString &x : hint->prefixes)
                p << QStringLiteral("'%1'").arg(x);
            text += QStringLiteral(",\nprefixes=[%1]").arg(p.join(QStringLiteral(", ")));
        }
    } else {
        QJsonObject options = op.tableDef.dialectOptions;
        // Table() of a foreign key's target gets the referring table's reflection_options.
        if (m_dialect == QLatin1String("postgresql") && reflectedThroughForeignKey(op.schema, op.table))
            options.insert(QStringLiteral("postgresql_ignore_search_path"), false);
        QStringList keys = options.keys();
        std::sort(keys.begin(), keys.end());
        for (const QString &k : keys) {
            const QJsonValue v = options.value(k);
            if (v.isBool())
                text += QStringLiteral(",\n%1=%2").arg(k, pyBool(v.toBool()));
            else if (v.isString())   // "mysql_default charset" is a keyword with "_" for the space
                text += QStringLiteral(",\n%1=%2").arg(QString(k).replace(QLatin1Char(' '), QLatin1Char('_')),
                                                       pyRepr(v.toString()));
        }
    }
    return text + QStringLiteral("\n)");
}

QString MigrationScriptRenderer::renderAlterColumn(const AutogenOp &op, bool inBatch,
                                                   QSet<QString> *imports) const
{
    const QString indent(11, QLatin1Char(' '));
    QString text = inBatch ? QStringLiteral("%1alter_column(%2").arg(prefix(true), pyRepr(op.columnName))
                           : QStringLiteral("%1alter_column(%2, %3").arg(prefix(false), pyRepr(op.table), pyRepr(op.columnName));
    auto add = [&](const QString &kw, const QString &value) {
        text += QStringLiteral(",\n%1%2=%3").arg(indent, kw, value);
    };
    // Beyond Alembic (its renderer never sees modify_name): the rename stays on the
    // first line, where it reads as what the op does.
    if (!op.newColumnName.isEmpty())
        text += QStringLiteral(", new_column_name=") + pyRepr(op.newColumnName);
    if (op.existingType)
        add(QStringLiteral("existing_type"), renderType(*op.existingType, imports));
    if (op.modifiesServerDefault) {
        std::optional<QString> d;
        if (op.modifyServerDefault)
            d = renderServerDefault(*op.modifyServerDefault);
        add(QStringLiteral("server_default"), d.value_or(QStringLiteral("None")));
    }
    if (op.modifyType)
        add(QStringLiteral("type_"), renderType(*op.modifyType, imports));
    if (op.modifyNullable)
        add(QStringLiteral("nullable"), pyBool(*op.modifyNullable));
    if (op.modifiesComment)
        add(QStringLiteral("comment"), reprOrNone(op.modifyComment));
    if (op.existingComment)
        add(QStringLiteral("existing_comment"), pyRepr(*op.existingComment));
    if (!op.modifyNullable && op.existingNullable)
        add(QStringLiteral("existing_nullable"), pyBool(*op.existingNullable));
    if (op.autoincrement)
        add(QStringLiteral("autoincrement"), pyBool(*op.autoincrement));
    if (!op.modifiesServerDefault && op.existingServerDefault)
        if (const auto d = renderServerDefault(*op.existingServerDefault))
            add(QStringLiteral("existing_server_default"), *d);
    if (!op.schema.isEmpty() && !inBatch)
        add(QStringLiteral("schema"), pyRepr(op.schema));
    return text + QLatin1Char(')');
}

QStringList MigrationScriptRenderer::renderOp(const AutogenOp &op, bool inBatch, QSet<QString> *imports) const
{
    const QString p = prefix(inBatch);
    const QString schemaKw = op.schema.isEmpty() ? QString() : QStringLiteral(", schema=") + pyRepr(op.schema);
    switch (op.kind) {
    case AutogenOp::ModifyTable: {
        if (op.ops.isEmpty())
            return {};
        QStringList lines;
        const bool batch = m_options.renderAsBatch;
        if (batch)
            lines << QStringLiteral("with %1batch_alter_table(%2, schema=%3) as batch_op:")
                         .arg(m_options.alembicPrefix, pyRepr(op.table),
                              op.schema.isEmpty() ? QStringLiteral("None") : pyRepr(op.schema));
        for (const AutogenOp &sub : op.ops)
            lines += renderOp(sub, batch, imports);
        if (batch)
            lines << QString();
        return lines;
    }
    case AutogenOp::CreateTable:
        return {renderCreateTable(op, imports)};
    case AutogenOp::DropTable:
        return {QStringLiteral("%1drop_table(%2%3)").arg(m_options.alembicPrefix, pyRepr(op.table), schemaKw)};
    case AutogenOp::RenameTable:
        return {QStringLiteral("%1rename_table(%2, %3%4)")
                    .arg(m_options.alembicPrefix, pyRepr(op.table), pyRepr(op.newTableName), schemaKw)};
    case AutogenOp::AddColumn:
        if (inBatch)
            return {QStringLiteral("%1add_column(%2)").arg(p, renderColumn(op.column, imports))};
        return {QStringLiteral("%1add_column(%2, %3%4)").arg(p, pyRepr(op.table), renderColumn(op.column, imports), schemaKw)};
    case AutogenOp::DropColumn:
        if (inBatch)
            return {QStringLiteral("%1drop_column(%2)").arg(p, pyRepr(op.column.column.name))};
        return {QStringLiteral("%1drop_column(%2, %3%4)").arg(p, pyRepr(op.table), pyRepr(op.column.column.name), schemaKw)};
    case AutogenOp::AlterColumn:
        return {renderAlterColumn(op, inBatch, imports)};
    case AutogenOp::CreateIndex:
    case AutogenOp::DropIndex: {
        QStringList exprs;
        RenderedKwargs kwargs;
        const TableHint *th = (op.side == OpSide::Model && m_hints) ? m_hints->table(op.schema, op.table) : nullptr;
        const ConstraintHint *ih = th ? th->index(op.index.name) : nullptr;
        if (ih) {
            exprs = ih->expressions;
            kwargs = ih->kwargs;
        } else {
            for (int i = 0; i < op.index.columns.size(); ++i) {
                const bool isExpr = i < op.index.isExpression.size() && op.index.isExpression.at(i);
                exprs << (isExpr ? QStringLiteral("%1text(%2)").arg(m_options.sqlalchemyPrefix, pyRepr(op.index.columns.at(i)))
                                 : pyRepr(op.index.columns.at(i)));
            }
        }
        QString kw;
        for (const auto &k : kwargs)
            kw += QStringLiteral(", %1=%2").arg(k.first, k.second);
        if (op.kind == AutogenOp::CreateIndex) {
            const QString unique = QStringLiteral("unique=") + pyBool(op.index.unique);
            if (inBatch)
                return {QStringLiteral("%1create_index(%2, [%3], %4%5)").arg(p, genName(op.name, true), exprs.join(QStringLiteral(", ")), unique, kw)};
            return {QStringLiteral("%1create_index(%2, %3, [%4], %5%6%7)")
                        .arg(p, genName(op.name, false), pyRepr(op.table), exprs.join(QStringLiteral(", ")), unique, schemaKw, kw)};
        }
        if (inBatch)
            return {QStringLiteral("%1drop_index(%2%3)").arg(p, genName(op.name, true), kw)};
        return {QStringLiteral("%1drop_index(%2, table_name=%3%4%5)").arg(p, genName(op.name, false), pyRepr(op.table), schemaKw, kw)};
    }
    case AutogenOp::AddUniqueConstraint: {
        QStringList args{genName(op.name, inBatch)};
        if (!inBatch)
            args << pyRepr(op.table);
        args << reprList(op.unique.columns);
        const TableHint *th = (op.side == OpSide::Model && m_hints) ? m_hints->table(op.schema, op.table) : nullptr;
        if (const ConstraintHint *uh = th ? th->unique(op.unique.name, op.unique.columns) : nullptr) {
            if (uh->deferrable && *uh->deferrable)
                args << QStringLiteral("deferrable='True'");
            if (!uh->initially.isEmpty())
                args << QStringLiteral("initially=") + pyRepr(uh->initially);
        }
        if (!inBatch && !op.schema.isEmpty())
            args << QStringLiteral("schema=") + pyRepr(op.schema);
        return {QStringLiteral("%1create_unique_constraint(%2)").arg(p, args.join(QStringLiteral(", ")))};
    }
    case AutogenOp::DropUniqueConstraint:
    case AutogenOp::DropForeignKey: {
        const QString type = op.kind == AutogenOp::DropForeignKey ? QStringLiteral("foreignkey") : QStringLiteral("unique");
        if (inBatch)
            return {QStringLiteral("%1drop_constraint(%2, type_=%3)").arg(p, genName(op.name, true), pyRepr(type))};
        return {QStringLiteral("%1drop_constraint(%2, '%3'%4, type_=%5)").arg(p, genName(op.name, false), op.table, schemaKw, pyRepr(type))};
    }
    case AutogenOp::CreateForeignKey: {
        const SchemaForeignKey &fk = op.foreignKey;
        QStringList args{genName(op.name, inBatch)};
        if (!inBatch)
            args << pyRepr(op.table);
        args << pyRepr(fk.referredTable) << reprList(fk.columns) << reprList(fk.referredColumns);
        if (!inBatch && !op.schema.isEmpty())
            args << QStringLiteral("source_schema=") + pyRepr(op.schema);
        if (!fk.referredSchema.isEmpty())
            args << QStringLiteral("referent_schema=") + pyRepr(fk.referredSchema);
        if (!fk.onUpdate.isEmpty())
            args << QStringLiteral("onupdate=") + pyRepr(fk.onUpdate);
        if (!fk.onDelete.isEmpty())
            args << QStringLiteral("ondelete=") + pyRepr(fk.onDelete);
        if (!fk.initially.isEmpty())
            args << QStringLiteral("initially=") + pyRepr(fk.initially);
        if (fk.deferrable && *fk.deferrable)
            args << QStringLiteral("deferrable=True");
        return {QStringLiteral("%1create_foreign_key(%2)").arg(p, args.join(QStringLiteral(", ")))};
    }
    case AutogenOp::CreateTableComment:
        return {QStringLiteral("%1create_table_comment(\n    '%2',\n    %3,\n    existing_comment=%4,\n    schema=%5\n)")
                    .arg(p, op.table, reprOrNone(op.comment), reprOrNone(op.existingComment),
                         op.schema.isEmpty() ? QStringLiteral("None") : QStringLiteral("'%1'").arg(op.schema))};
    case AutogenOp::DropTableComment:
        return {QStringLiteral("%1drop_table_comment(\n    '%2',\n    existing_comment=%3,\n    schema=%4\n)")
                    .arg(p, op.table, reprOrNone(op.existingComment),
                         op.schema.isEmpty() ? QStringLiteral("None") : QStringLiteral("'%1'").arg(op.schema))};
    }
    return {};
}

} // namespace retort
