#include "autogenop.h"

#include <algorithm>

namespace retort {

namespace {

template<typename T>
void swapIfModified(bool modified, T &existing, T &modify)
{
    if (modified)
        std::swap(existing, modify);
}

QString qualified(const QString &schema, const QString &table)
{
    return schema.isEmpty() ? table : schema + QLatin1Char('.') + table;
}

} // namespace

AutogenOp AutogenOp::reversed() const
{
    AutogenOp r = *this;
    switch (kind) {
    case CreateTable: r.kind = DropTable; break;
    case DropTable: r.kind = CreateTable; break;
    case ModifyTable:
        r.ops = reverseOps(ops);
        break;
    case AddColumn: r.kind = DropColumn; break;
    case DropColumn: r.kind = AddColumn; break;
    case CreateIndex: r.kind = DropIndex; break;
    case DropIndex: r.kind = CreateIndex; break;
    case AddUniqueConstraint: r.kind = DropUniqueConstraint; break;
    case DropUniqueConstraint: r.kind = AddUniqueConstraint; break;
    case CreateForeignKey: r.kind = DropForeignKey; break;
    case DropForeignKey: r.kind = CreateForeignKey; break;
    case AlterColumn:
        // AlterColumnOp.reverse(): existing_X and modify_X swap for every X modified.
        if (modifyType)
            std::swap(r.existingType, r.modifyType);
        if (modifyNullable)
            std::swap(r.existingNullable, r.modifyNullable);
        swapIfModified(modifiesServerDefault, r.existingServerDefault, r.modifyServerDefault);
        swapIfModified(modifiesComment, r.existingComment, r.modifyComment);
        if (!newColumnName.isEmpty()) {
            r.columnName = newColumnName;
            r.newColumnName = columnName;
        }
        break;
    case RenameTable:
        r.table = newTableName;
        r.newTableName = table;
        break;
    case CreateTableComment:
        // CreateTableCommentOp.reverse(): back to the old comment, or drop it if none.
        if (!existingComment) {
            r.kind = DropTableComment;
            r.existingComment = comment;
            r.comment.reset();
        } else {
            r.comment = existingComment;
            r.existingComment = comment;
        }
        break;
    case DropTableComment:
        r.kind = CreateTableComment;
        r.comment = existingComment;
        r.existingComment.reset();
        break;
    }
    return r;
}

AutogenOps reverseOps(const AutogenOps &upgrade)
{
    AutogenOps out;
    out.reserve(upgrade.size());
    for (auto it = upgrade.crbegin(); it != upgrade.crend(); ++it)
        out.append(it->reversed());
    return out;
}

QString AutogenOp::describe() const
{
    const QString t = qualified(schema, table);
    switch (kind) {
    case CreateTable: return QStringLiteral("add_table %1").arg(t);
    case DropTable: return QStringLiteral("remove_table %1").arg(t);
    case ModifyTable: return QStringLiteral("modify_table %1").arg(t);
    case AddColumn: return QStringLiteral("add_column %1.%2").arg(t, column.column.name);
    case DropColumn: return QStringLiteral("remove_column %1.%2").arg(t, column.column.name);
    case AlterColumn: {
        QStringList what;
        if (modifyType)
            what << QStringLiteral("type %1 -> %2")
                        .arg(existingType ? existingType->column.type : QStringLiteral("?"),
                             modifyType->column.type);
        if (modifyNullable)
            what << (*modifyNullable ? QStringLiteral("NULL") : QStringLiteral("NOT NULL"));
        if (modifiesServerDefault)
            what << QStringLiteral("server default");
        if (modifiesComment)
            what << QStringLiteral("comment");
        if (!newColumnName.isEmpty())
            what << QStringLiteral("rename to %1").arg(newColumnName);
        return QStringLiteral("modify_column %1.%2 (%3)").arg(t, columnName, what.join(QStringLiteral(", ")));
    }
    case CreateIndex: return QStringLiteral("add_index %1 on %2").arg(name.name, t);
    case DropIndex: return QStringLiteral("remove_index %1 on %2").arg(name.name, t);
    case AddUniqueConstraint: return QStringLiteral("add_constraint unique %1 on %2").arg(name.name, t);
    case DropUniqueConstraint: return QStringLiteral("remove_constraint unique %1 on %2").arg(name.name, t);
    case CreateForeignKey:
        return QStringLiteral("add_fk %1(%2) -> %3(%4)")
            .arg(t, foreignKey.columns.join(QStringLiteral(", ")),
                 qualified(foreignKey.referredSchema, foreignKey.referredTable),
                 foreignKey.referredColumns.join(QStringLiteral(", ")));
    case DropForeignKey:
        return QStringLiteral("remove_fk %1(%2) -> %3(%4)")
            .arg(t, foreignKey.columns.join(QStringLiteral(", ")),
                 qualified(foreignKey.referredSchema, foreignKey.referredTable),
                 foreignKey.referredColumns.join(QStringLiteral(", ")));
    case CreateTableComment: return QStringLiteral("add_table_comment %1").arg(t);
    case DropTableComment: return QStringLiteral("remove_table_comment %1").arg(t);
    case RenameTable: return QStringLiteral("rename_table %1 -> %2").arg(t, newTableName);
    }
    return {};
}

} // namespace retort
