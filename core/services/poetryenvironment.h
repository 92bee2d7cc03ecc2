#pragma once
// Where Poetry keeps a project's virtualenv when it is not in the project (Poetry's default:
// virtualenvs.in-project is off). Asked of `poetry env info -p` when poetry is on PATH;
// otherwise found in Poetry's cache layout, <virtualenvs path>/<name>-<hash>-py<X.Y>, where
// <name>-<hash> is Poetry's own env name for the project (its package name, sanitised, and
// the first 8 characters of the urlsafe base64 SHA-256 of the project folder's real path):
// an exact match, so another project's environment is never taken for this one's.

#include <QString>
#include <QStringList>

namespace retort {

class PoetryEnvironment
{
public:
    // The package name of a Poetry project's pyproject.toml text ([tool.poetry] name, or
    // Poetry 2's [project] name next to a [tool.poetry] table); empty when not Poetry's.
    static QString packageName(const QString &pyprojectText);
    // Poetry's env name for a project: "<sanitised name>-<hash>" (no -pyX.Y suffix).
    static QString envName(const QString &packageName, const QString &projectDir);
    // $POETRY_VIRTUALENVS_PATH, else <cache dir>/virtualenvs with the cache dir from
    // $POETRY_CACHE_DIR, else $XDG_CACHE_HOME/pypoetry, else ~/.cache/pypoetry.
    static QString virtualenvsPath();
    // The environment folders that may be the project's, most likely first: the one
    // `poetry env info -p` names (when `poetry` is found on PATH), else the cache layout's
    // <envName>-py* folders (the one envs.toml marks as in use first, then newest Python).
    // Empty for a folder without a Poetry pyproject.toml. At most one process.
    static QStringList candidates(const QString &projectDir);
};

} // namespace retort
