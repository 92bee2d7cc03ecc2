#include "namingconvention.h"

#include <QCryptographicHash>

namespace retort {

QString NamingConvention::columnLabel(const QString &schema, const QString &table, const QString &column)
{
    if (schema.isEmpty())
        return table + QLatin1Char('_') + column;
    return QString(schema).replace(QLatin1Char('.'), QLatin1Char('_')) + QLatin1Char('_') + table
        + QLatin1Char('_') + column;
}

QString NamingConvention::indexName(const QString &schema, const QString &table, const QString &firstColumn)
{
    if (firstColumn.isEmpty())
        return QStringLiteral("ix_");
    return QStringLiteral("ix_") + columnLabel(schema, table, firstColumn);
}

int NamingConvention::maxNameLength(const Dialect &dialect)
{
    switch (dialect.kind()) {
    case Dialect::PostgreSQL:
        return 63;
    case Dialect::MySQL:
    case Dialect::MariaDB:
        return 64;
    case Dialect::SQLite:
        break;
    }
    return 9999;
}

QString NamingConvention::truncated(const QString &name, const Dialect &dialect)
{
    const int max = maxNameLength(dialect);
    if (name.size() <= max)
        return name;
    const QByteArray md5 = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Md5).toHex();
    return name.left(max - 8) + QLatin1Char('_') + QString::fromLatin1(md5.right(4));
}

} // namespace retort
