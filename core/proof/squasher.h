#pragma once
// `retort squash --until REV`: replaces REV and the linear chain below it with one
// baseline revision that creates the schema at REV, rendered as `revision --autogenerate`
// renders it against an empty database. The baseline keeps REV's id and has no
// down_revision, so a database stamped at REV or above keeps working (the revisions above
// REV still name REV as their down_revision) and a fresh database runs the baseline
// instead of the old chain. The old scripts move to <script_location>/archive/squashed_<REV>/
// (not a version location: neither Retort nor Alembic reads them there).
// The schema at REV is built by running base..REV on a scratch database (ScratchDatabase),
// then introspected. Rows inserted by the old migrations are not schema: the revisions
// whose upgrade() runs SQL or inserts rows are listed so the user can carry them by hand.

#include "proof/squashplan.h"
#include "result.h"

#include <QStringList>
#include <optional>

namespace retort {

class MigrationLogSink;
class Project;
class RevisionGraph;
class SchemaModel;
struct RenderedMigration;

struct SquashOptions
{
    QString until;                  // REV
    QString message;                // baseline's message; "" = "baseline: <REV's message>"
    bool scratchSqlite = false;     // build the schema in SQLite even for a server project
    QString projectUrl;             // the project's database URL text ("" = none configured)
    // The project's database heads when it could be read; a database below REV is refused
    // unless force.
    std::optional<QStringList> databaseHeads;
    bool force = false;
    bool dryRun = false;            // plan, build and render; write and move nothing
};

struct SquashReport
{
    SquashPlan plan;
    QString scratch;                // where the schema was built (description)
    QString baselinePath;           // the new script ("" with dryRun)
    QString baselineText;           // what it holds (rendered before writing)
    QString archiveDir;
    QStringList archived;           // the old scripts' new paths
    QStringList dataRevisions;      // "rev (file): op.execute, bulk_insert"
    QStringList views;              // views at REV (not carried)
    QStringList otherSchemas;       // PostgreSQL schemas besides the default one (not carried)
    int tables = 0;
    QString databaseNote;           // what the database check found ("" = not checked)
    QString verifiedOn;             // where the written baseline was run and compared
    QString unchecked;              // why the database could not be checked (with force)
    bool dryRun = false;

    // What `squash` prints on stdout, line by line (the baseline's text after a dry run's).
    QStringList summary() const;
    // Warnings (retort.squash): database not checked or below REV (forced), data
    // migrations and views not carried.
    QStringList warnings() const;
};

class Squasher
{
public:
    Squasher(Project &project, MigrationLogSink &log) : m_project(project), m_log(log) {}

    Result<SquashReport> run(const SquashOptions &options);

    // Reads the project's database (--url / env.py / the ini, as a run would; a SQLite file
    // that does not exist yet counts as fresh and is not created) into options->projectUrl
    // and options->databaseHeads. Returns why it could not, "" when it did.
    QString probeDatabase(const QString &urlOverride, SquashOptions *options);
    // probeDatabase() + run(): an unchecked database is refused unless options.force.
    Result<SquashReport> probeAndRun(const QString &urlOverride, SquashOptions options);

    // The database check: heads below REV (squashed ids) are an error without force, a
    // warning with it (returned in the note). Empty heads: a fresh database, fine.
    static Result<QString> checkDatabase(const SquashPlan &plan, const QStringList &heads, bool force);
    // Revisions of the chain whose upgrade() runs SQL text or inserts rows (read from the
    // script text: op.execute, bulk_insert, get_bind).
    static QStringList dataRevisions(const SquashPlan &plan);
    // <script_location>/archive/squashed_<REV>
    static QString archiveDir(const QString &scriptDirectory, const QString &revision);

private:
    // The schema after running base..revision with the project's current scripts on a
    // scratch database (default schema only; the others' names go to *otherSchemas).
    Result<SchemaModel> schemaAt(const SquashOptions &options, const QString &revision, QString *where,
                                 QStringList *otherSchemas);
    Result<RenderedMigration> buildSchema(const SquashOptions &options, const SquashPlan &plan,
                                          SquashReport *report, SchemaModel *atRevision);
    // After writing: the baseline, run on another scratch database, must give the schema
    // the old chain gave (compared as autogenerate compares, types too); returns where it ran.
    Result<QString> verifyBaseline(const SquashOptions &options, const SquashPlan &plan, const SchemaModel &atRevision);

    Project &m_project;
    MigrationLogSink &m_log;
};

} // namespace retort
