#pragma once
// The runner's StepBodyProvider for real revision scripts: each script is interpreted
// once (ScriptInterpreter, cached), the step's upgrade()/downgrade() (or the multidb
// template's upgrade_<engine>()) is picked and every op rendered for the dialect
// (DdlRenderer). A function the interpreter marks NeedsPython is an Error the caller
// can recognise (isNeedsPython / needsPython()) and hand to Python instead.

#include "ddlrenderer.h"
#include "operations/migrationop.h"
#include "operations/scriptcontext.h"
#include "python/pylexer.h"
#include "runtime/stepbodyprovider.h"

#include <QHash>
#include <QSet>
#include <functional>
#include <list>
#include <optional>

namespace retort {

class RevisionGraph;
class ScriptCache;
class ScriptPrefetch;

class ScriptStepBodyProvider : public StepBodyProvider
{
public:
    // revision id -> script path (and optionally revision id -> Script.doc).
    explicit ScriptStepBodyProvider(QHash<QString, QString> scriptPaths,
                                    QHash<QString, QString> docs = {});
    explicit ScriptStepBodyProvider(const RevisionGraph &graph);

    // multidb template: run upgrade_<name>()/downgrade_<name>() for this engine.
    void setEngineName(const QString &name) { m_engine = name; }
    QString engineName() const { return m_engine; }
    // The run the scripts are interpreted for: its dialect and whether it writes SQL
    // (--sql), which decide `if op.get_bind().dialect.name == ...` and
    // `context.is_offline_mode()` natively. statements() uses its dialect argument and
    // this mode; the rest this context. Programs are cached per context.
    void setScriptContext(const ScriptContext &context) { m_context = context; }
    const ScriptContext &scriptContext() const { return m_context; }
    // The graph was read for this run (the command line): the scan's texts are the
    // scripts, as Alembic imports each module once per run, so no stat asks whether a
    // script changed since. Off (the studio keeps its graph): an edited script is read again.
    void setSourcesCurrent(bool on) { m_sourcesCurrent = on; }
    // Programs interpreted ahead (while the graph was built and the plan made): preload()
    // adopts those of its context whose path and text are this provider's, with sources
    // current. The prefetch must outlive the next preload().
    void setPrefetch(ScriptPrefetch *prefetch) { m_prefetch = prefetch; }
    // Statements rendered by earlier runs (--sql only, with sources current): a step whose
    // script is unchanged (path, size, mtime, text hash) is answered from it, and bodies
    // that are plain statements are stored in it. Must outlive the provider's use.
    void setBodyCache(ScriptCache *cache) { m_bodyCache = cache; }
    // The body cache's key of a step's body (see bodyCacheSlot).
    static QString bodyCacheKey(const Dialect &dialect, const ScriptContext &context, bool upgrade,
                                const QString &engine);
    // The step's body from the body cache, without interpreting the script.
    std::optional<StepBody> cachedBody(const MigrationStep &step, const Dialect &dialect) const;
    // Online batch mode on SQLite reads tables through options.tableProvider.
    void setRenderOptions(const RenderOptions &options) { m_options = options; }
    const RenderOptions &renderOptions() const { return m_options; }

    Result<QStringList> statements(const MigrationStep &step, const Dialect &dialect) override;
    Result<StepBody> body(const MigrationStep &step, const Dialect &dialect) override;
    QString scriptPath(const MigrationStep &step) const override;
    QString doc(const MigrationStep &step) const override;

    // The reason the step's function must run in Python; nullopt when it is native
    // (or when the script cannot be interpreted at all: statements() reports that).
    std::optional<NeedsPython> needsPython(const MigrationStep &step);
    // Whether the step's function, needing Python when read ahead, runs natively online by
    // inspecting the live database as it runs (renderOptions().inspector set): a read of
    // the function against the database as it is now must succeed natively. Its body is
    // then one Deferred item interpreted again as the run reaches it (liveBody()).
    bool runsLive(const MigrationStep &step);
    // True for the Error statements() returns for a NeedsPython function.
    static bool isNeedsPython(const Error &error);

    // Interprets the scripts of these steps ahead, in parallel (a cache warm-up).
    void preload(const QVector<MigrationStep> &steps);
    // The interpreted script of a revision (cached).
    Result<ScriptProgram> program(const QString &revision);
    // Whether program() succeeds, without copying the program.
    VoidResult interpretable(const QString &revision);
    // The function statements() runs for the step: "upgrade", "downgrade_engine1" ...
    Result<QString> functionName(const MigrationStep &step);

private:
    QString displayPath(const QString &revision) const;
    // program() without the copy; the pointer is valid until the next cache insert.
    Result<const ScriptProgram *> cachedProgram(const QString &revision);
    Result<const ScriptProgram *> cachedProgram(const QString &revision, const ScriptContext &context);
    // The programs interpreted for a context. A run uses one or two contexts: a short
    // list compared field by field, where a string key per lookup showed in the profile.
    QHash<QString, ScriptProgram> &programs(const ScriptContext &context);
    Result<QString> functionName(const MigrationStep &step, const ScriptProgram &program) const;
    // Ops to step items: effect ops ("@try", "@print" ...) kept, the rest rendered.
    VoidResult build(const QVector<MigrationOp> &ops, const Dialect &dialect, QVector<StepItem> *out,
                     QSet<QString> *enumTypes,
                     const std::function<Error(const Error &, int)> &located) const;
    // Interprets a script, from the text the revision scan read while the file is unchanged.
    Result<ScriptProgram> interpretScript(const QString &revision, const QString &path,
                                          const ScriptContext &context) const;

    Result<StepBody> liveBody(const MigrationStep &step, const QString &function, const Dialect &dialect,
                              const std::function<Error(const Error &, int)> &located);

    struct Source
    {
        QString text;
        PySourceStamp stamp;
    };
    QHash<QString, Source> m_sources;   // revision id -> the scan's text (graph constructor)
    QHash<QString, QString> m_paths;
    QHash<QString, QString> m_docs;
    struct ContextPrograms
    {
        ScriptContext context;
        QHash<QString, ScriptProgram> programs;   // by revision id
    };
    std::list<ContextPrograms> m_cache;   // a list: a context's hash never moves
    ScriptContext m_context;
    QString m_engine;
    RenderOptions m_options;
    bool m_sourcesCurrent = false;
    ScriptPrefetch *m_prefetch = nullptr;
    ScriptCache *m_bodyCache = nullptr;
    // The last key per direction: building it per step showed in the warm profile.
    struct BodyCacheKey
    {
        int kind = -1;
        bool escapes = false;
        int mode = 0;
        QString engine;
        QString url;
        QString key;
    };
    mutable BodyCacheKey m_bodyCacheKeys[2];
    // The body cache's key and script for a step; false when the cache does not apply.
    bool bodyCacheSlot(const MigrationStep &step, const Dialect &dialect, QString *key,
                       QString *path, const Source **source) const;
    void adoptPrefetched(QHash<QString, ScriptProgram> &cache);
    QHash<QString, bool> m_live;   // runsLive() by step key
};

} // namespace retort
