#pragma once
// Which Python runs a project's own Alembic (needs-Python steps, the autogenerate model
// helper): $RETORT_PYTHON, else `retort_python` in the ini section, else the active
// virtualenv ($VIRTUAL_ENV), else the project's own virtualenv — `.venv`, `venv` or `env`
// (a directory with a pyvenv.cfg, as venv, virtualenv, uv and in-project Poetry/Pipenv make
// them) next to alembic.ini or one level up (Flask-Migrate keeps alembic.ini in
// migrations/) — else the caller's fallback (python3 on PATH).

#include <QString>
#include <QStringList>

namespace retort {

struct PythonInterpreter
{
    QString path;
    QString origin;   // "$RETORT_PYTHON", "retort_python", "$VIRTUAL_ENV", "project virtualenv", "default"
};

class PythonInterpreterLocator
{
public:
    // configured: retort_python from the ini (may be empty); iniDir: alembic.ini's folder.
    static PythonInterpreter locate(const QString &configured, const QString &iniDir,
                                    const QString &fallback = QStringLiteral("python3"));
    // The virtualenv interpreters looked for, in order (existing or not).
    static QStringList projectCandidates(const QString &iniDir);
};

} // namespace retort
