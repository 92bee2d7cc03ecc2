#pragma once
// One autogenerate operation (Alembic's ops.MigrateOperation subclasses that
// autogenerate produces), as plain data. A list of these in Alembic's order is the
// diff; reversed() gives the downgrade op, as MigrateOperation.reverse() does.
//
// Objects remember which side they come from: model objects render through the
// hints the Python helper computed (sa.String(length=50), op.f() names); database
// objects render as SQLAlchemy reflects them (sa.VARCHAR(length=50), sa.text(...)).

#include "schema/schemamodel.h"

#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace retort {

enum class OpSide { Model, Database };

// A constraint/index name as autogenerate writes it: 'x', op.f('x') or None.
struct OpName
{
    QString name;        // empty = None
    bool conv = false;   // a naming-convention name: rendered op.f('...')
};

// A column together with where it lives, so its type / default can be rendered.
struct ColumnRef
{
    OpSide side = OpSide::Model;
    QString schema;
    QString table;
    SchemaColumn column;
};

// What autogenerate's safety review says about an operation (beyond Alembic).
enum class OpSafety { Safe, Destructive };

struct AutogenOp
{
    enum Kind {
        CreateTable, DropTable, ModifyTable,
        AddColumn, DropColumn, AlterColumn,
        CreateIndex, DropIndex,
        AddUniqueConstraint, DropUniqueConstraint,
        CreateForeignKey, DropForeignKey,
        CreateTableComment, DropTableComment,
        RenameTable                  // beyond Alembic: an accepted possible rename
    };

    Kind kind = ModifyTable;
    QString schema;                  // "" = default schema (schema=None)
    QString table;
    OpSide side = OpSide::Model;     // origin of tableDef / column / index / constraint

    SchemaTable tableDef;            // CreateTable / DropTable: the whole table
    ColumnRef column;                // AddColumn / DropColumn
    SchemaIndex index;               // CreateIndex / DropIndex
    SchemaUniqueConstraint unique;   // Add/DropUniqueConstraint
    SchemaForeignKey foreignKey;     // CreateForeignKey / DropForeignKey
    OpName name;                     // index / constraint name as rendered

    // AlterColumn, mirroring AlterColumnOp (modify_* unset = unchanged).
    QString columnName;
    std::optional<ColumnRef> existingType;
    std::optional<ColumnRef> modifyType;
    std::optional<bool> existingNullable;
    std::optional<bool> modifyNullable;
    bool modifiesServerDefault = false;
    std::optional<ColumnRef> modifyServerDefault;     // column carrying the new default; nullopt = None
    std::optional<ColumnRef> existingServerDefault;   // column carrying the old default
    bool modifiesComment = false;
    std::optional<QString> modifyComment;
    std::optional<QString> existingComment;
    std::optional<bool> autoincrement;                // kw["autoincrement"]
    QString newColumnName;                            // modify_name: an accepted column rename

    // RenameTable: `table` is renamed to newTableName (same schema).
    QString newTableName;

    // Table comments.
    std::optional<QString> comment;

    QVector<AutogenOp> ops;          // ModifyTable: the table's operations

    // What Alembic logs for this op while comparing ("Detected added table 'x'", the
    // text after "INFO  [alembic.autogenerate.compare] "); several lines for an alter,
    // none for the second op of a changed index / constraint pair.
    QStringList alembicLog;

    // Beyond Alembic: review information (never rendered into the script).
    OpSafety safety = OpSafety::Safe;
    QString reason;                  // why it is destructive / what it may be
    bool possibleRename = false;
    QString renameCounterpart;       // the added/dropped column or table it may be

    bool isEmpty() const { return kind == ModifyTable && ops.isEmpty(); }
    bool alterHasChanges() const
    {
        return modifyType || modifyNullable || modifiesServerDefault || modifiesComment
               || !newColumnName.isEmpty();
    }
    // MigrateOperation.reverse(): the downgrade counterpart.
    AutogenOp reversed() const;
    // "add_column users.bio"... one line for logs and `check`.
    QString describe() const;
};

using AutogenOps = QVector<AutogenOp>;

// UpgradeOps.reverse_into(): each op reversed, in reverse order.
AutogenOps reverseOps(const AutogenOps &upgrade);

} // namespace retort
