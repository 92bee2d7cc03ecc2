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

void StdCommandOutput::writeStdout(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

void StdCommandOutput::writeStderr(const QString &text)
{
    std::fflush(stdout);
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

} // namespace retort
