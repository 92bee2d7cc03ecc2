#pragma once
// An exclusive advisory lock on a file (flock(2)), for SQLite databases: flock locks are
// separate from the POSIX record locks SQLite takes itself, so holding one keeps a second
// Retort run out while leaving the file free for the run's own connection and for a
// Python Alembic step it hands off. Released by release(), the destructor, or the process
// dying (kill -9 included).

#include "result.h"

#include <QString>

namespace retort {

class FileLock
{
public:
    explicit FileLock(QString path);
    ~FileLock();

    FileLock(const FileLock &) = delete;
    FileLock &operator=(const FileLock &) = delete;

    // true: taken; false: another open file description holds it; an error otherwise
    // (file missing, permission denied, ...).
    Result<bool> tryLock();
    void release();
    bool isHeld() const { return m_fd >= 0; }
    const QString &path() const { return m_path; }

    // "pid 1234 (retort)" for the process holding an flock on the file, from /proc/locks;
    // empty when that cannot be told.
    QString holder() const;

private:
    QString m_path;
    int m_fd = -1;
};

} // namespace retort
