#include "backupjob.h"

#include "dumpprocess.h"
#include "mysqlschemaobjects.h"
#include "runtime/databaseconnection.h"
#include "runtime/versiontable.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

namespace retort {

BackupJob::BackupJob(DatabaseUrl url, QString outputFile, QObject *parent)
    : QObject(parent), m_url(std::move(url)), m_output(std::move(outputFile))
{
}

BackupJob::~BackupJob() = default;

void BackupJob::start()
{
    QTimer::singleShot(0, this, [this] { exec(); });
}

bool BackupJob::exec()
{
    const bool ok = run();
    emit finished(ok);
    return ok;
}

void BackupJob::cancel()
{
    m_cancelled.storeRelaxed(1);
}

bool BackupJob::run()
{
    m_error = Error();
    if (m_cancelled.loadRelaxed()) {
        m_error = Error(QStringLiteral("Backup cancelled"));
        return false;
    }
    if (QFileInfo::exists(m_output)) {
        m_error = Error(QStringLiteral("Backup file already exists: %1").arg(m_output));
        return false;
    }
    const QString dir = QFileInfo(m_output).absolutePath();
    if (!QDir().mkpath(dir)) {
        m_error = Error(QStringLiteral("Cannot create the backup folder %1").arg(dir));
        return false;
    }
    emit progress(QStringLiteral("Backing up %1 to %2").arg(m_url.toDisplayString(), m_output));
    m_info = BackupInfo();
    m_info.created = QDateTime::currentDateTime();
    m_info.revisions = m_revisionsKnown ? m_revisions : readRevisions();
    const VoidResult r = m_url.backendName() == QLatin1String("sqlite") ? backupSqlite() : runTool();
    if (!r) {
        m_error = r.error();
        // A half-written dump must not look like a usable backup later.
        QFile::remove(m_output);
        return false;
    }
    m_info.path = QFileInfo(m_output).absoluteFilePath();
    m_info.size = QFileInfo(m_output).size();
    m_info.dialect = m_url.dialectName();
    m_info.maskedUrl = m_url.toDisplayString();
    m_info.iniPath = m_iniPath.isEmpty() ? QString() : QFileInfo(m_iniPath).absoluteFilePath();
    m_info.note = m_note;
    m_info.hasMetadata = true;
    if (const VoidResult written = m_info.writeSidecar(); !written) {
        m_error = written.error();
        QFile::remove(m_output);
        return false;
    }
    emit progress(QStringLiteral("Backup written: %1").arg(m_output));
    return true;
}

// The caller's connection (setConnection()), else one of the job's own, kept in `own`.
Result<DatabaseConnection *> BackupJob::connection(std::unique_ptr<DatabaseConnection> &own) const
{
    if (m_connection)
        return m_connection;
    auto opened = DatabaseConnection::open(m_url);
    if (!opened)
        return opened.error();
    own = std::move(*opened);
    return own.get();
}

VoidResult BackupJob::backupSqlite()
{
    std::unique_ptr<DatabaseConnection> own;
    if (!m_connection) {
        if (m_url.isSqliteMemory())
            return Error(QStringLiteral("An in-memory SQLite database cannot be backed up"));
        if (!QFileInfo::exists(m_url.sqliteFilePath()))
            return Error(QStringLiteral("SQLite database not found: %1").arg(m_url.sqliteFilePath()));
    }
    auto opened = connection(own);
    if (!opened)
        return opened.error();
    DatabaseConnection *conn = *opened;
    if (conn->inTransaction())
        return Error(QStringLiteral("Cannot back up inside a transaction"));
    // VACUUM INTO (SQLite >= 3.27) writes a consistent, compacted copy from one read
    // transaction: writers elsewhere are not blocked for long and never tear the copy.
    auto done = conn->exec(QStringLiteral("VACUUM INTO ") + conn->dialect().stringLiteral(m_output));
    if (!done)
        return done.error();
    if (!QFileInfo::exists(m_output))
        return Error(QStringLiteral("SQLite did not write the backup %1").arg(m_output));
    return {};
}

QStringList BackupJob::readRevisions()
{
    // Best effort: a database without a version table (or one we cannot read) is still
    // backed up; the sidecar then says "(none)".
    if (!m_connection && m_url.backendName() == QLatin1String("sqlite")
        && (m_url.isSqliteMemory() || !QFileInfo::exists(m_url.sqliteFilePath())))
        return {};
    std::unique_ptr<DatabaseConnection> own;
    auto conn = connection(own);
    if (!conn)
        return {};
    VersionTable table(**conn, m_versionTable);
    auto heads = table.currentHeads();
    return heads ? *heads : QStringList();
}

// Events go into the dump only when the account can see some (mysqldump --events fails
// without the EVENT privilege, and one that sees none has none to carry).
Result<bool> BackupJob::mySqlHasEvents()
{
    const QString backend = m_url.backendName();
    if (backend != QLatin1String("mysql") && backend != QLatin1String("mariadb"))
        return false;
    std::unique_ptr<DatabaseConnection> own;
    auto conn = connection(own);
    if (!conn)
        return conn.error();
    return MySqlSchemaObjects::hasEvents(**conn);
}

VoidResult BackupJob::runTool()
{
    auto command = DumpCommand::backup(m_url, m_output);
    if (!command)
        return command.error();   // a missing tool first: it is what the user must fix
    auto events = mySqlHasEvents();
    if (!events)
        return events.error();
    if (*events)
        command = DumpCommand::backup(m_url, m_output, true);
    emit progress(command->displayText());
    DumpProcess process(*command, m_cancelled);
    return process.run([this](const QString &line) { emit progress(line); });
}

} // namespace retort
