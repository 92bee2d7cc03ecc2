#include "revisiongraphpainter.h"

#include "themecolors.h"

#include <QPainterPath>

namespace retort {

RevisionGraphPainter::RevisionGraphPainter(QPainter &painter, int laneWidth, int rowHeight,
                                           int yOffset)
    : m_p(painter), m_laneWidth(laneWidth), m_rowHeight(rowHeight), m_yOffset(yOffset)
{
}

QColor RevisionGraphPainter::laneColor(int lane)
{
    // Distinct, readable on light and dark backgrounds.
    static const QColor colors[] = {
        QColor(0x35, 0x74, 0xf0), QColor(0xd9, 0x4f, 0x3d), QColor(0x2e, 0x9e, 0x5b),
        QColor(0xc7, 0x7c, 0x02), QColor(0x8e, 0x57, 0xd6), QColor(0x0f, 0x9a, 0xa8),
        QColor(0xd6, 0x47, 0x7e), QColor(0x6b, 0x77, 0x85),
    };
    return colors[lane % int(std::size(colors))];
}

void RevisionGraphPainter::drawEdge(const GraphEdge &edge)
{
    const double half = m_rowHeight / 2.0;
    const double x1 = laneX(edge.childLane), y1 = rowY(edge.childRow);
    const double xl = laneX(edge.lane);
    const double x2 = laneX(edge.parentLane), y2 = rowY(edge.parentRow);

    // Leave the child's dot, bend onto the travel lane within the child's lower half,
    // run down, and bend into the parent's lane within the parent's upper half.
    QPainterPath path(QPointF(x1, y1));
    double y = y1;
    if (xl != x1) {
        path.cubicTo(QPointF(x1, y1 + half * 0.8), QPointF(xl, y1 + half * 0.2),
                     QPointF(xl, y1 + half));
        y = y1 + half;
    }
    if (xl != x2) {
        if (y2 - half > y)
            path.lineTo(xl, y2 - half);
        path.cubicTo(QPointF(xl, y2 - half * 0.2), QPointF(x2, y2 - half * 0.8),
                     QPointF(x2, y2));
    } else {
        path.lineTo(x2, y2);
    }
    QPen pen(laneColor(edge.lane), std::max(1.5, m_laneWidth / 8.0));
    pen.setCapStyle(Qt::RoundCap);
    if (edge.kind == GraphEdge::Dependency) {
        pen.setStyle(Qt::CustomDashLine);
        pen.setDashPattern({3, 3});
        pen.setColor(laneColor(edge.lane).lighter(115));
    }
    m_p.strokePath(path, pen);
}

void RevisionGraphPainter::drawDot(int row, int lane, bool hollow, bool highlighted, bool merge)
{
    const QPointF c(laneX(lane), rowY(row));
    const double r = std::max(3.0, m_laneWidth * 0.28);
    const QColor color = laneColor(lane);
    if (highlighted) {
        // A halo marks where the database is.
        m_p.setPen(Qt::NoPen);
        QColor halo(0xf5, 0x9e, 0x0b);
        halo.setAlpha(110);
        m_p.setBrush(halo);
        m_p.drawEllipse(c, r * 2.0, r * 2.0);
    }
    m_p.setPen(QPen(color, std::max(1.5, m_laneWidth / 8.0)));
    m_p.setBrush(hollow ? m_p.background() : QBrush(color));
    m_p.drawEllipse(c, r, r);
    if (merge && !hollow) {
        m_p.setPen(Qt::NoPen);
        m_p.setBrush(m_p.background());
        m_p.drawEllipse(c, r * 0.4, r * 0.4);
    }
}

int RevisionGraphPainter::drawBadge(int x, int row, const QString &text, const QColor &color)
{
    const QFontMetrics fm = m_p.fontMetrics();
    const int w = fm.horizontalAdvance(text) + 10;
    const int h = std::min(m_rowHeight - 4, fm.height() + 2);
    const QRectF rect(x, rowY(row) - h / 2.0, w, h);
    // An opaque fill, the accent blended over the background, keeps badges readable on
    // the selection highlight; the text is the accent moved until it reads on that fill.
    const QColor fill = ThemeColors::blend(m_p.background().color(), color, 0.16);
    m_p.setPen(QPen(color, 1));
    m_p.setBrush(fill);
    m_p.drawRoundedRect(rect, 4, 4);
    m_p.setPen(badgeTextColor(color, m_p.background().color()));
    m_p.drawText(rect, Qt::AlignCenter, text);
    return w;
}

QColor RevisionGraphPainter::badgeTextColor(const QColor &color, const QColor &background)
{
    return ThemeColors::readable(color, ThemeColors::blend(background, color, 0.16));
}

bool RevisionGraphPainter::naturalLess(const QString &a, const QString &b)
{
    // Case-insensitive, runs of digits by value ("v2" before "v10"); QCollator's numeric
    // mode depends on ICU and the locale.
    int i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a.at(i).isDigit() && b.at(j).isDigit()) {
            int ei = i, ej = j;
            while (ei < a.size() && a.at(ei).isDigit())
                ++ei;
            while (ej < b.size() && b.at(ej).isDigit())
                ++ej;
            const qulonglong x = a.mid(i, ei - i).toULongLong(), y = b.mid(j, ej - j).toULongLong();
            if (x != y)
                return x < y;
            i = ei;
            j = ej;
            continue;
        }
        const QChar ca = a.at(i).toCaseFolded(), cb = b.at(j).toCaseFolded();
        if (ca != cb)
            return ca < cb;
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j))
        return (a.size() - i) < (b.size() - j);
    return a < b;   // equal but for case: a stable, total order
}

QStringList RevisionGraphPainter::boundedLabels(QStringList labels, int max)
{
    std::sort(labels.begin(), labels.end(), naturalLess);
    if (max < 1 || labels.size() <= max)
        return labels;
    const int shown = max - 1;
    QStringList bounded = labels.mid(0, shown);
    bounded << QStringLiteral("+%1").arg(labels.size() - shown);
    return bounded;
}

} // namespace retort
