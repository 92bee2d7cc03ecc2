#pragma once
// Toolbar and menu icons: the desktop's icon theme first (QIcon::fromTheme), then our own
// SVGs (resources/icons/actions/<name>.svg, embedded as :/retort/icons/actions/<name>.svg),
// which scale, so they stay sharp at 2x. Without either, the caller's last resort.

#include <QIcon>
#include <QString>

namespace retort {

QIcon studioIcon(const QString &themeName, const QIcon &lastResort = QIcon());

// The application's own icon (the hicolor theme's retort-studio, else the embedded SVG).
QIcon studioApplicationIcon();

} // namespace retort
