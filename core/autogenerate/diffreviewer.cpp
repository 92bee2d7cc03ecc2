#include "diffreviewer.h"

#include <QLocale>

namespace retort {

namespace {

QString typeKey(const SchemaColumn &c)
{
    // Model and database spell types differently (String vs VARCHAR): compare the
    // compiled text, which both sides have for the same dialect.
    return c.type.trimmed().toUpper();
}

QString qualified(const QString &schema, const QString &name)
{
    return schema.isEmpty() ? name : schema + QLatin1Char('.') + name;
}

// "1,234 rows" / "1 row".
QString rowCount(qint64 n)
{
    return n == 1 ? QStringLiteral("1 row") : QLocale(QLocale::English).toString(n) + QStringLiteral(" rows");
}

// "1,234 rows have a value" / "1 row has a value".
QString rowsPhrase(qint64 n, const QString &singularVerb, const QString &pluralVerb)
{
    return rowCount(n) + QLatin1Char(' ') + (n == 1 ? singularVerb : pluralVerb);
}

void flagColumnRenames(AutogenOp &modify)
{
    for (AutogenOp &drop : modify.ops) {
        if (drop.kind != AutogenOp::DropColumn || drop.possibleRename)
            continue;
        for (AutogenOp &add : modify.ops) {
            if (add.kind != AutogenOp::AddColumn || add.possibleRename)
                continue;
            if (typeKey(add.column.column) != typeKey(drop.column.column))
                continue;
            drop.possibleRename = add.possibleRename = true;
            drop.renameCounterpart = add.column.column.name;
            add.renameCounterpart = drop.column.column.name;
            break;
        }
    }
}

QStringList columnSignature(const SchemaTable &t)
{
    QStringList s;
    for (const SchemaColumn &c : t.columns)
        s << c.name + QLatin1Char(':') + typeKey(c);
    s.sort();
    return s;
}

void flagTableRenames(AutogenOps &ops)
{
    for (AutogenOp &drop : ops) {
        if (drop.kind != AutogenOp::DropTable)
            continue;
        for (AutogenOp &create : ops) {
            if (create.kind == AutogenOp::CreateTable && !create.possibleRename && create.schema == drop.schema
                && columnSignature(create.tableDef) == columnSignature(drop.tableDef)) {
                drop.possibleRename = create.possibleRename = true;
                drop.renameCounterpart = create.table;
                create.renameCounterpart = drop.table;
                break;
            }
        }
    }
}

using Count = std::function<std::optional<qint64>(const QString &column, const QString &condition)>;

void reviewAlter(AutogenOp &alter, const QString &table, const Count &count)
{
    QStringList why;
    bool destructive = false;
    const QString col = qualified(table, alter.columnName);
    if (alter.modifyNullable && !*alter.modifyNullable) {
        // NOT NULL fails only if NULLs are there: with none it is safe.
        const auto nulls = count(alter.columnName, QStringLiteral("IS NULL"));
        if (!nulls) {
            destructive = true;
            why << QStringLiteral("NOT NULL on %1: fails if any row is NULL").arg(col);
        } else {
            destructive = destructive || *nulls > 0;
            why << QStringLiteral("NOT NULL on %1: %2").arg(col, *nulls ? rowsPhrase(*nulls, QStringLiteral("is NULL"), QStringLiteral("are NULL"))
                                                                          : QStringLiteral("no rows are NULL"));
        }
    }
    if (alter.modifyType && alter.existingType
        && DiffReviewer::isNarrowing(alter.existingType->column, alter.modifyType->column)) {
        const auto values = count(alter.columnName, QStringLiteral("IS NOT NULL"));
        destructive = destructive || !values || *values > 0;
        QString text = QStringLiteral("narrows %1 %2 -> %3").arg(col, alter.existingType->column.type,
                                                                  alter.modifyType->column.type);
        if (values)
            text += QStringLiteral(": ") + (*values ? rowsPhrase(*values, QStringLiteral("has a value"), QStringLiteral("have a value"))
                                                     : QStringLiteral("no rows have a value"));
        why << text;
    }
    if (destructive)
        alter.safety = OpSafety::Destructive;
    if (!why.isEmpty())
        alter.reason = why.join(QStringLiteral("; "));
}

void reviewTableOps(AutogenOp &modify, const Count &count)
{
    const QString table = qualified(modify.schema, modify.table);
    flagColumnRenames(modify);
    for (AutogenOp &sub : modify.ops) {
        if (sub.kind == AutogenOp::DropColumn) {
            const QString col = sub.column.column.name;
            const auto values = count(col, QStringLiteral("IS NOT NULL"));
            sub.safety = OpSafety::Destructive;
            sub.reason = values ? QStringLiteral("drops column %1.%2: %3")
                                      .arg(table, col, rowsPhrase(*values, QStringLiteral("has a value"),
                                                                  QStringLiteral("have a value")))
                                : QStringLiteral("drops column %1.%2 and its data").arg(table, col);
            if (sub.possibleRename)
                sub.reason += QStringLiteral("; possibly a rename to %1").arg(sub.renameCounterpart);
        } else if (sub.kind == AutogenOp::AddColumn) {
            QStringList why;
            if (!sub.column.column.nullable && !sub.column.column.serverDefault) {
                // Fails on a table with rows; an empty table takes it.
                const auto rows = count({}, {});
                if (!rows || *rows > 0)
                    sub.safety = OpSafety::Destructive;
                why << QStringLiteral("NOT NULL column %1.%2 without a server default%3")
                           .arg(table, sub.column.column.name,
                                rows ? QStringLiteral(": the table has %1").arg(rowCount(*rows))
                                     : QStringLiteral(": fails on a non-empty table"));
            }
            if (sub.possibleRename)
                why << QStringLiteral("possibly a rename of %1").arg(sub.renameCounterpart);
            sub.reason = why.join(QStringLiteral("; "));
        } else if (sub.kind == AutogenOp::AlterColumn) {
            reviewAlter(sub, table, count);
        } else if (sub.kind == AutogenOp::AddUniqueConstraint) {
            sub.reason = QStringLiteral("fails if existing rows hold duplicates");
        }
    }
}


AutogenOp *findModify(AutogenOps &ops, const QString &schema, const QString &table)
{
    for (AutogenOp &op : ops)
        if (op.kind == AutogenOp::ModifyTable && op.schema == schema && op.table == table)
            return &op;
    return nullptr;
}

int findOp(const AutogenOps &ops, AutogenOp::Kind kind, const QString &schema, const QString &name)
{
    for (int i = 0; i < ops.size(); ++i) {
        const AutogenOp &op = ops.at(i);
        const QString opName = (kind == AutogenOp::AddColumn || kind == AutogenOp::DropColumn)
                                   ? op.column.column.name : op.table;
        if (op.kind == kind && op.schema == schema && opName == name)
            return i;
    }
    return -1;
}

// The other half of a flagged pair loses its partner when a different pairing is taken.
void unflagPartners(AutogenOps &ops, const QString &from, const QString &to)
{
    for (AutogenOp &op : ops) {
        if (op.possibleRename && (op.renameCounterpart == from || op.renameCounterpart == to)) {
            op.possibleRename = false;
            op.renameCounterpart.clear();
        }
    }
}

AutogenOp columnRenameOp(const AutogenOp &drop, const AutogenOp &add)
{
    const SchemaColumn &was = drop.column.column;
    const SchemaColumn &now = add.column.column;
    AutogenOp alter;
    alter.kind = AutogenOp::AlterColumn;
    alter.schema = drop.schema;
    alter.table = drop.table;
    alter.side = OpSide::Database;
    alter.columnName = was.name;
    alter.newColumnName = now.name;
    alter.existingType = drop.column;
    alter.existingNullable = was.nullable;
    if (was.nullable != now.nullable)
        alter.modifyNullable = now.nullable;
    if (was.serverDefault)
        alter.existingServerDefault = drop.column;
    if (was.comment)
        alter.existingComment = was.comment;
    alter.alembicLog = add.alembicLog + drop.alembicLog;
    alter.reason = QStringLiteral("renames column %1.%2 to %3")
                       .arg(qualified(drop.schema, drop.table), was.name, now.name);
    if (alter.modifyNullable && !*alter.modifyNullable) {
        alter.safety = OpSafety::Destructive;
        alter.reason += QStringLiteral("; NOT NULL on %1: fails if any row is NULL").arg(now.name);
    }
    return alter;
}

VoidResult renameColumn(AutogenOps &ops, const DiffReviewer::RenameChoice &c)
{
    const QString table = qualified(c.schema, c.table);
    AutogenOp *modify = findModify(ops, c.schema, c.table);
    const int dropAt = modify ? findOp(modify->ops, AutogenOp::DropColumn, c.schema, c.from) : -1;
    if (dropAt < 0)
        return Error(QStringLiteral("cannot rename %1.%2: the diff does not drop column %2 from %1").arg(table, c.from));
    const int addAt = findOp(modify->ops, AutogenOp::AddColumn, c.schema, c.to);
    if (addAt < 0)
        return Error(QStringLiteral("cannot rename %1.%2 to %3: the diff does not add column %3 to %1")
                         .arg(table, c.from, c.to));
    const AutogenOp &drop = modify->ops.at(dropAt);
    const AutogenOp &add = modify->ops.at(addAt);
    if (typeKey(drop.column.column) != typeKey(add.column.column))
        return Error(QStringLiteral("cannot rename %1.%2 to %3: the types differ (%4 vs %5)")
                         .arg(table, c.from, c.to, drop.column.column.type, add.column.column.type));
    const AutogenOp alter = columnRenameOp(drop, add);
    modify->ops[addAt] = alter;
    modify->ops.removeAt(dropAt);
    unflagPartners(modify->ops, c.from, c.to);
    return {};
}

bool sameIndex(const AutogenOp &a, const AutogenOp &b)
{
    return a.index.name == b.index.name && a.index.columns == b.index.columns && a.index.unique == b.index.unique;
}

// After the rename the old table's indexes live on the new one: drop the pairs that
// the new table would recreate identically, and point the remaining drops at the
// new name, ahead of the new table's creates (a name may be reused).
void moveTableOps(AutogenOps &ops, const QString &schema, const QString &from, const QString &to)
{
    AutogenOp *old = findModify(ops, schema, from);
    if (!old)
        return;
    AutogenOps drops = old->ops;
    ops.removeAt(int(old - ops.data()));
    AutogenOp *created = findModify(ops, schema, to);
    AutogenOps creates = created ? created->ops : AutogenOps();
    for (int i = drops.size() - 1; i >= 0; --i) {
        for (int j = 0; j < creates.size(); ++j) {
            if (drops.at(i).kind == AutogenOp::DropIndex && creates.at(j).kind == AutogenOp::CreateIndex
                && sameIndex(drops.at(i), creates.at(j))) {
                drops.removeAt(i);
                creates.removeAt(j);
                break;
            }
        }
    }
    for (AutogenOp &d : drops) {
        d.table = to;
        d.column.table = to;
    }
    if (created) {
        created->ops = drops + creates;
        if (created->ops.isEmpty())
            ops.removeAt(int(created - ops.data()));
    } else if (!drops.isEmpty()) {
        AutogenOp modify;
        modify.schema = schema;
        modify.table = to;
        modify.ops = drops;
        const int at = findOp(ops, AutogenOp::RenameTable, schema, from);
        ops.insert(at + 1, modify);
    }
}

VoidResult renameTable(AutogenOps &ops, const DiffReviewer::RenameChoice &c)
{
    const int dropAt = findOp(ops, AutogenOp::DropTable, c.schema, c.from);
    if (dropAt < 0)
        return Error(QStringLiteral("cannot rename table %1: the diff does not drop it").arg(qualified(c.schema, c.from)));
    const int createAt = findOp(ops, AutogenOp::CreateTable, c.schema, c.to);
    if (createAt < 0)
        return Error(QStringLiteral("cannot rename table %1 to %2: the diff does not create table %2")
                         .arg(qualified(c.schema, c.from), c.to));
    if (columnSignature(ops.at(dropAt).tableDef) != columnSignature(ops.at(createAt).tableDef))
        return Error(QStringLiteral("cannot rename table %1 to %2: their columns differ")
                         .arg(qualified(c.schema, c.from), c.to));
    AutogenOp rename;
    rename.kind = AutogenOp::RenameTable;
    rename.schema = c.schema;
    rename.table = c.from;
    rename.newTableName = c.to;
    rename.side = OpSide::Database;
    rename.tableDef = ops.at(dropAt).tableDef;
    rename.alembicLog = ops.at(createAt).alembicLog + ops.at(dropAt).alembicLog;
    rename.reason = QStringLiteral("renames table %1 to %2").arg(qualified(c.schema, c.from), c.to);
    // Added tables come before removed ones: the rename takes the create's place.
    ops[createAt] = rename;
    ops.removeAt(dropAt);
    unflagPartners(ops, c.from, c.to);
    moveTableOps(ops, c.schema, c.from, c.to);
    return {};
}

} // namespace

VoidResult DiffReviewer::applyRename(AutogenOps &upgradeOps, const RenameChoice &choice)
{
    if (choice.from.isEmpty() || choice.to.isEmpty() || (!choice.isTable && choice.table.isEmpty()))
        return Error(QStringLiteral("a rename needs a table, the old and the new name"));
    return choice.isTable ? renameTable(upgradeOps, choice) : renameColumn(upgradeOps, choice);
}

bool DiffReviewer::isNarrowing(const SchemaColumn &from, const SchemaColumn &to)
{
    const SchemaType &a = from.typeInfo;
    const SchemaType &b = to.typeInfo;
    if (!a.affinity.isEmpty() && !b.affinity.isEmpty() && a.affinity != b.affinity) {
        // Integer -> Numeric and String -> Text-like widenings keep data.
        const bool widening = (a.affinity == QLatin1String("Integer") && b.affinity == QLatin1String("Numeric"))
                              || (a.affinity == QLatin1String("Enum") && b.affinity == QLatin1String("String"));
        return !widening;
    }
    if (b.length && (!a.length || *b.length < *a.length))
        return true;
    if (a.precision && b.precision && *b.precision < *a.precision)
        return true;
    if (a.scale && b.scale && *b.scale < *a.scale)
        return true;
    if (!a.enumValues.isEmpty() && !b.enumValues.isEmpty())
        for (const QString &v : a.enumValues)
            if (!b.enumValues.contains(v))
                return true;
    return false;
}

void DiffReviewer::review(AutogenOps &ops, const RowCounter &rows)
{
    flagTableRenames(ops);
    for (AutogenOp &op : ops) {
        const Count count = [&](const QString &column, const QString &condition) {
            return rows ? rows(op.schema, op.table, column, condition) : std::optional<qint64>();
        };
        switch (op.kind) {
        case AutogenOp::DropTable: {
            const auto n = count({}, {});
            op.safety = OpSafety::Destructive;
            op.reason = n ? QStringLiteral("drops table %1: %2").arg(qualified(op.schema, op.table), rowCount(*n))
                          : QStringLiteral("drops table %1 and its data").arg(qualified(op.schema, op.table));
            if (op.possibleRename)
                op.reason += QStringLiteral("; possibly a rename to %1").arg(op.renameCounterpart);
            break;
        }
        case AutogenOp::CreateTable:
            if (op.possibleRename)
                op.reason = QStringLiteral("possibly a rename of %1").arg(op.renameCounterpart);
            break;
        case AutogenOp::ModifyTable:
            reviewTableOps(op, count);
            break;
        default:
            break;
        }
    }
}

} // namespace retort
