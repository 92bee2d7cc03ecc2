#include "pythonheaderreader.h"

#include "autogenerate/modelcache.h"
#include "config/resourcelocator.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

namespace retort {

namespace {

// Bumped when the entry layout changes, so old entries are simply never found.
constexpr int kFormat = 1;

QByteArray helperSource()
{
    QFile f(ResourceLocator::path(QStringLiteral("python/retort_headers.py")));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonArray stamp(const QString &path)
{
    const QFileInfo fi(path);
    return QJsonArray{path, double(fi.lastModified().toMSecsSinceEpoch()), double(fi.size())};
}

// A script's bytes decide, not only its stamp: a rewrite of the same size within the
// mtime's granularity (a quick checkout, a coarse file system) keeps size and mtime.
QString contentHash(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly)
        ? QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex())
        : QString();
}

// The static reader's error, extended by what Python said (file and line stay the script's).
Error withReason(const UnreadHeader &u, const QString &why)
{
    return Error(QStringLiteral("%1; reading it with Python failed: %2").arg(u.error.message, why),
                 u.error.file, u.error.line);
}

} // namespace

PythonHeaderReader::PythonHeaderReader(PythonHeaderOptions options) : m_options(std::move(options))
{
    const QDir wd(m_options.workingDirectory.isEmpty() ? QDir::currentPath() : m_options.workingDirectory);
    QCryptographicHash h(QCryptographicHash::Sha256);
    const QStringList parts{QString::number(kFormat), wd.absolutePath(), m_options.configFile,
                            ModelCache::interpreterPath(m_options.python), m_options.prependSysPath.join(QChar(0x1f))};
    for (const QString &p : parts) {
        h.addData(p.toUtf8());
        h.addData(QByteArrayView("\0", 1));
    }
    h.addData(helperSource());
    const QString dir = m_options.cacheDirectory.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/retort/headers")
        : m_options.cacheDirectory;
    m_cachePath = dir + QLatin1Char('/') + QString::fromLatin1(h.result().toHex().left(32)) + QStringLiteral(".json");
}

Result<QHash<QString, QJsonObject>> PythonHeaderReader::read(const QVector<UnreadHeader> &scripts)
{
    QHash<QString, QJsonObject> out;
    if (scripts.isEmpty())
        return out;
    const bool useCache = m_options.useCache && ModelCache::enabled();
    // The entry: {"format", "files": [[path, mtime, size]...] the imports read,
    //             "scripts": {path: {"stamp": [path, mtime, size], "sha256", "values": {...}}}}.
    QJsonObject entry;
    if (useCache) {
        QFile f(m_cachePath);
        if (f.open(QIODevice::ReadOnly))
            entry = QJsonDocument::fromJson(f.readAll()).object();
        bool valid = entry.value(QStringLiteral("format")).toInt() == kFormat;
        for (const QJsonValue &dep : entry.value(QStringLiteral("files")).toArray())
            valid = valid && ModelCache::unchanged(dep.toArray());
        if (!valid)
            entry = QJsonObject();
    }
    QJsonObject cached = entry.value(QStringLiteral("scripts")).toObject();
    QVector<UnreadHeader> misses;
    for (const UnreadHeader &u : scripts) {
        const QJsonObject hit = cached.value(u.path).toObject();
        if (!hit.isEmpty() && ModelCache::unchanged(hit.value(QStringLiteral("stamp")).toArray())
            && hit.value(QStringLiteral("sha256")).toString() == contentHash(u.path))
            out.insert(u.path, hit.value(QStringLiteral("values")).toObject());
        else
            misses.append(u);
    }
    if (misses.isEmpty())
        return out;

    const QString python = ModelCache::interpreterPath(m_options.python);
    m_notes.append(QStringLiteral("reading revision headers of %1 script%2 with Python (%3%4; "
                                  "values that are not literals)")
                       .arg(misses.size()).arg(misses.size() == 1 ? "" : "s", python,
                            m_options.pythonOrigin.isEmpty() ? QString()
                                                             : QStringLiteral(", ") + m_options.pythonOrigin));
    auto answer = runHelper(misses);
    if (!answer)
        return answer.error();
    QHash<QString, QJsonObject> fresh;
    auto files = parse(*answer, misses, &fresh, python);
    if (!files)
        return files.error();
    for (auto it = fresh.cbegin(); it != fresh.cend(); ++it) {
        out.insert(it.key(), it.value());
        cached.insert(it.key(), QJsonObject{{QStringLiteral("stamp"), stamp(it.key())},
                                            {QStringLiteral("sha256"), contentHash(it.key())},
                                            {QStringLiteral("values"), it.value()}});
    }
    if (useCache) {
        // The union of what every run imported: a change to any of them invalidates all.
        QJsonArray deps = entry.value(QStringLiteral("files")).toArray();
        QSet<QString> known;
        for (const QJsonValue &d : deps)
            known.insert(d.toArray().at(0).toString());
        for (const QJsonValue &d : *files)
            if (!known.contains(d.toArray().at(0).toString()))
                deps.append(d);
        const QJsonObject store{{QStringLiteral("format"), kFormat}, {QStringLiteral("files"), deps},
                                {QStringLiteral("scripts"), cached}};
        // A cache that cannot be written only costs the next run a Python start.
        if (QDir().mkpath(QFileInfo(m_cachePath).absolutePath())) {
            QSaveFile f(m_cachePath);
            if (f.open(QIODevice::WriteOnly)) {
                f.write(QJsonDocument(store).toJson(QJsonDocument::Compact));
                f.commit();
            }
        }
    }
    return out;
}

