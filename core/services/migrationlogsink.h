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
    // A revision script's logging call (level as Python's: 20 INFO, 30 WARNING ...), to be
    // shown as the ini's logging configuration shows that logger's records.
    virtual void record(int level, const QString &logger, const QString &message)
    {
        if (level >= 20)
            info(logger, message);
    }
    // A revision script's print() output (stdout under Alembic).
    virtual void output(const QString &text) { Q_UNUSED(text); }
};

} // namespace retort
