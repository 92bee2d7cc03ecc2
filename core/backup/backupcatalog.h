#pragma once
// The backups of one project (BackupLocation's folder for its ini): list them with their
// sidecar metadata, delete one, and keep only the newest N per database (retention).
// Shared by `retort backups` and the studio's Backups view.

#include "backupinfo.h"
#include "backuplocation.h"
#include "result.h"

#include <QList>

namespace retort {

class BackupCatalog
{
public:
    explicit BackupCatalog(BackupLocation location) : m_location(std::move(location)) {}

    const BackupLocation &location() const { return m_location; }

    // Newest first. maskedUrl non-empty: only that database's backups.
    QList<BackupInfo> list(const QString &iniPath, const QString &maskedUrl = {}) const;

    // Removes the dump and its sidecar.
    static VoidResult remove(const QString &backupPath);

    // Keeps the `keep` newest backups of each database (by masked URL) of the project and
    // deletes the rest; keep <= 0 keeps everything. Returns the deleted paths.
    Result<QStringList> prune(const QString &iniPath, int keep) const;

private:
    BackupLocation m_location;
};

} // namespace retort
