#include "backupcatalog.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <algorithm>

namespace retort {

QList<BackupInfo> BackupCatalog::list(const QString &iniPath, const QString &maskedUrl) const
{
    QList<BackupInfo> out;
    for (const QFileInfo &file : m_location.backups(iniPath)) {
        BackupInfo info = BackupInfo::read(file.absoluteFilePath());
        if (!maskedUrl.isEmpty() && info.maskedUrl != maskedUrl)
            continue;
        out << info;
    }
    // Sidecar times are exact to the millisecond, names only to the second.
    std::stable_sort(out.begin(), out.end(), [](const BackupInfo &a, const BackupInfo &b) {
        return a.created > b.created;
    });
    return out;
}

VoidResult BackupCatalog::remove(const QString &backupPath)
{
    if (QFileInfo::exists(backupPath) && !QFile::remove(backupPath))
        return Error(QStringLiteral("Cannot delete %1").arg(backupPath));
    const QString sidecar = BackupInfo::sidecarPath(backupPath);
    if (QFileInfo::exists(sidecar) && !QFile::remove(sidecar))
        return Error(QStringLiteral("Cannot delete %1").arg(sidecar));
    return {};
}

Result<QStringList> BackupCatalog::prune(const QString &iniPath, int keep) const
{
    QStringList removed;
    if (keep <= 0)
        return removed;
    QHash<QString, int> kept;   // per masked URL ("" for backups without a sidecar)
    for (const BackupInfo &info : list(iniPath)) {
        if (++kept[info.maskedUrl] <= keep)
            continue;
        auto done = remove(info.path);
        if (!done)
            return done.error();
        removed << info.path;
    }
    return removed;
}

} // namespace retort
