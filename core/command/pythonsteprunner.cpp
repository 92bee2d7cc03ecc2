#include "pythonsteprunner.h"

#include "command/pythoninterpreterlocator.h"

#include <QProcess>
#include <QProcessEnvironment>

namespace retort {

PythonStepRunner::PythonStepRunner(QString iniPath, QString section, QString interpreter, QString url)
    : m_ini(std::move(iniPath)), m_section(std::move(section)), m_python(std::move(interpreter)),
      m_url(std::move(url))
{
}

QString PythonStepRunner::interpreterFor(const QString &configured, const QString &iniDir)
{
    return PythonInterpreterLocator::locate(configured, iniDir).path;
}

VoidResult PythonStepRunner::checkAvailable() const
{
    QProcess p;
    p.start(m_python, {QStringLiteral("-c"), QStringLiteral("import alembic")});
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return Error(QStringLiteral("%1 cannot import alembic (set RETORT_PYTHON or retort_python in "
                                    "the ini to an interpreter that has the project's Alembic, or "
                                    "activate the project's virtualenv)")
                         .arg(m_python));
    return {};
}

QStringList PythonStepRunner::alembicArguments(const MigrationStep &step)
{
    if (step.isUpgrade())
        return {QStringLiteral("upgrade"), step.revision};
    // A downgrade step lands on its to-revisions; none left means the branch's base.
    return {QStringLiteral("downgrade"),
            step.toRevisions.isEmpty() ? step.revision + QStringLiteral("-1") : step.toRevisions.first()};
}

VoidResult PythonStepRunner::run(const MigrationStep &step,
                                 const std::function<void(const QString &)> &log) const
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // env.py reads the URL from the ini; keep Retort's override in effect for the child.
    if (!m_url.isEmpty())
        env.insert(QStringLiteral("RETORT_DATABASE_URL"), m_url);
    p.setProcessEnvironment(env);
    QStringList args{QStringLiteral("-m"), QStringLiteral("alembic"), QStringLiteral("-c"), m_ini,
                     QStringLiteral("-n"), m_section};
    if (!m_url.isEmpty())
        args << QStringLiteral("-x") << QStringLiteral("url=") + m_url;
    args << alembicArguments(step);
    p.start(m_python, args);
    if (!p.waitForStarted(30000))
        return Error(QStringLiteral("Could not start %1: %2").arg(m_python, p.errorString()));
    p.waitForFinished(-1);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    for (const QString &line : err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        log(line);
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        const QString out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
        return Error(QStringLiteral("Python/Alembic failed running %1 (%2 -m alembic %3): %4")
                         .arg(step.shortLog, m_python, alembicArguments(step).join(QLatin1Char(' ')),
                              out.isEmpty() ? err.trimmed() : out));
    }
    return {};
}

} // namespace retort
