#include "diffreviewer.h"

namespace retort {

namespace {

QString typeKey(const SchemaColumn &c)
{
    // Model and database spell types differently (String vs VARCHAR): compare the
    // compiled text, which both sides have for the same dialect.
    return c.type.trimmed().toUpper();
}

QString rowsText(const std::optional<qint64> &n, const QString &what)
{
    if (!n)
        return {};
    return QStringLiteral(" (%1 %2)").arg(*n).arg(what);
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

} // namespace

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
    auto count = [&](const QString &s, const QString &t, const QString &c, const QString &cond) {
        return rows ? rows(s, t, c, cond) : std::optional<qint64>();
    };
    // Table renames: a dropped and a created table with the same columns.
    for (AutogenOp &drop : ops) {
        if (drop.kind != AutogenOp::DropTable)
            continue;
        for (AutogenOp &create : ops) {
            if (create.kind == AutogenOp::CreateTable && !create.possibleRename
                && columnSignature(create.tableDef) == columnSignature(drop.tableDef)) {
                drop.possibleRename = create.possibleRename = true;
                drop.renameCounterpart = create.table;
                create.renameCounterpart = drop.table;
                break;
            }
        }
    }
    for (AutogenOp &op : ops) {
        switch (op.kind) {
        case AutogenOp::DropTable:
            op.safety = OpSafety::Destructive;
            op.reason = QStringLiteral("drops table %1 and its data%2")
                            .arg(op.table, rowsText(count(op.schema, op.table, {}, {}), QStringLiteral("rows")));
            if (op.possibleRename)
                op.reason += QStringLiteral("; possibly a rename to %1").arg(op.renameCounterpart);
            break;
        case AutogenOp::CreateTable:
            if (op.possibleRename)
                op.reason = QStringLiteral("possibly a rename of %1").arg(op.renameCounterpart);
            break;
        case AutogenOp::ModifyTable:
            flagColumnRenames(op);
            for (AutogenOp &sub : op.ops) {
                if (sub.kind == AutogenOp::DropColumn) {
                    const QString col = sub.column.column.name;
                    sub.safety = OpSafety::Destructive;
                    sub.reason = QStringLiteral("drops column %1.%2 and its data%3")
                                     .arg(op.table, col,
                                          rowsText(count(op.schema, op.table, col, QStringLiteral("IS NOT NULL")),
                                                   QStringLiteral("non-null values")));
                    if (sub.possibleRename)
                        sub.reason += QStringLiteral("; possibly a rename to %1").arg(sub.renameCounterpart);
                } else if (sub.kind == AutogenOp::AddColumn) {
                    if (sub.possibleRename)
                        sub.reason = QStringLiteral("possibly a rename of %1").arg(sub.renameCounterpart);
                    if (!sub.column.column.nullable && !sub.column.column.serverDefault) {
                        sub.safety = OpSafety::Destructive;
                        sub.reason += QStringLiteral("%1NOT NULL column without a server default: fails on a "
                                                     "non-empty table%2")
                                          .arg(sub.reason.isEmpty() ? QString() : QStringLiteral("; "),
                                               rowsText(count(op.schema, op.table, {}, {}), QStringLiteral("rows")));
                    }
                } else if (sub.kind == AutogenOp::AlterColumn) {
                    QStringList why;
                    if (sub.modifyNullable && !*sub.modifyNullable)
                        why << QStringLiteral("sets NOT NULL%1")
                                   .arg(rowsText(count(op.schema, op.table, sub.columnName, QStringLiteral("IS NULL")),
                                                 QStringLiteral("rows are NULL")));
                    if (sub.modifyType && sub.existingType
                        && isNarrowing(sub.existingType->column, sub.modifyType->column))
                        why << QStringLiteral("narrows the type %1 -> %2%3")
                                   .arg(sub.existingType->column.type, sub.modifyType->column.type,
                                        rowsText(count(op.schema, op.table, sub.columnName, QStringLiteral("IS NOT NULL")),
                                                 QStringLiteral("values to convert")));
                    if (!why.isEmpty()) {
                        sub.safety = OpSafety::Destructive;
                        sub.reason = why.join(QStringLiteral("; "));
                    }
                } else if (sub.kind == AutogenOp::AddUniqueConstraint) {
                    sub.reason = QStringLiteral("fails if existing rows hold duplicates");
                }
            }
            break;
        default:
            break;
        }
    }
}

} // namespace retort
