#include "pythonworker.h"

#include "autogenerate/modelloader.h"
#include "config/resourcelocator.h"
#include "services/project.h"
#include "services/pythoninterpreterlocator.h"
#include "revision/revisiongraph.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace retort {

namespace {

const QString kScript = QStringLiteral("retort_worker.py");
// Runs the worker as an imported module, not as a script (`python3 retort_worker.py`
// compiles it on every start; a module's bytecode is kept in __pycache__), with sys.argv
// and sys.path[0] as running the script would set them (the script's folder in place of
// -c's "", unless PYTHONSAFEPATH leaves both out). The helpers' bytecode is written
// into Retort's own folder (helperDirectory()) even under PYTHONDONTWRITEBYTECODE: nothing
// is written into the project.
const QString kLauncher = QStringLiteral(
    "import sys, importlib.util as u\n"
    "p = sys.argv[0] = sys.argv.pop(1)\n"
    "if not getattr(sys.flags, 'safe_path', False): sys.path[0] = p.rpartition('/')[0]\n"
    "w, sys.dont_write_bytecode = sys.dont_write_bytecode, False\n"
    "s = u.spec_from_file_location('retort_worker', p)\n"
    "m = u.module_from_spec(s)\n"
    "s.loader.exec_module(m)\n"
    "sys.dont_write_bytecode = w\n"
    "m.main()\n");
// Loading a big project (its models, SQLAlchemy, Alembic) can take a while.
constexpr int kStartTimeoutMs = 120000;

QJsonArray stepSpecs(const QVector<MigrationStep> &steps, const QVector<std::optional<QStringList>> &replay = {},
                     const QVector<std::optional<QStringList>> &expectHeads = {})
{
    QJsonArray out;
    for (int i = 0; i < steps.size(); ++i) {
        const MigrationStep &s = steps.at(i);
        QJsonObject spec{{QStringLiteral("rev"), s.revision}, {QStringLiteral("up"), s.isUpgrade()}};
        if (i < replay.size() && replay.at(i))
            spec.insert(QStringLiteral("statements"), QJsonArray::fromStringList(*replay.at(i)));
        if (i < expectHeads.size() && expectHeads.at(i))
            spec.insert(QStringLiteral("expect_heads"), QJsonArray::fromStringList(*expectHeads.at(i)));
        out.append(spec);
    }
    return out;
}

} // namespace

QString PythonError::summary() const
{
    QString text = type.isEmpty() ? message : type + QStringLiteral(": ") + message;
    if (!file.isEmpty()) {
        const QFileInfo fi(file);
        text += QStringLiteral(" (%1/%2:%3)").arg(fi.dir().dirName(), fi.fileName()).arg(line);
    }
    return text;
}

PythonWorker::PythonWorker(QString interpreter, QString iniPath, QString section, QString url,
                           QStringList xArguments)
    : m_python(std::move(interpreter)), m_ini(std::move(iniPath)), m_section(std::move(section)),
      m_url(std::move(url)), m_x(std::move(xArguments))
{
}

Result<std::unique_ptr<PythonWorker>> PythonWorker::forProject(Project &project, const QString &url)
{
    auto cfg = project.config();
    if (!cfg)
        return cfg.error();
    const QString configured = (*cfg)->mainOption(QStringLiteral("retort_python")).value().value_or(QString());
    const PythonInterpreter python =
        PythonInterpreterLocator::locate(configured, QFileInfo((*cfg)->configFileName()).absolutePath());
    auto worker = std::make_unique<PythonWorker>(python.path, (*cfg)->configFileName(), (*cfg)->iniSection(), url,
                                                 (*cfg)->xArguments());
    worker->m_skipped = python.rejected;
    return worker;
}

PythonWorker::~PythonWorker()
{
    if (!isRunning())
        return;
    finish();
    // The worker exits at once on quit (nothing is left open by then).
    if (!m_proc->waitForFinished(5000)) {
        m_proc->kill();
        m_proc->waitForFinished(5000);
    }
}

bool PythonWorker::isRunning() const
{
    // Starting too: spawned, its start not yet waited for.
    return m_proc && m_proc->state() != QProcess::NotRunning;
}

void PythonWorker::finish()
{
    if (!m_proc || m_proc->state() == QProcess::NotRunning || m_finishing)
        return;
    m_finishing = true;
    m_proc->write("{\"cmd\": \"quit\"}\n");
    m_proc->closeWriteChannel();
    // Sent now, not when Retort next waits on the process.
    (void)m_proc->waitForBytesWritten(0);
}

