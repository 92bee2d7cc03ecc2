#include "config/resourcelocator.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace retort {

QString ResourceLocator::dataDirectoryFor(const QString &binDir)
{
    if (binDir.isEmpty())
        return {};
    const QFileInfo share(QDir(binDir).filePath(QStringLiteral("../share/retort")));
    return share.isDir() ? share.canonicalFilePath() : QString();
}

QString ResourceLocator::dataDirectory()
{
    // The binary does not move while it runs: look once.
    static const QString dir = QCoreApplication::instance()
        ? dataDirectoryFor(QCoreApplication::applicationDirPath())
        : QString();
    return dir;
}

QString ResourceLocator::path(const QString &relative)
{
    const QString share = dataDirectory();
    if (!share.isEmpty()) {
        const QString installed = QDir(share).filePath(relative);
        if (QFileInfo::exists(installed))
            return installed;
    }
    return QStringLiteral(":/retort/") + relative;
}

} // namespace retort
