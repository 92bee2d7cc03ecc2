#include "pythoninterpreterlocator.h"

#include <QDir>
#include <QFileInfo>

namespace retort {

namespace {

// A virtualenv's interpreter: bin/python in a directory that pyvenv.cfg marks as one (an
// `env` folder of something else does not count).
bool isVenvPython(const QString &venvDir)
{
    const QFileInfo python(venvDir + QStringLiteral("/bin/python"));
    return QFileInfo::exists(venvDir + QStringLiteral("/pyvenv.cfg")) && python.exists() && python.isExecutable();
}

} // namespace

QStringList PythonInterpreterLocator::projectCandidates(const QString &iniDir)
{
    QStringList out;
    if (iniDir.isEmpty())
        return out;
    QDir dir(QFileInfo(iniDir).absoluteFilePath());
    for (int level = 0; level < 2; ++level) {
        for (const char *name : {".venv", "venv", "env"})
            out << dir.filePath(QString::fromLatin1(name) + QStringLiteral("/bin/python"));
        if (!dir.cdUp())
            break;
    }
    return out;
}

PythonInterpreter PythonInterpreterLocator::locate(const QString &configured, const QString &iniDir,
                                                   const QString &fallback)
{
    const QString env = qEnvironmentVariable("RETORT_PYTHON");
    if (!env.isEmpty())
        return {env, QStringLiteral("$RETORT_PYTHON")};
    if (!configured.isEmpty())
        return {configured, QStringLiteral("retort_python")};
    const QString active = qEnvironmentVariable("VIRTUAL_ENV");
    if (!active.isEmpty() && isVenvPython(active))
        return {active + QStringLiteral("/bin/python"), QStringLiteral("$VIRTUAL_ENV")};
    for (const QString &candidate : projectCandidates(iniDir)) {
        const QString venv = QFileInfo(candidate).absolutePath();   // .../.venv/bin
        if (isVenvPython(QFileInfo(venv).absolutePath()))
            return {candidate, QStringLiteral("project virtualenv")};
    }
    return {fallback, QStringLiteral("default")};
}

} // namespace retort
