#include "themecolors.h"

#include <cmath>

namespace retort {

namespace {
double channel(double c)
{
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
} // namespace

double ThemeColors::luminance(const QColor &color)
{
    const QColor c = color.toRgb();
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double ThemeColors::contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor ThemeColors::blend(const QColor &over, const QColor &color, double alpha)
{
    const QColor a = over.toRgb(), b = color.toRgb();
    return QColor::fromRgbF(float(a.redF() * (1 - alpha) + b.redF() * alpha),
                            float(a.greenF() * (1 - alpha) + b.greenF() * alpha),
                            float(a.blueF() * (1 - alpha) + b.blueF() * alpha));
}

bool ThemeColors::isDark(const QPalette &palette)
{
    return luminance(palette.color(QPalette::Base)) < luminance(palette.color(QPalette::Text));
}

QColor ThemeColors::readable(const QColor &color, const QColor &background, double ratio)
{
    if (contrast(color, background) >= ratio)
        return color.toRgb();
    // Whichever extreme contrasts more with the background is the direction to go.
    const QColor target = contrast(Qt::white, background) > contrast(Qt::black, background)
                              ? QColor(Qt::white) : QColor(Qt::black);
    for (int step = 1; step <= 20; ++step) {
        const QColor c = blend(color, target, step / 20.0);
        if (contrast(c, background) >= ratio)
            return c;
    }
    return target;
}

QColor ThemeColors::hue(Accent accent)
{
    switch (accent) {
    case Info: return QColor(0x3d, 0x8e, 0xe9);
    case Success: return QColor(0x16, 0x9a, 0x4a);
    case Warning: return QColor(0xe0, 0x8a, 0x00);
    case Error: return QColor(0xda, 0x34, 0x3e);
    case Database: return QColor(0xd9, 0x77, 0x06);
    case Label: return QColor(0x25, 0x63, 0xeb);
    case Neutral: return QColor(0x6b, 0x72, 0x80);
    case Engine: return QColor(0x8b, 0x5c, 0xf6);
    }
    return QColor(0x6b, 0x72, 0x80);
}

QColor ThemeColors::accent(Accent a, const QPalette &palette)
{
    // Readable on whichever of Base and Window contrasts less with it.
    const QColor base = palette.color(QPalette::Base), window = palette.color(QPalette::Window);
    QColor c = readable(hue(a), base);
    return readable(c, window);
}

QColor ThemeColors::tint(Accent accent, const QColor &background, double alpha)
{
    return blend(background, hue(accent), alpha);
}

QString ThemeColors::errorStyleSheet(const QPalette &palette)
{
    return QStringLiteral("color: %1;").arg(accent(Error, palette).name());
}

} // namespace retort
