#pragma once
// One Python process for a whole run: the project's own interpreter runs
// resources/python/retort_worker.py (embedded as :/retort/python/retort_worker.py), which
// loads the project's Config and scripts once and then, per request, runs env.py either
// offline — rendering the SQL of exactly the given steps, each captured separately, for
// Retort to run in its own transaction or splice into --sql — or online, running the
// given steps with Alembic's own transactions and version-table updates.
// Requests are JSON lines on stdin, answers JSON lines on stdout; Python's stderr (env.py's
// logging, prints) is passed line by line to the caller's sink while a request runs.

#include "result.h"
#include "runtime/stepbody.h"
#include "revision/migrationstep.h"

#include <QHash>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QVector>
#include <functional>
#include <optional>
#include <memory>

class QTemporaryDir;

namespace retort {

class Project;
class RevisionGraph;

// An exception raised in Python: where (the innermost frame in the project) and what.
struct PythonError
{
    QString type;
    QString message;
    QString file;
    int line = 0;
    QString traceback;

    QString summary() const;   // "KeyError: 'x' (versions/ab_x.py:12)"
};

struct RenderedStep
{
    bool ok = false;
    QStringList statements;   // as Alembic wrote them: "CREATE TABLE ...;" (terminator kept)
    // The statements (terminator dropped) and the step's print() output, in order.
    StepBody body;
    PythonError error;
};

class PythonWorker
{
public:
    using LineSink = std::function<void(const QString &)>;

    // url: Retort's --url / the studio's connection (empty: env.py's own); x: -x key=value.
    PythonWorker(QString interpreter, QString iniPath, QString section, QString url = {},
                 QStringList xArguments = {});
    // For a project: its ini, section and -x arguments, and its own interpreter
    // (PythonInterpreterLocator); not started.
    static Result<std::unique_ptr<PythonWorker>> forProject(Project &project, const QString &url);
    ~PythonWorker();
    PythonWorker(const PythonWorker &) = delete;
    PythonWorker &operator=(const PythonWorker &) = delete;

    // The project's revisions as Retort read them (map order): the worker builds Alembic's
    // revision map from them instead of importing every script, and imports a script only
    // when it is used (load(), or a request's step). Set before spawn(); none: Alembic's
    // own loading (every script imported at start).
    void setRevisionIndex(const RevisionGraph &graph);
    // Starts the process without waiting for it: it imports Alembic while Retort goes on
    // (start() then waits for its greeting). Errors here are writing the helper files.
    VoidResult spawn();
    // Starts the process (unless spawned) and loads the project; the answer is Alembic's
    // version.
    Result<QString> start();
    // Imports these revisions' scripts now (the steps this worker will serve): one that
    // cannot be imported fails here ("Python could not load the project: ..."), before
    // anything runs.
    VoidResult load(const QStringList &revisions);
    // load() and render() asked for ahead, without waiting (also before start()): the
    // worker serves them as soon as it has started, while Retort goes on; the call of
    // load()/render() with the same arguments then takes their answer. The worker renders
    // nothing once a load failed.
    void queueLoad(const QStringList &revisions);
    void queueRender(const QVector<MigrationStep> &steps, bool literalBinds);
    // No request follows: the worker is told to quit now and exits while Retort goes on
    // (the destructor then finds it gone instead of waiting for it).
    void finish();
    bool isFinishing() const { return m_finishing; }
    // multidb template: requests run (or render) their steps for this engine only
    // (env.py's run_migrations(engine_name=...)); other engines get no steps.
    void setEngine(const QString &engine) { m_engine = engine; }
    bool isRunning() const;
    QString interpreter() const { return m_python; }
    // forProject: the virtualenv interpreters the locator found but skipped (no alembic).
    QStringList skippedInterpreters() const { return m_skipped; }

