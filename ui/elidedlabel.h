#pragma once
// A one-line label that elides its text instead of demanding its full width: in the
// status bar a long project path then cannot push over the revision count.

#include <QLabel>

namespace retort {

class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    QSize minimumSizeHint() const override;
    // The text as drawn at the current width.
    QString displayedText() const;

protected:
    void paintEvent(QPaintEvent *event) override;
};

} // namespace retort
