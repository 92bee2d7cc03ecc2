#pragma once
// Opening a test database per backend: SQLite in a temporary directory; PostgreSQL and
// MariaDB/MySQL from RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL (tests QSKIP when unset).

#include "config/databaseurl.h"
#include "runtime/databaseconnection.h"

#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace retort::test {

inline QString backendUrl(const QString &backend, const QTemporaryDir &dir)
{
    if (backend == QLatin1String("sqlite"))
        return QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("test.db"));
    if (backend == QLatin1String("postgresql"))
        return qEnvironmentVariable("RETORT_TEST_PG_URL");
    return qEnvironmentVariable("RETORT_TEST_MYSQL_URL");
}

inline void addBackendRows(const char *suffix = "")
{
    for (const char *b : {"sqlite", "postgresql", "mysql"})
        QTest::addRow("%s%s", b, suffix) << QString::fromLatin1(b);
}

// Tables the tests create, dropped before each server test so runs start clean.
inline void dropTestTables(DatabaseConnection &conn)
{
    const QStringList tables = {QStringLiteral("alembic_version"), QStringLiteral("t_one"),
                                QStringLiteral("t_two"), QStringLiteral("custom_version"),
                                QStringLiteral("\"Deploy_Version\""),
                                QStringLiteral("`Deploy_Version`"),
                                QStringLiteral("retort_step_journal"), QStringLiteral("retort_script_checksums")};
    if (conn.dialect().kind() == Dialect::PostgreSQL)   // quiet "does not exist, skipping"
        (void)conn.exec(QStringLiteral("SET client_min_messages TO WARNING"));
    for (const QString &t : tables)
        (void)conn.exec(QStringLiteral("DROP TABLE IF EXISTS ") + t);
    const QString schema = conn.dialect().kind() == Dialect::SQLite ? QString() : QStringLiteral("audit.");
    if (!schema.isEmpty())
        (void)conn.exec(QStringLiteral("DROP TABLE IF EXISTS ") + schema + QStringLiteral("custom_version"));
}

// Opens the backend, or returns null with `skipReason` set.
inline std::unique_ptr<DatabaseConnection> openBackend(const QString &backend,
                                                       const QTemporaryDir &dir,
                                                       QString *skipReason)
{
    const QString url = backendUrl(backend, dir);
    if (url.isEmpty()) {
        *skipReason = QStringLiteral("set RETORT_TEST_%1_URL to test against %2")
                          .arg(backend == QLatin1String("postgresql") ? QStringLiteral("PG")
                                                                       : QStringLiteral("MYSQL"),
                               backend);
        return nullptr;
    }
    Result<DatabaseUrl> parsed = DatabaseUrl::parse(url);
    if (!parsed) {
        *skipReason = QStringLiteral("bad test URL: ") + parsed.error().message;
        return nullptr;
    }
    Result<std::unique_ptr<DatabaseConnection>> conn = DatabaseConnection::open(*parsed);
    if (!conn) {
        *skipReason = QStringLiteral("cannot open test database: ") + conn.error().message;
        return nullptr;
    }
    std::unique_ptr<DatabaseConnection> c = std::move(*conn);
    if (backend != QLatin1String("sqlite"))
        dropTestTables(*c);
    return c;
}

} // namespace retort::test

#define RETORT_OPEN_BACKEND(var, backend, dir)                                  \
    QString skipReason_;                                                        \
    std::unique_ptr<retort::DatabaseConnection> var =                           \
        retort::test::openBackend(backend, dir, &skipReason_);                  \
    if (!var) {                                                                 \
        if (skipReason_.startsWith(QLatin1String("set ")))                      \
            QSKIP(qPrintable(skipReason_));                                     \
        QFAIL(qPrintable(skipReason_));                                         \
    }
