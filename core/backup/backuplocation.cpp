#include "backuplocation.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace retort {

BackupLocation::BackupLocation(QString rootDir) : m_root(std::move(rootDir))
{
    if (m_root.isEmpty())
        m_root = defaultRoot();
}

QString BackupLocation::defaultRoot()
{
    const QString env = qEnvironmentVariable("RETORT_BACKUP_DIR");
    if (!env.isEmpty())
        return env;
    // Not AppDataLocation: that differs between `retort` and `retort-studio`.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
           + QStringLiteral("/retort/backups");
}

QString BackupLocation::projectKey(const QString &iniPath)
{
    const QFileInfo ini(iniPath);
    const QString abs = ini.absoluteFilePath();
    QString folder = ini.absoluteDir().dirName();
    if (folder.isEmpty())
        folder = QStringLiteral("project");
    const QByteArray hash = QCryptographicHash::hash(abs.toUtf8(), QCryptographicHash::Sha1).toHex();
    return folder + QLatin1Char('-') + QString::fromLatin1(hash.left(8));
}

QString BackupLocation::projectDir(const QString &iniPath) const
{
    return QDir(m_root).filePath(projectKey(iniPath));
}

QString BackupLocation::extension(const Dialect &dialect)
{
    switch (dialect.kind()) {
    case Dialect::SQLite:
        return QStringLiteral("sqlite");
    case Dialect::PostgreSQL:
        return QStringLiteral("dump");
    case Dialect::MySQL:
    case Dialect::MariaDB:
        return QStringLiteral("sql");
    }
    return QStringLiteral("bak");
}

QString BackupLocation::newBackupPath(const QString &iniPath, const Dialect &dialect,
                                      const QDateTime &when) const
{
    const QDir dir(projectDir(iniPath));
    const QString stem = when.toString(QStringLiteral("yyyyMMdd-HHmmss")) + QLatin1Char('_')
                         + dialect.name();
    const QString ext = QLatin1Char('.') + extension(dialect);
    QString path = dir.filePath(stem + ext);
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = dir.filePath(QStringLiteral("%1-%2%3").arg(stem).arg(n).arg(ext));
    return path;
}

QFileInfoList BackupLocation::backups(const QString &iniPath) const
{
    const QDir dir(projectDir(iniPath));
    // The time stamp leads the name, so name order is time order.
    return dir.entryInfoList({QStringLiteral("*.sqlite"), QStringLiteral("*.dump"),
                              QStringLiteral("*.sql")},
                             QDir::Files, QDir::Name | QDir::Reversed);
}

} // namespace retort
