#pragma once
// File > Open Recent: the last projects opened (their alembic.ini), newest first,
// kept in the QSettings the studio passes around.

#include <QMenu>

class QSettings;

namespace retort {

class RecentProjectsMenu : public QMenu
{
    Q_OBJECT
public:
    RecentProjectsMenu(QSettings &settings, QWidget *parent = nullptr);

    QStringList projects() const;
    void add(const QString &iniPath);
    void clear();

signals:
    void projectTriggered(const QString &iniPath);

private:
    void rebuild();

    QSettings &m_settings;
};

} // namespace retort
