#pragma once
// Runs one DumpCommand to completion in the calling thread (BackupJob and RestoreJob
// run in a worker, so blocking is fine there). stderr lines are passed on as they
// arrive; setting the caller's cancel flag (from any thread) kills the tool.

#include "dumpcommand.h"
#include "result.h"

#include <QAtomicInt>
#include <functional>

namespace retort {

class DumpProcess
{
public:
    DumpProcess(DumpCommand command, const QAtomicInt &cancelFlag)
        : m_command(std::move(command)), m_cancelled(cancelFlag) {}

    VoidResult run(const std::function<void(const QString &)> &onStderrLine);

private:
    DumpCommand m_command;
    const QAtomicInt &m_cancelled;
};

} // namespace retort
