#pragma once
// Which Python runs a project's own Alembic (needs-Python steps, the autogenerate model
// helper). The ladder, first that applies wins:
//   1. $RETORT_PYTHON;  2. `retort_python` in the ini section;  3. the active virtualenv
//   ($VIRTUAL_ENV) — these three are the user's explicit choice and taken as they are;
//   4. uv's $UV_PROJECT_ENVIRONMENT, for a project with a pyproject.toml (relative to it);
//   5. a `.venv`, `venv` or `env` (a folder with pyvenv.cfg, as venv, virtualenv, uv and
//      in-project Poetry/Pipenv make them) in alembic.ini's folder or a parent, nearest
//      first, up to the repository root (a folder holding .git, .hg or .svn), never in
//      / or in $HOME (unless alembic.ini is there) or above it: a venv there is not the
//      project's;
//   6. Poetry's out-of-project environment of the nearest pyproject.toml with [tool.poetry]
//      (see PoetryEnvironment);
//   7. the caller's fallback (python3 on PATH).
// Rungs 4–6 are guesses, so a candidate counts only if it can import alembic: one
// `python -c "import alembic"` per virtualenv found, and only when rungs 1–3 did not apply.

#include <QString>
#include <QStringList>

namespace retort {

struct PythonInterpreter
{
    QString path;
    // "$RETORT_PYTHON", "retort_python", "$VIRTUAL_ENV", "$UV_PROJECT_ENVIRONMENT",
    // "project virtualenv", "Poetry environment", "default"
    QString origin;
    QString alembicVersion;   // set when the locator ran the check (rungs 4–6)
    QStringList rejected;     // virtualenv interpreters found that could not import alembic
};

class PythonInterpreterLocator
{
public:
    // configured: retort_python from the ini (may be empty); iniDir: alembic.ini's folder.
    static PythonInterpreter locate(const QString &configured, const QString &iniDir,
                                    const QString &fallback = QStringLiteral("python3"));
    // The folders searched for the project (rungs 4–6), nearest first.
    static QStringList searchDirectories(const QString &iniDir);
    // The virtualenv interpreters of rung 5, in order (existing or not).
    static QStringList projectCandidates(const QString &iniDir);
    // The alembic version `python` has (its package found, the version read from its
    // __init__.py without importing it; imported only when that fails), empty when it has
    // none (one process).
    static QString alembicVersion(const QString &python);
};

} // namespace retort
