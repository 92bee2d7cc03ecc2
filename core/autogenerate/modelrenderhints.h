#pragma once
// What autogenerate's Python output needs from the model side that a SchemaModel does
// not hold: SQLAlchemy reprs of types and server defaults, conv() names (op.f()),
// metadata.sorted_tables order, FK column specs. Written by the Python helper
// (resources/python/retort_metadata.py, "render" key) and read here.

#include "result.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace retort {

using RenderedKwargs = QVector<QPair<QString, QString>>;   // key, rendered value

struct ServerDefaultHint
{
    QString kind;                    // "string" | "text" | "computed" | "identity" | "fetched"
    QString python;                  // as render.py writes it: 'x', sa.text('0'), sa.Computed(...)
    std::optional<QString> compare;  // _render_server_default_for_compare's result
};

struct ColumnHint
{
    QString pythonType;              // sa.String(length=50), postgresql.ENUM(...)
    std::optional<ServerDefaultHint> serverDefault;
    std::optional<bool> autoincrement;   // explicit True/False; nullopt = "auto"
    bool autoincrementColumn = false;    // table._autoincrement_column is this column
    bool system = false;
    RenderedKwargs kwargs;           // dialect kwargs (mysql_charset=...)
};

struct ConstraintHint
{
    QString name;                    // as written in the model ("" = None)
    bool conv = false;               // a naming-convention name
    QString finalName;               // name as the dialect will create it
    QStringList columns;
    QStringList colspecs;            // FK: 'table.col' as render.py's _fk_colspec gives it
    bool useAlter = false;
    std::optional<bool> deferrable;
    QString initially;
    QString onupdate;
    QString ondelete;
    bool named = false;              // unique: _constraint_is_named
    QString python;                  // check: rendered sqltext
    QStringList expressions;         // index: each element rendered ('col' or sa.text(...))
    RenderedKwargs kwargs;           // index kwargs
};

struct TableHint
{
    QString schema;
    QString name;
    QString module;                  // where the model is defined ("" when unknown)
    RenderedKwargs kwargs;           // CreateTableOp kw (mysql_engine='InnoDB')
    QStringList prefixes;
    QMap<QString, ColumnHint> columns;
    std::optional<ConstraintHint> primaryKey;
    QVector<ConstraintHint> foreignKeys;
    QVector<ConstraintHint> uniqueConstraints;
    QVector<ConstraintHint> checkConstraints;
    QVector<ConstraintHint> indexes;

    const ColumnHint *column(const QString &name) const;
    const ConstraintHint *index(const QString &finalName) const;
    const ConstraintHint *unique(const QString &finalName, const QStringList &columns) const;
};

class ModelRenderHints
{
public:
    static Result<ModelRenderHints> fromJsonObject(const QJsonObject &render);

    const QVector<TableHint> &tables() const { return m_tables; }   // sorted_tables order
    const TableHint *table(const QString &schema, const QString &name) const;
    QStringList imports() const { return m_imports; }   // e.g. "from sqlalchemy.dialects import postgresql"
    // MetaData.schema of the (first) metadata: FK colspecs are qualified with it.
    QString metadataSchema() const { return m_metadataSchema; }

    void addTable(const TableHint &t);

private:
    QVector<TableHint> m_tables;
    QHash<QString, qsizetype> m_tableIndex;   // "schema\x1fname" -> m_tables index (1,000s of lookups)
    QStringList m_imports;
    QString m_metadataSchema;
};

} // namespace retort
