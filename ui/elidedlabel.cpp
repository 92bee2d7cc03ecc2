#include "elidedlabel.h"

#include <QPainter>
#include <QStyle>

namespace retort {

ElidedLabel::ElidedLabel(QWidget *parent) : QLabel(parent)
{
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setTextFormat(Qt::PlainText);
}

QSize ElidedLabel::minimumSizeHint() const
{
    return {fontMetrics().horizontalAdvance(QStringLiteral("\u2026")) * 3, QLabel::minimumSizeHint().height()};
}

QString ElidedLabel::displayedText() const
{
    const int width = contentsRect().width() - 2 * margin();
    // Paths lose their middle, which keeps the folder and the file name readable.
    return fontMetrics().elidedText(text(), Qt::ElideMiddle, width);
}

void ElidedLabel::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QRect r = contentsRect().adjusted(margin(), margin(), -margin(), -margin());
    style()->drawItemText(&p, r, int(alignment() | Qt::TextSingleLine), palette(), isEnabled(),
                          displayedText(), foregroundRole());
}

} // namespace retort
