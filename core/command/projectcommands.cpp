#include "projectcommands.h"

#include "command/commandcontext.h"

#include <QProcess>
#include <QStandardPaths>

namespace retort {

namespace {

// python-editor's order: $VISUAL, $EDITOR, then common editors on PATH.
QString findEditor()
{
    for (const char *var : {"VISUAL", "EDITOR"}) {
        const QString v = qEnvironmentVariable(var);
        if (!v.isEmpty())
            return v;
    }
    for (const char *name : {"editor", "vim", "emacs", "nano"}) {
        const QString found = QStandardPaths::findExecutable(QString::fromLatin1(name));
        if (!found.isEmpty())
            return found;
    }
    return {};
}

} // namespace

VoidResult ProjectCommands::init(CommandContext &)
{
    return Error(QStringLiteral("init: not wired yet"));
}

VoidResult ProjectCommands::listTemplates(CommandContext &)
{
    return Error(QStringLiteral("list_templates: not wired yet"));
}

VoidResult ProjectCommands::revision(CommandContext &)
{
    return Error(QStringLiteral("revision: not wired yet"));
}

VoidResult ProjectCommands::merge(CommandContext &)
{
    return Error(QStringLiteral("merge: not wired yet"));
}

VoidResult ProjectCommands::edit(CommandContext &context)
{
    const QString rev = context.args().value(QStringLiteral("rev"));
    if (rev == QLatin1String("current"))
        return Error(QStringLiteral("edit current is not supported yet"));
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    auto nodes = (*graph)->revisions(rev).toResult();
    if (!nodes)
        return nodes.error();
    if (nodes->isEmpty())
        return Error(QStringLiteral("No revision files indicated by symbol '%1'").arg(rev));
    const QString editor = findEditor();
    if (editor.isEmpty())
        return Error(QStringLiteral("No suitable editor found. Please set the \"EDITOR\" or \"VISUAL\" environment variables"));
    for (const RevisionNode *node : *nodes) {
        QStringList args = QProcess::splitCommand(editor);
        const QString program = args.takeFirst();
        if (QProcess::execute(program, args << node->path()) != 0)
            return Error(QStringLiteral("Editor %1 failed on %2").arg(program, node->path()));
    }
    return {};
}

} // namespace retort
