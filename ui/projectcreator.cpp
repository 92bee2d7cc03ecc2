#include "projectcreator.h"

#include "newprojectdialog.h"
#include "newrevisiondialog.h"

#include <QAction>
#include <QWidget>

namespace retort {

ProjectCreator::ProjectCreator(QWidget *window)
    : QObject(window)
    , m_window(window)
{
}

NewProjectDialog *ProjectCreator::projectDialog() const { return m_projectDialog; }
NewRevisionDialog *ProjectCreator::revisionDialog() const { return m_revisionDialog; }

void ProjectCreator::newProject()
{
    if (m_projectDialog)
        return m_projectDialog->raise();
    m_projectDialog = new NewProjectDialog(m_window);
    NewProjectDialog *dialog = m_projectDialog;
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewProjectDialog::message, this, &ProjectCreator::message);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { emit projectCreated(dialog->iniPath()); });
    dialog->open();
}

void ProjectCreator::newRevision(const QString &iniPath, const QStringList &heads)
{
    if (m_revisionDialog)
        return m_revisionDialog->raise();
    m_revisionDialog = new NewRevisionDialog(iniPath, heads, m_window);
    NewRevisionDialog *dialog = m_revisionDialog;
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewRevisionDialog::message, this, &ProjectCreator::message);
    dialog->setAutogenerateAction(m_autogenerate);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (!dialog->writtenPath().isEmpty())   // empty: handed over to the review
            emit revisionCreated(dialog->writtenPath());
    });
    dialog->open();
}

} // namespace retort
