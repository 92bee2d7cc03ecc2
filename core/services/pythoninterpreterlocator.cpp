#include "pythoninterpreterlocator.h"

#include "services/poetryenvironment.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSet>

namespace retort {

namespace {

// A virtualenv's interpreter: bin/python in a directory that pyvenv.cfg marks as one (an
// `env` folder of something else does not count).
bool isVenvPython(const QString &venvDir)
{
    const QFileInfo python(venvDir + QStringLiteral("/bin/python"));
    return QFileInfo::exists(venvDir + QStringLiteral("/pyvenv.cfg")) && python.exists() && python.isExecutable();
}

bool isRepositoryRoot(const QString &dir)
{
    for (const char *marker : {".git", ".hg", ".svn"})   // .git is a file in worktrees
        if (QFileInfo::exists(dir + QLatin1Char('/') + QLatin1String(marker)))
            return true;
    return false;
}

QString pyprojectText(const QString &dir)
{
    QFile f(dir + QStringLiteral("/pyproject.toml"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// uv resolves a relative $UV_PROJECT_ENVIRONMENT against the workspace root: the outermost
// pyproject.toml declaring [tool.uv.workspace], else the project's (the nearest one).
QString uvProjectRoot(const QStringList &dirs)
{
    QString nearest, workspace;
    for (const QString &dir : dirs) {
        if (!QFileInfo::exists(dir + QStringLiteral("/pyproject.toml")))
            continue;
        if (nearest.isEmpty())
            nearest = dir;
        if (pyprojectText(dir).contains(QLatin1String("[tool.uv.workspace]")))
            workspace = dir;
    }
    return workspace.isEmpty() ? nearest : workspace;
}

// Tries virtualenv folders in order; the first whose interpreter imports alembic wins.
class Ladder
{
public:
    bool tryVenv(const QString &venvDir, const QString &origin)
    {
        const QString python = QDir::cleanPath(venvDir) + QStringLiteral("/bin/python");
        if (m_tried.contains(python) || !isVenvPython(QDir::cleanPath(venvDir)))
            return false;
        m_tried.insert(python);
        const QString version = PythonInterpreterLocator::alembicVersion(python);
        if (version.isEmpty()) {
            found.rejected << python;
            return false;
        }
        found.path = python;
        found.origin = origin;
        found.alembicVersion = version;
        return true;
    }

    PythonInterpreter found;

private:
    QSet<QString> m_tried;
};

} // namespace

QStringList PythonInterpreterLocator::searchDirectories(const QString &iniDir)
{
    QStringList out;
    if (iniDir.isEmpty())
        return out;
    const QString home = QDir::cleanPath(QDir::homePath());
    QDir dir(QFileInfo(iniDir).absoluteFilePath());
    for (;;) {
        const QString path = QDir::cleanPath(dir.absolutePath());
        if (!out.isEmpty() && (path == home || dir.isRoot()))
            break;
        out << path;
        if (path == home || isRepositoryRoot(path) || !dir.cdUp())
            break;
    }
    return out;
}

QStringList PythonInterpreterLocator::projectCandidates(const QString &iniDir)
{
    QStringList out;
    for (const QString &dir : searchDirectories(iniDir))
        for (const char *name : {".venv", "venv", "env"})
            out << dir + QLatin1Char('/') + QLatin1String(name) + QStringLiteral("/bin/python");
    return out;
}

// Alembic's package is found and its __version__ read from its __init__.py, not imported:
// importing it (SQLAlchemy with it) takes as long as the Python worker's own start-up, which
// then came after it; only a package whose version cannot be read so is imported.
const char *const kAlembicProbe = R"PY(import sys, importlib.util as u
s, v = u.find_spec('alembic'), None
if s is not None and (s.origin or '').endswith('__init__.py'):
    import re
    with open(s.origin, encoding='utf-8', errors='replace') as f:
        m = re.search(r"^__version__\s*=\s*[\"']([^\"']+)[\"']", f.read(), re.M)
    v = m and m.group(1)
if not v:
    import alembic
    v = alembic.__version__
sys.stdout.write(v)
)PY";

QString PythonInterpreterLocator::alembicVersion(const QString &python)
{
    QProcess p;
    p.start(python, {QStringLiteral("-c"), QString::fromLatin1(kAlembicProbe)});
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished(1000);
        return {};
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

PythonInterpreter PythonInterpreterLocator::locate(const QString &configured, const QString &iniDir,
                                                   const QString &fallback)
{
    const QString env = qEnvironmentVariable("RETORT_PYTHON");
    if (!env.isEmpty())
        return {env, QStringLiteral("$RETORT_PYTHON"), {}, {}};
    if (!configured.isEmpty())
        return {configured, QStringLiteral("retort_python"), {}, {}};
    const QString active = qEnvironmentVariable("VIRTUAL_ENV");
    if (!active.isEmpty() && isVenvPython(active))
        return {active + QStringLiteral("/bin/python"), QStringLiteral("$VIRTUAL_ENV"), {}, {}};

    Ladder ladder;
    const QStringList dirs = searchDirectories(iniDir);
    const QString uvEnv = qEnvironmentVariable("UV_PROJECT_ENVIRONMENT");
    const QString uvRoot = uvEnv.isEmpty() ? QString() : uvProjectRoot(dirs);
    if (!uvRoot.isEmpty() && ladder.tryVenv(QDir(uvRoot).absoluteFilePath(uvEnv), QStringLiteral("$UV_PROJECT_ENVIRONMENT")))
        return ladder.found;
    for (const QString &candidate : projectCandidates(iniDir)) {
        if (ladder.tryVenv(QFileInfo(QFileInfo(candidate).absolutePath()).absolutePath(),
                           QStringLiteral("project virtualenv")))
            return ladder.found;
    }
    for (const QString &dir : dirs) {
        if (PoetryEnvironment::packageName(pyprojectText(dir)).isEmpty())
            continue;
        for (const QString &venv : PoetryEnvironment::candidates(dir))
            if (ladder.tryVenv(venv, QStringLiteral("Poetry environment")))
                return ladder.found;
        break;   // the nearest Poetry project is the one
    }
    PythonInterpreter fallbackChoice{fallback, QStringLiteral("default"), {}, ladder.found.rejected};
    return fallbackChoice;
}

} // namespace retort
