#pragma once
// "New Revision…": `alembic revision -m MESSAGE [--head HEAD] [--branch-label LABEL]
// [--depends-on REV ...]` from the studio, an empty script written through core's
// RevisionWriter on top of the head. With several heads the user picks one (each shown
// with its message); leaving the choice open gets Alembic's "Multiple heads are present"
// error, as the CLI does; "base" starts a new branch. "Autogenerate" hands over to the
// Autogenerate review instead of writing an empty script. Errors stay in the dialog.

#include "result.h"
#include "template/message.h"

#include <QDialog>
#include <QPointer>

class QAction;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace retort {

struct NewRevisionRequest
{
    QString message;
    QString head;          // empty: Alembic's default "head"
    QString branchLabel;   // --branch-label, empty: none
    QStringList dependsOn; // --depends-on, ids (partial) or branch labels
};

class NewRevisionDialog : public QDialog
{
    Q_OBJECT
public:
    // heads: the project's current heads (the choice is offered when there are several).
    NewRevisionDialog(const QString &iniPath, const QStringList &heads, QWidget *parent = nullptr);

    void setMessage(const QString &message);
    // A head id, "base", or empty for Alembic's default "head".
    void setHead(const QString &head);
    void setBranchLabel(const QString &label);
    // Comma- or space-separated revisions or branch labels.
    void setDependsOn(const QString &revisions);
    // The Autogenerate review: offered when `action` is enabled (a connected database),
    // triggered instead of writing when the box is ticked.
    void setAutogenerateAction(QAction *action);
    void setAutogenerate(bool on);

    QString writtenPath() const { return m_written; }
    QString errorText() const;
    // The head choices as shown ("1a2b3c4d5e6f — add users"), for tests.
    QStringList headChoices() const;
    NewRevisionRequest request() const;

    // The write itself; returns the new script's absolute path.
    static Result<QString> write(const QString &iniPath, const NewRevisionRequest &request,
                                 const MessageSink &sink);
    static Result<QString> write(const QString &iniPath, const QString &message, const QString &head,
                                 const MessageSink &sink);

public slots:
    void accept() override;

signals:
    void message(const QString &line);
    void autogenerateRequested();

private:
    void updateAutogenerate();

    QString m_iniPath;
    QLineEdit *m_message;
    QComboBox *m_head;
    QLineEdit *m_branchLabel;
    QLineEdit *m_dependsOn;
    QCheckBox *m_autogenerate;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QPointer<QAction> m_autogenerateAction;
    QString m_written;
};

} // namespace retort
