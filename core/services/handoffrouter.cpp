#include "handoffrouter.h"

#include "ddl/scriptstepbodyprovider.h"

#include <QFile>
#include <QRegularExpression>
#include <utility>

namespace retort {

namespace {

// Comments and the text of strings are not code: drop comments only (a pattern inside a
// string literal is rare and errs on the safe side, Online).
QString codeOf(const QString &source)
{
    static const QRegularExpression comment(QStringLiteral("(^|\\s)#[^\\n]*"));
    QString code = source;
    code.replace(comment, QStringLiteral("\\1"));
    return code;
}

// Whether some `except` clause could catch an exception a failing statement raises
// online: a bare except, Exception/BaseException, or any SQLAlchemy/DBAPI error class. A
// handler for ImportError, KeyError ... only behaves the same in offline rendering.
bool catchesDatabaseErrors(const QString &code)
{
    static const QRegularExpression handler(QStringLiteral("(^|\\n)[ \\t]*except\\b([^:\\n]*):"));
    static const QRegularExpression harmless(QStringLiteral(
        "^\\s*\\(?\\s*((ImportError|ModuleNotFoundError|KeyError|IndexError|LookupError|AttributeError|NameError|"
        "TypeError|ValueError|NotImplementedError|StopIteration|AssertionError)\\s*,?\\s*)+\\)?"
        "(\\s+as\\s+\\w+)?\\s*$"));
    auto it = handler.globalMatch(code);
    while (it.hasNext()) {
        const QString caught = it.next().captured(2);
        if (!harmless.match(caught).hasMatch())
            return true;
    }
    return false;
}

} // namespace

HandoffRouter::HandoffRouter(ScriptStepBodyProvider &bodies, Dialect dialect, bool offline,
                             QString versionTable)
    : m_bodies(bodies), m_dialect(dialect), m_offline(offline), m_versionTable(std::move(versionTable))
{
    // Dialect checks and context.is_offline_mode() are decided for this run natively.
    m_bodies.setScriptContext(m_bodies.scriptContext().with(dialect.name(), offline ? ScriptContext::Offline
                                                                                    : ScriptContext::Online));
}

std::optional<QString> HandoffRouter::onlineOnlyReason(const QString &scriptSource, const QString &versionTable)
{
    const QString code = codeOf(scriptSource);
    if (!versionTable.isEmpty()
        && QRegularExpression(QStringLiteral("\\b%1\\b").arg(QRegularExpression::escape(versionTable))).match(code).hasMatch())
        return QStringLiteral("names the version table %1").arg(versionTable);
    // op.get_bind() itself is tried offline: the worker's mock connection knows the
    // dialect and URL and writes executed statements, and reading a result fails the
    // rendering. What offline mode would answer differently without failing stays online.
    static const QRegularExpression tryStmt(QStringLiteral("(^|\\n)[ \\t]*try\\s*:"));
    static const QRegularExpression checks[] = {
        QRegularExpression(QStringLiteral("\\bis_offline_mode\\b")),
        QRegularExpression(QStringLiteral("\\b(inspect|Inspector|reflect|autoload_with|autoload)\\b")),
        QRegularExpression(QStringLiteral("\\b(Session|sessionmaker|scoped_session)\\b")),
        QRegularExpression(QStringLiteral("\\bautocommit_block\\b")),
        QRegularExpression(QStringLiteral("\\bserver_version_info\\b")),
    };
    static const char *const reasons[] = {
        "tests context.is_offline_mode()",
        "inspects the database",
        "uses an ORM session",
        "uses an autocommit block",
        "asks the server's version",
    };
    if (tryStmt.match(code).hasMatch() && catchesDatabaseErrors(code))
        return QStringLiteral("catches exceptions that a database error raises (try: ... except)");
    for (size_t i = 0; i < std::size(checks); ++i)
        if (checks[i].match(code).hasMatch())
            return QString::fromLatin1(reasons[i]);
    return std::nullopt;
}

// Inspection answered natively (ScriptStepBodyProvider::runsLive) when nothing else in the
// script must run in Alembic: what onlineOnlyReason() finds besides inspection and
// reflection (ORM sessions, catching database errors ...) keeps the whole step in Python, as
// the other paths of the function are only read when the run takes them.
bool HandoffRouter::runsLive(const MigrationStep &step)
{
    if (m_offline)
        return false;
    QFile f(m_bodies.scriptPath(step));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QString source = QString::fromUtf8(f.readAll());
    // Reflection (MetaData.reflect(bind), Table(autoload_with=bind)) is answered the same
    // way (ScriptReflection).
    static const QRegularExpression inspection(QStringLiteral("\\b(inspect|Inspector|reflect|autoload_with|autoload)\\b"));
    source.replace(inspection, QStringLiteral("_"));
    if (onlineOnlyReason(source, m_versionTable))
        return false;
    return m_bodies.runsLive(step);
}

QVector<StepRoute> HandoffRouter::route(const MigrationPlan &plan)
{
    m_bodies.preload(plan.steps);
    QVector<StepRoute> out;
    out.reserve(plan.steps.size());
    for (const MigrationStep &step : plan.steps) {
        out << routeStep(step);
        if (m_onFirstNeedsPython && out.constLast().needsPython())
            std::exchange(m_onFirstNeedsPython, nullptr)();
    }
    return out;
}

StepRoute HandoffRouter::routeStep(const MigrationStep &step)
{
    StepRoute r;
    if (step.kind == MigrationStep::Stamp)
        return r;
    // An unchanged script's statements from an earlier --sql run (ScriptCache).
    if (auto cached = m_bodies.cachedBody(step, m_dialect)) {
        r.body = std::move(*cached);
        return r;
    }
    if (auto program = m_bodies.interpretable(step.revision); !program) {
        // Python may read what the native reader cannot (or say why not, as Alembic would).
        r.why = NeedsPython{QStringLiteral("the native reader stops at: ") + program.error().message,
                            program.error().line};
    } else if (const auto why = m_bodies.needsPython(step); why && !runsLive(step)) {
        r.why = *why;
    } else {
        // Render now: an argument or construct the renderer does not support is found
        // before anything runs, and the step goes to Python instead.
        // Online SQLite batch move-and-copy reads the live table: the provider defers it
        // (rendered when the run reaches it), and so does the route.
        auto rendered = m_bodies.body(step, m_dialect);
        if (rendered && rendered->hasDeferred()) {
            r.kind = StepRoute::Deferred;
            return r;
        }
        if (rendered) {
            r.body = *rendered;
            return r;
        }
        // --sql and a batch operation that must reflect the table: Alembic refuses it with
        // the same words, so the step stays native and fails there (online it reads the
        // live table and runs natively). Deferred: rendered again when written, so the
        // error stops the script there (Native with no statements wrote an empty step).
        if (m_offline && rendered.error().message.contains(QLatin1String("cannot proceed in --sql mode"))) {
            r.kind = StepRoute::Deferred;
            return r;
        }
        // "revision ab12 (versions/x.py:7): unsupported ..." -> the reason alone.
        QString reason = rendered.error().message;
        if (const int at = reason.indexOf(QLatin1String("): ")); reason.startsWith(QLatin1String("revision ")) && at > 0)
            reason = reason.mid(at + 3);
        r.why = NeedsPython{reason, rendered.error().line};
    }
    r.kind = StepRoute::Render;
    const QString path = m_bodies.scriptPath(step);
    auto cached = m_onlineReasons.constFind(path);
    if (cached == m_onlineReasons.constEnd()) {
        QFile f(path);
        const QString source = f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
        cached = m_onlineReasons.insert(path, onlineOnlyReason(source, m_versionTable));
    }
    if (*cached) {
        // --sql renders it all the same; the reason says where an online run would put it.
        r.kind = m_offline ? StepRoute::Render : StepRoute::Online;
        r.onlineReason = **cached;
    }
    return r;
}

} // namespace retort
