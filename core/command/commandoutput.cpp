#include "commandoutput.h"

#include <cstdio>

#ifdef Q_OS_UNIX
#include <sys/ioctl.h>
#include <unistd.h>
#endif

namespace retort {

namespace {

// textwrap.wrap(text, width) for plain messages: whitespace runs collapse, words
// longer than the width are split.
QStringList wrap(const QString &text, int width)
{
    QStringList lines;
    QString line;
    const QStringList words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (QString w : words) {
        while (w.size() > width) {
            if (!line.isEmpty()) {
                lines << line;
                line.clear();
            }
            lines << w.left(width);
            w = w.mid(width);
        }
        if (!line.isEmpty() && line.size() + 1 + w.size() > width) {
            lines << line;
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + w;
    }
    if (!line.isEmpty() || lines.isEmpty())
        lines << line;
    return lines;
}

// text as UTF-8 at the end of out: ASCII (every log line of a --sql run) is narrowed in
// place, without the temporary QByteArray of toUtf8() per line.
void appendUtf8(QByteArray &out, const QString &text)
{
    const char16_t *src = reinterpret_cast<const char16_t *>(text.constData());
    const qsizetype n = text.size();
    unsigned high = 0;
    for (qsizetype i = 0; i < n; ++i)
        high |= src[i];
    if (high >= 0x80) {
        out += text.toUtf8();
        return;
    }
    const qsizetype at = out.size();
    out.resize(at + n);
    char *dst = out.data() + at;
    for (qsizetype i = 0; i < n; ++i)
        dst[i] = char(src[i]);
}

} // namespace

void CommandOutput::msg(const QString &text, bool newline)
{
    const int width = messageWidth();
    if (width <= 0) {
        writeStdout(newline ? text + QLatin1Char('\n') : text);
        return;
    }
    const QStringList lines = wrap(text, width);
    QString out;
    for (int i = 0; i < lines.size(); ++i) {
        out += QStringLiteral("  ") + lines.at(i);
        if (i + 1 < lines.size() || newline)
            out += QLatin1Char('\n');
    }
    writeStdout(out);
}

StdCommandOutput::StdCommandOutput()
{
#ifdef Q_OS_UNIX
    winsize ws{};
    if (::ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
        m_width = ws.ws_col;
#endif
}

StdCommandOutput::~StdCommandOutput()
{
    flushHeld();
}

void StdCommandOutput::writeStdout(const QString &text)
{
    if (!m_held.isEmpty())
        flushHeld();   // what stderr got first is written first
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

void StdCommandOutput::holdStderr(bool on)
{
    if (!on)
        flushHeld();
    m_hold = on;
}

void StdCommandOutput::flushHeld()
{
    if (m_held.isEmpty())
        return;
    std::fflush(stdout);
    std::fwrite(m_held.constData(), 1, size_t(m_held.size()), stderr);
    std::fflush(stderr);
    m_held.clear();
}

void StdCommandOutput::writeStderr(const QString &text)
{
    if (m_hold) {
        // One write per 64 KB instead of one per line; a line a user waits for (a slow
        // step's) is written within kHoldMs all the same.
        constexpr qsizetype kHoldBytes = 64 * 1024;
        constexpr qint64 kHoldMs = 50;
        if (m_held.isEmpty())
            m_heldSince.start();
        appendUtf8(m_held, text);
        if (m_held.size() >= kHoldBytes || m_heldSince.elapsed() >= kHoldMs)
            flushHeld();
        return;
    }
    std::fflush(stdout);
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

} // namespace retort
