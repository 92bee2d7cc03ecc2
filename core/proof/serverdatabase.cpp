#include "serverdatabase.h"

#include "runtime/databaseconnection.h"

namespace retort {

bool ServerDatabase::isPostgres(const DatabaseUrl &url)
{
    return url.backendName() == QLatin1String("postgresql");
}

bool ServerDatabase::isMySql(const DatabaseUrl &url)
{
    return url.backendName() == QLatin1String("mysql") || url.backendName() == QLatin1String("mariadb");
}

QString ServerDatabase::quoted(const DatabaseUrl &url, const QString &name)
{
    if (isMySql(url))
        return QLatin1Char('`') + QString(name).replace(QLatin1Char('`'), QStringLiteral("``")) + QLatin1Char('`');
    return QLatin1Char('"') + QString(name).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

Result<std::unique_ptr<DatabaseConnection>> ServerDatabase::admin(const DatabaseUrl &url)
{
    if (isPostgres(url)) {
        for (const char *db : {"postgres", "template1"}) {
            if (auto conn = DatabaseConnection::open(url.withDatabase(QLatin1String(db))))
                return conn;
        }
        return DatabaseConnection::open(url);
    }
    auto conn = DatabaseConnection::open(url);
    if (conn)
        return conn;
    // The user's database may not exist yet: the server needs none for CREATE DATABASE.
    if (auto serverOnly = DatabaseConnection::open(url.withDatabase(QString())))
        return serverOnly;
    return conn.error();
}

VoidResult ServerDatabase::drop(DatabaseConnection &admin, const DatabaseUrl &url, const QString &name)
{
    const QString quotedName = quoted(url, name);
    if (isPostgres(url)) {
        if (admin.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quotedName)))
            return {};
        // Before PostgreSQL 13. Best effort: the DROP below reports what is left.
        (void)admin.exec(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                        "WHERE datname = ? AND pid <> pg_backend_pid()"), {name});
    }
    auto dropped = admin.exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(quotedName));
    return dropped ? VoidResult() : VoidResult(dropped.error());
}

} // namespace retort
