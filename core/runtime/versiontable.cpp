#include "versiontable.h"

#include "databaseconnection.h"
#include "scriptchecksumtable.h"

#include <QSqlQuery>
#include <QVariant>

namespace retort {

VersionTable::VersionTable(DatabaseConnection &connection, VersionTableOptions options)
    : m_conn(connection), m_sql(connection.dialect(), std::move(options))
{
}

namespace {

// The catalogue query behind SQLAlchemy's has_table() for each dialect; `values` gets
// the positional parameters.
QString hasTableQuery(const Dialect &dialect, const QString &table, const QString &schema,
                      QVariantList &values)
{
    values << table;
    switch (dialect.kind()) {
    case Dialect::SQLite:
        // An attached database's catalogue lives in "<schema>".sqlite_master.
        return QStringLiteral("SELECT name FROM %1sqlite_master WHERE type = 'table' AND name = ?")
            .arg(schema.isEmpty() ? QString() : dialect.quoteIdentifier(schema) + QLatin1Char('.'));
    case Dialect::PostgreSQL:
        if (!schema.isEmpty())
            values << schema;
        return QStringLiteral("SELECT c.relname FROM pg_catalog.pg_class c "
                              "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                              "WHERE c.relname = ? AND c.relkind IN ('r', 'v', 'm', 'f', 'p') AND %1")
            .arg(schema.isEmpty() ? QStringLiteral("pg_catalog.pg_table_is_visible(c.oid) "
                                                   "AND n.nspname != 'pg_catalog'")
                                  : QStringLiteral("n.nspname = ?"));
    case Dialect::MySQL:
    case Dialect::MariaDB:
        if (!schema.isEmpty())
            values << schema;
        return QStringLiteral("SELECT table_name FROM information_schema.tables "
                              "WHERE table_name = ? AND table_schema = %1")
            .arg(schema.isEmpty() ? QStringLiteral("DATABASE()") : QStringLiteral("?"));
    }
    return {};
}

} // namespace

Result<bool> VersionTable::exists()
{
    return tableExists(m_conn, m_sql.options().table, m_sql.options().schema);
}

Result<bool> VersionTable::tableExists(DatabaseConnection &connection, const QString &table, const QString &schema)
{
    QVariantList values;
    const QString sql = hasTableQuery(connection.dialect(), table, schema, values);
    Result<QSqlQuery> q = connection.exec(sql, values);
    if (!q)
        return q.error();
    return q->next();
}

Result<QStringList> VersionTable::currentHeads()
{
    Result<bool> has = exists();
    if (!has)
        return has.error();
    if (!*has)
        return QStringList();
    Result<QSqlQuery> q = m_conn.exec(m_sql.selectAll());
    if (!q)
        return q.error();
    QStringList heads;
    while (q->next())
        heads << q->value(0).toString();
    return heads;
}

VoidResult VersionTable::ensureExists()
{
    Result<bool> has = exists();
    if (!has)
        return has.error();
    if (*has)
        return {};
    Result<QSqlQuery> q = m_conn.exec(m_sql.createTable(true));
    if (!q)
        return q.error();
    return {};
}

VoidResult VersionTable::purge()
{
    VoidResult r = ensureExists();
    if (!r)
        return r;
    Result<QSqlQuery> q = m_conn.exec(m_sql.deleteAll());
    if (!q)
        return q.error();
    return {};
}

VoidResult VersionTable::drop()
{
    Result<QSqlQuery> q = m_conn.exec(m_sql.dropTable());
    if (!q)
        return q.error();
    return {};
}

// Online, revision ids are bound values: a script's `revision` is data, whatever it holds
// (Alembic splices it into a literal_column, so a quote in an id ran as SQL). Errors still
// show the statement with its values written out, as Alembic's would.
VoidResult VersionTable::apply(const VersionTableOp &op)
{
    const QString table = m_sql.options().table;
    switch (op.kind) {
    case VersionTableOp::Insert: {
        Result<QSqlQuery> q = m_conn.exec(m_sql.insertVersionBound(), {op.to},
                                          m_sql.insertVersion(op.to, false));
        if (!q)
            return q.error();
        return {};
    }
    case VersionTableOp::Delete: {
        Result<int> rows = m_conn.execAffected(m_sql.deleteVersionBound(), {op.from},
                                               m_sql.deleteVersion(op.from));
        if (!rows)
            return rows.error();
        return expectOneRow(*rows, QStringLiteral("Online migration expected to match one row when "
                                                  "deleting '%1' in '%2'; %3 found")
                                       .arg(op.from, table));
    }
    case VersionTableOp::Update: {
        const QString what = updateMismatch(op);
        // Prepared once and re-bound per step (DatabaseConnection::execAffectedReused()).
        Result<int> rows = m_conn.execAffectedReused(m_sql.updateVersionBound(), {op.to, op.from},
                                                     m_sql.updateVersion(op.from, op.to));
        if (!rows)
            return rows.error();
        return expectOneRow(*rows, what);
    }
    }
    return {};
}

std::optional<VoidResult> VersionTable::applyWithChecksums(const VersionTableOp &op,
                                                          const ScriptChecksumTable &checksums,
                                                          const ScriptChecksumChange &change)
{
    if (op.kind != VersionTableOp::Update || m_conn.dialect().kind() != Dialect::PostgreSQL || !m_conn.inTransaction())
        return std::nullopt;
    QVariantList values{op.to, op.from};
    QString shown = QStringLiteral("WITH version_moved AS (%1 RETURNING 1), ").arg(m_sql.updateVersion(op.from, op.to));
    const std::optional<QString> items = checksums.withItems(change, values, shown);
    if (!items)
        return std::nullopt;
    const QString tail = QStringLiteral(" SELECT count(*) FROM version_moved");
    shown += tail;
    const QString sql = QStringLiteral("WITH version_moved AS (%1 RETURNING 1), ").arg(m_sql.updateVersionBound())
                        + *items + tail;
    Result<qint64> rows = m_conn.execScalarReused(sql, values, shown);
    if (!rows)
        return VoidResult(rows.error());
    return expectOneRow(int(*rows), updateMismatch(op));
}

// Alembic's message for an UPDATE of the version table that did not match one row (%4: the
// count, filled in by expectOneRow()).
QString VersionTable::updateMismatch(const VersionTableOp &op) const
{
    return QStringLiteral("Online migration expected to match one row when updating '%1' to '%2' in '%3'; %4 found")
        .arg(op.from, op.to, m_sql.options().table);
}

VoidResult VersionTable::expectOneRow(int rows, const QString &whatFmt)
{
    if (rows != 1)
        return Error(QString(whatFmt).arg(rows));
    return {};
}

} // namespace retort
