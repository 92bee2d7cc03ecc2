#pragma once
// "New Revision…": `alembic revision -m MESSAGE [--head HEAD]` from the studio, an empty
// script written through core's RevisionWriter on top of the head. With several heads
// the user picks one; leaving the choice open gets Alembic's "Multiple heads are
// present" error, as the CLI does. Errors stay in the dialog.

#include "result.h"
#include "template/message.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace retort {

class NewRevisionDialog : public QDialog
{
    Q_OBJECT
public:
    // heads: the project's current heads (the choice is offered when there are several).
    NewRevisionDialog(const QString &iniPath, const QStringList &heads, QWidget *parent = nullptr);

    void setMessage(const QString &message);
    // A head id, or empty for Alembic's default "head".
    void setHead(const QString &head);
    QString writtenPath() const { return m_written; }
    QString errorText() const;

    // The write itself: `revision -m message --head head` ("head" when empty). Returns the
    // new script's absolute path.
    static Result<QString> write(const QString &iniPath, const QString &message, const QString &head,
                                 const MessageSink &sink);

public slots:
    void accept() override;

signals:
    void message(const QString &line);

private:
    QString m_iniPath;
    QLineEdit *m_message;
    QComboBox *m_head;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QString m_written;
};

} // namespace retort
