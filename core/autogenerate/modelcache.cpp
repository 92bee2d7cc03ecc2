#include "modelcache.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace retort {

namespace {

// Bumped when the entry layout changes, so old entries are simply never found.
constexpr int kFormat = 1;


QString cacheDir()
{
    // GenericCacheLocation is $XDG_CACHE_HOME (or ~/.cache) whatever the application name.
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)
        + QStringLiteral("/retort/models");
}


} // namespace

ModelCache::ModelCache(const ModelLoadOptions &options, const QByteArray &helperVersion)
{
    const QDir wd(options.workingDirectory.isEmpty() ? QDir::currentPath() : options.workingDirectory);
    QCryptographicHash h(QCryptographicHash::Sha256);
    const QStringList parts{QString::number(kFormat), wd.absolutePath(),
                            QDir::cleanPath(wd.absoluteFilePath(options.configFile)),
                            options.iniSection, options.xArguments.join(QChar(0x1f)), options.dialect,
                            interpreterPath(options.python)};
    for (const QString &p : parts) {
        h.addData(p.toUtf8());
        h.addData(QByteArrayView("\0", 1));
    }
    h.addData(helperVersion);
    m_path = cacheDir() + QLatin1Char('/') + QString::fromLatin1(h.result().toHex().left(32))
        + QStringLiteral(".json");
}

QString ModelCache::interpreterPath(const QString &python)
{
    if (QFileInfo(python).isAbsolute())
        return python;
    const QString found = QStandardPaths::findExecutable(python);
    return found.isEmpty() ? python : found;
}

bool ModelCache::unchanged(const QJsonArray &dep)
{
    const QFileInfo fi(dep.at(0).toString());
    if (!fi.exists())
        return false;
    const qint64 size = qint64(dep.at(2).toDouble());
    if (size < 0 ? !fi.isDir() : (fi.isDir() || fi.size() != size))
        return false;
    return fi.lastModified().toMSecsSinceEpoch() == qint64(dep.at(1).toDouble());
}

bool ModelCache::enabled()
{
    const QByteArray v = qgetenv("RETORT_NO_MODEL_CACHE").trimmed();
    return v.isEmpty() || v == "0";
}

bool ModelCache::cacheable(const LoadedModels &models)
{
    return !models.filtersApplied && !models.configureCallables.contains(QLatin1String("include_name"))
        && !models.configureCallables.contains(QLatin1String("include_object"))
        && !models.dependencies.isEmpty();
}

std::optional<ModelCache::Hit> ModelCache::lookup() const
{
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    // Line 1: the header (format, stderr, dependencies); the rest: the helper's answer,
    // kept as bytes so that a hit parses it once, like a fresh answer.
    const QByteArray header = f.readLine();
    const QJsonObject h = QJsonDocument::fromJson(header).object();
    if (h.value(QStringLiteral("format")).toInt() != kFormat)
        return std::nullopt;
    const QJsonArray files = h.value(QStringLiteral("files")).toArray();
    if (files.isEmpty())
        return std::nullopt;
    for (const QJsonValue &dep : files)
        if (!unchanged(dep.toArray()))
            return std::nullopt;
    Hit hit;
    hit.answer = f.readAll();
    hit.stderrText = h.value(QStringLiteral("stderr")).toString();
    hit.fileCount = int(files.size());
    if (hit.answer.trimmed().isEmpty())
        return std::nullopt;
    return hit;
}

VoidResult ModelCache::store(const QByteArray &answer, const LoadedModels &models) const
{
    QJsonArray files;
    for (const ModelDependency &d : models.dependencies)
        files.append(QJsonArray{d.path, double(d.mtimeMs), double(d.size)});
    const QJsonObject header{{QStringLiteral("format"), kFormat},
                             {QStringLiteral("stderr"), models.stderrText},
                             {QStringLiteral("files"), files}};
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return Error(QStringLiteral("cannot create the model cache directory"), m_path);
    // QSaveFile: a concurrent run reads either the old entry or the whole new one.
    QSaveFile out(m_path);
    if (!out.open(QIODevice::WriteOnly))
        return Error(out.errorString(), m_path);
    out.write(QJsonDocument(header).toJson(QJsonDocument::Compact));
    out.write("\n");
    out.write(answer.trimmed());
    out.write("\n");
    if (!out.commit())
        return Error(out.errorString(), m_path);
    return {};
}

} // namespace retort