    // env.py offline; one result per step, in order. literalBinds: values inline (the
    // SQL is to be run, not printed). An Error only when the worker itself broke.
    Result<QVector<RenderedStep>> render(const QVector<MigrationStep> &steps, bool literalBinds,
                                         const LineSink &stderrSink);
    // env.py online for exactly these steps. The Error names the Python exception and the
    // script file/line it came from.
    // progress(i): steps[i] starts. replay[i], when set: Retort's statements for steps[i],
    // executed on Alembic's connection instead of the script's function (Alembic still
    // updates the version table and keeps the transactions), so that one Alembic run
    // holds native steps and steps that must run in Alembic in one transaction.
    // expectHeads[i], when set: what the version table must hold once steps[i] ran, else
    // the run stops there (inside Alembic's transaction).
    VoidResult run(const QVector<MigrationStep> &steps, const LineSink &stderrSink,
                   const std::function<void(int)> &progress = {},
                   const QVector<std::optional<QStringList>> &replay = {},
                   const QVector<std::optional<QStringList>> &expectHeads = {});

    // The bridge (resources/python/retort_bridge.py): a statement the worker sends while a
    // request runs is answered by this (SqlBridge::answer on Retort's connection).
    // The request is {"sql": text} or a transaction switch {"sql": null, "autocommit": bool}.
    using SqlHandler = std::function<QJsonObject(const QJsonObject &request)>;
    // Sets up the bridge for Retort's connection (url: its dialect and driver); the dialect
    // initialises through `sql`. An Error when it cannot (driver missing or unknown ...).
    VoidResult startBridge(const QString &url, const SqlHandler &sql, const LineSink &stderrSink);
    // env.py online for one step, on the bridge: its function runs in Alembic, every
    // statement through `sql`; Alembic neither updates the version table nor commits.
    // more: another bridged step of this run follows (no request for Alembic's own
    // connection between): env.py, run once, waits for it in its run_migrations() call
    // instead of finishing (and so running again for the next step).
    VoidResult runBridged(const MigrationStep &step, const QString &url, const SqlHandler &sql,
                          const LineSink &stderrSink, bool more = false);

    // The folder the worker's helpers run from: under $XDG_CACHE_HOME/retort/python, named
    // by their content and written once, so that Python's compiled bytecode of them
    // (__pycache__) serves every run. Empty when it cannot be written. Writing a new one
    // removes the folders no run has used for kHelperFolderDays.
    static QString helperDirectory();
    static constexpr int kHelperFolderDays = 30;

    // A request's statement without the trailing ";" Alembic added, to execute it.
    static QString withoutTerminator(const QString &statement);

private:
    static void pruneHelperDirectories(const QString &parent, const QString &keep);
    Result<QJsonObject> request(const QJsonObject &req, const LineSink &stderrSink,
                                const std::function<void(int)> &progress = {}, const SqlHandler &sql = {});
    Result<int> post(const QJsonObject &req);
    Result<QJsonObject> answer(int ticket, const LineSink &stderrSink,
                               const std::function<void(int)> &progress = {}, const SqlHandler &sql = {});
    Result<QJsonObject> readAnswer(bool greeting, const LineSink &stderrSink,
                                   const std::function<void(int)> &progress, const SqlHandler &sql);
    void queue(const QJsonObject &req);
    Result<QJsonObject> queuedOrNow(const QJsonObject &req, const LineSink &stderrSink);
    static QJsonObject loadRequest(const QStringList &revisions);
    QJsonObject renderRequest(const QVector<MigrationStep> &steps, bool literalBinds) const;
    bool answerSql(const SqlHandler &sql);
    void drainStderr(const LineSink &sink, bool flush);
    static PythonError errorFrom(const QJsonObject &o);
    static VoidResult outcome(const Result<QJsonObject> &answer, const QString &prefix = {}, bool located = true);

    QString m_python;
    QString m_ini;
    QString m_section;
    QString m_url;
    QStringList m_x;
    QString m_engine;
    QStringList m_skipped;
    QByteArray m_index;   // revisions.json for --index (empty: none)
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_proc;
    QByteArray m_out;
    QByteArray m_err;
    int m_posted = 0;     // requests written (the greeting is answer 0)
    int m_answered = 0;   // answers read
    QHash<int, QJsonObject> m_ahead;   // answers read before their request's caller asked
    QHash<QByteArray, int> m_queued;   // queue(): request -> its answer's number
    bool m_finishing = false;
};

} // namespace retort
