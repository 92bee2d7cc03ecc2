#pragma once
// CREATE/DROP DATABASE on a PostgreSQL or MySQL/MariaDB server, for the databases Retort
// makes for itself (ScratchDatabase, DatabaseCopy): where those statements can run, how a
// name is quoted, and a drop that also ends sessions a failed run left on the database.

#include "config/databaseurl.h"
#include "result.h"

#include <QString>
#include <memory>

namespace retort {

class DatabaseConnection;

class ServerDatabase
{
public:
    static bool isPostgres(const DatabaseUrl &url);
    static bool isMySql(const DatabaseUrl &url);   // MySQL or MariaDB

    // `name` quoted for `url`'s server.
    static QString quoted(const DatabaseUrl &url, const QString &name);

    // A connection CREATE/DROP DATABASE can run on. PostgreSQL: the maintenance database
    // (postgres, then template1) — a TEMPLATE copy needs the source free of sessions —
    // else `url`'s own; MySQL: `url`'s database, else none.
    static Result<std::unique_ptr<DatabaseConnection>> admin(const DatabaseUrl &url);

    // DROP DATABASE IF EXISTS `name` on `admin`'s server. PostgreSQL 13+ ends the database's
    // sessions WITH (FORCE); before 13 they are terminated first.
    static VoidResult drop(DatabaseConnection &admin, const DatabaseUrl &url, const QString &name);
};

} // namespace retort
