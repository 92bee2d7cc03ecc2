#pragma once
// Where the log lines of a run go: the CLI formats them like Python's logging under the
// project's ini; the studio shows them in its log pane.

#include <QString>

namespace retort {

class MigrationLogSink
{
public:
    virtual ~MigrationLogSink() = default;
    // env.py's fileConfig(): logging starts here (before it, info() may drop lines).
    virtual void enableLogging() {}
    virtual void info(const QString &logger, const QString &message) = 0;
    // Shown whatever the logging configuration says (a run waiting for the migration
    // lock must say so even when env.py configures no logging).
    virtual void notice(const QString &logger, const QString &message) { info(logger, message); }
};

} // namespace retort