QString PythonWorker::withoutTerminator(const QString &statement)
{
    return statement.endsWith(QLatin1Char(';')) ? statement.chopped(1) : statement;
}

PythonError PythonWorker::errorFrom(const QJsonObject &o)
{
    PythonError e;
    e.type = o.value(QStringLiteral("type")).toString();
    e.message = o.value(QStringLiteral("message")).toString();
    e.file = o.value(QStringLiteral("file")).toString();
    e.line = o.value(QStringLiteral("line")).toInt();
    e.traceback = o.value(QStringLiteral("traceback")).toString();
    return e;
}

void PythonWorker::setRevisionIndex(const RevisionGraph &graph)
{
    QJsonArray entries;
    for (const RevisionNode *node : graph.nodes()) {
        const Revision &r = node->revision();
        if (r.path.isEmpty()) {
            m_index.clear();   // a revision without a script: Alembic's own loading
            return;
        }
        entries.append(QJsonObject{{QStringLiteral("rev"), r.id},
                                   {QStringLiteral("down"), QJsonArray::fromStringList(r.downRevisions)},
                                   {QStringLiteral("labels"), QJsonArray::fromStringList(r.branchLabels)},
                                   {QStringLiteral("deps"), QJsonArray::fromStringList(r.dependsOn)},
                                   {QStringLiteral("path"), r.path},
                                   {QStringLiteral("doc"), r.longDoc}});
    }
    m_index = QJsonDocument(entries).toJson(QJsonDocument::Compact);
}

QString PythonWorker::helperDirectory()
{
    const QDir res(ResourceLocator::path(QStringLiteral("python")));
    QCryptographicHash hash(QCryptographicHash::Sha1);
    QHash<QString, QByteArray> helpers;
    for (const QString &name : res.entryList(QDir::Files, QDir::Name)) {
        QFile f(res.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        const QByteArray text = f.readAll();
        hash.addData(name.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
        hash.addData(text);
        helpers.insert(name, text);
    }
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation);
    if (base.isEmpty())
        return {};
    const QString parent = base + QStringLiteral("/retort/python");
    const QString dir = parent + QLatin1Char('/') + QString::fromLatin1(hash.result().toHex().left(16));
    // Used only while every file still holds what this build carries (an edited or
    // damaged copy is passed over: the run writes its own).
    auto intact = [&] {
        for (auto it = helpers.cbegin(); it != helpers.cend(); ++it) {
            QFile f(dir + QLatin1Char('/') + it.key());
            if (!f.open(QIODevice::ReadOnly) || f.size() != it.value().size() || f.readAll() != it.value())
                return false;
        }
        return true;
    };
    // A run marks the folder it uses, so that folders of builds no longer run can go.
    auto markUsed = [&] {
        QFile used(dir + QStringLiteral("/.used"));
        (void)used.open(QIODevice::WriteOnly | QIODevice::Truncate);
    };
    if (QFileInfo::exists(dir)) {
        if (!intact())
            return {};
        markUsed();
        return dir;
    }
    // Written whole under another name, then renamed: a folder of that name is complete,
    // also when two runs write it at once.
    if (!QDir().mkpath(parent))
        return {};
    QTemporaryDir staging(parent + QStringLiteral("/.new-XXXXXX"));
    if (!staging.isValid() || !ModelLoader::writeHelpers(staging.path()))
        return {};
    if (QDir().rename(staging.path(), dir))
        staging.setAutoRemove(false);
    if (!intact())
        return {};
    markUsed();
    pruneHelperDirectories(parent, dir);
    return dir;
}

// A new build's helpers came in: the folders of builds not run for a month are removed (one
// that old has no worker running from it; a younger one may, from another installed build).
void PythonWorker::pruneHelperDirectories(const QString &parent, const QString &keep)
{
    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addDays(-kHelperFolderDays);
    const QDir p(parent);
    for (const QFileInfo &sub : p.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden)) {
        if (sub.absoluteFilePath() == QFileInfo(keep).absoluteFilePath())
            continue;
        const QFileInfo used(sub.absoluteFilePath() + QStringLiteral("/.used"));
        const QDateTime last = used.exists() ? used.lastModified() : sub.lastModified();
        if (last.toUTC() < cutoff)
            (void)QDir(sub.absoluteFilePath()).removeRecursively();
    }
}

