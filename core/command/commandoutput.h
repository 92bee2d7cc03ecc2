#pragma once
// Where commands write: stdout/stderr for the CLI, buffers for tests and the studio.
// Mirrors alembic.util.messaging: msg() wraps and indents lines when stdin is a
// terminal (Alembic asks fd 0 for its width), print_stdout() writes text verbatim.

#include <QString>
#include <QStringList>

namespace retort {

class CommandOutput
{
public:
    virtual ~CommandOutput() = default;

    virtual void writeStdout(const QString &text) = 0;
    virtual void writeStderr(const QString &text) = 0;
    // Alembic's TERMWIDTH: 0 when stdin is not a terminal.
    virtual int messageWidth() const { return 0; }

    // Config.print_stdout: the text and a newline.
    void printStdout(const QString &text) { writeStdout(text + QLatin1Char('\n')); }
    // util.msg: wrapped to the terminal width with two spaces of indent, or verbatim.
    void msg(const QString &text, bool newline = true);
};

// The process's real streams (UTF-8).
class StdCommandOutput : public CommandOutput
{
public:
    StdCommandOutput();
    void writeStdout(const QString &text) override;
    void writeStderr(const QString &text) override;
    int messageWidth() const override { return m_width; }

private:
    int m_width = 0;
};

// Collects output in memory (tests, the studio's log).
class BufferCommandOutput : public CommandOutput
{
public:
    void writeStdout(const QString &text) override { out += text; }
    void writeStderr(const QString &text) override { err += text; }
    QString out;
    QString err;
};

} // namespace retort
