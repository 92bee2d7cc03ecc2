#include "versiontablesql.h"

#include <utility>

namespace retort {

VersionTableSql::VersionTableSql(Dialect dialect, VersionTableOptions options)
    : m_dialect(dialect), m_options(std::move(options)),
      m_qualified(m_dialect.qualifiedName(m_options.schema, m_options.table))
{
}

QString VersionTableSql::qualifiedTable() const
{
    return m_qualified;
}

QString VersionTableSql::createTable(bool online) const
{
    // SQLAlchemy's CREATE TABLE layout: a trailing space after each column's comma, tabs
    // turned into four spaces by Alembic's static output.
    const QString indent = online ? QStringLiteral("\t") : QStringLiteral("    ");
    QString sql = QStringLiteral("CREATE TABLE %1 (\n%2version_num VARCHAR(32) NOT NULL")
                      .arg(qualifiedTable(), indent);
    if (m_options.primaryKey) {
        const QString pk = m_dialect.quoteIdentifier(m_options.table + QStringLiteral("_pkc"));
        sql += QStringLiteral(", \n%1CONSTRAINT %2 PRIMARY KEY (version_num)").arg(indent, pk);
    }
    return sql + QStringLiteral("\n)");
}

QString VersionTableSql::dropTable() const
{
    return QStringLiteral("DROP TABLE ") + qualifiedTable();
}

QString VersionTableSql::selectAll() const
{
    return QStringLiteral("SELECT %1.version_num \nFROM %1").arg(qualifiedTable());
}

QString VersionTableSql::deleteAll() const
{
    return QStringLiteral("DELETE FROM ") + qualifiedTable();
}

QString VersionTableSql::insertVersion(const QString &version, bool offline) const
{
    QString sql = QStringLiteral("INSERT INTO %1 (version_num) VALUES (%2)")
                      .arg(qualifiedTable(), rawLiteral(version));
    if (offline && m_options.primaryKey && m_dialect.insertReturnsPrimaryKey())
        sql += QStringLiteral(" RETURNING %1.version_num").arg(qualifiedTable());
    return sql;
}

QString VersionTableSql::updateVersion(const QString &from, const QString &to) const
{
    QString sql;
    sql.reserve(2 * m_qualified.size() + to.size() + from.size() + 48);
    appendUpdateVersion(sql, from, to);
    return sql;
}

void VersionTableSql::appendUpdateVersion(QString &out, const QString &from, const QString &to) const
{
    // Appends into the caller's buffer (no reserve: it may be a whole script growing
    // geometrically), not arg(): one statement per step of a long --sql run.
    out.append(QLatin1StringView("UPDATE ")).append(m_qualified).append(QLatin1StringView(" SET version_num='"))
        .append(to).append(QLatin1StringView("' WHERE ")).append(m_qualified)
        .append(QLatin1StringView(".version_num = '")).append(from).append(QLatin1Char('\''));
}

QString VersionTableSql::deleteVersion(const QString &version) const
{
    return QStringLiteral("DELETE FROM %1 WHERE %1.version_num = %2")
        .arg(qualifiedTable(), rawLiteral(version));
}

QString VersionTableSql::insertVersionBound() const
{
    return QStringLiteral("INSERT INTO %1 (version_num) VALUES (?)").arg(qualifiedTable());
}

QString VersionTableSql::updateVersionBound() const
{
    return QStringLiteral("UPDATE %1 SET version_num=? WHERE %1.version_num = ?").arg(qualifiedTable());
}

QString VersionTableSql::deleteVersionBound() const
{
    return QStringLiteral("DELETE FROM %1 WHERE %1.version_num = ?").arg(qualifiedTable());
}

} // namespace retort
