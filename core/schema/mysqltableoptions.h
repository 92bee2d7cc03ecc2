#pragma once
// The table options SQLAlchemy's MySQL reflection takes from SHOW CREATE TABLE's last
// line (") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=..."): keyed as it keys them
// ("mysql_engine", "mysql_default charset"), values as strings. Autogenerate re-renders
// them as create_table() kwargs when a table that is only in the database is re-created.

#include <QJsonObject>
#include <QString>

namespace retort {

class MySqlTableOptions
{
public:
    // createTable: the whole SHOW CREATE TABLE text; every line starting with ") " counts.
    static QJsonObject fromShowCreateTable(const QString &createTable);
    // One options line, as MySQLTableDefinitionParser._parse_table_options reads it.
    static QJsonObject parseLine(const QString &line);
};

} // namespace retort