Result<QByteArray> PythonHeaderReader::runHelper(const QVector<UnreadHeader> &scripts)
{
    const UnreadHeader &first = scripts.first();
    const QByteArray helper = helperSource();
    if (helper.isEmpty())
        return withReason(first, QStringLiteral("the embedded helper retort_headers.py is missing"));
    QJsonArray files;
    for (const UnreadHeader &u : scripts)
        files.append(u.path);
    const QJsonObject request{{QStringLiteral("prepend"), QJsonArray::fromStringList(m_options.prependSysPath)},
                              {QStringLiteral("files"), files}};
    QProcess proc;
    if (!m_options.workingDirectory.isEmpty())
        proc.setWorkingDirectory(m_options.workingDirectory);
    // -c: sys.path[0] is the working directory, as under `python -m alembic`.
    proc.start(m_options.python, {QStringLiteral("-c"), QString::fromUtf8(helper)});
    m_ranPython = true;
    QString where = m_options.python;
    if (!m_options.pythonOrigin.isEmpty())
        where += QStringLiteral(" (from %1)").arg(m_options.pythonOrigin);
    if (!proc.waitForStarted(30000)) {
        QString why = QStringLiteral("no usable Python: %1 cannot be started (%2); set RETORT_PYTHON or "
                                     "retort_python in the ini to the project's interpreter")
                          .arg(where, proc.errorString());
        if (!m_options.rejected.isEmpty())
            why += QStringLiteral("; found without alembic: %1").arg(m_options.rejected.join(QStringLiteral(", ")));
        return withReason(first, why);
    }
    proc.write(QJsonDocument(request).toJson(QJsonDocument::Compact));
    proc.closeWriteChannel();
    if (!proc.waitForFinished(m_options.timeoutMs)) {
        proc.kill();
        proc.waitForFinished();
        return withReason(first, QStringLiteral("%1 did not answer within %2 s").arg(where).arg(m_options.timeoutMs / 1000));
    }
    const QByteArray out = proc.readAllStandardOutput();
    if (proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0 || out.trimmed().isEmpty()) {
        const QString err = QString::fromLocal8Bit(proc.readAllStandardError()).trimmed();
        return withReason(first, QStringLiteral("%1 exited with code %2%3").arg(where).arg(proc.exitCode())
                                     .arg(err.isEmpty() ? QString() : QStringLiteral(": ") + err.section(u'\n', -1)));
    }
    return out;
}

Result<QJsonArray> PythonHeaderReader::parse(const QByteArray &json, const QVector<UnreadHeader> &scripts,
                                             QHash<QString, QJsonObject> *values, const QString &python)
{
    QJsonParseError pe;
    const QJsonObject doc = QJsonDocument::fromJson(json.trimmed().split('\n').last(), &pe).object();
    if (pe.error != QJsonParseError::NoError || !doc.value(QStringLiteral("ok")).toBool())
        return withReason(scripts.first(), QStringLiteral("%1 gave no readable answer").arg(python));
    const QJsonObject answers = doc.value(QStringLiteral("scripts")).toObject();
    for (const UnreadHeader &u : scripts) {
        const QJsonObject a = answers.value(u.path).toObject();
        if (a.contains(QStringLiteral("values"))) {
            values->insert(u.path, a.value(QStringLiteral("values")).toObject());
            continue;
        }
        // Importing the script failed: Alembic would fail the same way.
        const QJsonObject e = a.value(QStringLiteral("error")).toObject();
        QString why = e.isEmpty() ? QStringLiteral("%1 did not read it").arg(python)
                                  : QStringLiteral("%1: %2").arg(e.value(QStringLiteral("type")).toString(),
                                                                 e.value(QStringLiteral("message")).toString());
        // Which interpreter: a default python3 without the project's packages is the usual cause.
        QString context = python;
        if (const int line = e.value(QStringLiteral("line")).toInt(); line > 0 && line != u.error.line)
            context = QStringLiteral("line %1, %2").arg(line).arg(python);
        why += QStringLiteral(" (%1)").arg(context);
        if (e.value(QStringLiteral("type")).toString() == u"ModuleNotFoundError")
            why += QStringLiteral("; set RETORT_PYTHON or retort_python in the ini to the project's interpreter");
        return withReason(u, why);
    }
    return doc.value(QStringLiteral("files")).toArray();
}

} // namespace retort
