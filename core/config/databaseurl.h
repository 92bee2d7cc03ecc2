#pragma once
// A SQLAlchemy database URL (dialect[+driver]://user:password@host:port/database?query),
// mapped onto a Qt SQL driver.

#include "result.h"

#include <QPair>
#include <QString>
#include <QVector>

namespace retort {

class DatabaseUrl
{
public:
    // Percent-decodes user, password and database like sqlalchemy.engine.url.make_url.
    // Errors: unparseable text ("Could not parse rfc1738 URL from string '...'"),
    // unsupported dialect.
    static Result<DatabaseUrl> parse(const QString &url);

    QString drivername() const;        // "postgresql+psycopg2"
    QString backendName() const { return m_backend; }   // "postgresql", "mysql", "mariadb", "sqlite"
    QString driver() const { return m_driver; }          // "" when not given
    QString dialectName() const;       // 'sqlite', 'postgresql', 'mysql' (mariadb -> 'mariadb')
    QString qtDriverName() const;      // QSQLITE / QPSQL / QMYSQL

    QString username() const { return m_user; }
    QString password() const { return m_password; }
    bool hasPassword() const { return m_hasPassword; }
    QString host() const { return m_host; }
    int port() const { return m_port; }                  // -1 when not given
    QString database() const { return m_database; }      // sqlite: the file path as written
    QVector<QPair<QString, QString>> query() const { return m_query; }
    // A password given in the query string (`?password=...`, MySQLdb's `passwd`), which
    // libpq and MySQLdb accept like the user:password@ form.
    bool hasQueryPassword() const;
    QString queryPassword() const;
    static bool isPasswordKey(const QString &key);

    bool isSqliteMemory() const;       // sqlite:// or sqlite:///:memory:
    // sqlite: the database path for QSqlDatabase (relative paths relative to the CWD).
    QString sqliteFilePath() const;

    // str(url) in SQLAlchemy 1.4: password shown as "***" (`mask`), and so is a password
    // query parameter (beyond SQLAlchemy, which prints that one).
    QString toDisplayString(const QString &mask = QStringLiteral("***")) const;
    // Full URL with the password (re-quoted).
    QString toString() const;
    // The same URL naming another database (sqlite: another file path). Used for
    // scratch databases made beside the user's.
    DatabaseUrl withDatabase(const QString &database) const;

private:
    QString render(bool hidePassword, const QString &mask) const;

    QString m_backend;
    QString m_driver;
    QString m_user;
    bool m_hasUser = false;
    QString m_password;
    bool m_hasPassword = false;
    QString m_host;
    int m_port = -1;
    QString m_database;
    bool m_hasDatabase = false;
    QVector<QPair<QString, QString>> m_query;
};

} // namespace retort
