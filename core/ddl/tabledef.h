#pragma once
// The schema objects DDL is rendered from, in the shape SQLAlchemy's Table/Column/
// Constraint/Index take once an op's arguments are evaluated. Pure data: built from a
// script's PyValues by SchemaBuilder, or read from a live database (SqliteTableReader)
// for batch mode's move-and-copy.

#include "python/pyvalue.h"

#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace retort {

struct ConstraintDef
{
    enum Kind { PrimaryKey, ForeignKey, Unique, Check };
    Kind kind = Unique;
    QString name;                      // empty = unnamed
    QStringList columns;
    // ForeignKey
    QString refSchema;
    QString refTable;
    QStringList refColumns;
    QString onDelete;
    QString onUpdate;
    std::optional<bool> deferrable;
    QString initially;
    QString match;
    // Check
    QString sqlText;
    // A Boolean/Enum type's CHECK for this column; rendered only where the dialect
    // lacks the native type (TypeRenderer::typeCheck).
    QString typeCheckColumn;
    // Created from a column flag (unique=True, ForeignKey, type CHECK) rather than an
    // explicit constraint object: SQLAlchemy orders those after the explicit ones.
    bool fromColumn = false;
};

struct ColumnDef
{
    QString name;
    PyValue type;                      // sa.Integer(), sa.String(50), postgresql.UUID() ...; None = NullType
    bool nullable = true;
    bool nullableExplicit = false;     // nullable= given: a primary key keeps nullable=True
    bool primaryKey = false;
    bool unique = false;
    bool index = false;
    std::optional<PyValue> serverDefault;   // Str, sa.text(...), sa.func.now(), sa.false() ...
    PyValue autoincrement = PyValue::string(QStringLiteral("auto"));  // "auto", True, False
    std::optional<QString> comment;
    bool hasForeignKey = false;        // a sa.ForeignKey or a table-level FK's column (autoincrement rule)
    bool clientDefault = false;        // default= other than None or a Sequence (autoincrement rule)
    // sa.Identity(...) / sa.Computed(...) given positionally (the call, for its options).
    std::optional<PyValue> identity;
    std::optional<PyValue> computed;
    // A non-optional sa.Sequence(...) default: no SERIAL (PostgreSQL); on MySQL/MariaDB
    // AUTO_INCREMENT then depends on the server (refused).
    bool hasSequence = false;
    // Raw SQL for the type, when read from a database (overrides `type`).
    QString typeSql;
    // sa.CheckConstraint(...) given positionally: rendered inline after the column spec
    // (column.constraints), in create_table and add_column alike.
    QVector<ConstraintDef> checks;
};

struct IndexDef
{
    QString name;
    QString schema;
    QString table;
    QStringList expressions;           // column names (quoted when rendered) or raw SQL
    QVector<bool> isRawSql;            // parallel to expressions: sa.text(...) entries
    // Parallel to expressions: an SQL expression element (sa.func.lower(sa.column('x')),
    // sa.desc(...), sa.literal_column(...)) rendered per dialect; None for names and text.
    QVector<PyValue> elements;
    bool unique = false;
    QVector<QPair<QString, PyValue>> kwargs;   // postgresql_where, mysql_length ...
    // Named by the naming convention (NamingConvention): truncated to the dialect's limit.
    bool conventionName = false;
    // op.create_index: Alembic wraps sa.text elements in an element whose key is the
    // text, so postgresql_ops applies to them; not so for sa.Index(..., sa.text(...)).
    bool textKeys = false;
};

struct TableDef
{
    QString name;
    QString schema;
    QVector<ColumnDef> columns;
    QVector<ConstraintDef> constraints;   // SQLAlchemy's creation order
    QVector<IndexDef> indexes;
    std::optional<QString> comment;
    QVector<QPair<QString, PyValue>> kwargs;   // mysql_engine, sqlite_autoincrement ...

    const ColumnDef *column(const QString &columnName) const
    {
        for (const ColumnDef &c : columns)
            if (c.name == columnName)
                return &c;
        return nullptr;
    }
    QStringList primaryKeyColumns() const
    {
        for (const ConstraintDef &c : constraints)
            if (c.kind == ConstraintDef::PrimaryKey)
                return c.columns;
        return {};
    }
};

} // namespace retort
