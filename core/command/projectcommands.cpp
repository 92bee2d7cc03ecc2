#include "projectcommands.h"

#include "command/commandcontext.h"
#include "command/schemacommands.h"
#include "template/projectinitializer.h"
#include "template/revisionwriter.h"

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

// Status lines as alembic.util.messaging prints them (wrapped when stdin is a terminal).
MessageSink sinkFor(CommandContext &context)
{
    return [&context](const Message &m) {
        switch (m.kind) {
        case Message::Msg:
            context.out().msg(m.text);
            break;
        case Message::StatusStart:
            context.out().msg(m.text + QStringLiteral(" ..."), false);
            break;
        default:
            context.out().writeStdout(m.plainText());
        }
    };
}

// Resolves the parents of a new revision like generate_revision's get_revisions(head).
Result<QVector<RevisionParent>> resolveParents(const RevisionGraph &graph, const QStringList &ids)
{
    const RevisionErrorContext ctx = RevisionErrorContext::newRevisionHead();
    auto nodes = ids.size() == 1 ? graph.revisions(ids.first()).toResult(ctx)
                                 : graph.revisions(ids).toResult(ctx);
    if (!nodes)
        return nodes.error();
    QVector<RevisionParent> parents;
    for (const RevisionNode *node : *nodes) {
        RevisionParent p;
        if (node && !node->isBaseMarker()) {
            p.revision = node->id();
            p.path = node->path();
            p.isHead = node->isHead();
        }
        parents << p;
    }
    return parents;
}

// --depends-on: a branch label stays as written, anything else becomes the full id.
Result<QStringList> resolveDependsOn(const RevisionGraph &graph, const QStringList &deps)
{
    QStringList out;
    for (const QString &dep : deps) {
        auto node = graph.revision(dep).toResult();
        if (!node)
            return node.error();
        if (!*node)
            return Error(QStringLiteral("Can't locate revision identified by '%1'").arg(dep));
        out << ((*node)->branchLabels().contains(dep) ? dep : (*node)->id());
    }
    return out;
}

// Writes the file, then re-reads the graph so label clashes surface as Alembic's
// add_revision() reports them.
VoidResult writeRevision(CommandContext &context, RevisionRequest request)
{
    auto cfg = context.config();
    if (!cfg)
        return cfg.error();
    auto settings = (*cfg)->scriptSettings();
    if (!settings)
        return settings.error();
    request.settings = *settings;
    auto written = RevisionWriter::write(request, sinkFor(context));
    if (!written)
        return written.error();
    context.project().reloadRevisions();
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    return {};
}

} // namespace

VoidResult ProjectCommands::init(CommandContext &context)
{
    InitRequest request;
    request.directory = context.args().value(QStringLiteral("directory"));
    request.templateName = context.args().value(QStringLiteral("template"), QStringLiteral("generic"));
    request.configFile = AlembicConfig::resolveConfigPath(context.args().value(QStringLiteral("config")));
    request.package = context.args().flag(QStringLiteral("package"));
    return ProjectInitializer::init(request, sinkFor(context));
}

VoidResult ProjectCommands::listTemplates(CommandContext &context)
{
    context.out().writeStdout(ProjectInitializer::listTemplatesText());
    return {};
}

VoidResult ProjectCommands::revision(CommandContext &context)
{
    const ParsedArguments &a = context.args();
    auto scripts = context.scriptDirectory();
    if (!scripts)
        return scripts.error();
    if (a.flag(QStringLiteral("autogenerate"))) {
        if (a.flag(QStringLiteral("sql")))
            return Error(QStringLiteral("Using --sql with --autogenerate does not make any sense"));
        return SchemaCommands::autogenerateRevision(context);
    }
    if (a.flag(QStringLiteral("sql")) && !(*scripts)->settings().revisionEnvironment)
        return Error(QStringLiteral("Using --sql with the revision command when revision_environment "
                                    "is not configured does not make any sense"));
    return writeRevisionWithTemplateArgs(context, {});
}

VoidResult ProjectCommands::writeRevisionWithTemplateArgs(
    CommandContext &context, const std::function<void(QMap<QString, MakoValue> &)> &addArgs)
{
    const ParsedArguments &a = context.args();
    if (a.values.contains(QStringLiteral("rev_id"))) {
        auto ok = RevisionWriter::verifyRevisionId(a.value(QStringLiteral("rev_id")));
        if (!ok)
            return ok.error();
    }
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    RevisionRequest request;
    auto parents = resolveParents(**graph, {a.value(QStringLiteral("head"), QStringLiteral("head"))});
    if (!parents)
        return parents.error();
    request.heads = *parents;
    if (a.values.contains(QStringLiteral("message")))
        request.message = a.value(QStringLiteral("message"));
    if (a.values.contains(QStringLiteral("rev_id")))
        request.revId = a.value(QStringLiteral("rev_id"));
    request.splice = a.flag(QStringLiteral("splice"));
    if (a.values.contains(QStringLiteral("branch_label")))
        request.branchLabel = a.value(QStringLiteral("branch_label"));
    if (a.values.contains(QStringLiteral("version_path")))
        request.versionPath = a.value(QStringLiteral("version_path"));
    auto deps = resolveDependsOn(**graph, a.list(QStringLiteral("depends_on")));
    if (!deps)
        return deps.error();
    request.dependsOn = *deps;
    request.templateArgs.insert(QStringLiteral("config"), RevisionWriter::configValue(*context.config().value()));
    if (addArgs)
        addArgs(request.templateArgs);
    return writeRevision(context, request);
}

VoidResult ProjectCommands::merge(CommandContext &context)
{
    const ParsedArguments &a = context.args();
    if (a.values.contains(QStringLiteral("rev_id"))) {
        auto ok = RevisionWriter::verifyRevisionId(a.value(QStringLiteral("rev_id")));
        if (!ok)
            return ok.error();
    }
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    RevisionRequest request;
    auto parents = resolveParents(**graph, a.list(QStringLiteral("revisions")));
    if (!parents)
        return parents.error();
    request.heads = *parents;
    if (a.values.contains(QStringLiteral("message")))
        request.message = a.value(QStringLiteral("message"));
    if (a.values.contains(QStringLiteral("rev_id")))
        request.revId = a.value(QStringLiteral("rev_id"));
    if (a.values.contains(QStringLiteral("branch_label")))
        request.branchLabel = a.value(QStringLiteral("branch_label"));
    request.templateArgs = RevisionWriter::mergeTemplateArgs();
    return writeRevision(context, request);
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