VoidResult PythonWorker::spawn()
{
    if (m_proc)
        return {};
    // The worker imports retort_envpy.py (Flask apps) from beside itself: all helpers, in
    // the folder that keeps their bytecode, else in this run's own.
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid())
        return Error(QStringLiteral("cannot write the Python worker into %1").arg(m_dir->path()));
    QString helpers = helperDirectory();
    if (helpers.isEmpty()) {
        helpers = m_dir->path();
        if (!ModelLoader::writeHelpers(helpers))
            return Error(QStringLiteral("cannot write the Python worker into %1").arg(helpers));
    }
    const QString script = QDir(helpers).filePath(kScript);
    const QString index = m_dir->filePath(QStringLiteral("revisions.json"));
    if (!m_index.isEmpty()) {
        QFile f(index);
        if (!f.open(QIODevice::WriteOnly) || f.write(m_index) != m_index.size())
            return Error(QStringLiteral("cannot write %1").arg(index));
    }

    m_proc = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // env.py may read the URL from here; keep Retort's override in effect for it.
    if (!m_url.isEmpty())
        env.insert(QStringLiteral("RETORT_DATABASE_URL"), m_url);
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    m_proc->setProcessEnvironment(env);
    QStringList args{QStringLiteral("-c"), kLauncher, script, QStringLiteral("--config"), m_ini,
                     QStringLiteral("--name"), m_section};
    if (!m_url.isEmpty())
        args << QStringLiteral("--url") << m_url;
    for (const QString &x : m_x)
        args << QStringLiteral("-x") << x;
    if (!m_index.isEmpty())
        args << QStringLiteral("--index") << index;
    m_proc->start(m_python, args);
    return {};
}

Result<QString> PythonWorker::start()
{
    if (VoidResult spawned = spawn(); !spawned)
        return spawned.error();
    if (!m_proc->waitForStarted(30000))
        return Error(QStringLiteral("Could not start %1: %2").arg(m_python, m_proc->errorString()));
    // The greeting: the first answer, before those of any request queued meanwhile.
    auto hello = answer(0, [](const QString &) {});
    if (!hello)
        return hello.error();
    if (!hello->value(QStringLiteral("ok")).toBool()) {
        const PythonError e = errorFrom(hello->value(QStringLiteral("error")).toObject());
        return Error(QStringLiteral("Python could not load the project: %1").arg(e.summary()), e.file, e.line);
    }
    return hello->value(QStringLiteral("alembic")).toString();
}

void PythonWorker::drainStderr(const LineSink &sink, bool flush)
{
    m_err += m_proc->readAllStandardError();
    int nl;
    while ((nl = m_err.indexOf('\n')) >= 0) {
        sink(QString::fromUtf8(m_err.left(nl)));
        m_err.remove(0, nl + 1);
    }
    if (flush && !m_err.isEmpty()) {
        sink(QString::fromUtf8(m_err));
        m_err.clear();
    }
}

Result<QJsonObject> PythonWorker::request(const QJsonObject &req, const LineSink &stderrSink,
                                          const std::function<void(int)> &progress, const SqlHandler &sql)
{
    auto ticket = post(req);
    if (!ticket)
        return ticket.error();
    return answer(*ticket, stderrSink, progress, sql);
}

// Written now, answered later (answer()): the worker serves requests in order, so those
// queued while it starts run straight after its greeting.
Result<int> PythonWorker::post(const QJsonObject &req)
{
    if (!m_proc)
        return Error(QStringLiteral("the Python worker is not running"));
    if (m_proc->state() == QProcess::NotRunning || m_finishing)
        return Error(QStringLiteral("the Python worker (%1) has exited").arg(m_python));
    m_proc->write(QJsonDocument(req).toJson(QJsonDocument::Compact) + '\n');
    (void)m_proc->waitForBytesWritten(0);
    return ++m_posted;
}

// The answer to request `ticket` (0: the greeting). Answers come in the order of the
// requests: those of earlier requests nobody waited for yet are kept for their own call.
Result<QJsonObject> PythonWorker::answer(int ticket, const LineSink &stderrSink,
                                         const std::function<void(int)> &progress, const SqlHandler &sql)
{
    while (m_answered <= ticket) {
        auto line = readAnswer(m_answered == 0, stderrSink, m_answered == ticket ? progress : nullptr,
                               sql);
        if (!line)
            return line.error();
        m_ahead.insert(m_answered++, *line);
    }
    if (!m_ahead.contains(ticket))
        return Error(QStringLiteral("the Python worker's answer %1 was taken already").arg(ticket));
    return m_ahead.take(ticket);
}

