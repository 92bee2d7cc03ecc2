#pragma once
// Where a project's backups live: <root>/<project key>/<yyyyMMdd-HHmmss>_<dialect>.<ext>.
// The root defaults to $RETORT_BACKUP_DIR, else <GenericDataLocation>/retort/backups
// (~/.local/share/retort/backups), the same for `retort` and the studio; the studio's
// `backup/folder` setting and the CLI's --backup-dir pass their own. The project key is the project folder's name plus a short
// hash of the ini's absolute path, so two projects called "migrations" never mix.

#include "runtime/dialect.h"

#include <QDateTime>
#include <QFileInfoList>
#include <QString>

namespace retort {

class BackupLocation
{
public:
    // rootDir empty: defaultRoot().
    explicit BackupLocation(QString rootDir = {});

    QString rootDir() const { return m_root; }
    static QString defaultRoot();
    // "<folder of the ini>-<8 hex of sha1(absolute ini path)>".
    static QString projectKey(const QString &iniPath);
    QString projectDir(const QString &iniPath) const;

    // A path that does not exist yet (a "-2", "-3" ... suffix when the second is taken).
    QString newBackupPath(const QString &iniPath, const Dialect &dialect,
                          const QDateTime &when = QDateTime::currentDateTime()) const;
    // Existing backups of the project, newest first.
    QFileInfoList backups(const QString &iniPath) const;

    // "sqlite" for SQLite (a plain database file), "dump" for pg_dump's custom format,
    // "sql" for mysqldump's script.
    static QString extension(const Dialect &dialect);

private:
    QString m_root;
};

} // namespace retort
