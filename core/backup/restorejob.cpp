#include "restorejob.h"

#include "backupjob.h"
#include "dumpprocess.h"
#include "mysqlschemaobjects.h"
#include "runtime/databaseconnection.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTimer>

namespace retort {

namespace {

// Drops every user schema and recreates `public` as it was (owner, grants), so that the
// dump's objects land in an empty database. Runs in the same transaction as the dump.
const char kPostgresPrologue[] = R"SQL(SET client_min_messages TO WARNING;
DO $retort$
DECLARE
    s text;
    had_public boolean;
    public_owner text;
    public_acl aclitem[];
    g record;
BEGIN
    SELECT true, pg_get_userbyid(nspowner), nspacl INTO had_public, public_owner, public_acl
      FROM pg_namespace WHERE nspname = 'public';
    FOR s IN SELECT nspname FROM pg_namespace
              WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                AND nspname NOT LIKE 'pg\_temp\_%' AND nspname NOT LIKE 'pg\_toast\_temp\_%'
    LOOP
        EXECUTE format('DROP SCHEMA %I CASCADE', s);
    END LOOP;
    IF had_public THEN
        CREATE SCHEMA public;
        IF public_owner <> current_user THEN
            EXECUTE format('ALTER SCHEMA public OWNER TO %I', public_owner);
        END IF;
        FOR g IN SELECT grantee, privilege_type FROM aclexplode(public_acl) LOOP
            EXECUTE format('GRANT %s ON SCHEMA public TO %s', g.privilege_type,
                           CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END);
        END LOOP;
    END IF;
END
$retort$;
RESET client_min_messages;
)SQL";

// Drops every table (sequences, versioned tables) and view of the current database in
// two statements built from information_schema, foreign keys ignored; the dump follows.
const char kMySqlPrologue[] = R"SQL(SET FOREIGN_KEY_CHECKS = 0;
SET SESSION group_concat_max_len = 67108864;
SET @retort_drop = NULL;
SELECT CONCAT('DROP VIEW IF EXISTS ', GROUP_CONCAT(CONCAT('`', REPLACE(table_name, '`', '``'), '`')))
  INTO @retort_drop FROM information_schema.views WHERE table_schema = DATABASE();
SET @retort_drop = IFNULL(@retort_drop, 'DO 0');
PREPARE retort_stmt FROM @retort_drop;
EXECUTE retort_stmt;
DEALLOCATE PREPARE retort_stmt;
SET @retort_drop = NULL;
SELECT CONCAT('DROP TABLE IF EXISTS ', GROUP_CONCAT(CONCAT('`', REPLACE(table_name, '`', '``'), '`')))
  INTO @retort_drop FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type <> 'VIEW';
SET @retort_drop = IFNULL(@retort_drop, 'DO 0');
PREPARE retort_stmt FROM @retort_drop;
EXECUTE retort_stmt;
DEALLOCATE PREPARE retort_stmt;
SET FOREIGN_KEY_CHECKS = 1;
)SQL";

VoidResult writeText(const QString &path, const QByteArray &text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        return Error(QStringLiteral("Cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace

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
    if (const VoidResult safe = safetyBackup(); !safe) {
        m_error = Error(QStringLiteral("Backing up the current state failed, nothing was restored: %1")
                            .arg(safe.error().toString()));
        return false;
    }
    emit progress(QStringLiteral("Restoring %1 from %2").arg(m_url.toDisplayString(), m_backup));
    const QString backend = m_url.backendName();
    const VoidResult r = backend == QLatin1String("sqlite")       ? restoreSqlite()
                         : backend == QLatin1String("postgresql") ? restorePostgres()
                                                                  : restoreMySql();
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

void RestoreJob::setSafetyBackup(const QString &path, const QString &iniPath,
                                 const VersionTableOptions &versionTable)
{
    m_safetyPath = path;
    m_safetyIni = iniPath;
    m_safetyVersionTable = versionTable;
}

VoidResult RestoreJob::safetyBackup()
{
    m_safetyWritten.clear();
    if (m_safetyPath.isEmpty())
        return {};
    if (m_url.backendName() == QLatin1String("sqlite")
        && (m_url.isSqliteMemory() || !QFileInfo::exists(m_url.sqliteFilePath())))
        return {};   // nothing there yet to lose
    BackupJob job(m_url, m_safetyPath);
    job.setProject(m_safetyIni);
    job.setVersionTable(m_safetyVersionTable);
    job.setNote(QStringLiteral("before restoring %1").arg(QFileInfo(m_backup).fileName()));
    connect(&job, &BackupJob::progress, this, &RestoreJob::progress);
    if (!job.exec())
        return job.error();
    m_safetyWritten = job.outputFile();
    return {};
}

VoidResult RestoreJob::restorePostgres()
{
    QTemporaryDir work;
    if (!work.isValid())
        return Error(QStringLiteral("Cannot create a temporary folder: %1").arg(work.errorString()));
    const QString prologue = work.filePath(QStringLiteral("prologue.sql"));
    const QString script = work.filePath(QStringLiteral("restore.sql"));
    if (auto w = writeText(prologue, kPostgresPrologue); !w)
        return w;
    if (auto r = runCommand(DumpCommand::pgDumpToSql(m_backup, script)); !r)
        return r;
    return runCommand(DumpCommand::restore(m_url, {prologue, script}));
}

VoidResult RestoreJob::restoreMySql()
{
    QTemporaryDir work;
    if (!work.isValid())
        return Error(QStringLiteral("Cannot create a temporary folder: %1").arg(work.errorString()));
    // One script, so the clearing and the reload happen in one mysql session.
    const QString script = work.filePath(QStringLiteral("restore.sql"));
    QFile out(script);
    QFile dump(m_backup);
    if (!out.open(QIODevice::WriteOnly))
        return Error(QStringLiteral("Cannot write %1: %2").arg(script, out.errorString()));
    if (!dump.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("Cannot read the backup %1: %2").arg(m_backup, dump.errorString()));
    auto drops = mySqlObjectDrops();
    if (!drops)
        return drops.error();
    out.write(kMySqlPrologue);
    out.write(*drops);
    while (!dump.atEnd()) {
        const QByteArray chunk = dump.read(1 << 20);
        if (out.write(chunk) != chunk.size())
            return Error(QStringLiteral("Cannot write %1: %2").arg(script, out.errorString()));
    }
    out.close();
    return runCommand(DumpCommand::restore(m_url, {script}));
}

// The dump has the routines and events of backup time: those made since go, as the tables do.
Result<QByteArray> RestoreJob::mySqlObjectDrops() const
{
    auto conn = DatabaseConnection::open(m_url);
    if (!conn)
        return conn.error();
    return MySqlSchemaObjects::dropStatements(**conn);
}

VoidResult RestoreJob::runCommand(const Result<DumpCommand> &command)
{
    if (!command)
        return command.error();
    emit progress(command->displayText());
    DumpProcess process(*command, m_cancelled);
    return process.run([this](const QString &line) { emit progress(line); });
}

} // namespace retort
