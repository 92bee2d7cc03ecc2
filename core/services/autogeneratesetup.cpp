#include "autogeneratesetup.h"

#include "services/project.h"
#include "services/pythoninterpreterlocator.h"

#include <QFileInfo>
#include <QSet>

namespace retort {

QString AutogenerateSetup::python(Project &project, const QString &given)
{
    if (!given.isEmpty())
        return given;
    auto cfg = project.config();
    const QString configured = cfg ? (*cfg)->mainOption(QStringLiteral("retort_python")).value().value_or(QString())
                             : QString();
    const QString iniDir = cfg ? QFileInfo((*cfg)->configFileName()).absolutePath() : QString();
    const QString fallback = QFileInfo::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3")
                                                                                  : QStringLiteral("python3");
    return PythonInterpreterLocator::locate(configured, iniDir, fallback).path;
}

VoidResult AutogenerateSetup::checkUpToDate(const RevisionGraph &graph, const QStringList &databaseHeads)
{
    auto current = graph.revisions(databaseHeads).toResult();
    if (!current)
        return current.error();
    auto all = graph.revisions(QStringLiteral("heads")).toResult();
    if (!all)
        return all.error();
    if (QSet<const RevisionNode *>(current->begin(), current->end())
        != QSet<const RevisionNode *>(all->begin(), all->end()))
        return Error(QStringLiteral("Target database is not up to date."));
    return {};
}

} // namespace retort
