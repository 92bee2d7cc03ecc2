#pragma once
// Hands one migration step that the native engine cannot run (loops, ORM sessions,
// op.get_bind() data work) to the project's own Python + Alembic, exactly that step:
// `python -m alembic -c <ini> -n <section> upgrade <rev>` (or downgrade to the step's
// target) while the database sits at the step's starting revisions.
// The interpreter: see PythonInterpreterLocator ($RETORT_PYTHON, retort_python, the
// active or the project's own virtualenv, else python3).

#include "result.h"
#include "revision/migrationstep.h"

#include <QString>
#include <QStringList>

namespace retort {

class PythonStepRunner
{
public:
    PythonStepRunner(QString iniPath, QString section, QString interpreter, QString url);

    // The interpreter to use for a project whose alembic.ini is in iniDir.
    static QString interpreterFor(const QString &configured, const QString &iniDir = {});
    // Whether the interpreter can import alembic; the error says what to install.
    VoidResult checkAvailable() const;
    // Runs the step; stderr lines of Alembic are passed to `log`.
    VoidResult run(const MigrationStep &step, const std::function<void(const QString &)> &log) const;
    // The alembic argument list for a step (exposed for tests and messages).
    static QStringList alembicArguments(const MigrationStep &step);

private:
    QString m_ini;
    QString m_section;
    QString m_python;
    QString m_url;
};

} // namespace retort
