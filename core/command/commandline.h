#pragma once
// Alembic's command line (alembic/config.py CommandLine): the same sub-commands,
// options, help texts and error contract — "FAILED: <message>" on stdout and exit 255
// for handled errors, argparse's usage + error on stderr and exit 2 for bad arguments.

#include "command/argumentparser.h"
#include "command/commandoutput.h"

#include <memory>

namespace retort {

class CommandLine
{
public:
    explicit CommandLine(QString prog, CommandOutput *output = nullptr);
    ~CommandLine();

    // Runs one command line (without the program name) and returns the exit code.
    int run(const QStringList &args);
    // The process ends after run(): the command's state (the revision graph, its scripts'
    // texts) is left to the operating system instead of being freed allocation by
    // allocation. It stays reachable (a static pointer), so leak checkers do not report it.
    void setProcessEndsAfterRun(bool on) { m_processEndsAfterRun = on; }
    // Parsing only (with the checks argparse cannot express), as run() does it.
    ParseOutcome parse(const QStringList &args, ParsedArguments *out) const;

    static constexpr int ExitFailed = 255;   // Alembic's sys.exit(-1)
    static constexpr int ExitUsage = 2;      // argparse

private:
    void buildParser();
    void addRetortCommands();
    // Combinations argparse cannot express, reported as parser.error() would.
    ParseOutcome checkCombinations(const ParsedArguments &parsed) const;

    QString m_prog;
    std::unique_ptr<ArgumentParser> m_parser;
    const ArgumentParser *m_revisionParser = nullptr;
    std::unique_ptr<CommandOutput> m_ownOutput;
    CommandOutput *m_output = nullptr;
    bool m_processEndsAfterRun = false;
};

} // namespace retort
