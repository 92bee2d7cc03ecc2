#pragma once
// Runs "New Project…" and "New Revision…" for the main window: opens the dialog
// (window-modal, without blocking in exec()) and reports what it created, so the shell
// only opens the project or reloads and shows the script.

#include <QObject>
#include <QPointer>

class QAction;
class QWidget;

namespace retort {

class NewProjectDialog;
class NewRevisionDialog;

class ProjectCreator : public QObject
{
    Q_OBJECT
public:
    explicit ProjectCreator(QWidget *window);

    // The dialog shown now, if any (tests fill it in and accept it).
    NewProjectDialog *projectDialog() const;
    NewRevisionDialog *revisionDialog() const;
    // New Revision's "Autogenerate" option triggers this action (the review).
    void setAutogenerateAction(QAction *action) { m_autogenerate = action; }

public slots:
    void newProject();
    void newRevision(const QString &iniPath, const QStringList &heads);

signals:
    void projectCreated(const QString &iniPath);
    void revisionCreated(const QString &scriptPath);
    void message(const QString &line);

private:
    QWidget *m_window;
    QPointer<NewProjectDialog> m_projectDialog;
    QPointer<NewRevisionDialog> m_revisionDialog;
    QPointer<QAction> m_autogenerate;
};

} // namespace retort
