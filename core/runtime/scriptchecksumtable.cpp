#include "scriptchecksumtable.h"

#include "databaseconnection.h"
#include "sidetables.h"
#include "versiontable.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

namespace retort {

ScriptChecksumTable::ScriptChecksumTable(DatabaseConnection &connection, VersionTableOptions versionTable)
    : m_conn(connection), m_versionTable(std::move(versionTable))
{
}

const QString &ScriptChecksumTable::tableName()
{
    return SideTables::checksumTable();
}

QString ScriptChecksumTable::qualifiedTable() const
{
    return m_conn.dialect().qualifiedName(m_versionTable.schema, tableName());
}

Result<bool> ScriptChecksumTable::exists()
{
    return VersionTable::tableExists(m_conn, tableName(), m_versionTable.schema);
}

VoidResult ScriptChecksumTable::ensureExists()
{
    Result<bool> has = exists();
    if (!has)
        return has.error();
    if (*has)
        return {};
    const bool mysql = m_conn.dialect().kind() == Dialect::MySQL || m_conn.dialect().kind() == Dialect::MariaDB;
    // One row per (version table, revision): several Alembic environments may share a schema.
    Result<QSqlQuery> q = m_conn.exec(
        QStringLiteral("CREATE TABLE %1 (version_table VARCHAR(64) NOT NULL, revision VARCHAR(255) NOT NULL, "
                       "checksum CHAR(64) NOT NULL, recorded_at VARCHAR(32) NOT NULL, "
                       "PRIMARY KEY (version_table, revision))%2")
            .arg(qualifiedTable(), mysql ? QStringLiteral(" ENGINE=InnoDB") : QString()));
    if (!q)
        return q.error();
    return {};
}

Result<QHash<QString, QString>> ScriptChecksumTable::read()
{
    Result<bool> has = exists();
    if (!has)
        return has.error();
    QHash<QString, QString> out;
    if (!*has)
        return out;
    Result<QSqlQuery> q = m_conn.exec(
        QStringLiteral("SELECT revision, checksum FROM %1 WHERE version_table = ?").arg(qualifiedTable()),
        {m_versionTable.table});
    if (!q)
        return q.error();
    while (q->next())
        out.insert(q->value(0).toString(), q->value(1).toString());
    return out;
}

VoidResult ScriptChecksumTable::apply(const ScriptChecksumChange &change)
{
    const QString del = QStringLiteral("DELETE FROM %1 WHERE version_table = ? AND revision = ?").arg(qualifiedTable());
    // Run once per step: prepared once per transaction (execAffectedReused()).
    for (const QString &revision : change.remove) {
        Result<int> q = m_conn.execAffectedReused(del, {m_versionTable.table, revision}, del);
        if (!q)
            return q.error();
    }
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    const QString insert = QStringLiteral("INSERT INTO %1 (version_table, revision, checksum, recorded_at) "
                                          "VALUES (?, ?, ?, ?)").arg(qualifiedTable());
    for (auto it = change.record.cbegin(); it != change.record.cend(); ++it) {
        // Delete then insert: the same on every dialect (no upsert syntax in common).
        Result<int> q = m_conn.execAffectedReused(del, {m_versionTable.table, it.key()}, del);
        if (q)
            q = m_conn.execAffectedReused(insert, {m_versionTable.table, it.key(), it.value(), now}, insert);
        if (!q)
            return q.error();
    }
    return {};
}

namespace {

QString literal(QString v)
{
    return QLatin1Char('\'') + v.replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
}

} // namespace

std::optional<QString> ScriptChecksumTable::withItems(const ScriptChecksumChange &change, QVariantList &values,
                                                      QString &shown) const
{
    const QString table = qualifiedTable();
    const QString del = QStringLiteral("DELETE FROM %1 WHERE version_table = %2 AND revision = %3");
    if (change.record.isEmpty() && change.remove.size() == 1) {
        const QString &revision = change.remove.first();
        values << m_versionTable.table << revision;
        shown += QStringLiteral("checksum_removed AS (") + del.arg(table, literal(m_versionTable.table), literal(revision))
                 + QLatin1Char(')');
        return QStringLiteral("checksum_removed AS (") + del.arg(table, QStringLiteral("?"), QStringLiteral("?")) + QLatin1Char(')');
    }
    if (!change.remove.isEmpty() || change.record.size() != 1)
        return std::nullopt;
    const QString revision = change.record.cbegin().key();
    const QString sum = change.record.cbegin().value();
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    // Delete then insert, as apply() (no upsert: the same on every dialect there).
    const QString items = QStringLiteral("checksum_old AS (%1 RETURNING 1), checksum_new AS (INSERT INTO %2 "
                                         "(version_table, revision, checksum, recorded_at) SELECT %3, %4, %5, %6 "
                                         "FROM (SELECT count(*) FROM checksum_old) AS old_rows)");
    values << m_versionTable.table << revision << m_versionTable.table << revision << sum << now;
    shown += items.arg(del.arg(table, literal(m_versionTable.table), literal(revision)), table,
                       literal(m_versionTable.table), literal(revision), literal(sum), literal(now));
    const QString q = QStringLiteral("?");
    return items.arg(del.arg(table, q, q), table, q, q, q, q);
}

VoidResult ScriptChecksumTable::clear()
{
    Result<bool> has = exists();
    if (!has)
        return has.error();
    if (!*has)
        return {};
    Result<QSqlQuery> q = m_conn.exec(QStringLiteral("DELETE FROM %1 WHERE version_table = ?").arg(qualifiedTable()),
                                      {m_versionTable.table});
    if (!q)
        return q.error();
    return {};
}

} // namespace retort
