#include "dumpprocess.h"

#include <QFileInfo>
#include <QProcess>

namespace retort {

VoidResult DumpProcess::run(const std::function<void(const QString &)> &onStderrLine)
{
    QProcess process;
    process.setProgram(m_command.program);
    process.setArguments(m_command.arguments);
    process.setProcessEnvironment(m_command.environment);
    if (!m_command.standardInputFile.isEmpty())
        process.setStandardInputFile(m_command.standardInputFile);
    else
        process.setStandardInputFile(QProcess::nullDevice());   // a tool must never prompt
    QStringList errorLines;
    QByteArray pending;
    auto drain = [&](bool all) {
        pending += process.readAllStandardError();
        int nl;
        while ((nl = pending.indexOf('\n')) >= 0 || (all && !pending.isEmpty())) {
            const int end = nl >= 0 ? nl : pending.size();
            const QString line = QString::fromLocal8Bit(pending.left(end)).trimmed();
            pending.remove(0, nl >= 0 ? nl + 1 : end);
            if (line.isEmpty())
                continue;
            errorLines << line;
            if (onStderrLine)
                onStderrLine(line);
        }
    };
    process.start();
    if (!process.waitForStarted())
        return Error(QStringLiteral("could not start %1: %2")
                         .arg(QFileInfo(m_command.program).fileName(), process.errorString()));
    // Poll so cancel() is noticed while a long dump runs.
    while (!process.waitForFinished(200)) {
        drain(false);
        if (m_cancelled.loadRelaxed()) {
            process.kill();
            process.waitForFinished();
            return Error(QStringLiteral("%1 cancelled").arg(QFileInfo(m_command.program).fileName()));
        }
        if (process.state() == QProcess::NotRunning)
            break;
    }
    drain(true);
    const QString tool = QFileInfo(m_command.program).fileName();
    if (process.exitStatus() != QProcess::NormalExit)
        return Error(QStringLiteral("%1 crashed").arg(tool));
    if (process.exitCode() != 0)
        return Error(QStringLiteral("%1 failed (exit code %2)%3")
                         .arg(tool)
                         .arg(process.exitCode())
                         .arg(errorLines.isEmpty() ? QString()
                                                   : QStringLiteral(": ") + errorLines.join(QLatin1Char('\n'))));
    return {};
}

} // namespace retort
