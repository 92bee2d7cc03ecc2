#pragma once
// Beyond Alembic: a scratch copy of the user's database, for rehearsing a run on it
// (`retort upgrade --rehearse`, the studio's "Rehearse on a copy first").
//
// SQLite: `VACUUM INTO` a file in a fresh temporary folder (a consistent copy even while
// others read); a source file that does not exist yet has an empty copy. PostgreSQL: `CREATE DATABASE retort_rehearse_<random> TEMPLATE <source>`,
// which needs no other session on the source; when that fails (the usual case on a live
// server) an empty scratch database loaded with pg_dump | pg_restore | psql. MySQL/MariaDB:
// a scratch schema with the source's character set, loaded with mysqldump | mysql.
//
// The copy's name always starts with retort_rehearse_ and it is dropped by drop() or the
// destructor, also when creating it failed half way. The source is only read.
// Blocking: run it in a worker thread (the studio) or the CLI's own.

#include "backup/dumpcommand.h"
#include "config/databaseurl.h"
#include "result.h"

#include <QAtomicInt>
#include <QString>
#include <functional>
#include <memory>

class QTemporaryDir;

namespace retort {

class DatabaseConnection;

class DatabaseCopy
{
public:
    static constexpr const char *kPrefix = "retort_rehearse_";
    using Progress = std::function<void(const QString &)>;

    // Errors: an in-memory SQLite database, no dump tool when one is needed, no
    // privilege to create a database (the server's message). Setting *cancelled (any
    // thread) kills a running dump tool; the half-made copy is dropped.
    static Result<std::unique_ptr<DatabaseCopy>> create(const DatabaseUrl &source, const Progress &progress = {},
                                                        const QAtomicInt *cancelled = nullptr);
    ~DatabaseCopy();

    DatabaseCopy(const DatabaseCopy &) = delete;
    DatabaseCopy &operator=(const DatabaseCopy &) = delete;

    const DatabaseUrl &url() const { return m_copy; }   // the copy, with the source's credentials
    QString name() const { return m_name; }             // scratch database / schema / file name
    QString method() const { return m_method; }         // "VACUUM INTO", "CREATE DATABASE ... TEMPLATE", ...
    qint64 elapsedMs() const { return m_elapsedMs; }

    // Drops the copy (idempotent). Every connection to it must be closed first.
    VoidResult drop();
    bool dropped() const { return m_dropped; }

    // Whether `connection`'s user may create the scratch database: PostgreSQL rolcreatedb
    // or superuser; MySQL a global CREATE privilege; SQLite always (a temporary file).
    static Result<bool> canCreateDatabases(DatabaseConnection &connection);
    // Whether a database/schema of this name is present on the server of `connection`.
    static Result<bool> exists(DatabaseConnection &connection, const QString &name);

private:
    explicit DatabaseCopy(DatabaseUrl source);
    VoidResult copySqlite();
    VoidResult copyPostgres(const Progress &progress);
    VoidResult copyMySql(const Progress &progress);
    VoidResult createEmpty(DatabaseConnection &admin, const QString &options);
    VoidResult runTool(const Result<DumpCommand> &command, const Progress &progress);

    DatabaseUrl m_source;
    DatabaseUrl m_copy;
    QString m_name;
    QString m_method;
    qint64 m_elapsedMs = 0;
    bool m_created = false;   // something exists that drop() must remove
    bool m_dropped = false;
    std::unique_ptr<QTemporaryDir> m_dir;   // SQLite's copy; dump files
    QAtomicInt m_neverCancelled;
    const QAtomicInt *m_cancelled = &m_neverCancelled;
};

} // namespace retort
