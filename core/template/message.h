#pragma once
// User-facing output as alembic.util.messaging produces it, handed to the caller
// as it happens so a failure still shows "Generating ... FAILED".
//
// Alembic writes util.msg(text) and util.status(text, fn) ("text ..." then "  done" or
// "  FAILED"); when stdin is a terminal it also indents and wraps lines to its width
// (textwrap), which is the CLI's business: plainText() is the non-terminal form.

#include <QString>
#include <functional>

namespace retort {

struct Message
{
    enum Kind {
        Msg,           // util.msg(text): text + "\n"
        StatusStart,   // util.status begins: text + " ..." (no newline)
        StatusStartLine,  // util.status(..., newline=True): text + " ...\n" (output may follow)
        StatusDone,    // "  done\n"
        StatusFailed,  // "  FAILED\n"
    };
    Kind kind = Msg;
    QString text;

    QString plainText() const
    {
        switch (kind) {
        case Msg: return text + QLatin1Char('\n');
        case StatusStart: return text + QStringLiteral(" ...");
        case StatusStartLine: return text + QStringLiteral(" ...\n");
        case StatusDone: return QStringLiteral("  done\n");
        case StatusFailed: return QStringLiteral("  FAILED\n");
        }
        return {};
    }
};

using MessageSink = std::function<void(const Message &)>;

} // namespace retort
