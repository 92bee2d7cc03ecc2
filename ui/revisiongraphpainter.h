#pragma once
// Drawing primitives of the revision graph (lanes, dots, badges), kept apart from the
// view's scrolling and input handling. Geometry: lane L's centre is at
// x = origin + L * laneWidth + laneWidth / 2; row R's centre at y = rowTop(R) + rowHeight / 2.

#include "graph/graphlayout.h"

#include <QColor>
#include <QPainter>
#include <QStringList>

namespace retort {

class RevisionGraphPainter
{
public:
    RevisionGraphPainter(QPainter &painter, int laneWidth, int rowHeight, int yOffset);

    static QColor laneColor(int lane);

    double laneX(int lane) const { return (lane + 0.5) * m_laneWidth; }
    double rowY(int row) const { return row * m_rowHeight + m_rowHeight / 2.0 - m_yOffset; }

    void drawEdge(const GraphEdge &edge);
    // hollow: a pending revision; highlighted: the database's current revision.
    void drawDot(int row, int lane, bool hollow, bool highlighted, bool merge);
    // A rounded label at x (left edge), vertically centred in the row; returns its width.
    int drawBadge(int x, int row, const QString &text, const QColor &color);
    // The text colour of a badge of `color` drawn over `background` (readable, WCAG AA).
    static QColor badgeTextColor(const QColor &color, const QColor &background);

    // Branch labels as a row shows them: sorted (case-insensitive, numbers by value), at
    // most `max` badges, the last one "+N" for the N left out.
    static QStringList boundedLabels(QStringList labels, int max = kMaxLabelBadges);
    static constexpr int kMaxLabelBadges = 3;
    static bool naturalLess(const QString &a, const QString &b);

private:
    QPainter &m_p;
    int m_laneWidth;
    int m_rowHeight;
    int m_yOffset;
};

} // namespace retort
