#pragma once
// What the CLI (`revision --autogenerate`, `check`) and the studio's AutogenerateJob
// decide the same way before comparing: which Python loads the models, and whether the
// database is at the heads (Alembic compares nothing else).

#include "result.h"

#include <QString>
#include <QStringList>

namespace retort {

class Project;
class RevisionGraph;

class AutogenerateSetup
{
public:
    // given if set; else retort_python from the ini, $RETORT_PYTHON, /usr/bin/python3
    // (the Debian interpreter that has Alembic), then PythonStepRunner's default.
    static QString python(Project &project, const QString &given = {});

    // "Target database is not up to date." unless databaseHeads are the graph's heads.
    static VoidResult checkUpToDate(const RevisionGraph &graph, const QStringList &databaseHeads);
};

} // namespace retort
