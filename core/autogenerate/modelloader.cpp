#include "modelloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>

namespace retort {

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

QByteArray ModelLoader::helperSource()
{
    QFile f(QStringLiteral(":/retort/python/retort_metadata.py"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

Result<LoadedModels> ModelLoader::parse(const QByteArray &json, const QString &source,
                                        ModelLoadFailure *failure)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject())
        return Error(QStringLiteral("the metadata helper printed no JSON (%1)").arg(pe.errorString()), source);
    const QJsonObject root = doc.object();
    if (!root.value(QStringLiteral("ok")).toBool()) {
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
        if (!f.diagnosis.isEmpty())
            msg += QLatin1Char('\n') + f.diagnosis;
        return Error(msg, f.file, f.line);
    }
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
    out.configureOptions = root.value(QStringLiteral("configure_options")).toObject();
    for (const QJsonValue &c : root.value(QStringLiteral("configure_callables")).toArray())
        out.configureCallables << c.toString();
    return out;
}

Result<LoadedModels> ModelLoader::load(const ModelLoadOptions &options, ModelLoadFailure *failure)
{
    QTemporaryDir tmp;
    QString script = options.helperScript;
    if (script.isEmpty()) {
        // The interpreter needs a real file; the resource is copied out for the run.
        const QByteArray src = helperSource();
        if (src.isEmpty())
            return Error(QStringLiteral("the embedded metadata helper is missing"));
        if (!tmp.isValid())
            return Error(QStringLiteral("cannot create a temporary directory for the metadata helper"));
        script = tmp.filePath(QStringLiteral("retort_metadata.py"));
        QFile f(script);
        if (!f.open(QIODevice::WriteOnly) || f.write(src) != src.size())
            return Error(QStringLiteral("cannot write %1").arg(script));
    }
    QStringList args{script, QStringLiteral("--config"), options.configFile,
                     QStringLiteral("--name"), options.iniSection};
    for (const QString &x : options.xArguments)
        args << QStringLiteral("-x") << x;
    if (!options.dialect.isEmpty())
        args << QStringLiteral("--dialect") << options.dialect;

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
    if (!proc.waitForFinished(options.timeoutMs)) {
        proc.kill();
        proc.waitForFinished();
        return Error(QStringLiteral("loading the models timed out after %1 s (env.py or a model "
                                    "module may be waiting for something)").arg(options.timeoutMs / 1000));
    }
    const QByteArray out = proc.readAllStandardOutput();
    const QString err = QString::fromUtf8(proc.readAllStandardError());
    if (proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0 || out.trimmed().isEmpty())
        return Error(QStringLiteral("the metadata helper failed (exit code %1): %2")
                         .arg(proc.exitCode()).arg(err.trimmed()));
    auto loaded = parse(out, options.configFile, failure);
    if (loaded)
        loaded->stderrText = err;
    return loaded;
}

} // namespace retort
