#pragma once
// Turns one MigrationOp into the SQL statements Alembic 1.8.1 + SQLAlchemy 1.4.46 emit
// for it in --sql mode (literal_binds), for sqlite, postgresql and mysql/mariadb. The
// statements carry no terminator; tabs and newlines are SQLAlchemy's own (the offline
// writer normalizes them as Alembic does). Anything not covered is an Error naming the
// op, the argument and the script line, never approximate SQL.

#include "result.h"
#include "operations/migrationop.h"
#include "python/pyvalue.h"
#include "runtime/dialect.h"
#include "tabledef.h"

#include <QSet>
#include <QStringList>
#include <functional>

namespace retort {

struct RenderOptions
{
    // The current definition of a table, for batch mode's move-and-copy (SQLite).
    // Online, SqliteTableReader provides it; unset means --sql mode, where Alembic
    // refuses to reflect.
    std::function<Result<TableDef>(const QString &schema, const QString &table)> tableProvider;
    // Rendered for an online run (ScriptStepBodyProvider then renders PostgreSQL string
    // literals as the connected dialect does).
    bool online = false;
    // Online: answers a script's live inspection (sa.inspect(bind).get_table_names() ...)
    // from the database (DatabaseInspector); engine: inspecting op.get_bind().engine. An
    // Error whose message starts with "needs Python: " is a call it does not answer.
    std::function<Result<PyValue>(bool engine, const QString &method, const QVector<PyValue> &args,
                                  const QVector<QPair<QString, PyValue>> &kwargs)> inspector;
};

class DdlRenderer
{
public:
    static Result<QStringList> render(const MigrationOp &op, const Dialect &dialect,
                                      const RenderOptions &options = {});
    // All ops in order.
    static Result<QStringList> renderAll(const QVector<MigrationOp> &ops, const Dialect &dialect,
                                         const RenderOptions &options = {});
    // postgresql.ENUM's memo: Alembic's impl is the DDL runner of every create_table of a
    // run, so a named enum type is created once; drops from `statements` (rendered for
    // `op`) the CREATE TYPE of a type already in `created`, and records the others.
    static void skipCreatedEnumTypes(const MigrationOp &op, QStringList *statements, QSet<QString> *created);
    // Whether `name` is an op this renderer knows.
    static bool isSupported(const QString &name);
};

} // namespace retort
