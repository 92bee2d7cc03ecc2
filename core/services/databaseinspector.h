#pragma once
// Answers a revision script's live inspection (ScriptInspector's methods) from the
// database a run is connected to, inside the run's transaction, with the values
// SQLAlchemy 1.4's Inspector returns for the dialect as far as scripts read them: the
// dict keys, names, column lists and flags (SchemaIntrospector reads the catalog).
// Column types are opaque (a script using one as a value needs Python).

#include "python/pyvalue.h"
#include "result.h"

#include <QString>
#include <QVector>
#include <functional>

namespace retort {

class DatabaseConnection;
struct SchemaModel;

class DatabaseInspector
{
public:
    explicit DatabaseInspector(DatabaseConnection &connection) : m_conn(connection) {}

    // What the run's inspector calls read through: the run's connection, or for an
    // engine's inspector on PostgreSQL and MySQL/MariaDB a second connection (SQLAlchemy's
    // inspector of an engine checks out a new one, which sees only committed changes). On
    // SQLite the run's own: pysqlite commits DDL as it runs, so a new one would see it too.
    static std::function<Result<PyValue>(bool, const QString &, const QVector<PyValue> &,
                                         const QVector<QPair<QString, PyValue>> &)>
    forRun(DatabaseConnection *connection);

    // method: "get_table_names", "has_table", "get_columns", "get_indexes",
    // "get_foreign_keys", "get_unique_constraints", "get_pk_constraint". An Error whose
    // message starts with "needs Python: " means the call is outside what is answered.
    Result<PyValue> call(const QString &method, const QVector<PyValue> &args,
                         const QVector<QPair<QString, PyValue>> &kwargs);

private:
    Result<QStringList> tableNames();
    Result<PyValue> hasTable(const QString &table);

    DatabaseConnection &m_conn;
};

} // namespace retort
