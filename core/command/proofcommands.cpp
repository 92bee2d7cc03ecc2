#include "proofcommands.h"

#include "command/commandcontext.h"
#include "command/multidatabaserun.h"
#include "proof/revisionschema.h"
#include "proof/schematext.h"
#include "proof/stairway.h"

#include <QFile>
#include <QFileInfo>

namespace retort {

namespace {

VoidResult singleDatabase(CommandContext &context, const QString &what)
{
    if (auto engines = MultiDatabaseRun::engines(context.project()); engines && !engines->isEmpty())
        return Error(QStringLiteral("%1 works on one database; a multidb project is not supported").arg(what));
    return {};
}

RevisionSchema::Options options(CommandContext &context)
{
    RevisionSchema::Options o;
    o.url = context.urlOverride();
    o.sqlite = context.args().flag(QStringLiteral("sqlite"));
    return o;
}

void printIndented(CommandContext &context, const QStringList &lines)
{
    for (const QString &l : lines)
        context.out().printStdout(l.isEmpty() ? QString() : QStringLiteral("    ") + l);
}

} // namespace

bool ProofCommands::isRevisionSide(const QString &side)
{
    if (side.contains(QLatin1String("://")))
        return false;
    return !(side.endsWith(QLatin1String(".json")) && QFileInfo::exists(side));
}

VoidResult ProofCommands::verify(CommandContext &context)
{
    if (auto single = singleDatabase(context, QStringLiteral("verify")); !single)
        return single;
    if (auto graph = context.graph(); !graph)
        return graph.error();
    Stairway stairway(context.project(), context);
    stairway.setUrl(context.urlOverride());
    stairway.setSqlite(context.args().flag(QStringLiteral("sqlite")));
    stairway.setRange(context.args().value(QStringLiteral("range")));
    QObject::connect(&stairway, &Stairway::pythonOutput, [&context](const QString &line) {
        context.out().writeStderr(line + QLatin1Char('\n'));
    });
    auto results = stairway.run();
    if (!results)
        return results.error();
    int findings = 0;
    for (const StairwayResult &r : *results) {
        if (!r.isFinding()) {
            context.out().printStdout(QStringLiteral("%1 ok").arg(r.revision));
            continue;
        }
        ++findings;
        context.out().printStdout(QStringLiteral("%1 FAILED: %2").arg(r.revision, StairwayResult::statusText(r.status)));
        if (!r.message.isEmpty())
            printIndented(context, r.message.split(QLatin1Char('\n')));
        if (!r.diff.isEmpty()) {
            context.out().printStdout(QStringLiteral("    schema after the downgrade (+) against before the upgrade (-):"));
            printIndented(context, r.diff);
        }
    }
    context.out().printStdout(QStringLiteral("Verified %1 revision(s): %2 finding(s)").arg(results->size()).arg(findings));
    if (findings > 0)
        context.setExitCode(1);
    return {};
}

VoidResult ProofCommands::schemaDumpAt(CommandContext &context)
{
    if (auto single = singleDatabase(context, QStringLiteral("schema dump --at")); !single)
        return single;
    const QString format = context.args().value(QStringLiteral("format"), QStringLiteral("text"));
    if (format != QLatin1String("text") && format != QLatin1String("json"))
        return Error(QStringLiteral("--format must be text or json, not '%1'").arg(format));
    if (auto graph = context.graph(); !graph)
        return graph.error();
    auto schema = RevisionSchema::at(context.project(), context, options(context), context.args().value(QStringLiteral("at")));
    if (!schema)
        return schema.error();
    const QString output = context.args().value(QStringLiteral("output"));
    if (format == QLatin1String("json")) {
        if (!output.isEmpty())
            return schema->toJsonFile(output);
        context.out().writeStdout(QString::fromUtf8(schema->toJson()));
        return {};
    }
    QString text = SchemaText::lines(*schema).join(QLatin1Char('\n'));
    if (!text.isEmpty())
        text += QLatin1Char('\n');
    if (!output.isEmpty()) {
        QFile file(output);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return Error(QStringLiteral("cannot write %1: %2").arg(output, file.errorString()));
        file.write(text.toUtf8());
        return {};
    }
    context.out().writeStdout(text);
    return {};
}

VoidResult ProofCommands::diffRevisions(CommandContext &context)
{
    if (auto single = singleDatabase(context, QStringLiteral("diff of revisions")); !single)
        return single;
    if (auto graph = context.graph(); !graph)
        return graph.error();
    const QString from = context.args().value(QStringLiteral("source"));
    const QString to = context.args().value(QStringLiteral("target"));
    auto schemas = RevisionSchema::pair(context.project(), context, options(context), from, to);
    if (!schemas)
        return schemas.error();
    const QStringList diff = SchemaText::diff(schemas->first, schemas->second);
    if (diff.isEmpty()) {
        context.out().printStdout(QStringLiteral("No schema changes between %1 and %2").arg(from, to));
        return {};
    }
    const SchemaText::Summary s = SchemaText::summarize(schemas->first, schemas->second);
    context.out().printStdout(QStringLiteral("From %1 to %2: %3 added, %4 removed, %5 changed")
                                  .arg(from, to).arg(s.added).arg(s.removed).arg(s.changed));
    for (const QString &l : diff)
        context.out().printStdout(l);
    context.setExitCode(1);
    return {};
}

} // namespace retort
