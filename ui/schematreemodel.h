#pragma once
// The schema browser's tree: tables (with row counts) and, under each, its columns
// (type, nullable, default), indexes and constraints (primary key, foreign keys, unique,
// check), from a SchemaSnapshot. Tables of a named schema sit under that schema's node;
// the default schema's tables are at the top. Columns: name, details, rows.

#include "services/schemasnapshotjob.h"

#include <QStandardItemModel>

namespace retort {

class SchemaTreeModel : public QStandardItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, DetailColumn, RowsColumn };
    enum Role {
        KindRole = Qt::UserRole + 1,   // "table", "column", "index", "foreignkey", "columns" (a group) ...
        FilterRole                     // the name the filter box matches (none for groups)
    };

    explicit SchemaTreeModel(QObject *parent = nullptr);

    void setSnapshot(const SchemaSnapshot &snapshot);
    void clearSnapshot();
    int tableCount() const { return m_tables; }
    // The row of table `name` ("schema.table" for a named schema); invalid when missing.
    QModelIndex tableIndex(const QString &name) const;

    static QString columnDetail(const SchemaColumn &column);

private:
    QList<QStandardItem *> tableRow(const SchemaTable &table, std::optional<qint64> rows);
    int m_tables = 0;
    QHash<QString, QPersistentModelIndex> m_tableIndex;
};

} // namespace retort
