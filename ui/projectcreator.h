#pragma once
// Runs "New Project…" and "New Revision…" for the main window: opens the dialog
// (window-modal, without blocking in exec()) and reports what it created, so the shell
// only opens the project or reloads and shows the script.

#include <QObject>
#include <QPointer>

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
};

} // namespace retort
