#pragma once
// Which Python exception a failing statement raises under Alembic: the DBAPI driver maps
// the server's error to a PEP 249 class (psycopg2 by SQLSTATE class, PyMySQL by error
// number, sqlite3 by result code) and SQLAlchemy wraps it in sqlalchemy.exc's class of
// the same name. An `except` clause catches it when it names a class of the chain.

#include "dialect.h"

#include <QString>
#include <QStringList>

namespace retort {

class DatabaseErrorClass
{
public:
    // The exception's classes, most specific first, by the interpreter's canonical names:
    // "sa.exc.ProgrammingError", "sa.exc.DatabaseError", "sa.exc.DBAPIError",
    // "sa.exc.StatementError", "sa.exc.SQLAlchemyError", "Exception", "BaseException".
    static QStringList chain(const Dialect &dialect, const QString &nativeCode);
    // The PEP 249 class name alone ("ProgrammingError" ...).
    static QString dbapiClass(const Dialect &dialect, const QString &nativeCode);
    // Whether an except clause naming `catches` ("" list: bare except) catches it.
    static bool catches(const QStringList &catches, const QStringList &chain);
};

} // namespace retort
