#include "modelloader.h"

#include "modelcache.h"
#include "config/resourcelocator.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>

namespace retort {

namespace {

Error failureError(const QJsonObject &root, ModelLoadFailure *failure)
{
    const QJsonObject e = root.value(QStringLiteral("error")).toObject();
    ModelLoadFailure f;
    f.kind = e.value(QStringLiteral("kind")).toString();
    f.message = e.value(QStringLiteral("message")).toString();
    f.diagnosis = e.value(QStringLiteral("diagnosis")).toString();
    f.traceback = e.value(QStringLiteral("traceback")).toString();
    f.file = e.value(QStringLiteral("file")).toString();
    f.line = e.value(QStringLiteral("line")).toInt();
    if (failure)
        *failure = f;
    QString msg = f.message;
    if (f.kind == QLatin1String("filter-error") && !f.traceback.isEmpty())
        msg += QLatin1Char('\n') + f.traceback.trimmed();   // where in the callable it broke
    if (!f.diagnosis.isEmpty())
        msg += QLatin1Char('\n') + f.diagnosis;
    return Error(msg, f.file, f.line);
}

Result<QJsonObject> jsonRoot(const QByteArray &json, const QString &source)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject())
        return Error(QStringLiteral("the metadata helper printed no JSON (%1)").arg(pe.errorString()), source);
    return doc.object();
}


// One line of the helper's stdout (a compact JSON document); what is read past it stays
// in buffer. Empty when the helper exited or the deadline passed without one.
QByteArray readLine(QProcess &proc, QByteArray &buffer, QDeadlineTimer deadline)
{
    while (!buffer.contains('\n') && proc.state() != QProcess::NotRunning && !deadline.hasExpired()) {
        proc.waitForReadyRead(int(qMin<qint64>(deadline.remainingTime(), 1000)));
        buffer += proc.readAllStandardOutput();
    }
    buffer += proc.readAllStandardOutput();
    const int nl = buffer.indexOf('\n');
    if (nl < 0)
        return {};
    const QByteArray line = buffer.left(nl);
    buffer.remove(0, nl + 1);
    return line;
}

} // namespace

QStringList LoadedModels::unappliedCallables() const
{
    QStringList out;
    for (const QString &c : configureCallables)
        if (!filtersApplied || (c != QLatin1String("include_name") && c != QLatin1String("include_object")))
            out << c;
    return out;
}

bool LoadedModels::configureFlag(const QString &name, bool defaultValue) const
{
    const QJsonValue v = configureOptions.value(name);
    return v.isBool() ? v.toBool() : defaultValue;
}

QString LoadedModels::discoverySummary() const
{
    QStringList parts;
    for (const DiscoveredModule &m : modules)
        parts << QStringLiteral("%1 (%2)").arg(m.module, m.tables.join(QStringLiteral(", ")));
    return QStringLiteral("Discovered %1 table%2 in %3")
        .arg(tableCount)
        .arg(tableCount == 1 ? QString() : QStringLiteral("s"))
        .arg(parts.isEmpty() ? QStringLiteral("no module") : parts.join(QStringLiteral(", ")));
}

// The embedded helpers, side by side in dir (retort_metadata.py imports retort_filters.py).
VoidResult ModelLoader::writeHelpers(const QString &dir)
{
    const QDir res(ResourceLocator::path(QStringLiteral("python")));
    const QStringList files = res.entryList(QDir::Files);
    if (!files.contains(QStringLiteral("retort_metadata.py")))
        return Error(QStringLiteral("the embedded metadata helper is missing"));
    for (const QString &name : files) {
        QFile in(res.filePath(name));
        QFile out(QDir(dir).filePath(name));
        if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly)
            || out.write(in.readAll()) != in.size())
            return Error(QStringLiteral("cannot write %1").arg(out.fileName()));
    }
    return {};
}

