#pragma once
// An inline message strip above a view (in the spirit of KDE's KMessageWidget): an
// icon, rich text and action buttons; hidden until there is something to say.

#include <QFrame>

class QHBoxLayout;
class QLabel;

namespace retort {

class MessageBanner : public QFrame
{
    Q_OBJECT
public:
    enum Kind { Information, Warning, Error };

    explicit MessageBanner(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    void addAction(QAction *action);   // shown as a button on the right
    QString text() const;
    Kind kind() const { return m_kind; }

signals:
    void linkActivated(const QString &link);   // a link in the text was clicked

private:
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QHBoxLayout *m_buttons = nullptr;
    Kind m_kind = Information;
};

} // namespace retort
