#pragma once
// Reads a SQLite table's definition the way SQLAlchemy 1.4's SQLite dialect reflects it
// (PRAGMA table_info / foreign_key_list / index_list / index_info, plus the CREATE TABLE
// text for constraint names and CHECKs), for batch mode's move-and-copy online.

#include "result.h"
#include "tabledef.h"

#include <QSqlDatabase>

namespace retort {

class DatabaseConnection;

class SqliteTableReader
{
public:
    explicit SqliteTableReader(QSqlDatabase db) : m_db(std::move(db)) {}
    explicit SqliteTableReader(const DatabaseConnection &connection);

    Result<TableDef> read(const QString &schema, const QString &table) const;

private:
    Result<QString> tableSql(const QString &schema, const QString &table) const;
    VoidResult readColumns(TableDef &t) const;
    VoidResult readForeignKeys(TableDef &t, const QString &sql) const;
    VoidResult readUniques(TableDef &t, const QString &sql) const;
    VoidResult readIndexes(TableDef &t) const;
    QString pragma(const QString &schema, const QString &what, const QString &arg) const;

    QSqlDatabase m_db;
};

} // namespace retort
