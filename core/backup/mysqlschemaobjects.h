#pragma once
// The schema objects of a MySQL/MariaDB database that are not tables or views: stored
// routines and events. A backup must carry them and a restore must remove those made since,
// as it does for tables (the dump's own DROP statements cover only what it holds).

#include "result.h"

#include <QByteArray>

namespace retort {

class DatabaseConnection;

class MySqlSchemaObjects
{
public:
    // Events visible to this account in the current database. mysqldump --events needs the
    // EVENT privilege and fails without it; an account that sees none has nothing to dump.
    static Result<bool> hasEvents(DatabaseConnection &conn);
    // DROP statements for every routine and event of the current database. DROP
    // PROCEDURE/FUNCTION/EVENT cannot be prepared, so they are listed here, not in SQL.
    static Result<QByteArray> dropStatements(DatabaseConnection &conn);
};

} // namespace retort
