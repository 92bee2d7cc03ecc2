#include "dialect.h"

#include "sqlreservedwords.h"

namespace retort {

Result<Dialect> Dialect::fromName(const QString &name)
{
    const QString n = name.section(QLatin1Char('+'), 0, 0).toLower();
    if (n == QLatin1String("sqlite"))
        return Dialect(SQLite);
    if (n == QLatin1String("postgresql"))
        return Dialect(PostgreSQL);
    if (n == QLatin1String("mysql"))
        return Dialect(MySQL);
    if (n == QLatin1String("mariadb"))
        return Dialect(MariaDB);
    // SQLAlchemy's wording when no dialect entry point matches.
    return Error(QStringLiteral("Can't load plugin: sqlalchemy.dialects:%1").arg(n));
}

QString Dialect::name() const
{
    switch (m_kind) {
    case SQLite: return QStringLiteral("sqlite");
    case PostgreSQL: return QStringLiteral("postgresql");
    case MySQL: return QStringLiteral("mysql");
    case MariaDB: return QStringLiteral("mariadb");
    }
    return {};
}

QString Dialect::implName() const
{
    switch (m_kind) {
    case SQLite: return QStringLiteral("SQLiteImpl");
    case PostgreSQL: return QStringLiteral("PostgresqlImpl");
    case MySQL: return QStringLiteral("MySQLImpl");
    case MariaDB: return QStringLiteral("MariaDBImpl");
    }
    return {};
}

bool Dialect::transactionalDdl() const
{
    return m_kind == PostgreSQL;
}

QString Dialect::qtDriverName() const
{
    switch (m_kind) {
    case SQLite: return QStringLiteral("QSQLITE");
    case PostgreSQL: return QStringLiteral("QPSQL");
    case MySQL:
    case MariaDB: return QStringLiteral("QMYSQL");
    }
    return {};
}

QChar Dialect::quoteChar() const
{
    return isMySqlFamily() ? QLatin1Char('`') : QLatin1Char('"');
}

static bool isLegalIdentifierChar(QChar c)
{
    // SQLAlchemy's legal_characters: ^[A-Z0-9_$]+$ (case-insensitive, ASCII only).
    const ushort u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
        || u == '_' || u == '$';
}

bool Dialect::requiresQuotes(const QString &identifier) const
{
    if (identifier.isEmpty())
        return true;
    const QString lower = identifier.toLower();
    if (lower != identifier || SqlReservedWords::contains(m_kind, lower))
        return true;
    const QChar first = identifier.at(0);
    if (first.isDigit() || first == QLatin1Char('$'))
        return true;
    for (QChar c : identifier) {
        if (!isLegalIdentifierChar(c))
            return true;
    }
    return false;
}

QString Dialect::quoteIdentifier(const QString &identifier) const
{
    if (!requiresQuotes(identifier))
        return identifier;
    const QString q = quoteChar();
    QString escaped = identifier;
    escaped.replace(q, q + q);
    return q + escaped + q;
}

QString Dialect::qualifiedName(const QString &schema, const QString &table) const
{
    if (schema.isEmpty())
        return quoteIdentifier(table);
    return quoteIdentifier(schema) + QLatin1Char('.') + quoteIdentifier(table);
}

QString Dialect::stringLiteral(const QString &value) const
{
    QString escaped = value;
    // SQLAlchemy's MySQL and (offline) PostgreSQL literal processors double backslashes.
    if (m_kind != SQLite && m_backslashEscapes)
        escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

} // namespace retort
