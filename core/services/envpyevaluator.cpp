#include "envpyevaluator.h"

#include "autogenerate/modelcache.h"
#include "autogenerate/modelloader.h"
#include "config/resourcelocator.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

namespace retort {

namespace {

QProcessEnvironment childEnvironment(const EnvPyEvaluationOptions &options)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    if (!options.urlOverride.isEmpty())
        env.insert(QStringLiteral("RETORT_DATABASE_URL"), options.urlOverride);
    return env;
}

// The cache entry's identity beyond ModelCache's key: the helper's source, so that a new
// helper never reuses an old answer, and a marker keeping it apart from model answers.
QByteArray helperVersion()
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(QByteArrayView("retort_envpy\0", 13));
    QFile f(ResourceLocator::path(QStringLiteral("python/retort_envpy.py")));
    if (f.open(QIODevice::ReadOnly))
        h.addData(f.readAll());
    QFile m(ResourceLocator::path(QStringLiteral("python/retort_metadata.py")));   // it imports this one
    if (m.open(QIODevice::ReadOnly))
        h.addData(m.readAll());
    return h.result();
}

// The variables env.py read still hold the values they had (hashes, the answer's "environ").
bool sameEnvironment(const QJsonObject &environ, const QProcessEnvironment &env)
{
    for (auto it = environ.begin(); it != environ.end(); ++it) {
        if (!env.contains(it.key())) {
            if (!it.value().isNull())
                return false;
            continue;
        }
        const QByteArray hash = QCryptographicHash::hash(env.value(it.key()).toUtf8(),
                                                         QCryptographicHash::Sha256).toHex();
        if (it.value().toString().toLatin1() != hash)
            return false;
    }
    return true;
}

ModelLoadOptions cacheOptions(const EnvPyEvaluationOptions &options)
{
    ModelLoadOptions m;
    m.python = options.python;
    m.configFile = options.configFile;
    m.iniSection = options.iniSection;
    m.xArguments = options.xArguments;
    m.workingDirectory = options.workingDirectory;
    return m;
}

Result<QByteArray> runHelper(const EnvPyEvaluationOptions &options, QString *stderrText)
{
    QTemporaryDir tmp;
    if (!tmp.isValid())
        return Error(QStringLiteral("cannot create a temporary directory for the env.py helper"));
    if (auto w = ModelLoader::writeHelpers(tmp.path()); !w)
        return w.error();
    QStringList args{QDir(tmp.path()).filePath(QStringLiteral("retort_envpy.py")), QStringLiteral("--config"),
                     options.configFile, QStringLiteral("--name"), options.iniSection};
    for (const QString &x : options.xArguments)
        args << QStringLiteral("-x") << x;
    QProcess proc;
    proc.setProgram(options.python);
    proc.setArguments(args);
    if (!options.workingDirectory.isEmpty())
        proc.setWorkingDirectory(options.workingDirectory);
    proc.setProcessEnvironment(childEnvironment(options));
    proc.start();
    if (!proc.waitForStarted())
        return Error(QStringLiteral("cannot run the Python interpreter '%1': %2")
                         .arg(options.python, proc.errorString()));
    proc.closeWriteChannel();
    if (!proc.waitForFinished(options.timeoutMs)) {
        proc.kill();
        proc.waitForFinished();
        return Error(QStringLiteral("running env.py timed out after %1 s (env.py or a module it imports "
                                    "may be waiting for something)").arg(options.timeoutMs / 1000));
    }
    const QByteArray out = proc.readAllStandardOutput();
    *stderrText = QString::fromUtf8(proc.readAllStandardError());
    if (proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0 || out.trimmed().isEmpty())
        return Error(QStringLiteral("the env.py helper failed (exit code %1): %2")
                         .arg(proc.exitCode()).arg(stderrText->trimmed()));
    return out;
}

} // namespace

const EnvPyConfigureCall *EnvPyEvaluation::urlCall() const
{
    for (const EnvPyConfigureCall &c : calls)
        if (!c.url.isEmpty())
            return &c;
    return nullptr;
}

std::optional<QJsonValue> EnvPyEvaluation::option(const QString &keyword) const
{
    for (const EnvPyConfigureCall &c : calls)
        if (c.options.contains(keyword))
            return c.options.value(keyword);
    return std::nullopt;
}

