#pragma once
// Reads a project's target_metadata by running the Python helper
// (resources/python/retort_metadata.py, embedded as :/retort/python/retort_metadata.py)
// with the project's interpreter. The helper runs env.py the way Alembic does but stops
// at context.configure(), so nothing connects to a database.

#include "modelfilters.h"
#include "modelrenderhints.h"
#include "schema/schemamodel.h"
#include "result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>

namespace retort {

struct ModelLoadOptions
{
    QString python = QStringLiteral("/usr/bin/python3");   // the project's interpreter
    QString helperScript;            // empty: the embedded helper (written to a temp file)
    QString configFile = QStringLiteral("alembic.ini");
    QString iniSection = QStringLiteral("alembic");
    QStringList xArguments;          // -x values, passed on to env.py
    QString dialect;                 // compile types for this dialect; empty = from sqlalchemy.url
    QString workingDirectory;        // where alembic would run (prepend_sys_path base); empty = cwd
    int timeoutMs = 120000;
    bool useCache = true;            // ModelCache; RETORT_NO_MODEL_CACHE=1 also turns it off
};

struct DiscoveredModule
{
    QString module;                  // "models.catalog"; "<unknown>" when not found
    QStringList tables;
};

// A file the helper's answer depends on (size -1: a directory).
struct ModelDependency
{
    QString path;
    qint64 mtimeMs = 0;
    qint64 size = 0;
};

struct LoadedModels
{
    SchemaModel schema;              // the MetaData as a SchemaModel (types compiled for dialect)
    ModelRenderHints hints;
    int tableCount = 0;
    QVector<DiscoveredModule> modules;
    QStringList sysPathAdded;        // what prepend_sys_path put on sys.path
    // Literal keyword values env.py passed to configure() (compare_type, render_as_batch,
    // include_schemas, ...), as evaluated at run time.
    QJsonObject configureOptions;
    // configure() keywords given a callable (include_object, include_name, render_item,
    // process_revision_directives, a compare_type function ...).
    QStringList configureCallables;
    // include_name / include_object's decisions over the database (when it was given).
    ModelFilters filters;
    bool filtersApplied = false;
    QString stderrText;              // what env.py printed (logging goes to stderr)
    QVector<ModelDependency> dependencies;   // the files the answer came from (ModelCache)
    bool fromCache = false;          // reused from ModelCache: Python did not run
    int cachedFileCount = 0;         // with fromCache: the dependencies found unchanged

    bool configureFlag(const QString &name, bool defaultValue) const;
    // configureCallables that Retort did not apply (all but include_name / include_object
    // once their decisions are in `filters`).
    QStringList unappliedCallables() const;
    // "Discovered 5 tables in models.catalog (products, tags, users), models.orders (...)"
    QString discoverySummary() const;
};

// The helper's error object, for callers that show more than Error's message.
struct ModelLoadFailure
{
    QString kind;        // no-env-py, metadata-none, no-tables, module-not-on-path,
                         // relative-import, module-not-found, env-error, no-alembic, ...
    QString message;     // the Python exception text
    QString diagnosis;   // plain language reason and fix
    QString traceback;
    QString file;
    int line = 0;
};

class ModelLoader
{
public:
    // The database the filter callables run over, asked for once the models are loaded
    // and only when env.py passes include_name / include_object.
    using DatabaseProvider = std::function<Result<SchemaModel>(const LoadedModels &models)>;

    // Runs the helper. On failure the Error's message is "<message>\n<diagnosis>" with the
    // project file/line the failure points at; *failure gets the full details. With a
    // provider, env.py's include_name / include_object run (in the same Python process)
    // over the provider's database and LoadedModels::filters holds their decisions.
    static Result<LoadedModels> load(const ModelLoadOptions &options,
                                     ModelLoadFailure *failure = nullptr,
                                     const DatabaseProvider &database = {});
    // Parses the helper's JSON output (exposed for tests and saved outputs).
    static Result<LoadedModels> parse(const QByteArray &json, const QString &source = {},
                                      ModelLoadFailure *failure = nullptr);
    // Parses the helper's second answer (the filter decisions) into *models.
    static VoidResult parseFilters(const QByteArray &json, LoadedModels &models,
                                   const QString &source = {}, ModelLoadFailure *failure = nullptr);
    // The helper's source (embedded resource).
    static QByteArray helperSource();
    // Writes the embedded Python helpers (all of :/retort/python) into dir, side by side.
    static VoidResult writeHelpers(const QString &dir);
};

} // namespace retort
