#include "recentprojectsmenu.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace retort {

namespace {
const QString kKey = QStringLiteral("recentProjects");
constexpr int kMax = 10;
} // namespace

RecentProjectsMenu::RecentProjectsMenu(QSettings &settings, QWidget *parent)
    : QMenu(tr("Open &Recent"), parent)
    , m_settings(settings)
{
    rebuild();
}

QStringList RecentProjectsMenu::projects() const
{
    return m_settings.value(kKey).toStringList();
}

void RecentProjectsMenu::add(const QString &iniPath)
{
    QStringList list = projects();
    const QString path = QFileInfo(iniPath).absoluteFilePath();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > kMax)
        list.removeLast();
    m_settings.setValue(kKey, list);
    rebuild();
}

void RecentProjectsMenu::clear()
{
    m_settings.remove(kKey);
    rebuild();
}

void RecentProjectsMenu::rebuild()
{
    QMenu::clear();
    const QStringList list = projects();
    int n = 0;
    for (const QString &path : list) {
        const QFileInfo info(path);
        const QString label = QStringLiteral("&%1 %2 \u2014 %3")
                                  .arg(++n % 10)
                                  .arg(info.absoluteDir().dirName(),
                                       QDir::toNativeSeparators(info.absolutePath()));
        QAction *action = addAction(label, this, [this, path] { emit projectTriggered(path); });
        action->setEnabled(info.exists());
    }
    if (!list.isEmpty())
        addSeparator();
    QAction *clearAction = addAction(tr("Clear List"), this, [this] { clear(); });
    clearAction->setEnabled(!list.isEmpty());
}

} // namespace retort