Result<EnvPyEvaluation> EnvPyEvaluator::parse(const QByteArray &json, EnvPyEvaluationFailure *failure)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject())
        return Error(QStringLiteral("the env.py helper printed no JSON (%1)").arg(pe.errorString()));
    const QJsonObject root = doc.object();
    if (!root.value(QStringLiteral("ok")).toBool()) {
        const QJsonObject e = root.value(QStringLiteral("error")).toObject();
        EnvPyEvaluationFailure f;
        f.kind = e.value(QStringLiteral("kind")).toString();
        f.message = e.value(QStringLiteral("message")).toString();
        f.diagnosis = e.value(QStringLiteral("diagnosis")).toString();
        f.file = e.value(QStringLiteral("file")).toString();
        f.line = e.value(QStringLiteral("line")).toInt();
        if (failure)
            *failure = f;
        QString msg = f.message;
        if (!f.diagnosis.isEmpty())
            msg += QLatin1Char('\n') + f.diagnosis;
        return Error(msg, f.file, f.line);
    }
    EnvPyEvaluation out;
    out.envPyPath = root.value(QStringLiteral("env_py")).toString();
    for (const QJsonValue &v : root.value(QStringLiteral("configure")).toArray()) {
        const QJsonObject o = v.toObject();
        EnvPyConfigureCall c;
        c.line = o.value(QStringLiteral("line")).toInt();
        c.options = o.value(QStringLiteral("options")).toObject();
        for (const QJsonValue &n : o.value(QStringLiteral("callables")).toArray())
            c.callables << n.toString();
        c.url = o.value(QStringLiteral("url")).toString();
        c.urlFrom = o.value(QStringLiteral("url_from")).toString();
        c.engineName = o.value(QStringLiteral("engine_name")).toString();
        out.calls.append(c);
    }
    for (const QJsonValue &e : root.value(QStringLiteral("engines")).toArray())
        out.engines << e.toString();
    for (const QJsonValue &n : root.value(QStringLiteral("notes")).toArray())
        out.notes << n.toString();
    out.mainUrl = root.value(QStringLiteral("main_url")).toString();
    out.flaskApp = root.value(QStringLiteral("flask_app")).toString();
    return out;
}

Result<EnvPyEvaluation> EnvPyEvaluator::evaluate(const EnvPyEvaluationOptions &options,
                                                 EnvPyEvaluationFailure *failure)
{
    const bool useCache = options.useCache && ModelCache::enabled();
    const ModelCache cache(cacheOptions(options), useCache ? helperVersion() : QByteArray());
    const QProcessEnvironment env = childEnvironment(options);
    if (useCache) {
        if (auto hit = cache.lookup()) {
            const QJsonObject root = QJsonDocument::fromJson(hit->answer).object();
            if (sameEnvironment(root.value(QStringLiteral("environ")).toObject(), env)) {
                auto parsed = parse(hit->answer);
                if (parsed) {
                    parsed->python = options.python;
                    parsed->fromCache = true;
                    return parsed;
                }
            }
        }
    }
    QString stderrText;
    auto answer = runHelper(options, &stderrText);
    if (!answer)
        return answer.error();
    auto parsed = parse(*answer, failure);
    if (!parsed)
        return parsed;
    parsed->python = options.python;
    if (useCache) {
        // ModelCache stores an answer with the files it depends on.
        LoadedModels deps;
        deps.stderrText = stderrText;
        const QJsonArray list = QJsonDocument::fromJson(*answer).object()
                                    .value(QStringLiteral("dependencies")).toArray();
        for (const QJsonValue &v : list) {
            const QJsonArray d = v.toArray();
            deps.dependencies.append({d.at(0).toString(), qint64(d.at(1).toDouble()), qint64(d.at(2).toDouble())});
        }
        if (ModelCache::cacheable(deps) && cache.store(*answer, deps))
            // The answer holds the URL with its password: for the user's eyes only.
            QFile::setPermissions(cache.path(), QFile::ReadOwner | QFile::WriteOwner);
    }
    return parsed;
}

} // namespace retort
