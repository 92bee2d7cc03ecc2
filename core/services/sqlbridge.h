#pragma once
// Retort's side of the bridge (resources/python/retort_bridge.py): a statement a step
// running in Alembic executes is run here, on Retort's connection and inside its
// transaction, and answered as the worker's proxy DBAPI cursor expects -- the columns and
// rows (values JSON cannot carry are tagged: bytes, datetime, decimal ...), the row count,
// or the database's error with the DBAPI class the real driver raises for it
// (DatabaseErrorClass), its native code and the server's text.

#include "runtime/stepbody.h"

#include <QJsonObject>
#include <QString>

namespace retort {

class DatabaseConnection;

class SqlBridge
{
public:
    static QJsonObject answer(DatabaseConnection &connection, const QString &sql,
                              const StepItem::Executed &executed = {});
    // A request of the worker's: a statement (answer()), or autocommit switched on -- the
    // transaction is committed, what follows runs outside one (reopen: it must begin
    // again) -- or off again (begins it), as Alembic's autocommit_block() does.
    static QJsonObject handle(DatabaseConnection &connection, const QJsonObject &request,
                              const StepItem::Executed &executed, bool &reopen);
};

} // namespace retort
