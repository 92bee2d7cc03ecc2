#pragma once
// Beyond Alembic: a database Retort makes for itself, runs migrations on, and drops.
// SQLite: a file in a temporary folder. PostgreSQL: CREATE DATABASE retort_scratch_<random>
// through the user's server (the user's database, else "postgres"), dropped WITH (FORCE)
// or after terminating its sessions. MySQL/MariaDB: CREATE DATABASE (a schema)
// retort_scratch_<random> on the user's server. Always dropped when the object goes, also
// after a failure; only names Retort made (isScratchName) are ever dropped.

#include "config/databaseurl.h"
#include "result.h"

#include <QString>
#include <memory>

class QTemporaryDir;

namespace retort {

class DatabaseConnection;

class ScratchDatabase
{
public:
    ~ScratchDatabase();   // drop()
    ScratchDatabase(const ScratchDatabase &) = delete;
    ScratchDatabase &operator=(const ScratchDatabase &) = delete;

    // One of the same dialect as `userUrl`, on the same server.
    static Result<std::unique_ptr<ScratchDatabase>> create(const DatabaseUrl &userUrl);
    // An SQLite file whatever the project's dialect.
    static Result<std::unique_ptr<ScratchDatabase>> createSqlite();

    const DatabaseUrl &url() const { return m_url; }
    QString name() const { return m_name; }   // the database's name; SQLite: the file path
    // Drops it (connections to it must be closed first; PostgreSQL forces them off).
    VoidResult drop();
    bool dropped() const { return m_dropped; }

    // "retort_scratch_" followed by 12 lowercase hex digits.
    static bool isScratchName(const QString &name);
    // Safety before a step: the open connection is on this scratch database.
    VoidResult checkConnection(DatabaseConnection &connection) const;

private:
    ScratchDatabase() = default;
    static QString newName();

    DatabaseUrl m_adminUrl;   // where CREATE/DROP DATABASE run (server dialects)
    DatabaseUrl m_url;
    QString m_name;
    std::unique_ptr<QTemporaryDir> m_dir;   // SQLite
    bool m_dropped = false;
};

} // namespace retort
