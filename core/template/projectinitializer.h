#pragma once
// `init` and `list_templates` (alembic.command.init / list_templates) with Retort's own
// templates, embedded as Qt resources under :/retort/templates/<name>/.
// The files written work with both retort and Alembic 1.8.1.

#include "message.h"
#include "result.h"

#include <QStringList>

namespace retort {

struct InitRequest
{
    QString directory;                                  // as given; also the script_location written
    QString templateName = QStringLiteral("generic");   // -t/--template
    QString configFile = QStringLiteral("alembic.ini"); // -c value (AlembicConfig::resolveConfigPath)
    bool package = false;                               // --package: add __init__.py files
    QString workingDirectory;                           // relative paths' base; empty = current
};

class ProjectInitializer
{
public:
    // Template names in the order list_templates prints them.
    static QStringList templateNames();
    // First line of the template's README.
    static QString synopsis(const QString &templateName);
    // The whole output of `list_templates`, newlines included.
    static QString listTemplatesText();

    // Creates the environment. Errors as Alembic's CommandError:
    // "Directory <dir> already exists and is not empty", "No such template '<name>'".
    // Status lines ("Creating directory /abs ...  done", "Generating /abs/env.py ...  done",
    // "File /abs/alembic.ini already exists, skipping", "Please edit configuration/...")
    // go to sink as they happen.
    static Result<void> init(const InitRequest &request, const MessageSink &sink);
    // init's checks before anything is written (the two errors above), for callers that
    // validate as the user types.
    static Result<void> checkRequest(const InitRequest &request);
    static Result<void> init(const QString &directory, const QString &templateName,
                             const MessageSink &sink);

    static QString resourceDir(const QString &templateName);

private:
    static Result<void> writeFile(const QString &path, const QByteArray &bytes);
    static Result<void> status(const MessageSink &sink, const QString &text,
                               const std::function<Result<void>()> &action);
};

} // namespace retort
