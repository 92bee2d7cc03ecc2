#include "restorejob.h"

#include "dumpprocess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTimer>

namespace retort {

RestoreJob::RestoreJob(DatabaseUrl url, QString backupFile, QObject *parent)
    : QObject(parent), m_url(std::move(url)), m_backup(std::move(backupFile))
{
}

RestoreJob::~RestoreJob() = default;

void RestoreJob::start()
{
    QTimer::singleShot(0, this, [this] { exec(); });
}

bool RestoreJob::exec()
{
    const bool ok = run();
    emit finished(ok);
    return ok;
}

void RestoreJob::cancel()
{
    m_cancelled.storeRelaxed(1);
}

bool RestoreJob::run()
{
    m_error = Error();
    if (m_cancelled.loadRelaxed()) {
        m_error = Error(QStringLiteral("Restore cancelled"));
        return false;
    }
    if (!QFileInfo(m_backup).isFile()) {
        m_error = Error(QStringLiteral("Backup file not found: %1").arg(m_backup));
        return false;
    }
    emit progress(QStringLiteral("Restoring %1 from %2").arg(m_url.toDisplayString(), m_backup));
    const VoidResult r = m_url.backendName() == QLatin1String("sqlite") ? restoreSqlite() : runTool();
    if (!r) {
        m_error = r.error();
        return false;
    }
    emit progress(QStringLiteral("Restored %1").arg(m_url.toDisplayString()));
    return true;
}

VoidResult RestoreJob::restoreSqlite()
{
    if (m_url.isSqliteMemory())
        return Error(QStringLiteral("Cannot restore into an in-memory SQLite database"));
    const QString target = QFileInfo(m_url.sqliteFilePath()).absoluteFilePath();
    QFile source(m_backup);
    if (!source.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("Cannot read the backup %1: %2").arg(m_backup, source.errorString()));
    // QSaveFile writes a temporary file next to the target and renames it over the
    // target on commit: readers see the old database or the restored one, nothing between.
    QSaveFile out(target);
    if (!out.open(QIODevice::WriteOnly))
        return Error(QStringLiteral("Cannot write %1: %2").arg(target, out.errorString()));
    while (!source.atEnd()) {
        if (m_cancelled.loadRelaxed()) {
            out.cancelWriting();
            return Error(QStringLiteral("Restore cancelled"));
        }
        const QByteArray chunk = source.read(1 << 20);
        if (chunk.isEmpty() && source.error() != QFile::NoError)
            return Error(QStringLiteral("Cannot read the backup %1: %2").arg(m_backup, source.errorString()));
        if (out.write(chunk) != chunk.size())
            return Error(QStringLiteral("Cannot write %1: %2").arg(target, out.errorString()));
    }
    // A journal or WAL left from the replaced file would be replayed onto the restored
    // one at the next open; with every connection closed they hold nothing we need.
    for (const char *suffix : {"-journal", "-wal", "-shm"}) {
        const QString side = target + QLatin1String(suffix);
        if (QFileInfo::exists(side) && !QFile::remove(side))
            return Error(QStringLiteral("Cannot remove %1 (is the database still open?)").arg(side));
    }
    if (!out.commit())
        return Error(QStringLiteral("Cannot replace %1: %2").arg(target, out.errorString()));
    return {};
}

VoidResult RestoreJob::runTool()
{
    auto command = DumpCommand::restore(m_url, m_backup);
    if (!command)
        return command.error();
    emit progress(command->displayText());
    DumpProcess process(*command, m_cancelled);
    return process.run([this](const QString &line) { emit progress(line); });
}

} // namespace retort
