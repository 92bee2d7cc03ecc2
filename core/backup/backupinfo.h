#pragma once
// What is known about one backup without opening it: a small JSON sidecar written next to
// the dump (<backup>.json) when the backup is taken - the time, the dialect, the source URL
// with its password masked, the revision(s) the database was at and the project's ini.
// Backups written before sidecars existed are still listed: time from the file name,
// dialect from the extension, the rest unknown.

#include "result.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace retort {

struct BackupInfo
{
    QString path;            // the dump (absolute)
    QDateTime created;
    qint64 size = 0;         // bytes of the dump
    QString dialect;         // "sqlite", "postgresql", "mysql", "mariadb"
    QString maskedUrl;       // password as "***"
    QStringList revisions;   // heads of the version table at backup time (empty: none)
    QString iniPath;
    QString note;            // why it was taken: "before upgrade to head", "before restore", ...
    bool hasMetadata = false;

    static QString sidecarPath(const QString &backupPath) { return backupPath + QStringLiteral(".json"); }
    // "ae1027a6acf0" / "ae10..., 1975ea83b712" / "(none)" for lists and logs.
    QString revisionText() const;

    // Reads the sidecar when there is one; falls back to the file itself.
    static BackupInfo read(const QString &backupPath);
    VoidResult writeSidecar() const;
};

} // namespace retort