QByteArray ModelLoader::helperSource()
{
    QFile f(ResourceLocator::path(QStringLiteral("python/retort_metadata.py")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

Result<LoadedModels> ModelLoader::parse(const QByteArray &json, const QString &source,
                                        ModelLoadFailure *failure)
{
    auto parsed = jsonRoot(json, source);
    if (!parsed)
        return parsed.error();
    const QJsonObject &root = *parsed;
    if (!root.value(QStringLiteral("ok")).toBool())
        return failureError(root, failure);
    auto schema = SchemaModel::fromJsonObject(root.value(QStringLiteral("schema")).toObject(), source);
    if (!schema)
        return schema.error();
    auto hints = ModelRenderHints::fromJsonObject(root.value(QStringLiteral("render")).toObject());
    if (!hints)
        return hints.error();
    LoadedModels out;
    out.schema = std::move(*schema);
    out.hints = std::move(*hints);
    const QJsonObject d = root.value(QStringLiteral("discovery")).toObject();
    out.tableCount = d.value(QStringLiteral("table_count")).toInt();
    for (const QJsonValue &mv : d.value(QStringLiteral("modules")).toArray()) {
        DiscoveredModule m;
        m.module = mv.toObject().value(QStringLiteral("module")).toString();
        for (const QJsonValue &t : mv.toObject().value(QStringLiteral("tables")).toArray())
            m.tables << t.toString();
        out.modules.append(m);
    }
    for (const QJsonValue &p : d.value(QStringLiteral("sys_path_added")).toArray())
        out.sysPathAdded << p.toString();
    for (const QJsonValue &v : d.value(QStringLiteral("dependencies")).toArray()) {
        const QJsonArray dep = v.toArray();
        out.dependencies.append({dep.at(0).toString(), qint64(dep.at(1).toDouble()),
                                 qint64(dep.at(2).toDouble())});
    }
    out.configureOptions = root.value(QStringLiteral("configure_options")).toObject();
    for (const QJsonValue &c : root.value(QStringLiteral("configure_callables")).toArray())
        out.configureCallables << c.toString();
    return out;
}

VoidResult ModelLoader::parseFilters(const QByteArray &json, LoadedModels &models,
                                     const QString &source, ModelLoadFailure *failure)
{
    auto parsed = jsonRoot(json, source);
    if (!parsed)
        return parsed.error();
    if (!parsed->value(QStringLiteral("ok")).toBool())
        return failureError(*parsed, failure);
    if (!parsed->value(QStringLiteral("filters")).isObject())
        return Error(QStringLiteral("the metadata helper's filter answer has no filters"), source);
    auto filters = ModelFilters::fromJsonObject(parsed->value(QStringLiteral("filters")).toObject());
    if (!filters)
        return Error(filters.error().message, source);
    models.filters = std::move(*filters);
    models.filtersApplied = true;
    return {};
}

namespace {

Error helperFailed(QProcess &proc, const QString &err)
{
    if (proc.state() != QProcess::NotRunning) {
        proc.kill();
        proc.waitForFinished();
    }
    return Error(QStringLiteral("the metadata helper failed (exit code %1): %2")
                     .arg(proc.exitCode()).arg(err.trimmed()));
}

Error timedOut(QProcess &proc, int timeoutMs)
{
    proc.kill();
    proc.waitForFinished();
    return Error(QStringLiteral("loading the models timed out after %1 s (env.py or a model "
                                "module may be waiting for something)").arg(timeoutMs / 1000));
}

// The stdin protocol: first answer, then (if env.py has filters) the database snapshot's
// path and the filter answer.
Result<LoadedModels> converse(QProcess &proc, const ModelLoadOptions &options, const QString &tmpDir,
                              ModelLoadFailure *failure, const ModelLoader::DatabaseProvider &database,
                              QByteArray *answer)
{
    QByteArray buffer;
    const QByteArray first = readLine(proc, buffer, QDeadlineTimer(options.timeoutMs));
    if (first.isEmpty()) {
        if (proc.state() != QProcess::NotRunning)
            return timedOut(proc, options.timeoutMs);
        return helperFailed(proc, QString::fromUtf8(proc.readAllStandardError()));
    }
    *answer = first;
    auto loaded = ModelLoader::parse(first, options.configFile, failure);
    const bool pending = loaded && QJsonDocument::fromJson(first).object()
                                       .value(QStringLiteral("filters_pending")).toBool();
    if (!pending) {
        proc.closeWriteChannel();
        return loaded;
    }
    auto db = database(*loaded);
    if (!db) {
        proc.closeWriteChannel();   // the helper stops on end of input
        return db.error();
    }
    const QString snapshot = QDir(tmpDir).filePath(QStringLiteral("database.schema.json"));
    if (auto w = db->toJsonFile(snapshot); !w) {
        proc.closeWriteChannel();
        return w.error();
    }
    proc.write(QFile::encodeName(snapshot) + '\n');
    proc.closeWriteChannel();
    const QByteArray second = readLine(proc, buffer, QDeadlineTimer(options.timeoutMs));
    if (second.isEmpty()) {
        if (proc.state() != QProcess::NotRunning)
            return timedOut(proc, options.timeoutMs);
        return helperFailed(proc, QString::fromUtf8(proc.readAllStandardError()));
    }
    if (auto f = ModelLoader::parseFilters(second, *loaded, options.configFile, failure); !f)
        return f.error();
    return loaded;
}

} // namespace

namespace {

// One run of the helper; *answer gets its (first) JSON document.
Result<LoadedModels> runHelper(const ModelLoadOptions &options, ModelLoadFailure *failure,
                               const ModelLoader::DatabaseProvider &database, QByteArray *answer)
{
    QTemporaryDir tmp;
    if (!tmp.isValid())
        return Error(QStringLiteral("cannot create a temporary directory for the metadata helper"));
    QString script = options.helperScript;
    if (script.isEmpty()) {
        // The interpreter needs real files; the resources are copied out for the run.
        auto written = ModelLoader::writeHelpers(tmp.path());
        if (!written)
            return written.error();
        script = QDir(tmp.path()).filePath(QStringLiteral("retort_metadata.py"));
    }
    QStringList args{script, QStringLiteral("--config"), options.configFile,
                     QStringLiteral("--name"), options.iniSection};
    for (const QString &x : options.xArguments)
        args << QStringLiteral("-x") << x;
    if (!options.dialect.isEmpty())
        args << QStringLiteral("--dialect") << options.dialect;
    if (database)
        args << QStringLiteral("--database-on-stdin");

    QProcess proc;
    proc.setProgram(options.python);
    proc.setArguments(args);
    if (!options.workingDirectory.isEmpty())
        proc.setWorkingDirectory(options.workingDirectory);
    // No .pyc files in the user's project from our runs.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    proc.setProcessEnvironment(env);
    proc.start();
    if (!proc.waitForStarted())
        return Error(QStringLiteral("cannot run the Python interpreter '%1': %2")
                         .arg(options.python, proc.errorString()));
    if (database) {
        auto loaded = converse(proc, options, tmp.path(), failure, database, answer);
        proc.waitForFinished(options.timeoutMs);
        if (loaded)
            loaded->stderrText = QString::fromUtf8(proc.readAllStandardError());
        return loaded;
    }
    proc.closeWriteChannel();
    if (!proc.waitForFinished(options.timeoutMs))
        return timedOut(proc, options.timeoutMs);
    *answer = proc.readAllStandardOutput();
    const QString err = QString::fromUtf8(proc.readAllStandardError());
    if (proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0 || answer->trimmed().isEmpty())
        return helperFailed(proc, err);
    auto loaded = ModelLoader::parse(*answer, options.configFile, failure);
    if (loaded)
        loaded->stderrText = err;
    return loaded;
}

// What identifies the helper in the cache key: its source (all embedded files).
QByteArray helperVersion(const ModelLoadOptions &options)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    if (!options.helperScript.isEmpty()) {
        QFile f(options.helperScript);
        if (f.open(QIODevice::ReadOnly))
            h.addData(f.readAll());
        return h.result();
    }
    const QDir res(ResourceLocator::path(QStringLiteral("python")));
    for (const QString &name : res.entryList(QDir::Files, QDir::Name)) {
        QFile f(res.filePath(name));
        if (f.open(QIODevice::ReadOnly))
            h.addData(f.readAll());
    }
    return h.result();
}

} // namespace

Result<LoadedModels> ModelLoader::load(const ModelLoadOptions &options, ModelLoadFailure *failure,
                                       const DatabaseProvider &database)
{
    const bool useCache = options.useCache && ModelCache::enabled();
    const ModelCache cache(options, useCache ? helperVersion(options) : QByteArray());
    if (useCache) {
        if (auto hit = cache.lookup()) {
            auto loaded = parse(hit->answer, options.configFile);
            if (loaded && ModelCache::cacheable(*loaded)) {
                loaded->stderrText = hit->stderrText;
                loaded->fromCache = true;
                loaded->cachedFileCount = hit->fileCount;
                return loaded;
            }
        }
    }
    QByteArray answer;
    auto loaded = runHelper(options, failure, database, &answer);
    // A failed run is never stored: the next run must show the error again.
    if (useCache && loaded && ModelCache::cacheable(*loaded)) {
        const VoidResult stored = cache.store(answer, *loaded);
        Q_UNUSED(stored);   // best effort: an unwritable cache dir only costs speed
    }
    return loaded;
}

} // namespace retort
