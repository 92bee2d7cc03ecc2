#pragma once
// `revision --autogenerate` and `check` in one call: load the models (ModelLoader), read
// the database (SchemaIntrospector), compare (SchemaComparator), review (DiffReviewer)
// and render (MigrationScriptRenderer). The CLI passes result.rendered to the
// RevisionWriter through RevisionRequest::templateArgs (RenderedMigration::addTo).

#include "diffreviewer.h"
#include "migrationscriptrenderer.h"
#include "modelloader.h"
#include "schemacomparator.h"
#include "schema/introspectoptions.h"

namespace retort {

class DatabaseConnection;

struct AutogenerateRequest
{
    ModelLoadOptions models;          // dialect: taken from the connection when empty
    CompareOptions compare;
    ScriptRenderOptions render;
    // Take compare_type, compare_server_default, include_schemas, render_as_batch,
    // version_table, version_table_schema from env.py's context.configure() call, as
    // Alembic does (the helper reports what configure() received).
    bool optionsFromEnvPy = true;
    DiffReviewer::RowCounter rowCounter;   // optional: affected rows for the review
};

struct AutogenerateResult
{
    LoadedModels models;
    SchemaModel database;
    SchemaDiff diff;                  // reviewed upgrade ops
    RenderedMigration rendered;       // imports / upgrades / downgrades
};

class Autogenerator
{
public:
    // Loads the models and introspects the connection's database.
    static Result<AutogenerateResult> run(DatabaseConnection &connection, const AutogenerateRequest &request);
    // Compares already loaded sides (another database or a snapshot as the database side).
    static AutogenerateResult run(LoadedModels models, SchemaModel database, const AutogenerateRequest &request);

    // The options env.py's configure() passed, applied over `base`.
    static CompareOptions compareOptionsFrom(const LoadedModels &models, CompareOptions base);
    static ScriptRenderOptions renderOptionsFrom(const LoadedModels &models, ScriptRenderOptions base);

    // `check`: "No new upgrade operations detected." or "New upgrade operations detected:"
    // followed by one line per operation.
    static QString checkMessage(const SchemaDiff &diff);
};

} // namespace retort
