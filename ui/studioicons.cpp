#include "studioicons.h"

#include <QFile>

namespace retort {

QIcon studioIcon(const QString &themeName, const QIcon &lastResort)
{
    if (QIcon::hasThemeIcon(themeName))
        return QIcon::fromTheme(themeName);
    const QString own = QStringLiteral(":/retort/icons/actions/%1.svg").arg(themeName);
    if (QFile::exists(own))
        return QIcon(own);
    return lastResort;
}

QIcon studioApplicationIcon()
{
    return QIcon::fromTheme(QStringLiteral("retort-studio"),
                            QIcon(QStringLiteral(":/retort/icons/retort-studio.svg")));
}

} // namespace retort
