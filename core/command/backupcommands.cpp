#include "backupcommands.h"

#include "backup/backupcatalog.h"
#include "backup/backupjob.h"
#include "backup/restorejob.h"
#include "command/commandcontext.h"
#include "command/multidatabaserun.h"
#include "runtime/databaseconnection.h"
#include "services/migrationenvironment.h"

#include <QFileInfo>
#include <QLocale>

namespace retort {

namespace {

const QString kLogger = QStringLiteral("retort.backup");

VoidResult singleDatabase(CommandContext &context, const QString &what)
{
    if (auto engines = MultiDatabaseRun::engines(context.project()); engines && !engines->isEmpty())
        return Error(QStringLiteral("%1 works on one database: pass --url for a multidb project's engine").arg(what));
    return {};
}

QString sizeText(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

VoidResult writeBackup(CommandContext &context, MigrationEnvironment &env, const QString &path,
                       const QStringList *heads, const QString &note)
{
    BackupJob job(env.url(), path);
    job.setProject(context.project().iniPath());
    job.setVersionTable(env.versionTable());
    job.setNote(note);
    if (heads)
        job.setRevisions(*heads);
    // SQLite: VACUUM INTO on the run's own connection (outside its transaction).
    if (env.url().backendName() == QLatin1String("sqlite") && env.connection()
        && !env.connection()->inTransaction())
        job.setConnection(env.connection());
    if (!job.exec())
        return Error(QStringLiteral("Backup failed, nothing was changed: %1").arg(job.error().toString()));
    context.logInfo(kLogger, QStringLiteral("Backup of %1 at revision %2 written to %3 (%4)")
                                 .arg(job.info().maskedUrl, job.info().revisionText(), path,
                                      sizeText(job.info().size)));
    return {};
}

} // namespace

BackupLocation BackupCommands::location(CommandContext &context)
{
    return BackupLocation(context.args().value(QStringLiteral("backup_dir")));
}

VoidResult BackupCommands::backupBeforeRun(CommandContext &context, MigrationEnvironment &env,
                                           const QStringList &heads, const QString &note)
{
    const QString path = location(context).newBackupPath(context.project().iniPath(), env.dialect());
    return writeBackup(context, env, path, &heads, note);
}

VoidResult BackupCommands::backup(CommandContext &context)
{
    if (auto single = singleDatabase(context, QStringLiteral("backup")); !single)
        return single;
    MigrationEnvironment env(context.project(), context, context.urlOverride());
    if (auto loaded = env.load(); !loaded)
        return loaded;
    context.configureLogging();
    const QString path = location(context).newBackupPath(context.project().iniPath(), env.dialect());
    return writeBackup(context, env, path, nullptr, QStringLiteral("retort backup"));
}

VoidResult BackupCommands::list(CommandContext &context)
{
    const BackupCatalog catalog(location(context));
    const QString ini = context.project().iniPath();
    if (!QFileInfo::exists(ini))
        return Error(QStringLiteral("No config file '%1' found, or file has no '[%2]' section")
                         .arg(ini, QStringLiteral("alembic")));
    if (context.args().values.contains(QStringLiteral("prune"))) {
        bool ok = false;
        const int keep = context.args().value(QStringLiteral("prune")).toInt(&ok);
        if (!ok || keep < 1)
            return Error(QStringLiteral("--prune needs a number of backups to keep (1 or more)"));
        context.configureLogging();
        auto removed = catalog.prune(ini, keep);
        if (!removed)
            return removed.error();
        for (const QString &path : *removed)
            context.logInfo(kLogger, QStringLiteral("Deleted backup %1").arg(path));
    }
    const QList<BackupInfo> backups = catalog.list(ini);
    if (backups.isEmpty()) {
        context.out().printStdout(QStringLiteral("No backups in %1").arg(catalog.location().projectDir(ini)));
        return {};
    }
    for (const BackupInfo &b : backups) {
        context.out().printStdout(QStringLiteral("%1  %2  %3  %4  %5")
                                      .arg(b.created.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                           sizeText(b.size).rightJustified(9), b.revisionText(),
                                           b.maskedUrl.isEmpty() ? QStringLiteral("(unknown url)") : b.maskedUrl,
                                           b.path));
    }
    return {};
}

VoidResult BackupCommands::restore(CommandContext &context)
{
    if (auto single = singleDatabase(context, QStringLiteral("restore")); !single)
        return single;
    const QString file = QFileInfo(context.args().value(QStringLiteral("file"))).absoluteFilePath();
    if (!QFileInfo(file).isFile())
        return Error(QStringLiteral("Backup file not found: %1").arg(file));
    MigrationEnvironment env(context.project(), context, context.urlOverride());
    if (auto loaded = env.load(); !loaded)
        return loaded;
    context.configureLogging();
    // A pg_dump archive cannot go into MySQL, nor an SQLite file into a server.
    const QString expected = BackupLocation::extension(env.dialect());
    if (QFileInfo(file).suffix() != expected)
        return Error(QStringLiteral("%1 is not a %2 backup (expected a .%3 file)")
                         .arg(file, env.url().dialectName(), expected));
    const BackupInfo info = BackupInfo::read(file);
    const QString ini = context.project().iniPath();
    RestoreJob job(env.url(), file);
    job.setSafetyBackup(location(context).newBackupPath(ini, env.dialect()), ini, env.versionTable());
    QObject::connect(&job, &RestoreJob::progress, [&context](const QString &line) {
        context.logInfo(kLogger, line);
    });
    if (!job.exec())
        return job.error();
    if (!job.safetyBackupPath().isEmpty())
        context.logInfo(kLogger, QStringLiteral("The state before the restore is in %1").arg(job.safetyBackupPath()));
    context.logInfo(kLogger, QStringLiteral("Revision after the restore: %1").arg(info.revisionText()));
    return {};
}

} // namespace retort
