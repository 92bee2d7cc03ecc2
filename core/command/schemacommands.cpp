#include "schemacommands.h"

#include "command/checksumreport.h"

#include "autogenerate/autogenerator.h"
#include "autogenerate/liverowcounter.h"
#include "autogenerate/postgresdefaultprobe.h"
#include "services/autogeneratesetup.h"
#include "command/commandcontext.h"
#include "services/migrationenvironment.h"
#include "command/projectcommands.h"
#include "command/proofcommands.h"
#include "schema/schemaintrospector.h"
#include "template/revisionwriter.h"

#include <QFileInfo>

namespace retort {

namespace {

// --rename-column [schema.]table.old=new / --rename-table [schema.]old=new.
Result<DiffReviewer::RenameChoice> parseRename(const QString &text, bool isTable)
{
    const QString option = isTable ? QStringLiteral("--rename-table") : QStringLiteral("--rename-column");
    const int eq = text.indexOf(QLatin1Char('='));
    const QStringList path = text.left(eq).split(QLatin1Char('.'));
    DiffReviewer::RenameChoice c;
    c.isTable = isTable;
    c.to = eq < 0 ? QString() : text.mid(eq + 1).trimmed();
    const int parts = isTable ? 1 : 2;
    if (eq < 0 || c.to.isEmpty() || path.size() < parts || path.size() > parts + 1 || path.contains(QString()))
        return Error(QStringLiteral("%1 %2: expected %3").arg(option, text,
            isTable ? QStringLiteral("[schema.]old_table=new_table") : QStringLiteral("[schema.]table.old_column=new_column")));
    c.from = path.last();
    if (!isTable)
        c.table = path.at(path.size() - 2);
    if (path.size() > parts)
        c.schema = path.first();
    return c;
}

// The renames the user accepted replace their drop + add pairs; the script is then
// rendered again from the rewritten ops.
VoidResult applyRenames(CommandContext &context, AutogenerateResult &result)
{
    bool changed = false;
    for (const bool isTable : {true, false}) {
        const QString dest = isTable ? QStringLiteral("rename_table") : QStringLiteral("rename_column");
        for (const QString &text : context.args().list(dest)) {
            auto choice = parseRename(text, isTable);
            if (!choice)
                return choice.error();
            const VoidResult applied = DiffReviewer::applyRename(result.diff.upgradeOps, *choice);
            if (!applied)
                return applied.error();
            changed = true;
        }
    }
    if (changed)
        result.rendered = MigrationScriptRenderer(&result.models.hints, result.database.dialect,
                                                  Autogenerator::renderOptionsFrom(result.models, {}))
                              .render(result.diff.upgradeOps);
    return {};
}

// Retort's review of the diff on stderr, in its own logger so Alembic's lines stay as
// they are: destructive ops with the affected rows, possible renames with the option
// that accepts them.
void printReview(CommandContext &context, const SchemaDiff &diff)
{
    for (const AutogenOp &op : diff.flattened()) {
        const QString table = op.schema.isEmpty() ? op.table : op.schema + QLatin1Char('.') + op.table;
        QString line;
        if (op.safety == OpSafety::Destructive)
            line = QStringLiteral("WARNING [retort.review] destructive: %1\n").arg(op.reason);
        if (op.possibleRename && op.kind == AutogenOp::DropColumn)
            line += QStringLiteral("INFO  [retort.review] possible rename: %1.%2 -> %1.%3 "
                                   "(rerun with --rename-column %1.%2=%3)\n")
                        .arg(table, op.column.column.name, op.renameCounterpart);
        if (op.possibleRename && op.kind == AutogenOp::DropTable) {
            const QString to = op.schema.isEmpty() ? op.renameCounterpart : op.schema + QLatin1Char('.') + op.renameCounterpart;
            line += QStringLiteral("INFO  [retort.review] possible rename: table %1 -> %2 "
                                   "(rerun with --rename-table %1=%3)\n").arg(table, to, op.renameCounterpart);
        }
        if (op.kind == AutogenOp::RenameTable || !op.newColumnName.isEmpty())
            line += QStringLiteral("INFO  [retort.review] %1\n").arg(op.reason);
        if (!line.isEmpty())
            context.out().writeStderr(line);
    }
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
    if (VoidResult ok = AutogenerateSetup::checkUpToDate(**graph, *heads); !ok)
        return ok.error();

    auto cfg = context.config();
    AutogenerateRequest request;
    request.models.python = AutogenerateSetup::python(context.project());
    request.models.configFile = (*cfg)->configFileName();
    request.models.iniSection = (*cfg)->iniSection();
    request.models.xArguments = (*cfg)->xArguments();
    request.rowCounter = LiveRowCounter(env.connection());
    auto result = Autogenerator::run(*env.connection(), request);
    if (!result)
        return result.error();
    // Retort says what the models were found in: the first thing to check when
    // autogenerate "sees nothing".
    context.out().writeStderr(QStringLiteral("INFO  [retort.autogenerate] %1\n").arg(result->models.discoverySummary()));
    if (result->models.fromCache)   // a stale cache would explain surprising results
        context.out().writeStderr(QStringLiteral("INFO  [retort.autogenerate] models from cache (%1 files "
                                                 "unchanged; RETORT_NO_MODEL_CACHE=1 reloads them)\n")
                                      .arg(result->models.cachedFileCount));
    for (const QString &callable : result->models.unappliedCallables())
        context.warn(QStringLiteral("env.py passes %1 to context.configure() as a function; "
                                    "Retort cannot run it and compares without it").arg(callable));
    for (const QString &line : result->diff.alembicLog())
        context.logInfo(QStringLiteral("alembic.autogenerate.compare"), line);
    const VoidResult renamed = applyRenames(context, *result);
    if (!renamed)
        return renamed.error();
    printReview(context, result->diff);
    return result;
}

// One side of `diff`: a snapshot, or a database read live (its connection kept open
// for the PostgreSQL server-default probe).
struct DiffSide
{
    SchemaModel schema;
    std::unique_ptr<DatabaseConnection> connection;   // null for a snapshot
};

Result<DiffSide> openDiffSide(const QString &source)
{
    DiffSide side;
    if (source.endsWith(QLatin1String(".json")) && QFileInfo::exists(source)) {
        auto snapshot = SchemaModel::fromJsonFile(source);
        if (!snapshot)
            return snapshot.error();
        side.schema = std::move(*snapshot);
        return side;
    }
    auto conn = DatabaseConnection::openUrl(source);
    if (!conn)
        return conn.error();
    auto schema = SchemaIntrospector::read(**conn);
    if (!schema)
        return schema.error();
    side.schema = std::move(*schema);
    side.connection = std::move(*conn);
    return side;
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
    // Applied scripts stay as applied: one edited since fails the check too.
    auto heads = env.currentHeads();
    if (!heads)
        return heads.error();
    auto graph = context.graph();
    if (!graph)
        return graph.error();
    auto changed = ChecksumReport::log(context, env, **graph, *heads);
    if (!changed)
        return changed.error();
    if (*changed > 0) {
        context.out().printStdout(QStringLiteral("%1 applied migration script(s) changed since applied.").arg(*changed));
        context.setExitCode(1);
    }
    return {};
}

VoidResult SchemaCommands::schemaDump(CommandContext &context)
{
    if (context.args().flag(QStringLiteral("at")))
        return ProofCommands::schemaDumpAt(context);
    if (const QString f = context.args().value(QStringLiteral("format")); !f.isEmpty() && f != QLatin1String("json"))
        return Error(QStringLiteral("schema dump without --at writes JSON only (--format json)"));
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
    if (ProofCommands::isRevisionSide(context.args().value(QStringLiteral("source")))
        && ProofCommands::isRevisionSide(context.args().value(QStringLiteral("target"))))
        return ProofCommands::diffRevisions(context);
    auto a = openDiffSide(context.args().value(QStringLiteral("source")));
    if (!a)
        return a.error();
    auto b = openDiffSide(context.args().value(QStringLiteral("target")));
    if (!b)
        return b.error();
    // What it takes to turn `source` into `target`, as autogenerate would write it, with
    // server defaults compared (two databases' defaults are part of their difference).
    LoadedModels target;
    target.schema = b->schema;
    AutogenerateRequest request;
    request.optionsFromEnvPy = false;
    request.compare.compareServerDefault = true;
    // As `revision --autogenerate` does: PostgreSQL says itself whether two defaults are
    // equal (now() and CURRENT_TIMESTAMP); on the target, else on the source.
    for (DatabaseConnection *conn : {b->connection.get(), a->connection.get()})
        if (conn && !request.compare.serverDefaultsEqual)
            request.compare.serverDefaultsEqual = PostgresDefaultProbe::forConnection(*conn);
    const AutogenerateResult result = Autogenerator::run(target, a->schema, request);
    context.out().printStdout(Autogenerator::checkMessage(result.diff));
    if (!result.diff.isEmpty())
        context.setExitCode(1);
    return {};
}

} // namespace retort
