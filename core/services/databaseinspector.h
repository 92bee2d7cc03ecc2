#pragma once
// Answers a revision script's live inspection (ScriptInspector's methods) from the
// database a run is connected to, inside the run's transaction, with the values
// SQLAlchemy 1.4's Inspector returns for the dialect as far as scripts read them: the
// dict keys, names, column lists and flags (SchemaIntrospector reads the catalog).
// Column types are kept as symbolic names (sa.VARCHAR ...), enough to be passed on.

#include "python/pyvalue.h"
#include "result.h"

#include <QString>
#include <QVector>

namespace retort {

class DatabaseConnection;
struct SchemaModel;

class DatabaseInspector
{
public:
    explicit DatabaseInspector(DatabaseConnection &connection) : m_conn(connection) {}

    // method: "get_table_names", "has_table", "get_columns", "get_indexes",
    // "get_foreign_keys", "get_unique_constraints", "get_pk_constraint". An Error whose
    // message starts with "needs Python: " means the call is outside what is answered.
    Result<PyValue> call(const QString &method, const QVector<PyValue> &args,
                         const QVector<QPair<QString, PyValue>> &kwargs);

private:
    DatabaseConnection &m_conn;
};

} // namespace retort
