#pragma once
// What the window shows where the graph goes while no project is open: the recent
// projects (click to open), New Project and Open Project. wrap() puts it and the graph
// in one QStackedWidget that follows the document.

#include <QWidget>

class QListWidget;
class QStackedWidget;

namespace retort {

class ProjectDocument;
class RecentProjectsMenu;
class StudioActions;

class StartPage : public QWidget
{
    Q_OBJECT
public:
    StartPage(RecentProjectsMenu *recent, StudioActions *actions, QWidget *parent = nullptr);

    // A stack of this page and `graph`, showing the page until `document` is open.
    QStackedWidget *wrap(QWidget *graph, ProjectDocument *document);
    QListWidget *recentList() const { return m_list; }

public slots:
    void refresh();

signals:
    void projectRequested(const QString &iniPath);

protected:
    void showEvent(QShowEvent *event) override;

private:
    RecentProjectsMenu *m_recent;
    QListWidget *m_list;
    QWidget *m_noRecent;
};

} // namespace retort