// Reads the next answer line. Python steps may run for hours: no deadline once started
// (greeting: the start-up's), but a dead process ends the wait.
Result<QJsonObject> PythonWorker::readAnswer(bool greetingLine, const LineSink &stderrSink,
                                             const std::function<void(int)> &progress, const SqlHandler &sql)
{
    const QDeadlineTimer greeting(greetingLine ? kStartTimeoutMs : -1);
    for (;;) {
        // Statements of a bridged step, before the answer.
        while (sql && m_out.startsWith("{\"sql\"") && m_out.contains('\n')) {
            drainStderr(stderrSink, false);
            if (!answerSql(sql))
                break;
        }
        // Progress lines come before the answer.
        while (m_out.startsWith("{\"progress\"")) {
            const int nl = m_out.indexOf('\n');
            if (nl < 0)
                break;
            const QJsonObject p = QJsonDocument::fromJson(m_out.left(nl)).object();
            m_out.remove(0, nl + 1);
            drainStderr(stderrSink, false);
            if (progress)
                progress(p.value(QStringLiteral("progress")).toInt());
        }
        const bool pending = m_out.startsWith("{\"progress\"") || (sql && m_out.startsWith("{\"sql\""));
        if (m_out.contains('\n') && !pending)
            break;
        if (m_proc->state() == QProcess::NotRunning || greeting.hasExpired())
            break;
        m_proc->waitForReadyRead(100);
        m_out += m_proc->readAllStandardOutput();
        // A progress line read now comes before the stderr lines read with it (the worker
        // announces a step before Alembic logs it): stderr waits for the next turn.
        if (!m_out.startsWith("{\"progress\"") && !m_out.startsWith("{\"sql\""))
            drainStderr(stderrSink, false);
    }
    m_out += m_proc->readAllStandardOutput();
    drainStderr(stderrSink, m_proc->state() == QProcess::NotRunning);
    const int nl = m_out.startsWith("{\"progress\"") ? -1 : int(m_out.indexOf('\n'));
    if (nl < 0) {
        const QString why = m_proc->state() == QProcess::NotRunning
            ? QStringLiteral("exited with code %1").arg(m_proc->exitCode())
            : QStringLiteral("did not answer in %1 s").arg(kStartTimeoutMs / 1000);
        m_proc->kill();
        return Error(QStringLiteral("the Python worker (%1) %2").arg(m_python, why));
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(m_out.left(nl), &pe);
    m_out.remove(0, nl + 1);
    if (!doc.isObject())
        return Error(QStringLiteral("the Python worker answered no JSON (%1)").arg(pe.errorString()));
    return doc.object();
}

// One {"sql": ...} line from the worker, answered on its stdin.
// A request's answer as a result: {"ok": true}, else Python's error after `prefix`, with
// the script's file and line when `located`.
VoidResult PythonWorker::outcome(const Result<QJsonObject> &answer, const QString &prefix, bool located)
{
    if (!answer)
        return answer.error();
    if (answer->value(QStringLiteral("ok")).toBool())
        return {};
    const PythonError e = errorFrom(answer->value(QStringLiteral("error")).toObject());
    return located ? Error(prefix + e.summary(), e.file, e.line) : Error(prefix + e.summary());
}

bool PythonWorker::answerSql(const SqlHandler &sql)
{
    const int nl = int(m_out.indexOf('\n'));
    const QJsonObject req = QJsonDocument::fromJson(m_out.left(nl)).object();
    m_out.remove(0, nl + 1);
    const QJsonObject answer = sql(req);
    return m_proc->write(QJsonDocument(answer).toJson(QJsonDocument::Compact) + '\n') > 0;
}

VoidResult PythonWorker::startBridge(const QString &url, const SqlHandler &sql, const LineSink &stderrSink)
{
    auto answer = request(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("bridge")}, {QStringLiteral("url"), url}},
                          stderrSink, {}, sql);
    return outcome(answer, {}, false);
}

