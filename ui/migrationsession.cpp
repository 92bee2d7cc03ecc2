#include "migrationsession.h"

#include "services/handoffbodyprovider.h"
#include "services/handoffrouter.h"
#include "ddl/scriptstepbodyprovider.h"
#include "ddl/sqlitetablereader.h"
#include "runtime/offlinesqlwriter.h"
#include "runtime/versiontablesql.h"
#include "runtime/versiontable.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>

namespace retort {

namespace {

// Marks a statement the preview turns into a "-- ..." comment after rendering.
const QChar kCommentMark(0x1);
// Marks the body of a step that cannot be rendered: the script preview stops there.
const QChar kFailMark(0x2);

// Wraps the run's provider for previews: a body that cannot be rendered natively becomes
// a comment saying why ("needs Python: ..." for the interpreter's NeedsPython, "cannot
// render natively: ..." otherwise), instead of ending the preview.
class PreviewBodyProvider : public StepBodyProvider
{
public:
    PreviewBodyProvider(StepBodyProvider &inner, const QHash<QString, RenderedStep> &rendered,
                        const QString &pythonError)
        : m_inner(inner), m_rendered(rendered), m_pythonError(pythonError) {}

    Result<QStringList> statements(const MigrationStep &step, const Dialect &dialect) override
    {
        const auto alembic = m_rendered.constFind(HandoffBodyProvider::key(step));
        if (alembic != m_rendered.constEnd()) {
            // SQL written by the project's Alembic, marked as such.
            const QString why = pythonReason(step);
            QStringList out;
            if (alembic->ok) {
                m_reasons.insert(HandoffBodyProvider::key(step),
                                 why + QCoreApplication::translate("MigrationSession", "; SQL rendered by Alembic"));
                out << kCommentMark + QStringLiteral("rendered by Alembic (%1)").arg(why);
                for (const QString &s : alembic->statements)
                    out << PythonWorker::withoutTerminator(s);
            } else {
                m_reasons.insert(HandoffBodyProvider::key(step), why);
                const QString text = QCoreApplication::translate("MigrationSession", "%1; Alembic cannot render it offline: %2")
                                         .arg(why, alembic->error.summary().replace(QLatin1Char('\n'), QLatin1Char(' ')));
                fail(step, text);
                out << kFailMark + text;
            }
            return out;
        }
        Result<QStringList> body = m_inner.statements(step, dialect);
        if (body)
            return body;
        const QString reason = reasonFor(step, body.error());
        if (reason.startsWith(QLatin1String("needs Python"))) {
            m_reasons.insert(HandoffBodyProvider::key(step), reason);
            const QString warning = QStringLiteral("revision %1 (%2) %3").arg(step.revision, scriptPath(step), reason);
            if (!m_warnings.contains(warning))   // body() and statements() may both ask
                m_warnings << warning;
            return QStringList{kCommentMark + reason};
        }
        fail(step, reason);
        return QStringList{kFailMark + reason};
    }
    // A native body keeps its try statements, print output and autocommit blocks, so the
    // preview shows what --sql writes (not every handler's statements).
    Result<StepBody> body(const MigrationStep &step, const Dialect &dialect) override
    {
        if (!m_rendered.contains(HandoffBodyProvider::key(step))) {
            Result<StepBody> native = m_inner.body(step, dialect);
            if (native)
                return native;
        }
        Result<QStringList> s = statements(step, dialect);
        if (!s)
            return s.error();
        return StepBody::fromStatements(*s);
    }
    QString scriptPath(const MigrationStep &step) const override { return m_inner.scriptPath(step); }
    QString doc(const MigrationStep &step) const override { return m_inner.doc(step); }

    QString reason(const MigrationStep &step) const
    { return m_reasons.value(HandoffBodyProvider::key(step)); }
    // The first step that could not be rendered (empty revision: none).
    const ScriptPreview &failure() const { return m_failure; }
    const QStringList &warnings() const { return m_warnings; }

private:
    void fail(const MigrationStep &step, const QString &why)
    {
        if (!m_failure.failedRevision.isEmpty())
            return;
        m_failure.failedRevision = step.revision.isEmpty() ? step.shortLog : step.revision;
        m_failure.failedPath = scriptPath(step);
        m_failure.error = why;
    }

    QString pythonReason(const MigrationStep &step)
    {
        auto *script = dynamic_cast<ScriptStepBodyProvider *>(&m_inner);
        if (script) {
            if (std::optional<NeedsPython> np = script->needsPython(step))
                return QStringLiteral("needs Python: %1 (line %2)").arg(np->reason).arg(np->line);
        }
        return QStringLiteral("needs Python");
    }

