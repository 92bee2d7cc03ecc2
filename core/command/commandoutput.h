#pragma once
// Where commands write: stdout/stderr for the CLI, buffers for tests and the studio.
// Mirrors alembic.util.messaging: msg() wraps and indents lines when stdin is a
// terminal (Alembic asks fd 0 for its width), print_stdout() writes text verbatim.

#include <QByteArray>
#include <QElapsedTimer>
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
    // While on, the process's stderr lines may be gathered into fewer writes (a --sql run
    // logs a line per step); their order against stdout is kept. Buffers ignore it.
    virtual void holdStderr(bool on) { (void)on; }

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
    ~StdCommandOutput() override;
    void writeStdout(const QString &text) override;
    void writeStderr(const QString &text) override;
    int messageWidth() const override { return m_width; }
    void holdStderr(bool on) override;

private:
    void flushHeld();

    int m_width = 0;
    bool m_hold = false;
    QByteArray m_held;          // stderr text not written yet (holdStderr)
    QElapsedTimer m_heldSince;  // a held line waits at most kHoldMs
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
