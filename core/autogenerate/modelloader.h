#pragma once
// Reads a project's target_metadata by running the Python helper
// (resources/python/retort_metadata.py, embedded as :/retort/python/retort_metadata.py)
// with the project's interpreter. The helper runs env.py the way Alembic does but stops
// at context.configure(), so nothing connects to a database.

#include "modelrenderhints.h"
#include "schema/schemamodel.h"
#include "result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

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
};

struct DiscoveredModule
{
    QString module;                  // "models.catalog"; "<unknown>" when not found
    QStringList tables;
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
    // process_revision_directives, a compare_type function ...): not applied by Retort.
    QStringList configureCallables;
    QString stderrText;              // what env.py printed (logging goes to stderr)

    bool configureFlag(const QString &name, bool defaultValue) const;
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
    // Runs the helper. On failure the Error's message is "<message>\n<diagnosis>" with the
    // project file/line the failure points at; *failure gets the full details.
    static Result<LoadedModels> load(const ModelLoadOptions &options,
                                     ModelLoadFailure *failure = nullptr);
    // Parses the helper's JSON output (exposed for tests and saved outputs).
    static Result<LoadedModels> parse(const QByteArray &json, const QString &source = {},
                                      ModelLoadFailure *failure = nullptr);
    // The helper's source (embedded resource).
    static QByteArray helperSource();
};

} // namespace retort