    QString reasonFor(const MigrationStep &step, const Error &error)
    {
        auto *script = dynamic_cast<ScriptStepBodyProvider *>(&m_inner);
        if (script && ScriptStepBodyProvider::isNeedsPython(error)) {
            if (std::optional<NeedsPython> np = script->needsPython(step))
                return QCoreApplication::translate("MigrationSession", "needs Python: %1 (line %2)%3").arg(np->reason).arg(np->line)
                    .arg(m_pythonError.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(m_pythonError));
        }
        // Not the interpreter's NeedsPython: a render error (an op outside the native set,
        // batch mode without reflection in a preview ...). Shown, not treated as Python.
        return QCoreApplication::translate("MigrationSession", "cannot render natively: ")
               + error.toString().replace(QLatin1Char('\n'), QLatin1Char(' '));
    }

    StepBodyProvider &m_inner;
    const QHash<QString, RenderedStep> &m_rendered;
    QString m_pythonError;
    QHash<QString, QString> m_reasons;
    ScriptPreview m_failure;
    QStringList m_warnings;
};

// Online the version table outlives a downgrade to base (Alembic drops it only in --sql
// mode), so the preview leaves that DROP out.
QString withoutFinalDrop(QString sql, const MigrationPlan &plan, const Dialect &dialect,
                         const VersionTableOptions &table)
{
    if (!plan.endHeads.isEmpty())
        return sql;
    const QString drop = OfflineSqlWriter::statementText(VersionTableSql(dialect, table).dropTable());
    const int at = sql.lastIndexOf(drop);
    if (at >= 0)
        sql.remove(at, drop.size());
    return sql;
}

QString commentsFromMarks(QString sql)
{
    static const QRegularExpression mark(QStringLiteral("[\\x01\\x02]([^\\n]*);\\n"));
    return sql.replace(mark, QStringLiteral("-- \\1\n"));
}

} // namespace

MigrationSession::MigrationSession(MigrationProjectSpec spec, MigrationLogSink &log,
                                   BodyProviderFactory bodies)
    : m_spec(std::move(spec)),
      m_project(m_spec.iniPath, m_spec.section, m_spec.xArguments),
      m_log(log),
      m_factory(std::move(bodies))
{
}

MigrationSession::~MigrationSession()
{
    m_bodies.reset();   // may hold a reader on the connection
    m_env.reset();
}

VoidResult MigrationSession::open(bool online)
{
    m_env = std::make_unique<MigrationEnvironment>(m_project, m_log, m_spec.urlOverride);
    m_env->setEngine(m_spec.engine);
    VoidResult loaded = m_env->load();
    if (!loaded)
        return loaded;
    auto graph = m_project.graph();
    if (!graph)
        return graph.error();
    if (online)
        return m_env->connect();
    return {};
}

Result<QStringList> MigrationSession::currentHeads()
{
    if (!m_env || !m_env->connection())
        return QStringList();
    return VersionTable(*m_env->connection(), m_env->versionTable()).currentHeads();
}

Result<MigrationPlan> MigrationSession::plan(Direction direction, const QString &target,
                                             const QStringList &heads)
{
    auto graph = m_project.graph();
    if (!graph)
        return graph.error();
    return direction == Upgrade ? MigrationPlanner::upgrade(**graph, heads, target)
                                : MigrationPlanner::downgrade(**graph, heads, target);
}

StepBodyProvider *MigrationSession::bodies()
{
    if (m_bodies)
        return m_bodies.get();
    auto graph = m_project.graph();
    if (!graph)
        return nullptr;   // open() failed already and said why
    if (m_factory) {
        m_bodies = m_factory(m_project, **graph);
    } else {
        auto provider = std::make_unique<ScriptStepBodyProvider>(**graph);
        provider->setEngineName(m_spec.engine);   // multidb: upgrade_<engine>()
        DatabaseConnection *conn = connection();
        RenderOptions options;
        options.online = m_onlineRendering || conn;
        if (conn && conn->dialect().kind() == Dialect::SQLite) {
            // Batch mode's move-and-copy reflects the live table, as Alembic does online.
            auto reader = std::make_shared<SqliteTableReader>(*conn);
            options.tableProvider = [reader](const QString &schema, const QString &table) {
                return reader->read(schema, table);
            };
        }
        provider->setRenderOptions(options);
        m_bodies = std::move(provider);
    }
    return m_bodies.get();
}

QVector<StepPreview> MigrationSession::previewSteps(const MigrationPlan &plan)
{
    QVector<StepPreview> previews;
    StepBodyProvider *inner = bodies();
    EmptyStepBodyProvider none;
    renderWithAlembic(plan);
    PreviewBodyProvider provider(inner ? *inner : none, m_rendered, m_pythonError);
    OfflineSqlWriter writer(m_env->dialect(), m_env->versionTable());
    writer.setTransactionalDdl(false);   // per-step text: the transaction is the run's
    writer.setBodyProvider(&provider);
    for (int i = 0; i < plan.steps.size(); ++i) {
        const MigrationStep &step = plan.steps.at(i);
        StepPreview p;
        const QString doc = step.kind == MigrationStep::Stamp ? QString() : provider.doc(step);
        p.title = step.shortLog + (doc.isEmpty() ? QString() : QStringLiteral(", ") + doc);
        Result<QString> sql = writer.render(plan.headsBefore(i), {step});
        if (sql) {
            MigrationPlan tail;
            tail.endHeads = plan.headsBefore(i + 1);
            p.sql = commentsFromMarks(withoutFinalDrop(*sql, tail, m_env->dialect(), m_env->versionTable()));
        } else {
            p.sql = QStringLiteral("-- ") + sql.error().toString();
        }
        p.needsPython = provider.reason(step);
        previews.append(p);
    }
    return previews;
}

Result<QString> MigrationSession::previewScript(const MigrationPlan &plan)
{
    Result<ScriptPreview> script = renderScript(plan, false);
    if (!script)
        return script.error();
    if (!script->failedRevision.isEmpty())
        return Error(QCoreApplication::translate("MigrationSession", "revision %1 cannot be rendered: %2").arg(script->failedRevision, script->error),
                     script->failedPath);
    return script->sql;
}

Result<ScriptPreview> MigrationSession::renderScript(const MigrationPlan &plan, bool asSql)
{
    StepBodyProvider *inner = bodies();
    EmptyStepBodyProvider none;
    renderWithAlembic(plan);
    PreviewBodyProvider provider(inner ? *inner : none, m_rendered, m_pythonError);
    OfflineSqlWriter writer(m_env->dialect(), m_env->versionTable());
    writer.setTransactionPerMigration(m_env->transactionPerMigration());
    writer.setTransactionalDdl(m_env->transactionalDdl());
    writer.setBodyProvider(&provider);
    Result<QString> sql = writer.render(plan.startHeads, plan.steps);
    if (!sql)
        return sql.error();
    ScriptPreview out = provider.failure();
    out.warnings = provider.warnings();
    QString text = *sql;
    if (!out.failedRevision.isEmpty()) {
        // The script as far as it goes; the rest would not be what a run executes.
        const int at = text.indexOf(kFailMark);
        if (at >= 0)
            text.truncate(at);
    } else if (!asSql) {
        text = withoutFinalDrop(text, plan, m_env->dialect(), m_env->versionTable());
    }
    out.sql = commentsFromMarks(text);
    return out;
}

// Steps the native engine cannot render go to the project's Alembic, offline, as --sql
// does; rendered once per session.
void MigrationSession::renderWithAlembic(const MigrationPlan &plan)
{
    auto *script = dynamic_cast<ScriptStepBodyProvider *>(bodies());
    if (!script || !m_pythonError.isEmpty())
        return;
    QVector<MigrationStep> todo;
    const QVector<StepRoute> routes = HandoffRouter(*script, m_env->dialect(), true).route(plan);
    for (int i = 0; i < routes.size(); ++i)
        if (routes.at(i).needsPython() && !m_rendered.contains(HandoffBodyProvider::key(plan.steps.at(i))))
            todo << plan.steps.at(i);
    if (todo.isEmpty())
        return;
    if (!m_python) {
        auto worker = PythonWorker::forProject(m_project, m_spec.urlOverride);
        if (!worker)
            return;
        m_python = std::move(*worker);
        m_python->setEngine(script->engineName());
        auto version = m_python->start();
        if (!version) {
            m_pythonError = QCoreApplication::translate("MigrationSession", "no usable Python: ") + version.error().message;
            m_python.reset();
            return;
        }
        m_log.info(QStringLiteral("retort.python"),
                   QCoreApplication::translate("MigrationSession", "using %1 (alembic %2) to preview steps that need Python").arg(m_python->interpreter(), *version));
    }
    auto rendered = m_python->render(todo, false, [this](const QString &line) {
        m_log.info(QStringLiteral("retort.python"), line);
    });
    if (!rendered) {
        m_pythonError = rendered.error().message;
        m_python.reset();
        return;
    }
    for (int i = 0; i < todo.size(); ++i)
        m_rendered.insert(HandoffBodyProvider::key(todo.at(i)), rendered->at(i));
}

void MigrationSession::close()
{
    m_bodies.reset();
    if (m_env)
        m_env.reset();
}

} // namespace retort
