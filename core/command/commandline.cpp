#include "commandline.h"
#include "command/rehearsecommands.h"

#include "command/commandcontext.h"
#include "command/commands.h"
#include <QScopeGuard>
#include <memory>

namespace retort {

namespace {
// The command's context when the process ends right after the run: left to the OS at exit
// (freeing it piece by piece is slow), still reachable, so leak checkers stay quiet.
CommandContext *g_keptContext = nullptr;
} // namespace

namespace {

constexpr auto kVersion = "1.8.1";

ArgumentSpec flag(const QStringList &flags, const QString &dest, const QString &help)
{
    ArgumentSpec s;
    s.kind = ArgumentSpec::Flag;
    s.flags = flags;
    s.dest = dest;
    s.help = help;
    return s;
}

ArgumentSpec value(const QStringList &flags, const QString &dest, const QString &help,
                   ArgumentSpec::Kind kind = ArgumentSpec::Value)
{
    ArgumentSpec s = flag(flags, dest, help);
    s.kind = kind;
    return s;
}

ArgumentSpec positional(const QString &dest, const QString &help,
                        ArgumentSpec::Nargs nargs = ArgumentSpec::One)
{
    ArgumentSpec s;
    s.kind = ArgumentSpec::Positional;
    s.dest = dest;
    s.help = help;
    s.nargs = nargs;
    return s;
}

// The options Alembic's add_options() knows, by the keyword names of command functions.
ArgumentSpec option(const QString &name)
{
    static const QString sqlHelp = QStringLiteral(
        "Don't emit SQL to database - dump to standard output/file instead. See docs on offline mode.");
    if (name == QLatin1String("template"))
        return value({QStringLiteral("-t"), QStringLiteral("--template")}, name,
                     QStringLiteral("Setup template for use with 'init'"));
    if (name == QLatin1String("message"))
        return value({QStringLiteral("-m"), QStringLiteral("--message")}, name,
                     QStringLiteral("Message string to use with 'revision'"));
    if (name == QLatin1String("sql"))
        return flag({QStringLiteral("--sql")}, name, sqlHelp);
    if (name == QLatin1String("tag"))
        return value({QStringLiteral("--tag")}, name,
                     QStringLiteral("Arbitrary 'tag' name - can be used by custom env.py scripts."));
    if (name == QLatin1String("head"))
        return value({QStringLiteral("--head")}, name,
                     QStringLiteral("Specify head revision or <branchname>@head to base new revision on."));
    if (name == QLatin1String("splice"))
        return flag({QStringLiteral("--splice")}, name,
                    QStringLiteral("Allow a non-head revision as the 'head' to splice onto"));
    if (name == QLatin1String("depends_on"))
        return value({QStringLiteral("--depends-on")}, name,
                     QStringLiteral("Specify one or more revision identifiers which this revision should depend on."),
                     ArgumentSpec::Append);
    if (name == QLatin1String("rev_id"))
        return value({QStringLiteral("--rev-id")}, name,
                     QStringLiteral("Specify a hardcoded revision id instead of generating one"));
    if (name == QLatin1String("version_path"))
        return value({QStringLiteral("--version-path")}, name,
                     QStringLiteral("Specify specific path from config for version file"));
    if (name == QLatin1String("branch_label"))
        return value({QStringLiteral("--branch-label")}, name,
                     QStringLiteral("Specify a branch label to apply to the new revision"));
    if (name == QLatin1String("verbose"))
        return flag({QStringLiteral("-v"), QStringLiteral("--verbose")}, name,
                    QStringLiteral("Use more verbose output"));
    if (name == QLatin1String("resolve_dependencies"))
        return flag({QStringLiteral("--resolve-dependencies")}, name,
                    QStringLiteral("Treat dependency versions as down revisions"));
    if (name == QLatin1String("autogenerate"))
        return flag({QStringLiteral("--autogenerate")}, name,
                    QStringLiteral("Populate revision script with candidate migration operations, "
                                   "based on comparison of database to model."));
    if (name == QLatin1String("rev_range"))
        return value({QStringLiteral("-r"), QStringLiteral("--rev-range")}, name,
                     QStringLiteral("Specify a revision range; format is [start]:[end]"));
    if (name == QLatin1String("indicate_current"))
        return flag({QStringLiteral("-i"), QStringLiteral("--indicate-current")}, name,
                    QStringLiteral("Indicate the current revision"));
    if (name == QLatin1String("purge"))
        return flag({QStringLiteral("--purge")}, name,
                    QStringLiteral("Unconditionally erase the version table before stamping"));
    if (name == QLatin1String("package"))
        return flag({QStringLiteral("--package")}, name,
                    QStringLiteral("Write empty __init__.py files to the environment and version locations"));
    Q_UNREACHABLE();
}

struct SubcommandSpec
{
    const char *name;
    const char *help;
    QStringList positionals;   // "revision", "revisions", "directory", "rev"
    QStringList options;       // keyword names, in the command function's order
};

// Alembic 1.8.1's command functions, their first docstring line and signature.
const QVector<SubcommandSpec> &subcommands()
{
    static const QVector<SubcommandSpec> specs = {
        {"branches", "Show current branch points.", {}, {"verbose"}},
        {"current", "Display the current revision for a database.", {}, {"verbose"}},
        {"downgrade", "Revert to a previous version.", {"revision"}, {"sql", "tag"}},
        {"edit", "Edit revision script(s) using $EDITOR.", {"rev"}, {}},
        {"ensure_version", "Create the alembic version table if it doesn't exist already .", {}, {"sql"}},
        {"heads", "Show current available heads in the script directory.", {}, {"verbose", "resolve_dependencies"}},
        {"history", "List changeset scripts in chronological order.", {}, {"rev_range", "verbose", "indicate_current"}},
        {"init", "Initialize a new scripts directory.", {"directory"}, {"template", "package"}},
        {"list_templates", "List available templates.", {}, {}},
        {"merge", "Merge two revisions together. Creates a new migration file.", {"revisions"},
         {"message", "branch_label", "rev_id"}},
        {"revision", "Create a new revision file.", {},
         {"message", "autogenerate", "sql", "head", "splice", "branch_label", "version_path", "rev_id", "depends_on"}},
        {"show", "Show the revision(s) denoted by the given symbol.", {"rev"}, {}},
        {"stamp", "'stamp' the revision table with the given revision; don't run any migrations.", {"revisions"},
         {"sql", "tag", "purge"}},
        {"upgrade", "Upgrade to a later version.", {"revision"}, {"sql", "tag"}},
    };
    return specs;
}

ArgumentSpec positionalFor(const QString &name)
{
    if (name == QLatin1String("revisions"))
        return positional(name, QStringLiteral("one or more revisions, or 'heads' for all heads"),
                          ArgumentSpec::OneOrMore);
    if (name == QLatin1String("revision"))
        return positional(name, QStringLiteral("revision identifier"));
    if (name == QLatin1String("directory"))
        return positional(name, QStringLiteral("location of scripts directory"));
    return positional(name, QString());
}

// Retort's own autogenerate options (hidden, so Alembic's usage and help stay as they
// are): accept possible renames the review reported.
void addRenameOptions(ArgumentParser &parser)
{
    for (const char *name : {"rename-column", "rename-table"}) {
        const QString flag = QStringLiteral("--") + QLatin1String(name);
        ArgumentSpec s = value({flag}, QString(QLatin1String(name)).replace(QLatin1Char('-'), QLatin1Char('_')),
                               QString(), ArgumentSpec::Append);
        s.hidden = true;
        parser.addArgument(s);
    }
}

// Retort's own (hidden): run a step a killed MySQL run left half done from its first
// statement instead of resuming it (StatementJournal).
void addRestartStepOption(ArgumentParser &parser)
{
    ArgumentSpec s = flag({QStringLiteral("--restart-step")}, QStringLiteral("restart_step"), QString());
    s.hidden = true;
    parser.addArgument(s);
}

// Retort's own (hidden on upgrade/downgrade, so Alembic's help stays as it is): where
// backups go, and upgrade/downgrade --backup (back the database up before the first step).
void addBackupOptions(ArgumentParser &parser, bool hidden)
{
    ArgumentSpec dir = value({QStringLiteral("--backup-dir")}, QStringLiteral("backup_dir"),
                             QStringLiteral("Backup folder (default: $RETORT_BACKUP_DIR, else "
                                            "~/.local/share/retort/backups)"));
    dir.metavar = QStringLiteral("DIR");
    dir.hidden = hidden;
    parser.addArgument(dir);
    if (!hidden)
        return;
    ArgumentSpec backup = flag({QStringLiteral("--backup")}, QStringLiteral("backup"),
                               QStringLiteral("Back the database up before the first step"));
    backup.hidden = true;
    parser.addArgument(backup);
}

// Retort's own options, accepted before and after the command name (the message for a
// missing URL tells users to pass --url, wherever they put it). Hidden from argparse's
// usage and option list so that Alembic's texts stay as they are; `retort --help` lists
// them in a section of their own below Alembic's.
QVector<ArgumentSpec> retortOptions()
{
    ArgumentSpec url = value({QStringLiteral("--url")}, QStringLiteral("url"),
                             QStringLiteral("Database URL to use instead of the project's (also "
                                            "$RETORT_DATABASE_URL); before or after the command name"));
    ArgumentSpec lock = value({QStringLiteral("--lock-timeout")}, QStringLiteral("lock_timeout"),
                              QStringLiteral("Seconds to wait for the migration lock held by another "
                                             "run (default: %1)").arg(CommandContext::DefaultLockTimeoutSecs));
    lock.metavar = QStringLiteral("SECONDS");
    // Flask-Migrate projects: env.py takes the database from this app (as `flask --app`).
    ArgumentSpec app = value({QStringLiteral("--app")}, QStringLiteral("app"),
                             QStringLiteral("Flask application for a Flask-Migrate project's env.py, as "
                                            "`flask --app` (sets $FLASK_APP)"));
    app.metavar = QStringLiteral("IMPORT");
    // No defaultValue: a sub-command parser would reset a value given before the command.
    QVector<ArgumentSpec> specs{url, lock, app};
    for (ArgumentSpec &s : specs)
        s.hidden = true;
    return specs;
}

// Issue 14: `squash --until REV` (core/proof/Squasher).
void addSquashCommand(ArgumentParser &parser)
{
    ArgumentParser &squash = parser.addSubcommand(
        QStringLiteral("squash"), QStringLiteral("Replace REV and the revisions below it with one baseline revision."), true);
    ArgumentSpec until = value({QStringLiteral("--until")}, QStringLiteral("until"),
                               QStringLiteral("The revision whose schema the baseline creates (keeps its id)"));
    until.metavar = QStringLiteral("REV");
    squash.addArgument(until);
    squash.addArgument(value({QStringLiteral("-m"), QStringLiteral("--message")}, QStringLiteral("message"),
                             QStringLiteral("The baseline's message (default: \"baseline: <REV's message>\")")));
    ArgumentSpec scratch = value({QStringLiteral("--scratch")}, QStringLiteral("scratch"),
                                 QStringLiteral("Where to build the schema at REV: 'dialect' (a temporary database "
                                                "on the project's server; the default) or 'sqlite'"));
    scratch.metavar = QStringLiteral("{dialect,sqlite}");
    squash.addArgument(scratch);
    squash.addArgument(flag({QStringLiteral("--force")}, QStringLiteral("force"),
                            QStringLiteral("Squash even when the project's database is below REV or cannot be checked")));
    squash.addArgument(flag({QStringLiteral("--dry-run")}, QStringLiteral("dry_run"),
                            QStringLiteral("Print the baseline; write and move nothing")));
    for (const ArgumentSpec &s : retortOptions())
        squash.addArgument(s);
}

} // namespace

CommandLine::CommandLine(QString prog, CommandOutput *output)
    : m_prog(std::move(prog)), m_output(output)
{
    if (!m_output) {
        m_ownOutput = std::make_unique<StdCommandOutput>();
        m_output = m_ownOutput.get();
    }
    buildParser();
}

CommandLine::~CommandLine() = default;

void CommandLine::buildParser()
{
    m_parser = std::make_unique<ArgumentParser>(m_prog);
    ArgumentSpec version;
    version.kind = ArgumentSpec::Version;
    version.flags = {QStringLiteral("--version")};
    version.dest = QStringLiteral("version");
    version.help = QStringLiteral("show program's version number and exit");
    m_parser->addArgument(version);

    ArgumentSpec config = value({QStringLiteral("-c"), QStringLiteral("--config")}, QStringLiteral("config"),
                                QStringLiteral("Alternate config file; defaults to value of ALEMBIC_CONFIG "
                                               "environment variable, or \"alembic.ini\""));
    m_parser->addArgument(config);
    m_parser->addArgument(value({QStringLiteral("-n"), QStringLiteral("--name")}, QStringLiteral("name"),
                                QStringLiteral("Name of section in .ini file to use for Alembic config")));
    m_parser->addArgument(value({QStringLiteral("-x")}, QStringLiteral("x"),
                                QStringLiteral("Additional arguments consumed by custom env.py scripts, e.g. "
                                               "-x setting1=somesetting -x setting2=somesetting"),
                                ArgumentSpec::Append));
    m_parser->addArgument(flag({QStringLiteral("--raiseerr")}, QStringLiteral("raiseerr"),
                               QStringLiteral("Raise a full stack trace on error")));
    for (ArgumentSpec s : retortOptions()) {
        s.inEpilog = true;
        m_parser->addArgument(s);
    }
    m_parser->setEpilogTitle(QStringLiteral("Retort options"));

    addRetortCommands();
    for (const SubcommandSpec &spec : subcommands()) {
        ArgumentParser &sub = m_parser->addSubcommand(QString::fromLatin1(spec.name),
                                                      QString::fromLatin1(spec.help));
        for (const QString &o : spec.options)
            sub.addArgument(option(o));
        if (qstrcmp(spec.name, "upgrade") == 0 || qstrcmp(spec.name, "downgrade") == 0) {
            addRestartStepOption(sub);
            addBackupOptions(sub, true);
            RehearseCommands::addRehearseOptions(sub);
        }
        for (const ArgumentSpec &s : retortOptions())
            sub.addArgument(s);
        if (qstrcmp(spec.name, "revision") == 0) {
            addRenameOptions(sub);
            m_revisionParser = &sub;
        }
        for (const QString &p : spec.positionals)
            sub.addArgument(positionalFor(p));
    }
}

// Retort's own commands, hidden from Alembic's usage and help texts.
void CommandLine::addRetortCommands()
{
    ArgumentParser &check = m_parser->addSubcommand(
        QStringLiteral("check"), QStringLiteral("Compare the models with the database; exit 1 when they differ."), true);
    addRenameOptions(check);
    for (const ArgumentSpec &s : retortOptions())
        check.addArgument(s);
    ArgumentParser &schema = m_parser->addSubcommand(
        QStringLiteral("schema"), QStringLiteral("Schema snapshots: `schema dump [-o FILE]`."), true);
    schema.addArgument(value({QStringLiteral("-o"), QStringLiteral("--output")}, QStringLiteral("output"),
                             QStringLiteral("Write the JSON snapshot to this file instead of stdout")));
    schema.addArgument(positional(QStringLiteral("action"), QStringLiteral("dump")));
    for (const ArgumentSpec &s : retortOptions())
        schema.addArgument(s);
    ArgumentParser &diff = m_parser->addSubcommand(
        QStringLiteral("diff"), QStringLiteral("Differences between two databases or snapshots."), true);
    diff.addArgument(positional(QStringLiteral("source"), QStringLiteral("database URL or snapshot .json")));
    diff.addArgument(positional(QStringLiteral("target"), QStringLiteral("database URL or snapshot .json")));

    // Issue 14 (proof): `verify [RANGE]`, `schema dump --at REV`, `diff REV1 REV2`, all on a
    // scratch database; --sqlite makes it an SQLite file whatever the project's dialect.
    ArgumentParser &verify = m_parser->addSubcommand(
        QStringLiteral("verify"), QStringLiteral("Stairway test on a scratch database: upgrade, downgrade and "
                                                 "upgrade each revision; exit 1 on a finding."), true);
    verify.addArgument(positional(QStringLiteral("range"), QStringLiteral("[start]:[end] (default base:heads)"),
                                  ArgumentSpec::Optional));
    schema.addArgument(value({QStringLiteral("--at")}, QStringLiteral("at"),
                             QStringLiteral("The schema at this revision, built on a scratch database")));
    schema.addArgument(value({QStringLiteral("--format")}, QStringLiteral("format"),
                             QStringLiteral("text or json (default: json, text with --at)")));
    for (ArgumentParser *p : {&verify, &schema, &diff}) {
        p->addArgument(flag({QStringLiteral("--sqlite")}, QStringLiteral("sqlite"),
                            QStringLiteral("Use an SQLite scratch database whatever the project's dialect")));
        if (p != &schema)
            for (const ArgumentSpec &s : retortOptions())
                p->addArgument(s);
    }

    ArgumentParser &backup = m_parser->addSubcommand(
        QStringLiteral("backup"), QStringLiteral("Back the project's database up into its backup folder."), true);
    ArgumentParser &backups = m_parser->addSubcommand(
        QStringLiteral("backups"), QStringLiteral("List the project's backups; --prune N keeps the N newest per database."), true);
    ArgumentSpec prune = value({QStringLiteral("--prune")}, QStringLiteral("prune"),
                               QStringLiteral("Delete all but the N newest backups of each database"));
    prune.metavar = QStringLiteral("N");
    backups.addArgument(prune);
    ArgumentParser &restore = m_parser->addSubcommand(
        QStringLiteral("restore"), QStringLiteral("Restore a backup exactly, backing the current state up first."), true);
    restore.addArgument(positional(QStringLiteral("file"), QStringLiteral("the backup file (see `backups`)")));
    for (ArgumentParser *p : {&backup, &backups, &restore}) {
        addBackupOptions(*p, false);
        for (const ArgumentSpec &s : retortOptions())
            p->addArgument(s);
    }
    addSquashCommand(*m_parser);
}

// `revision --rename-column/--rename-table` rewrite what autogenerate detected: without
// --autogenerate there is nothing to rewrite, and ignoring them would hide a mistake.
ParseOutcome CommandLine::checkCombinations(const ParsedArguments &parsed) const
{
    // argparse's type=int, and no negative wait.
    if (parsed.values.contains(QStringLiteral("lock_timeout"))) {
        const QString text = parsed.value(QStringLiteral("lock_timeout"));
        bool ok = false;
        const int secs = text.trimmed().toInt(&ok);
        if (!ok)
            return m_parser->error(QStringLiteral("argument --lock-timeout: invalid int value: '%1'").arg(text));
        if (secs < 0)
            return m_parser->error(QStringLiteral("argument --lock-timeout: must be 0 or more seconds, got %1").arg(secs));
    }
    if (parsed.command != QLatin1String("revision") || !m_revisionParser || parsed.flag(QStringLiteral("autogenerate")))
        return {};
    for (const char *dest : {"rename_column", "rename_table"})
        if (parsed.flag(QLatin1String(dest)))
            return m_revisionParser->error(QStringLiteral("argument --%1: only allowed with argument --autogenerate")
                                               .arg(QString(QLatin1String(dest)).replace(QLatin1Char('_'), QLatin1Char('-'))));
    return {};
}

ParseOutcome CommandLine::parse(const QStringList &args, ParsedArguments *out) const
{
    const ParseOutcome outcome = m_parser->parse(args, out);
    if (!outcome.proceed || out->command.isEmpty())
        return outcome;
    return checkCombinations(*out);
}

int CommandLine::run(const QStringList &args)
{
    ParsedArguments parsed;
    const ParseOutcome outcome = parse(args, &parsed);
    if (!outcome.proceed) {
        QString out = outcome.stdoutText;
        if (args.contains(QStringLiteral("--version")) && !out.isEmpty())
            out = QStringLiteral("%1 %2 (Alembic %3)\n")
                      .arg(m_prog, QLatin1String(RETORT_VERSION), QLatin1String(kVersion));
        m_output->writeStdout(out);
        m_output->writeStderr(outcome.stderrText);
        return outcome.exitCode;
    }
    if (parsed.command.isEmpty()) {
        m_output->writeStderr(m_parser->formatUsage()
                              + QStringLiteral("%1: error: too few arguments\n").arg(m_prog));
        return ExitUsage;
    }

    // --app is FLASK_APP for everything that runs env.py: Retort's env.py helper and the
    // Python hand-offs alike, as for `flask --app X db upgrade`.
    if (const QString app = parsed.value(QStringLiteral("app")); !app.isEmpty())
        qputenv("FLASK_APP", app.toLocal8Bit());
    auto owned = std::make_unique<CommandContext>(parsed, m_output);
    CommandContext &context = *owned;
    const auto keep = qScopeGuard([this, &owned] {
        if (m_processEndsAfterRun)
            g_keptContext = owned.release();
    });
    const VoidResult result = Commands::run(context);
    if (result.ok())
        return context.exitCode();
    // Alembic's own messages stay verbatim; errors located in a file (syntax errors,
    // unreadable headers) also say where.
    const Error &error = result.error();
    QString message = error.message;
    if (error.line > 0 && !error.file.isEmpty())
        message = QStringLiteral("%1:%2: %3").arg(error.file).arg(error.line).arg(message);
    context.logError(message);
    m_output->msg(QStringLiteral("FAILED: ") + message);
    return ExitFailed;
}

} // namespace retort
