#pragma once
// The scratch database `squash` builds the schema at REV in: an SQLite file in a temporary
// folder, or on the project's PostgreSQL / MySQL server a database of its own
// (retort_squash_<random>), created here and dropped again by the destructor, never the
// user's. Self-contained on purpose (core/proof/scratchdatabase.* is written alongside;
// the two are to be reconciled).

#include "result.h"

#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace retort {

class DatabaseUrl;

class SquashScratch
{
public:
    ~SquashScratch();
    SquashScratch(const SquashScratch &) = delete;
    SquashScratch &operator=(const SquashScratch &) = delete;

    // An SQLite file in a fresh temporary folder.
    static Result<std::unique_ptr<SquashScratch>> sqlite();
    // A new database on the server `server` points at (its credentials must be allowed to
    // CREATE DATABASE). SQLite URLs get sqlite().
    static Result<std::unique_ptr<SquashScratch>> onServerOf(const DatabaseUrl &server);

    QString url() const { return m_url; }            // with the password
    QString dialectName() const { return m_dialect; }
    QString description() const;                     // for the user, password masked

    // `url` with its database part replaced (SQLAlchemy URL text: scheme://netloc/db?query).
    static QString withDatabase(const QString &url, const QString &database);

private:
    SquashScratch() = default;
    void drop();

    QString m_url;
    QString m_dialect;
    QString m_serverUrl;   // server dialects: where to DROP DATABASE
    QString m_database;
    std::unique_ptr<QTemporaryDir> m_dir;
};

} // namespace retort
