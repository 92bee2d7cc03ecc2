#include "backupinfo.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace retort {

QString BackupInfo::revisionText() const
{
    return revisions.isEmpty() ? QStringLiteral("(none)") : revisions.join(QStringLiteral(", "));
}

BackupInfo BackupInfo::read(const QString &backupPath)
{
    BackupInfo info;
    const QFileInfo file(backupPath);
    info.path = file.absoluteFilePath();
    info.size = file.size();
    // "<yyyyMMdd-HHmmss>_<dialect>[-n].<ext>" as BackupLocation names them.
    const QString stem = file.completeBaseName();
    info.created = QDateTime::fromString(stem.left(15), QStringLiteral("yyyyMMdd-HHmmss"));
    if (!info.created.isValid())
        info.created = file.lastModified();
    const int underscore = stem.indexOf(QLatin1Char('_'));
    if (underscore > 0)
        info.dialect = stem.mid(underscore + 1).section(QLatin1Char('-'), 0, 0);

    QFile sidecar(sidecarPath(backupPath));
    if (!sidecar.open(QIODevice::ReadOnly))
        return info;
    const QJsonObject o = QJsonDocument::fromJson(sidecar.readAll()).object();
    if (o.isEmpty())
        return info;
    info.hasMetadata = true;
    const QDateTime created = QDateTime::fromString(o.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs);
    if (created.isValid())
        info.created = created.toLocalTime();
    if (o.contains(QStringLiteral("dialect")))
        info.dialect = o.value(QStringLiteral("dialect")).toString();
    info.maskedUrl = o.value(QStringLiteral("url")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("revisions")).toArray())
        info.revisions << v.toString();
    info.iniPath = o.value(QStringLiteral("ini")).toString();
    info.note = o.value(QStringLiteral("note")).toString();
    return info;
}

VoidResult BackupInfo::writeSidecar() const
{
    QJsonObject o;
    o.insert(QStringLiteral("created"), created.toUTC().toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("dialect"), dialect);
    o.insert(QStringLiteral("url"), maskedUrl);
    o.insert(QStringLiteral("revisions"), QJsonArray::fromStringList(revisions));
    o.insert(QStringLiteral("ini"), iniPath);
    if (!note.isEmpty())
        o.insert(QStringLiteral("note"), note);
    QSaveFile out(sidecarPath(path));
    if (!out.open(QIODevice::WriteOnly))
        return Error(QStringLiteral("Cannot write %1: %2").arg(out.fileName(), out.errorString()));
    out.write(QJsonDocument(o).toJson());
    if (!out.commit())
        return Error(QStringLiteral("Cannot write %1: %2").arg(out.fileName(), out.errorString()));
    return {};
}

} // namespace retort
