#include "messagebanner.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace retort {

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_text->setOpenExternalLinks(false);
    connect(m_text, &QLabel::linkActivated, this, &MessageBanner::linkActivated);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    m_buttons = new QHBoxLayout;
    layout->addLayout(m_buttons);
    hide();
}

void MessageBanner::showMessage(Kind kind, const QString &text)
{
    m_kind = kind;
    static const QColor tints[] = {QColor(0x3d, 0xae, 0xe9), QColor(0xf6, 0x74, 0x00),
                                   QColor(0xda, 0x44, 0x53)};
    const QStyle::StandardPixmap icons[] = {QStyle::SP_MessageBoxInformation,
                                            QStyle::SP_MessageBoxWarning,
                                            QStyle::SP_MessageBoxCritical};
    QPalette pal = palette();
    QColor bg = tints[kind];
    bg.setAlpha(40);
    // Blend over the window colour so it also reads well with dark themes.
    const QColor base = parentWidget() ? parentWidget()->palette().color(QPalette::Window)
                                       : pal.color(QPalette::Window);
    const double a = bg.alphaF();
    pal.setColor(QPalette::Window, QColor::fromRgbF(base.redF() * (1 - a) + bg.redF() * a,
                                                    base.greenF() * (1 - a) + bg.greenF() * a,
                                                    base.blueF() * (1 - a) + bg.blueF() * a));
    setPalette(pal);
    setStyleSheet(QStringLiteral("retort--MessageBanner { border: 1px solid %1; border-radius: 4px; }")
                      .arg(tints[kind].name()));
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style()->standardIcon(icons[kind]).pixmap(size, size));
    m_text->setText(text);
    show();
}

void MessageBanner::addAction(QAction *action)
{
    auto *button = new QToolButton(this);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_buttons->addWidget(button);
}

QString MessageBanner::text() const
{
    return m_text->text();
}

} // namespace retort
