#include "schemacommands.h"

#include "autogenerate/autogenerator.h"
#include "command/commandcontext.h"
#include "command/migrationenvironment.h"
#include "command/projectcommands.h"
#include "command/pythonsteprunner.h"
#include "schema/schemaintrospector.h"
#include "template/revisionwriter.h"

#include <QFileInfo>

namespace retort {

namespace {

QString projectPython(CommandContext &context)
{
    auto cfg = context.config();
    QString configured = cfg ? (*cfg)->mainOption(QStringLiteral("retort_python")).value().value_or(QString())
                             : QString();
    if (configured.isEmpty() && qEnvironmentVariableIsEmpty("RETORT_PYTHON")
        && QFileInfo::exists(QStringLiteral("/usr/bin/python3")))
        configured = QStringLiteral("/usr/bin/python3");
    return PythonStepRunner::interpreterFor(configured);
}

// Connects like env.py, checks the database is at the heads (Alembic's precondition),
// then compares the models with the database.
Result<AutogenerateResult> compareModels(CommandContext &context, MigrationEnvironment &env)
{
    auto heads = env.connectAndReadHeads();
    if (!heads)
        return heads.error();
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    auto current = (*graph)->revisions(*heads).toResult();
    auto all = (*graph)->revisions(QStringLiteral("heads")).toResult();
    if (!current)
        return current.error();
    if (!all)
        return all.error();
    if (QSet<const RevisionNode *>(current->begin(), current->end())
        != QSet<const RevisionNode *>(all->begin(), all->end()))
        return Error(QStringLiteral("Target database is not up to date."));

    auto cfg = context.config();
    AutogenerateRequest request;
    request.models.python = projectPython(context);
    request.models.configFile = (*cfg)->configFileName();
    request.models.iniSection = (*cfg)->iniSection();
    request.models.xArguments = (*cfg)->xArguments();
    auto result = Autogenerator::run(*env.connection(), request);
    if (!result)
        return result.error();
    // Retort says what the models were found in: the first thing to check when
    // autogenerate "sees nothing".
    context.out().writeStderr(QStringLiteral("INFO  [retort.autogenerate] %1\n").arg(result->models.discoverySummary()));
    for (const QString &callable : result->models.configureCallables)
        context.warn(QStringLiteral("env.py passes %1 to context.configure() as a function; "
                                    "Retort cannot run it and compares without it").arg(callable));
    for (const QString &line : result->diff.alembicLog())
        context.logInfo(QStringLiteral("alembic.autogenerate.compare"), line);
    return result;
}

Result<SchemaModel> introspectUrlOrSnapshot(const QString &source)
{
    if (source.endsWith(QLatin1String(".json")) && QFileInfo::exists(source))
        return SchemaModel::fromJsonFile(source);
    auto url = DatabaseUrl::parse(source);
    if (!url)
        return url.error();
    auto conn = DatabaseConnection::open(*url);
    if (!conn)
        return conn.error();
    return SchemaIntrospector::read(**conn);
}

} // namespace

VoidResult SchemaCommands::autogenerateRevision(CommandContext &context)
{
    MigrationEnvironment env(context.project(), context, context.urlOverride());
    auto result = compareModels(context, env);
    if (!result)
        return result.error();
    return ProjectCommands::writeRevisionWithTemplateArgs(context, [&](QMap<QString, MakoValue> &args) {
        result->rendered.addTo(args);
    });
}

VoidResult SchemaCommands::check(CommandContext &context)
{
    MigrationEnvironment env(context.project(), context, context.urlOverride());
    auto result = compareModels(context, env);
    if (!result)
        return result.error();
    context.out().printStdout(Autogenerator::checkMessage(result->diff));
    if (!result->diff.isEmpty())
        context.setExitCode(1);
    return {};
}

VoidResult SchemaCommands::schemaDump(CommandContext &context)
{
    MigrationEnvironment env(context.project(), context, context.urlOverride());
    auto loaded = env.load();
    if (!loaded)
        return loaded.error();
    auto connected = env.connect();
    if (!connected)
        return connected.error();
    IntrospectOptions options;
    options.versionTable = env.versionTable().table;
    options.versionTableSchema = env.versionTable().schema;
    auto model = SchemaIntrospector::read(*env.connection(), options);
    if (!model)
        return model.error();
    const QString output = context.args().value(QStringLiteral("output"));
    if (!output.isEmpty())
        return model->toJsonFile(output);
    context.out().writeStdout(QString::fromUtf8(model->toJson()));
    return {};
}

VoidResult SchemaCommands::diff(CommandContext &context)
{
    auto a = introspectUrlOrSnapshot(context.args().value(QStringLiteral("source")));
    if (!a)
        return a.error();
    auto b = introspectUrlOrSnapshot(context.args().value(QStringLiteral("target")));
    if (!b)
        return b.error();
    // What it takes to turn `source` into `target`, as autogenerate would write it.
    LoadedModels target;
    target.schema = *b;
    AutogenerateRequest request;
    request.optionsFromEnvPy = false;
    const AutogenerateResult result = Autogenerator::run(target, *a, request);
    context.out().printStdout(Autogenerator::checkMessage(result.diff));
    if (!result.diff.isEmpty())
        context.setExitCode(1);
    return {};
}

} // namespace retort
