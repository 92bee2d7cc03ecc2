#include "autogenerator.h"

#include "postgresdefaultprobe.h"
#include "runtime/databaseconnection.h"
#include "schema/schemaintrospector.h"

#include <optional>

namespace retort {

CompareOptions Autogenerator::compareOptionsFrom(const LoadedModels &models, CompareOptions base)
{
    base.compareType = models.configureFlag(QStringLiteral("compare_type"), base.compareType);
    base.compareServerDefault = models.configureFlag(QStringLiteral("compare_server_default"),
                                                     base.compareServerDefault);
    base.includeSchemas = models.configureFlag(QStringLiteral("include_schemas"), base.includeSchemas);
    const QJsonValue vt = models.configureOptions.value(QStringLiteral("version_table"));
    if (vt.isString())
        base.versionTable = vt.toString();
    const QJsonValue vts = models.configureOptions.value(QStringLiteral("version_table_schema"));
    if (vts.isString())
        base.versionTableSchema = vts.toString();
    if (models.filtersApplied) {   // env.py's include_name / include_object decisions
        const ModelFilters f = models.filters;
        base.includeName = [f](const FilterTarget &t) { return f.includeName(t); };
        base.includeObject = [f](const FilterTarget &t) { return f.includeObject(t); };
    }
    return base;
}

ScriptRenderOptions Autogenerator::renderOptionsFrom(const LoadedModels &models, ScriptRenderOptions base)
{
    base.renderAsBatch = models.configureFlag(QStringLiteral("render_as_batch"), base.renderAsBatch);
    const QJsonValue ap = models.configureOptions.value(QStringLiteral("alembic_module_prefix"));
    if (ap.isString())
        base.alembicPrefix = ap.toString();
    const QJsonValue sp = models.configureOptions.value(QStringLiteral("sqlalchemy_module_prefix"));
    if (sp.isString())
        base.sqlalchemyPrefix = sp.toString();
    return base;
}

AutogenerateResult Autogenerator::run(LoadedModels models, SchemaModel database,
                                      const AutogenerateRequest &request)
{
    AutogenerateResult r;
    r.models = std::move(models);
    r.database = std::move(database);
    const CompareOptions co = request.optionsFromEnvPy ? compareOptionsFrom(r.models, request.compare)
                                                       : request.compare;
    const ScriptRenderOptions ro = request.optionsFromEnvPy ? renderOptionsFrom(r.models, request.render)
                                                      : request.render;
    r.diff = SchemaComparator(r.models.schema, &r.models.hints, r.database, co).compare();
    DiffReviewer::review(r.diff.upgradeOps, request.rowCounter);
    r.rendered = MigrationScriptRenderer(&r.models.hints, r.database.dialect, ro).render(r.diff.upgradeOps);
    return r;
}

Result<AutogenerateResult> Autogenerator::run(DatabaseConnection &connection,
                                              const AutogenerateRequest &request)
{
    ModelLoadOptions mo = request.models;
    if (mo.dialect.isEmpty())
        mo.dialect = connection.dialect().name();
    // The database is read once env.py's options are known; the helper asks for it
    // itself (before exiting) when env.py's include_name / include_object must run over it.
    std::optional<SchemaModel> database;
    auto introspect = [&](const LoadedModels &m) -> Result<SchemaModel> {
        const CompareOptions co = request.optionsFromEnvPy ? compareOptionsFrom(m, request.compare)
                                                           : request.compare;
        IntrospectOptions io;
        io.includeSchemas = co.includeSchemas;
        io.versionTable = co.versionTable;
        io.versionTableSchema = co.versionTableSchema;
        io.includeViews = false;
        auto db = SchemaIntrospector::read(connection, io);
        if (db)
            database = *db;
        return db;
    };
    auto models = ModelLoader::load(mo, nullptr, request.optionsFromEnvPy ? ModelLoader::DatabaseProvider(introspect)
                                                                          : ModelLoader::DatabaseProvider());
    if (!models)
        return models.error();
    if (!database) {
        auto db = introspect(*models);
        if (!db)
            return db.error();
    }
    AutogenerateRequest withProbe = request;   // PostgreSQL: the server compares defaults
    if (!withProbe.compare.serverDefaultsEqual)
        withProbe.compare.serverDefaultsEqual = PostgresDefaultProbe::forConnection(connection);
    return run(std::move(*models), std::move(*database), withProbe);
}

QString Autogenerator::checkMessage(const SchemaDiff &diff)
{
    if (diff.isEmpty())
        return QStringLiteral("No new upgrade operations detected.");
    QStringList lines{QStringLiteral("New upgrade operations detected:")};
    for (const AutogenOp &op : diff.flattened())
        lines << QStringLiteral("  ") + op.describe();
    return lines.join(QLatin1Char('\n'));
}

} // namespace retort