VoidResult PythonWorker::runBridged(const MigrationStep &step, const QString &url, const SqlHandler &sql,
                                    const LineSink &stderrSink, bool more)
{
    auto answer = request(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("exec")},
                                      {QStringLiteral("rev"), step.revision},
                                      {QStringLiteral("up"), step.isUpgrade()},
                                      {QStringLiteral("url"), url},
                                      {QStringLiteral("engine"), m_engine},
                                      {QStringLiteral("keep"), more}},
                          stderrSink, {}, sql);
    return outcome(answer);
}

QJsonObject PythonWorker::loadRequest(const QStringList &revisions)
{
    return QJsonObject{{QStringLiteral("cmd"), QStringLiteral("load")},
                       {QStringLiteral("revs"), QJsonArray::fromStringList(revisions)}};
}

QJsonObject PythonWorker::renderRequest(const QVector<MigrationStep> &steps, bool literalBinds) const
{
    return QJsonObject{{QStringLiteral("cmd"), QStringLiteral("render")},
                       {QStringLiteral("steps"), stepSpecs(steps)},
                       {QStringLiteral("literal_binds"), literalBinds},
                       {QStringLiteral("engine"), m_engine}};
}

void PythonWorker::queue(const QJsonObject &req)
{
    const QByteArray key = QJsonDocument(req).toJson(QJsonDocument::Compact);
    if (m_queued.contains(key))
        return;
    if (auto ticket = post(req))
        m_queued.insert(key, *ticket);
}

// The answer to a request queued earlier (queue()), else to this one sent now.
Result<QJsonObject> PythonWorker::queuedOrNow(const QJsonObject &req, const LineSink &stderrSink)
{
    const auto it = m_queued.constFind(QJsonDocument(req).toJson(QJsonDocument::Compact));
    if (it == m_queued.constEnd())
        return request(req, stderrSink);
    const int ticket = *it;
    m_queued.erase(it);
    return answer(ticket, stderrSink);
}

void PythonWorker::queueLoad(const QStringList &revisions)
{
    queue(loadRequest(revisions));
}

void PythonWorker::queueRender(const QVector<MigrationStep> &steps, bool literalBinds)
{
    queue(renderRequest(steps, literalBinds));
}

VoidResult PythonWorker::load(const QStringList &revisions)
{
    auto answer = queuedOrNow(loadRequest(revisions), [](const QString &) {});
    return outcome(answer, QStringLiteral("Python could not load the project: "));
}

Result<QVector<RenderedStep>> PythonWorker::render(const QVector<MigrationStep> &steps, bool literalBinds,
                                                   const LineSink &stderrSink)
{
    auto answer = queuedOrNow(renderRequest(steps, literalBinds), stderrSink);
    if (!answer)
        return answer.error();
    if (!answer->value(QStringLiteral("ok")).toBool())
        return Error(QStringLiteral("Python could not render: %1")
                         .arg(errorFrom(answer->value(QStringLiteral("error")).toObject()).summary()));
    const QJsonArray results = answer->value(QStringLiteral("steps")).toArray();
    if (results.size() != steps.size())
        return Error(QStringLiteral("the Python worker rendered %1 of %2 steps").arg(results.size()).arg(steps.size()));
    QVector<RenderedStep> out;
    out.reserve(results.size());
    for (const QJsonValue &v : results) {
        const QJsonObject o = v.toObject();
        RenderedStep r;
        r.ok = o.value(QStringLiteral("ok")).toBool();
        for (const QJsonValue &s : o.value(QStringLiteral("statements")).toArray()) {
            if (s.isObject()) {
                StepItem printed;
                printed.kind = StepItem::Print;
                printed.text = s.toObject().value(QStringLiteral("print")).toString();
                r.body.items << printed;
                continue;
            }
            r.statements << s.toString();
            r.body.items << StepItem::sql(withoutTerminator(s.toString()));
        }
        if (!r.ok)
            r.error = errorFrom(o.value(QStringLiteral("error")).toObject());
        out << r;
    }
    return out;
}

VoidResult PythonWorker::run(const QVector<MigrationStep> &steps, const LineSink &stderrSink,
                             const std::function<void(int)> &progress,
                             const QVector<std::optional<QStringList>> &replay,
                             const QVector<std::optional<QStringList>> &expectHeads)
{
    auto answer = request(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("run")},
                                      {QStringLiteral("steps"), stepSpecs(steps, replay, expectHeads)},
                                      {QStringLiteral("engine"), m_engine}},
                          stderrSink, progress);
    return outcome(answer);
}

} // namespace retort
