#pragma once
// The [post_write_hooks] run on a freshly written revision file
// (alembic.script.write_hooks._run_hooks). Only the `console_scripts` type exists in
// Alembic 1.8.1; we run the entry point's installed executable (found on PATH) with
// `<name>.options` (REVISION_SCRIPT_FILENAME replaced, or the path prepended) in
// `<name>.cwd`, its output passed through, its exit status ignored as Alembic does.

#include "message.h"
#include "result.h"

#include <QPair>
#include <QVector>

namespace retort {

class PostWriteHooks
{
public:
    using Items = QVector<QPair<QString, QString>>;

    // Errors: "Key black.type is required for post write hook 'black'",
    // "No formatter with name 'x' registered", "Key black.entrypoint is required ...",
    // "Could not find entrypoint console_scripts.black".
    static Result<void> run(const QString &revisionPath, const Items &hookConfig, const MessageSink &sink);

    // shlex.split(posix=True) of an options string.
    static QStringList shellSplit(const QString &text);
    // _parse_cmdline_options.
    static QStringList commandLine(const QString &options, const QString &revisionPath);

private:
    static Result<void> consoleScripts(const QString &path, const QMap<QString, QString> &options);
};

} // namespace retort
