#include "scriptstepbodyprovider.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "replayinspector.h"
#include "operations/scriptinterpreter.h"
#include "script/scriptcache.h"
#include "scriptprefetch.h"
#include "revision/revisiongraph.h"
#include "revision/revisionnode.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

namespace retort {

namespace {

// Marks the Error of a NeedsPython function; the text reads naturally in messages.
const QLatin1String kNeedsPython(" needs Python: ");

} // namespace

ScriptStepBodyProvider::ScriptStepBodyProvider(QHash<QString, QString> scriptPaths,
                                               QHash<QString, QString> docs)
    : m_paths(std::move(scriptPaths)), m_docs(std::move(docs))
{
}

ScriptStepBodyProvider::ScriptStepBodyProvider(const RevisionGraph &graph)
{
    m_paths.reserve(graph.size());
    m_docs.reserve(graph.size());
    m_sources.reserve(graph.size());
    for (int i = 0; i < graph.size(); ++i) {
        const RevisionNode *n = graph.nodeAt(i);
        m_paths.insert(n->id(), n->path());
        m_docs.insert(n->id(), n->doc());
        const Revision &r = n->revision();
        if (r.sourceSize >= 0)
            m_sources.insert(n->id(), Source{r.source, PySourceStamp{r.sourceSize, r.sourceMtimeNs}});
    }
}

Result<ScriptProgram> ScriptStepBodyProvider::interpretScript(const QString &revision, const QString &path,
                                                              const ScriptContext &context) const
{
    // One stat instead of open + read + decode; an edited script (the studio keeps its
    // graph) is read again.
    const auto source = m_sources.constFind(revision);
    if (source != m_sources.constEnd() && (m_sourcesCurrent || PyLexer::unchanged(path, source->stamp)))
        return ScriptInterpreter::interpret(source->text, path, context);
    return ScriptInterpreter::interpretFile(path, context);
}

QString ScriptStepBodyProvider::scriptPath(const MigrationStep &step) const
{
    return m_paths.value(step.revision);
}

QString ScriptStepBodyProvider::doc(const MigrationStep &step) const
{
    return m_docs.value(step.revision);
}

QString ScriptStepBodyProvider::displayPath(const QString &revision) const
{
    // "versions/ae10_x.py": the script's folder and name, as a user finds it.
    const QFileInfo fi(m_paths.value(revision));
    return fi.dir().dirName() + QLatin1Char('/') + fi.fileName();
}

Result<ScriptProgram> ScriptStepBodyProvider::program(const QString &revision)
{
    auto p = cachedProgram(revision);
    if (!p)
        return p.error();
    return **p;
}

VoidResult ScriptStepBodyProvider::interpretable(const QString &revision)
{
    auto p = cachedProgram(revision);
    if (!p)
        return p.error();
    return {};
}

Result<const ScriptProgram *> ScriptStepBodyProvider::cachedProgram(const QString &revision)
{
    return cachedProgram(revision, m_context);
}

Result<const ScriptProgram *> ScriptStepBodyProvider::cachedProgram(const QString &revision,
                                                                    const ScriptContext &context)
{
    QHash<QString, ScriptProgram> &cache = programs(context);
    auto cached = cache.constFind(revision);
    if (cached != cache.constEnd())
        return &*cached;
    const QString path = m_paths.value(revision);
    if (path.isEmpty())
        return Error(QStringLiteral("No script for revision %1").arg(revision));
    auto p = interpretScript(revision, path, context);
    if (!p)
        return p.error();
    return &*cache.insert(revision, std::move(*p));
}

QHash<QString, ScriptProgram> &ScriptStepBodyProvider::programs(const ScriptContext &context)
{
    for (ContextPrograms &c : m_cache)
        if (c.context == context)
            return c.programs;
    m_cache.push_back(ContextPrograms{context, {}});
    return m_cache.back().programs;
}

void ScriptStepBodyProvider::preload(const QVector<MigrationStep> &steps)
{
    QHash<QString, ScriptProgram> &cache = programs(m_context);
    adoptPrefetched(cache);
    QStringList todo;
    QStringList paths;
    QSet<QString> queued;   // a list lookup here was quadratic in the plan's length
    // Steps the body cache answers need no interpreting.
    const Result<Dialect> cacheDialect = m_bodyCache ? Dialect::fromName(m_context.dialect)
                                                     : Result<Dialect>(Error(QString()));
    queued.reserve(steps.size());
    for (const MigrationStep &step : steps) {
        if (step.kind == MigrationStep::Stamp || cache.contains(step.revision)
            || queued.contains(step.revision)
            || (cacheDialect && cachedBody(step, *cacheDialect)))
            continue;
        const QString path = m_paths.value(step.revision);
        if (path.isEmpty())
            continue;
        queued.insert(step.revision);
        todo << step.revision;
        paths << path;
    }
    // Interpreting is independent per script: spread it over the cores.
    std::vector<std::optional<Result<ScriptProgram>>> results(size_t(todo.size()));
    const size_t threads = todo.size() < 32 ? 1 : std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
    // Claimed one at a time (as ScriptPrefetch does): a thread waiting for a busy core
    // leaves its scripts to the others instead of holding a fixed share.
    std::atomic<size_t> next{0};
    auto work = [&]() {
        for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < results.size();)
            results[i] = interpretScript(todo.at(int(i)), paths.at(int(i)), m_context);
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
    for (auto &th : pool)
        th.join();
    // Failures are left uncached: program() reports them when the step is reached.
    cache.reserve(cache.size() + todo.size());
    for (size_t i = 0; i < results.size(); ++i)
        if (results[i] && results[i]->ok())
            cache.insert(todo.at(int(i)), std::move(results[i]->value()));
}

namespace {

// The scan's text and the prefetch's copy share their data: equal without a comparison.
bool sameText(const QString &a, const QString &b)
{
    return a.size() == b.size() && (a.constData() == b.constData() || a == b);
}

} // namespace

void ScriptStepBodyProvider::adoptPrefetched(QHash<QString, ScriptProgram> &cache)
{
    ScriptPrefetch *prefetch = std::exchange(m_prefetch, nullptr);
    if (!prefetch || !m_sourcesCurrent || !(prefetch->context() == m_context))
        return;
    QVector<ScriptPrefetch::Program> ready = prefetch->take();
    cache.reserve(cache.size() + ready.size());
    for (ScriptPrefetch::Program &p : ready) {
        // Exactly what interpretScript() would have interpreted, or nothing.
        const auto source = m_sources.constFind(p.revision);
        if (source == m_sources.constEnd() || !sameText(source->text, p.text))
            continue;
        const auto path = m_paths.constFind(p.revision);
        if (path == m_paths.constEnd() || !sameText(*path, p.path) || cache.contains(p.revision))
            continue;
        cache.insert(p.revision, std::move(p.program));
    }
}

Result<QString> ScriptStepBodyProvider::functionName(const MigrationStep &step)
{
    auto p = cachedProgram(step.revision);
    if (!p)
        return p.error();
    return functionName(step, **p);
}

Result<QString> ScriptStepBodyProvider::functionName(const MigrationStep &step, const ScriptProgram &program) const
{
    const QString base = step.isUpgrade() ? QStringLiteral("upgrade") : QStringLiteral("downgrade");
    const auto dispatch = program.dispatch.constFind(base);
    if (dispatch == program.dispatch.constEnd())
        return base;
    if (m_engine.isEmpty())
        return Error(QStringLiteral("revision %1 (%2): %3() dispatches per engine, but no engine name is set")
                         .arg(step.revision, displayPath(step.revision), base),
                     m_paths.value(step.revision));
    return QString(*dispatch).replace(QStringLiteral("%s"), m_engine);
}

std::optional<NeedsPython> ScriptStepBodyProvider::needsPython(const MigrationStep &step)
{
    if (step.kind == MigrationStep::Stamp)
        return std::nullopt;
    auto program = cachedProgram(step.revision);
    if (!program)
        return std::nullopt;
    const ScriptProgram &p = **program;
    auto fn = functionName(step, p);
    if (!fn)
        return std::nullopt;
    auto it = p.needsPython.constFind(*fn);
    if (it == p.needsPython.constEnd())
        return std::nullopt;
    return *it;
}

bool ScriptStepBodyProvider::isNeedsPython(const Error &error)
{
    return error.message.startsWith(QLatin1String("revision ")) && error.message.contains(kNeedsPython);
}

Result<QStringList> ScriptStepBodyProvider::statements(const MigrationStep &step, const Dialect &dialect)
{
    Result<StepBody> b = body(step, dialect);
    if (!b)
        return b.error();
    return b->statements();
}

Result<StepBody> ScriptStepBodyProvider::body(const MigrationStep &step, const Dialect &dialect)
{
    // Online, SQLAlchemy's PostgreSQL dialect has read standard_conforming_strings (on
    // since PostgreSQL 9.1): string literals keep their backslashes; --sql doubles them.
    Dialect renderDialect = dialect;
    if (m_options.online && dialect.kind() == Dialect::PostgreSQL)
        renderDialect.setBackslashEscapes(false);
    if (step.kind == MigrationStep::Stamp)
        return StepBody();
    QString cacheKey;
    QString cachePath;
    const Source *cacheSource = nullptr;
    const bool cacheable = bodyCacheSlot(step, dialect, &cacheKey, &cachePath, &cacheSource);
    if (cacheable) {
        const ScriptCache::Source s{cachePath, &cacheSource->text, cacheSource->stamp.size,
                                        cacheSource->stamp.mtimeNs};
        if (auto hit = m_bodyCache->lookup(s, cacheKey)) {
            StepBody out;
            out.items.reserve(hit->size());
            for (const QString &sql : *hit)
                out.items.append(StepItem::sql(sql));
            return out;
        }
    }
    // The run's own context when it already is what with() would make (no copy per step).
    const QString dialectName = dialect.name();
    const bool ownContext = m_context.dialect == dialectName && !m_context.inspector && m_context.liveFunction.isEmpty();
    auto program = ownContext ? cachedProgram(step.revision, m_context)
                              : cachedProgram(step.revision, m_context.with(dialectName, m_context.mode));
    if (!program)
        return program.error();
    const ScriptProgram &p = **program;
    auto fn = functionName(step, p);
    if (!fn)
        return fn.error();
    const QString path = m_paths.value(step.revision);
    // Only errors need it: building it for every step showed in the profile.
    const QString revision = step.revision;
    const auto where = [this, revision] {
        return QStringLiteral("revision %1 (%2").arg(revision, displayPath(revision));
    };
    const auto located = [where, path](const Error &e, int opLine) {
        const int line = e.line > 0 ? e.line : opLine;
        return Error(QStringLiteral("%1:%2): %3").arg(where()).arg(line).arg(e.message), path, line);
    };
    if (const auto np = p.needsPython.constFind(*fn); np != p.needsPython.constEnd() && runsLive(step))
        return liveBody(step, *fn, renderDialect, located);
    if (const auto np = p.needsPython.constFind(*fn); np != p.needsPython.constEnd())
        return Error(QStringLiteral("%1:%2)%3%4").arg(where()).arg(np->line).arg(kNeedsPython, np->reason),
                     path, np->line);
    const auto ops = p.functions.constFind(*fn);
    if (ops == p.functions.constEnd())
        return Error(QStringLiteral("%1): module has no attribute '%2'").arg(where(), *fn), path);
    StepBody out;
    QSet<QString> enumTypes;   // per step; Alembic's memo spans the whole run
    // By value: a deferred item keeps it for errors when the run reaches it.
    VoidResult r = build(*ops, renderDialect, &out.items, &enumTypes, located);
    if (!r)
        return r.error();
    // Only a plain list of statements is kept (no try blocks, prints, deferred items).
    if (cacheable && std::all_of(out.items.cbegin(), out.items.cend(),
                                 [](const StepItem &i) { return i.kind == StepItem::Sql; })) {
        const ScriptCache::Source s{cachePath, &cacheSource->text, cacheSource->stamp.size,
                                        cacheSource->stamp.mtimeNs};
        m_bodyCache->store(s, cacheKey, out.statements());
    }
    return out;
}

bool ScriptStepBodyProvider::bodyCacheSlot(const MigrationStep &step, const Dialect &dialect,
                                           QString *key, QString *path, const Source **source) const
{
    // --sql only: online rendering may read live tables (SQLite batch) and the studio
    // keeps its graph across edits.
    if (!m_bodyCache || !m_sourcesCurrent || m_options.online || m_options.tableProvider
        || step.kind == MigrationStep::Stamp || m_context.mode != ScriptContext::Offline)
        return false;
    const auto it = m_sources.constFind(step.revision);
    if (it == m_sources.constEnd())
        return false;
    *source = &*it;
    *path = m_paths.value(step.revision);
    // Everything the rendered text depends on besides the script: the dialect (and its
    // string escaping), the mode, the function (direction and engine), and the URL a script
    // may read (op.get_bind().engine.url).
    BodyCacheKey &memo = m_bodyCacheKeys[step.isUpgrade() ? 1 : 0];
    if (memo.kind != int(dialect.kind()) || memo.escapes != dialect.backslashEscapes()
        || memo.mode != int(m_context.mode) || memo.engine != m_engine || memo.url != m_context.url
        || memo.key.isEmpty()) {
        memo = BodyCacheKey{int(dialect.kind()), dialect.backslashEscapes(), int(m_context.mode), m_engine,
                            m_context.url, bodyCacheKey(dialect, m_context, step.isUpgrade(), m_engine)};
    }
    *key = memo.key;
    return !path->isEmpty();
}

QString ScriptStepBodyProvider::bodyCacheKey(const Dialect &dialect, const ScriptContext &context, bool upgrade,
                                            const QString &engine)
{
    return QStringLiteral("%1/%2/%3/%4/%5/%6")
        .arg(dialect.name(), dialect.backslashEscapes() ? QStringLiteral("e") : QStringLiteral("n"),
             QString::number(int(context.mode)), upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
             engine, context.url);
}

std::optional<StepBody> ScriptStepBodyProvider::cachedBody(const MigrationStep &step, const Dialect &dialect) const
{
    QString key;
    QString path;
    const Source *source = nullptr;
    if (!bodyCacheSlot(step, dialect, &key, &path, &source))
        return std::nullopt;
    auto hit = m_bodyCache->lookup(ScriptCache::Source{path, &source->text, source->stamp.size,
                                                           source->stamp.mtimeNs},
                                   key);
    if (!hit)
        return std::nullopt;
    StepBody out;
    out.items.reserve(hit->size());
    for (const QString &sql : *hit)
        out.items.append(StepItem::sql(sql));
    return out;
}

bool ScriptStepBodyProvider::runsLive(const MigrationStep &step)
{
    if (!m_options.inspector || step.kind == MigrationStep::Stamp)
        return false;
    const QString key = (step.isUpgrade() ? QStringLiteral("u:") : QStringLiteral("d:")) + step.revision;
    if (const auto cached = m_live.constFind(key); cached != m_live.constEnd())
        return *cached;
    bool live = false;
    auto fn = functionName(step);
    const QString path = m_paths.value(step.revision);
    if (fn && needsPython(step)) {
        QStringList strings;
        // The columns a script uses of a reflected table first (t.c.name, .values(name=)):
        // probes give a reflected table every name the script mentions.
        static const QRegularExpression attribute(QStringLiteral("\\.c\\.([A-Za-z_][A-Za-z0-9_]*)"));
        static const QRegularExpression values(QStringLiteral("\\.values\\(([^()]*(\\([^()]*\\)[^()]*)*)\\)"));
        static const QRegularExpression keyword(QStringLiteral("\\b([A-Za-z_][A-Za-z0-9_]*)\\s*=(?!=)"));
        const QString &text = m_sources.value(step.revision).text;
        for (auto it = attribute.globalMatch(text); it.hasNext();)
            strings << it.next().captured(1);
        for (auto it = values.globalMatch(text); it.hasNext();)
            for (auto k = keyword.globalMatch(it.next().captured(1)); k.hasNext();)
                strings << k.next().captured(1);
        static const QRegularExpression literal(QStringLiteral("'([^'\\\\\\n]*)'|\"([^\"\\\\\\n]*)\""));
        for (auto it = literal.globalMatch(m_sources.value(step.revision).text); it.hasNext();) {
            const auto m = it.next();
            strings << (m.captured(1).isNull() ? m.captured(2) : m.captured(1));
        }
        LiveState state;
        ReplayInspector probe(state, m_options, true);
        probe.setStrings(strings);
        ScriptContext context = m_context.with(m_context.dialect, ScriptContext::Online);
        context.inspector = &probe;
        context.liveFunction = *fn;
        auto p = interpretScript(step.revision, path, context);
        // The same with something found by every call: both must read natively.
        LiveState fullState;
        ReplayInspector full(fullState, m_options, true);
        full.setStrings(strings);
        full.setFull();
        context.inspector = &full;
        auto pf = interpretScript(step.revision, path, context);
        // Both read natively and render: the path the database takes now, and the one
        // where everything is found.
        const auto dialect = Dialect::fromName(m_context.dialect);
        const auto renders = [&](const Result<ScriptProgram> &program) {
            if (!program || !dialect || !program->functions.contains(*fn))
                return false;
            QVector<StepItem> items;
            QSet<QString> enumTypes;
            return build(program->functions.value(*fn), *dialect, &items, &enumTypes,
                         [](const Error &e, int) { return e; }).ok();
        };
        live = !state.answers.isEmpty() && renders(p) && renders(pf);
    }
    m_live.insert(key, live);
    return live;
}

Result<StepBody> ScriptStepBodyProvider::liveBody(const MigrationStep &step, const QString &function,
                                                  const Dialect &dialect,
                                                  const std::function<Error(const Error &, int)> &located)
{
    auto state = std::make_shared<LiveState>();
    StepItem item;
    item.kind = StepItem::Deferred;
    const QString revision = step.revision;
    const QString path = m_paths.value(revision);
    item.next = [this, state, revision, path, function, dialect, located](bool *done) -> Result<QVector<StepItem>> {
        ReplayInspector inspector(*state, m_options, false);
        ScriptContext context = m_context.with(dialect.name(), ScriptContext::Online);
        context.inspector = &inspector;
        context.liveFunction = function;
        auto p = interpretScript(revision, path, context);
        if (inspector.error)
            return located(*inspector.error, 0);
        QVector<MigrationOp> ops;
        if (inspector.stopAt >= 0) {
            ops = inspector.pending;
            state->executed = inspector.stopAt;
            *done = false;
        } else {
            if (!p)
                return p.error();
            if (const auto np = p->needsPython.constFind(function); np != p->needsPython.constEnd())
                return located(Error(QStringLiteral("needs Python on the path it took when it ran: %1")
                                         .arg(np->reason)),
                               np->line);
            ops = p->functions.value(function).mid(state->executed);
            *done = true;
        }
        QVector<StepItem> items;
        VoidResult r = build(ops, dialect, &items, &state->enumTypes, located);
        if (!r)
            return r.error();
        return items;
    };
    StepBody out;
    out.items.append(item);
    return out;
}

VoidResult ScriptStepBodyProvider::build(const QVector<MigrationOp> &ops, const Dialect &dialect,
                                         QVector<StepItem> *out, QSet<QString> *enumTypes,
                                         const std::function<Error(const Error &, int)> &located) const
{
    for (const MigrationOp &op : ops) {
        if (!op.isEffect()) {
            // Online SQLite move-and-copy reads the live table: noticed while rendering, the
            // op is rendered again when the run reaches it, so it sees what the step's
            // earlier statements did (a rename_table just before). Otherwise this is the SQL.
            bool readsTable = false;
            RenderOptions options = m_options;
            if (options.tableProvider && op.name == u"batch_alter_table")
                options.tableProvider = [&readsTable](const QString &, const QString &) -> Result<TableDef> {
                    readsTable = true;
                    return Error(QStringLiteral("read when the step runs"));
                };
            auto r = DdlRenderer::render(op, dialect, options);
            if (readsTable) {
                StepItem item;
                item.kind = StepItem::Deferred;
                item.render = [op, dialect, options = m_options, located]() -> Result<QStringList> {
                    auto sql = DdlRenderer::render(op, dialect, options);
                    return sql ? sql : Result<QStringList>(located(sql.error(), op.line));
                };
                out->append(item);
                continue;
            }
            if (!r)
                return located(r.error(), op.line);
            DdlRenderer::skipCreatedEnumTypes(op, &*r, enumTypes);
            for (const QString &sql : *r)
                out->append(StepItem::sql(sql));
            continue;
        }
        StepItem item;
        if (op.name == u"@print") {
            item.kind = StepItem::Print;
            item.text = op.args.value(0).toStr();
        } else if (op.name == u"@log") {
            item.kind = StepItem::Log;
            item.level = int(op.args.value(0).toInt());
            item.logger = op.args.value(1).toStr();
            item.text = op.args.value(2).toStr();
        } else if (op.name == u"@raise") {
            item.kind = StepItem::Raise;
        } else if (op.name == u"@autocommit" || op.name == u"@try" || op.name == u"@except"
                   || op.name == u"@else" || op.name == u"@finally") {
            item.kind = op.name == u"@autocommit" ? StepItem::Autocommit
                      : op.name == u"@try"        ? StepItem::Try
                      : op.name == u"@except"     ? StepItem::Except
                      : op.name == u"@else"       ? StepItem::Else
                                                  : StepItem::Finally;
            for (const PyValue &c : op.args)
                item.catches << c.toStr();
            VoidResult r = build(op.batchOps, dialect, &item.body, enumTypes, located);
            if (r)
                r = build(op.clauses, dialect, &item.clauses, enumTypes, located);
            if (!r)
                return r;
        } else {
            return located(Error(QStringLiteral("unknown effect %1").arg(op.name)), op.line);
        }
        out->append(item);
    }
    return {};
}

} // namespace retort
