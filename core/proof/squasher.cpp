#include "squasher.h"

#include "autogenerate/autogenerator.h"
#include "autogenerate/reflectedtyperepr.h"
#include "config/databaseurl.h"
#include "proof/scratchdatabase.h"
#include "revision/migrationplanner.h"
#include "revision/revisiongraph.h"
#include "runtime/dialect.h"
#include "runtime/sidetables.h"
#include "schema/schemaintrospector.h"
#include "services/migrationenvironment.h"
#include "services/migrationexecutor.h"
#include "services/project.h"
#include "template/revisionwriter.h"

#include <QDir>
#include <algorithm>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

namespace retort {

namespace {

// The scratch run's log: kept quiet (the user's database is not being migrated), the
// last lines kept to explain a failure.
class ScratchLog : public MigrationLogSink
{
public:
    void info(const QString &logger, const QString &message) override
    {
        m_lines.append(QStringLiteral("%1: %2").arg(logger, message));
        if (m_lines.size() > 20)
            m_lines.removeFirst();
    }
    QString tail() const { return m_lines.join(QLatin1Char('\n')); }

private:
    QStringList m_lines;
};

QString upgradeBody(const QString &text)
{
    static const QRegularExpression up(QStringLiteral("^def\\s+upgrade\\s*\\(.*?(?=^def\\s+downgrade\\s*\\(|\\z)"),
                                       QRegularExpression::MultilineOption | QRegularExpression::DotMatchesEverythingOption);
    const auto m = up.match(text);
    QString body = m.hasMatch() ? m.captured(0) : text;
    // Commented-out calls do not run (a '#' inside a string cuts a line short: harmless here).
    static const QRegularExpression comment(QStringLiteral("#[^\n]*"));
    return body.remove(comment);
}

// Moves `from` to `to`, creating the folder; the compiled copy Python may have cached next
// to the source goes (it would otherwise be a stale twin of an archived script).
bool moveScript(const QString &from, const QString &to)
{
    if (!QDir().mkpath(QFileInfo(to).path()) || !QFile::rename(from, to))
        return false;
    const QFileInfo info(from);
    QDir cache(info.path() + QStringLiteral("/__pycache__"));
    for (const QString &pyc : cache.entryList({info.completeBaseName() + QStringLiteral(".*.pyc")}, QDir::Files))
        cache.remove(pyc);
    return true;
}

// Sorted: the baseline's file name may list elsewhere in the folder, and heads come in
// discovery order.
QStringList sortedHeads(const RevisionGraph &graph)
{
    QStringList heads = graph.heads();
    heads.sort();
    return heads;
}

AutogenOps withoutIndexDropsOfDroppedTables(const AutogenOps &ops)
{
    QSet<QString> dropped;
    for (const AutogenOp &op : ops)
        if (op.kind == AutogenOp::DropTable)
            dropped.insert(op.schema + QLatin1Char('.') + op.table);
    AutogenOps kept;
    for (AutogenOp op : ops) {
        const bool ofDropped = dropped.contains(op.schema + QLatin1Char('.') + op.table);
        if (op.kind == AutogenOp::DropIndex && ofDropped)
            continue;
        if (op.kind == AutogenOp::ModifyTable && ofDropped) {
            op.ops.erase(std::remove_if(op.ops.begin(), op.ops.end(),
                                        [](const AutogenOp &o) { return o.kind == AutogenOp::DropIndex; }),
                         op.ops.end());
            if (op.ops.isEmpty())
                continue;
        }
        kept.append(op);
    }
    return kept;
}

} // namespace

QString Squasher::probeDatabase(const QString &urlOverride, SquashOptions *options)
{
    MigrationEnvironment env(m_project, m_log, urlOverride);
    if (auto loaded = env.load(); !loaded)
        return QStringLiteral("no database URL could be read (%1)").arg(loaded.error().message);
    options->projectUrl = env.url().toString();
    env.setReadOnly(true);   // looking only: no SQLite file is created
    if (env.isMissingSqliteFile()) {
        options->databaseHeads = QStringList();
        return QString();
    }
    if (auto connected = env.connect(); !connected)
        return QStringLiteral("cannot connect to %1 (%2)").arg(env.obfuscatedUrl(), connected.error().message);
    auto heads = env.currentHeads();
    if (!heads)
        return heads.error().message;
    options->databaseHeads = *heads;
    return QString();
}

Result<SquashReport> Squasher::probeAndRun(const QString &urlOverride, SquashOptions options)
{
    const QString unchecked = probeDatabase(urlOverride, &options);
    if (!unchecked.isEmpty() && !options.force)
        return Error(QStringLiteral("Cannot check the project's database: %1. A database below the squashed "
                                    "revision can no longer be upgraded afterwards; pass --force to squash "
                                    "without checking").arg(unchecked));
    auto report = run(options);
    if (report)
        report->unchecked = unchecked;
    return report;
}

QStringList SquashReport::summary() const
{
    QStringList lines;
    lines << QStringLiteral("Schema at %1 built by running base..%1 (%2 revisions) on %3: %4 table(s)")
                 .arg(plan.revision).arg(plan.chain().size()).arg(scratch).arg(tables);
    if (dryRun) {
        lines << QStringLiteral("Dry run: nothing written. The baseline would be:");
        lines << baselineText.split(QLatin1Char('\n'));
        if (lines.last().isEmpty())
            lines.removeLast();
        return lines;
    }
    lines << QStringLiteral("Baseline %1 (down_revision None) written to %2").arg(plan.revision, baselinePath);
    lines << QStringLiteral("Archived %1 script(s) to %2 (no longer read):").arg(archived.size()).arg(archiveDir);
    const QStringList ids = plan.chain();
    for (int i = 0; i < ids.size(); ++i)
        lines << QStringLiteral("  %1  %2").arg(ids.at(i), archived.value(i));
    if (!verifiedOn.isEmpty())
        lines << QStringLiteral("Checked: the baseline, run on %1, recreates the schema the old scripts built at %2")
                     .arg(verifiedOn, plan.revision);
    if (!plan.above.isEmpty())
        lines << QStringLiteral("Unchanged above %1: %2 (down_revision %1)")
                     .arg(plan.revision, plan.above.join(QStringLiteral(", ")));
    if (!databaseNote.isEmpty() && !databaseNote.contains(QLatin1String("--force")))
        lines << databaseNote;
    lines << QStringLiteral("Databases at %1 or above keep working; a database at a squashed revision (%2) "
                            "can no longer be located: upgrade such databases to %1 with the old scripts first.")
                 .arg(plan.revision, plan.squashed.join(QStringLiteral(", ")));
    return lines;
}

QStringList SquashReport::warnings() const
{
    QStringList out;
    if (!unchecked.isEmpty())
        out << QStringLiteral("database not checked: %1").arg(unchecked);
    else if (databaseNote.contains(QLatin1String("--force")))
        out << databaseNote;
    for (const QString &data : dataRevisions)
        out << QStringLiteral("not carried into the baseline (data migrations and SQL text are not schema): %1").arg(data);
    for (const QString &view : views)
        out << QStringLiteral("view %1 exists at %2 and is not in the baseline").arg(view, plan.revision);
    for (const QString &name : otherSchemas)
        out << QStringLiteral("schema %1 exists at %2 and is not in the baseline (only the default schema is "
                              "rendered)").arg(name, plan.revision);
    return out;
}

QString Squasher::archiveDir(const QString &scriptDirectory, const QString &revision)
{
    return QDir(scriptDirectory).filePath(QStringLiteral("archive/squashed_") + revision);
}

Result<QString> Squasher::checkDatabase(const SquashPlan &plan, const QStringList &heads, bool force)
{
    QStringList below;
    for (const QString &head : heads)
        if (plan.squashed.contains(head))
            below.append(head);
    if (heads.isEmpty())
        return QStringLiteral("The project's database has no revision yet: it will run the baseline.");
    if (below.isEmpty())
        return QStringLiteral("The project's database is at %1, not below %2: it keeps working.")
            .arg(heads.join(QStringLiteral(", ")), plan.revision);
    const QString problem = QStringLiteral("The project's database is at %1, below %2: once squashed, that revision "
                                           "no longer exists and the database can no longer be upgraded. Upgrade it "
                                           "to %2 first")
                                .arg(below.join(QStringLiteral(", ")), plan.revision);
    if (!force)
        return Error(problem + QStringLiteral(" (or pass --force to squash anyway)."));
    return problem + QStringLiteral(" (--force: squashed anyway).");
}

QStringList Squasher::dataRevisions(const SquashPlan &plan)
{
    static const QVector<QPair<QRegularExpression, QString>> marks = {
        {QRegularExpression(QStringLiteral("\\bexecute\\s*\\(")), QStringLiteral("op.execute")},
        {QRegularExpression(QStringLiteral("\\bbulk_insert\\s*\\(")), QStringLiteral("bulk_insert")},
        {QRegularExpression(QStringLiteral("\\bget_bind\\s*\\(")), QStringLiteral("get_bind")},
    };
    QStringList found;
    const QStringList ids = plan.chain();
    const QStringList paths = plan.chainPaths();
    for (int i = 0; i < ids.size(); ++i) {
        QFile f(paths.at(i));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QString body = upgradeBody(QString::fromUtf8(f.readAll()));
        QStringList what;
        for (const auto &mark : marks)
            if (mark.first.match(body).hasMatch())
                what.append(mark.second);
        if (!what.isEmpty())
            found.append(QStringLiteral("%1 (%2): %3").arg(ids.at(i), QFileInfo(paths.at(i)).fileName(),
                                                           what.join(QStringLiteral(", "))));
    }
    return found;
}

Result<SchemaModel> Squasher::schemaAt(const SquashOptions &options, const QString &revision, QString *where,
                                       QStringList *otherSchemas)
{
    Result<std::unique_ptr<ScratchDatabase>> made = ScratchDatabase::createSqlite();
    if (!options.scratchSqlite && !options.projectUrl.isEmpty()) {
        auto url = DatabaseUrl::parse(options.projectUrl);
        if (!url)
            return url.error();
        made = ScratchDatabase::create(*url);
        if (!made)
            return Error(made.error().message + QStringLiteral(" (or pass --scratch sqlite)"));
    }
    if (!made)
        return made.error();
    const std::unique_ptr<ScratchDatabase> scratch = std::move(*made);
    const QString scratchUrl = scratch->url().toString();
    const QString description = scratch->url().backendName() == QLatin1String("sqlite")
        ? QStringLiteral("a temporary SQLite file")
        : QStringLiteral("the temporary %1 database %2").arg(scratch->url().backendName(), scratch->name());
    *where = description;

    SchemaModel schema;
    {
        ScratchLog log;
        MigrationEnvironment env(m_project, log, scratchUrl);
        if (auto loaded = env.load(); !loaded)
            return loaded.error();
        if (auto connected = env.connect(); !connected)
            return connected.error();
        auto heads = env.currentHeads();
        if (!heads)
            return heads.error();
        auto graph = m_project.graph();
        if (!graph)
            return graph.error();
        auto migration = MigrationPlanner::upgrade(**graph, *heads, revision);
        if (!migration)
            return migration.error();
        MigrationExecutor executor(m_project, env, log, scratchUrl);
        if (auto ran = executor.exec(*migration); !ran)
            return Error(QStringLiteral("Running base..%1 on %2 failed: %3\n%4")
                             .arg(revision, description, ran.error().message, log.tail()));
        IntrospectOptions introspect;
        introspect.versionTable = env.versionTable().table;
        introspect.versionTableSchema = env.versionTable().schema;
        introspect.tableFilter = [](const QString &, const QString &table) { return !SideTables::isSideTable(table); };
        // PostgreSQL: the scratch database is Retort's own, so every schema in it came from
        // the migrations (on MySQL the other schemas are other databases of the server).
        introspect.includeSchemas = env.dialect().kind() == Dialect::PostgreSQL;
        auto read = SchemaIntrospector::read(*env.connection(), introspect);
        if (!read)
            return read.error();
        schema = std::move(*read);
    }
    // Tables in other schemas would need the schema created first: said, not rendered.
    for (int i = schema.schemas.size() - 1; i >= 0; --i) {
        const SchemaNamespace &ns = schema.schemas.at(i);
        if (ns.name.isEmpty())
            continue;
        if (otherSchemas && (!ns.tables.isEmpty() || !ns.enums.isEmpty() || !ns.views.isEmpty()))
            otherSchemas->prepend(ns.name);
        schema.schemas.removeAt(i);
    }
    return schema;
}

Result<RenderedMigration> Squasher::buildSchema(const SquashOptions &options, const SquashPlan &plan,
                                                SquashReport *report, SchemaModel *atRevision)
{
    auto built = schemaAt(options, plan.revision, &report->scratch, &report->otherSchemas);
    if (!built)
        return built.error();
    SchemaModel schema = std::move(*built);
    for (const SchemaNamespace &ns : schema.schemas) {
        report->tables += ns.tables.size();
        for (const QString &view : ns.views)
            report->views.append(ns.name.isEmpty() ? view : ns.name + QLatin1Char('.') + view);
    }

    // The schema at REV as the "models", an empty database of the same dialect as the
    // database: autogenerate's create ops, rendered as `revision --autogenerate` would.
    // The schema as SQLAlchemy reflects it into a Table (what autogenerate would render
    // from a reflected model): indexes a unique constraint brings along (PostgreSQL, MySQL
    // report both) belong to the constraint; the impl's column_reflect hook drops a SERIAL's
    // own nextval() default (and parenthesizes SQLite expression defaults).
    QStringList enumTypes;
    for (SchemaNamespace &ns : schema.schemas) {
        for (SchemaTable &table : ns.tables) {
            table.indexes.erase(std::remove_if(table.indexes.begin(), table.indexes.end(),
                                               [](const SchemaIndex &ix) { return !ix.duplicatesConstraint.isEmpty(); }),
                                table.indexes.end());
            for (SchemaColumn &column : table.columns)
                column.serverDefault = ReflectedTypeRepr::reflectedDefault(column, table.name, schema.dialect);
        }
        for (const SchemaEnum &e : ns.enums) {
            const QString owner = e.schema.isEmpty() ? ns.name : e.schema;
            enumTypes << (owner.isEmpty() ? QStringLiteral("%1").arg(e.name)
                                          : QStringLiteral("%1.%2").arg(owner, e.name));
        }
    }
    *atRevision = schema;   // what the baseline must recreate (verifyBaseline)
    LoadedModels target;
    target.schema = schema;
    SchemaModel empty;
    empty.dialect = schema.dialect;
    empty.defaultSchemaName = schema.defaultSchemaName;
    AutogenerateRequest request;
    request.optionsFromEnvPy = false;
    const AutogenerateResult result = Autogenerator::run(target, empty, request);
    // The downgrade drops every table the baseline created; dropping their indexes first,
    // as autogenerate writes it, fails on MySQL for the index a foreign key needs.
    const MigrationScriptRenderer renderer(&result.models.hints, schema.dialect);
    RenderedMigration rendered = renderer.render(result.diff.upgradeOps);
    QSet<QString> imports;
    rendered.downgrades = renderer.body(withoutIndexDropsOfDroppedTables(result.diff.downgradeOps()), &imports);
    // PostgreSQL: create_table created the enum types its columns use; drop_table leaves
    // them, and the next upgrade would fail on CREATE TYPE.
    if (!enumTypes.isEmpty()) {
        const QString end = QStringLiteral("    # ### end Alembic commands ###");
        QString drops;
        for (const QString &type : enumTypes)
            drops += QStringLiteral("    op.execute('DROP TYPE IF EXISTS %1')\n").arg(type);
        const int at = rendered.downgrades.lastIndexOf(end);
        if (at >= 0)
            rendered.downgrades.insert(at, drops);
    }
    return rendered;
}

Result<QString> Squasher::verifyBaseline(const SquashOptions &options, const SquashPlan &plan, const SchemaModel &atRevision)
{
    QString where;
    auto rebuilt = schemaAt(options, plan.revision, &where, nullptr);
    if (!rebuilt)
        return Error(QStringLiteral("Cannot run the baseline: %1").arg(rebuilt.error().message));
    LoadedModels target;
    target.schema = atRevision;
    AutogenerateRequest request;
    request.optionsFromEnvPy = false;
    request.compare.compareType = true;
    const AutogenerateResult result = Autogenerator::run(target, *rebuilt, request);
    if (!result.diff.isEmpty())
        return Error(QStringLiteral("The baseline does not recreate the schema at %1 (run on %2): %3")
                         .arg(plan.revision, where, Autogenerator::checkMessage(result.diff).trimmed()));
    return where;
}

Result<SquashReport> Squasher::run(const SquashOptions &options)
{
    auto graph = m_project.graph();
    if (!graph)
        return graph.error();
    auto plan = SquashPlan::make(**graph, options.until);
    if (!plan)
        return plan.error();
    const QStringList headsBefore = sortedHeads(**graph);
    SquashReport report;
    report.plan = *plan;
    if (options.databaseHeads) {
        auto note = checkDatabase(*plan, *options.databaseHeads, options.force);
        if (!note)
            return note.error();
        report.databaseNote = *note;
    }

    auto cfg = m_project.config();
    if (!cfg)
        return cfg.error();
    auto settings = (*cfg)->scriptSettings();
    if (!settings)
        return settings.error();
    auto scripts = m_project.scriptDirectory();
    if (!scripts)
        return scripts.error();
    report.archiveDir = archiveDir((*scripts)->dir(), plan->revision);
    if (QFileInfo::exists(report.archiveDir))
        return Error(QStringLiteral("The archive folder %1 already exists; move it away first").arg(report.archiveDir));
    const QString archivePrefix = QDir::cleanPath(QDir((*scripts)->dir()).filePath(QStringLiteral("archive")));
    for (const QString &location : (*scripts)->versionLocations()) {
        const QString clean = QDir::cleanPath(location);
        if (clean == archivePrefix || clean.startsWith(archivePrefix + QLatin1Char('/')))
            return Error(QStringLiteral("The version location %1 lies in the archive folder %2: the archived scripts "
                                        "would still be read").arg(location, archivePrefix));
    }
    report.dataRevisions = dataRevisions(*plan);

    SchemaModel atRevision;
    auto rendered = buildSchema(options, *plan, &report, &atRevision);
    if (!rendered)
        return rendered.error();

    RevisionRequest request;
    request.settings = *settings;
    request.revId = plan->revision;
    request.message = options.message.isEmpty() ? QStringLiteral("baseline: %1").arg(plan->revisionDoc)
                                                : options.message;
    request.heads = {RevisionParent{}};   // base: down_revision = None
    if (!plan->branchLabel.isEmpty())
        request.branchLabel = plan->branchLabel;
    if ((*scripts)->versionLocations().size() > 1)
        request.versionPath = QFileInfo(plan->revisionPath).absolutePath();
    request.workingDirectory = QFileInfo(m_project.iniPath()).absolutePath();
    request.templateArgs.insert(QStringLiteral("config"), RevisionWriter::configValue(**cfg));
    rendered->addTo(request.templateArgs);
    request.now = QDateTime::currentDateTime();
    auto text = RevisionWriter::renderText(request);
    if (!text)
        return text.error();
    report.baselineText = *text;
    report.dryRun = options.dryRun;
    if (options.dryRun)
        return report;

    // Move first (the baseline takes REV's id: two scripts with it must never coexist),
    // and put everything back if the baseline cannot be written.
    const QStringList from = plan->chainPaths();
    QStringList moved;
    auto undo = [&]() {
        for (int i = moved.size() - 1; i >= 0; --i)
            QFile::rename(moved.at(i), from.at(i));
        QDir().rmpath(report.archiveDir);
    };
    for (const QString &path : from) {
        const QString to = QDir(report.archiveDir).filePath(QFileInfo(path).fileName());
        if (QFileInfo::exists(to) || !moveScript(path, to)) {
            undo();
            return Error(QStringLiteral("Cannot move %1 to %2; nothing was changed").arg(path, to));
        }
        moved.append(to);
    }
    auto written = RevisionWriter::write(request, [](const Message &) {});
    if (!written) {
        undo();
        return Error(QStringLiteral("Cannot write the baseline, nothing was changed: %1").arg(written.error().message));
    }
    report.baselinePath = written->path;
    report.archived = moved;

    // The squashed project must read as before above REV: same heads, REV now a base.
    m_project.reloadRevisions();
    auto after = m_project.graph();
    QString problem;
    if (!after)
        problem = after.error().message;
    else if (const RevisionNode *node = (*after)->node(plan->revision); !node || !node->isBase())
        problem = QStringLiteral("%1 is not a base revision after squashing").arg(plan->revision);
    else if (sortedHeads(**after) != headsBefore)
        problem = QStringLiteral("the heads changed (%1, before: %2)")
                      .arg(sortedHeads(**after).join(QStringLiteral(", ")), headsBefore.join(QStringLiteral(", ")));
    else if (auto same = verifyBaseline(options, *plan, atRevision); !same)
        problem = same.error().message;
    else
        report.verifiedOn = *same;
    if (!problem.isEmpty()) {
        QFile::remove(written->path);
        undo();
        m_project.reloadRevisions();
        return Error(QStringLiteral("Squash undone, nothing was changed: %1").arg(problem));
    }

    QSaveFile note(QDir(report.archiveDir).filePath(QStringLiteral("SQUASHED.txt")));
    if (note.open(QIODevice::WriteOnly)) {
        QString body = QStringLiteral("Squashed by `retort squash --until %1` on %2.\n"
                                      "These scripts are no longer read: %3 now creates the schema at %1 in one step.\n"
                                      "Revisions (base first):\n")
                           .arg(plan->revision, request.now.toString(Qt::ISODate), written->path);
        const QStringList ids = plan->chain();
        for (int i = 0; i < ids.size(); ++i)
            body += QStringLiteral("  %1  %2\n").arg(ids.at(i), QFileInfo(moved.at(i)).fileName());
        for (const QString &data : report.dataRevisions)
            body += QStringLiteral("Not carried (data / SQL text): %1\n").arg(data);
        note.write(body.toUtf8());
        note.commit();
    }
    return report;
}

} // namespace retort
