#pragma once
// Colours derived from the palette, so every view reads well in light and dark themes:
// WCAG contrast ratios, blends, and the studio's accent colours (error, warning, ...)
// adjusted until they stand out enough against the background they are drawn on.

#include <QColor>
#include <QPalette>

namespace retort {

class ThemeColors
{
public:
    enum Accent { Info, Success, Warning, Error, Database, Label, Neutral, Engine };

    // WCAG 2 relative luminance (0..1) and contrast ratio (1..21).
    static double luminance(const QColor &color);
    static double contrast(const QColor &a, const QColor &b);
    // `over` with `color` laid on top at `alpha` (0..1).
    static QColor blend(const QColor &over, const QColor &color, double alpha);
    static bool isDark(const QPalette &palette);

    // `color` moved towards black or white (whichever is further from `background`)
    // until its contrast against `background` reaches `ratio`.
    static QColor readable(const QColor &color, const QColor &background, double ratio = 4.5);

    // The accent's hue, readable as text on the palette's Base and Window.
    static QColor accent(Accent accent, const QPalette &palette);
    // The accent's hue, unadjusted (outlines, fills blended over the background).
    static QColor hue(Accent accent);
    // A faint fill of the accent over `background` (banners, badges, row marks).
    static QColor tint(Accent accent, const QColor &background, double alpha = 0.18);

    // "color: ..." for a QLabel showing an error message (dialogs).
    static QString errorStyleSheet(const QPalette &palette);
};

} // namespace retort
