#pragma once
// Everything one command invocation needs, loaded on first use: the parsed arguments,
// the output, the config (-c/-n/-x), the script directory and the revision graph.
// Also emulates the logging that the stock env.py switches on (fileConfig), so log
// lines appear on stderr exactly when Alembic's would.

#include "command/argumentparser.h"
#include "command/commandoutput.h"
#include "services/migrationlogsink.h"
#include "services/project.h"

#include <memory>
#include <optional>
#include <vector>

namespace retort {

class CommandContext : public MigrationLogSink
{
public:
    CommandContext(ParsedArguments args, CommandOutput *output);
    ~CommandContext();

    const ParsedArguments &args() const { return m_args; }
    // A command that succeeds can still ask for a non-zero exit (check, diff).
    void setExitCode(int code) { m_exitCode = code; }
    int exitCode() const { return m_exitCode; }
    CommandOutput &out() { return *m_output; }

    Result<AlembicConfig *> config();
    Result<ScriptDirectory *> scriptDirectory();
    Result<const RevisionGraph *> graph();
    Project &project() { return m_project; }
    // --url, else $RETORT_DATABASE_URL ("" when neither is given).
    QString urlOverride() const;
    // --lock-timeout: how long a run waits for the migration lock another run holds
    // (CommandLine has checked it is a whole number >= 0).
    static constexpr int DefaultLockTimeoutSecs = 300;
    int lockTimeoutSecs() const;
    int lockTimeoutMs() const;

    // Emulates logging.config.fileConfig(alembic.ini) as the stock env.py runs it:
    // after this, info()/error() print with the ini's console format and levels.
    void configureLogging();
    bool loggingConfigured() const { return m_logging.has_value(); }
    void logInfo(const QString &logger, const QString &message);
    void enableLogging() override { configureLogging(); }
    void info(const QString &logger, const QString &message) override { logInfo(logger, message); }
    void notice(const QString &logger, const QString &message) override;
    void record(int level, const QString &logger, const QString &message) override;
    void output(const QString &text) override;
    void logError(const QString &message);   // util.err's log.error
    void warn(const QString &message);       // Python's UserWarning on stderr

    // Kept as long as this context: the command line keeps its context to the process's
    // end (CommandLine::setProcessEndsAfterRun), so what a command hands over here is left
    // to the OS instead of being freed piece by piece (a --sql run's 2,000 interpreted
    // programs: ~1 ms). Only plain data: nothing whose destructor must run (connections,
    // processes). Freed with the context elsewhere (tests).
    void keep(std::shared_ptr<void> object) { m_kept.push_back(std::move(object)); }

private:
    struct Logging
    {
        QString format = QStringLiteral("%(levelname)-5.5s [%(name)s] %(message)s");
        int rootLevel = 30;      // WARN
        int alembicLevel = 20;   // INFO
        bool toStderr = true;
        // The format split once into literal text and %(key)[-width][.precision]s fields:
        // re-parsing it for each of thousands of "Running upgrade" lines showed in profiles.
        struct Field
        {
            QString literal;   // text before the field
            QString key;       // "" for the trailing literal
            enum Value { Other, LevelName, Name, Message } value = Other;   // what key names
            bool leftAlign = false;
            int width = 0;
            int precision = -1;
        };
        QList<Field> fields;
    };
    static QList<Logging::Field> parseFormat(const QString &format);
    void log(int level, const QString &logger, const QString &message);
    static int levelNumber(const QString &name, int fallback);

    ParsedArguments m_args;
    CommandOutput *m_output;
    Project m_project;
    int m_exitCode = 0;
    std::optional<Logging> m_logging;
    bool m_basicConfig = false;   // no fileConfig(): a root-logger call ran basicConfig()
    std::vector<std::shared_ptr<void>> m_kept;   // last: freed first
};

} // namespace retort
