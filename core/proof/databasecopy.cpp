#include "databasecopy.h"

#include "serverdatabase.h"
#include "backup/dumpprocess.h"
#include "runtime/databaseconnection.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>

namespace retort {

namespace {

// Lower-case letters and digits only: no quoting questions on any server.
QString scratchName()
{
    static const char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString name = QLatin1String(DatabaseCopy::kPrefix);
    for (int i = 0; i < 10; ++i)
        name += QLatin1Char(kChars[QRandomGenerator::global()->bounded(36)]);
    return name;
}

} // namespace

DatabaseCopy::DatabaseCopy(DatabaseUrl source) : m_source(source), m_copy(std::move(source)) {}

DatabaseCopy::~DatabaseCopy()
{
    (void)drop();
}

Result<std::unique_ptr<DatabaseCopy>> DatabaseCopy::create(const DatabaseUrl &source, const Progress &progress,
                                                           const QAtomicInt *cancelled)
{
    std::unique_ptr<DatabaseCopy> copy(new DatabaseCopy(source));
    if (cancelled)
        copy->m_cancelled = cancelled;
    QElapsedTimer timer;
    timer.start();
    VoidResult made;
    if (source.backendName() == QLatin1String("sqlite"))
        made = copy->copySqlite();
    else if (ServerDatabase::isPostgres(source))
        made = copy->copyPostgres(progress);
    else if (ServerDatabase::isMySql(source))
        made = copy->copyMySql(progress);
    else
        made = Error(QStringLiteral("cannot copy %1 databases").arg(source.backendName()));
    if (!made) {
        (void)copy->drop();   // whatever was created half way
        return made.error();
    }
    copy->m_elapsedMs = timer.elapsed();
    return copy;
}

VoidResult DatabaseCopy::copySqlite()
{
    if (m_source.isSqliteMemory())
        return Error(QStringLiteral("an in-memory SQLite database cannot be copied: rehearse on a database file"));
    const QString path = m_source.sqliteFilePath();
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/retort-rehearse-XXXXXX"));
    if (!m_dir->isValid())
        return Error(QStringLiteral("cannot create a temporary folder for the copy: %1").arg(m_dir->errorString()));
    m_created = true;
    m_name = scratchName() + QStringLiteral(".db");
    const QString target = m_dir->filePath(m_name);
    auto url = DatabaseUrl::parse(QStringLiteral("sqlite:///") + target);
    if (!url)
        return url.error();
    if (!QFile::exists(path)) {
        // The first run creates the file: its copy is an empty database, made by the run.
        m_copy = *url;
        m_method = QStringLiteral("empty: the source file does not exist yet");
        return {};
    }
    DatabaseConnection::Options options;
    options.sqliteReadOnly = true;   // the source is only read
    auto conn = DatabaseConnection::open(m_source, options);
    if (!conn)
        return conn.error();
    auto vacuum = (*conn)->exec(QStringLiteral("VACUUM INTO '%1'").arg(QString(target).replace(QLatin1Char('\''), QStringLiteral("''"))));
    if (!vacuum)
        return vacuum.error();
    m_copy = *url;
    m_method = QStringLiteral("VACUUM INTO");
    return {};
}

VoidResult DatabaseCopy::runTool(const Result<DumpCommand> &command, const Progress &progress)
{
    if (!command)
        return command.error();
    if (progress)
        progress(command->displayText());
    DumpProcess process(*command, *m_cancelled);
    return process.run([&progress](const QString &line) {
        if (progress)
            progress(line);
    });
}

VoidResult DatabaseCopy::copyPostgres(const Progress &progress)
{
    auto admin = ServerDatabase::admin(m_source);
    if (!admin)
        return admin.error();
    m_name = scratchName();
    m_copy = m_source.withDatabase(m_name);
    DatabaseConnection &conn = **admin;
    const QString name = ServerDatabase::quoted(m_source, m_name);
    auto templated = conn.exec(QStringLiteral("CREATE DATABASE %1 TEMPLATE %2")
                                   .arg(name, ServerDatabase::quoted(m_source, m_source.database())));
    if (templated) {
        m_created = true;
        m_method = QStringLiteral("CREATE DATABASE ... TEMPLATE");
        return {};
    }
    // Usually "source database ... is being accessed by other users": dump and load.
    if (progress)
        progress(QStringLiteral("CREATE DATABASE ... TEMPLATE %1 failed (%2); copying with pg_dump instead")
                     .arg(m_source.database(), QString(templated.error().message).replace(QLatin1Char('\n'), QLatin1Char(' '))));
    if (auto empty = createEmpty(conn, {}); !empty)
        return empty;
    const QString dump = m_dir->filePath(QStringLiteral("source.dump"));
    const QString sql = m_dir->filePath(QStringLiteral("source.sql"));
    if (auto r = runTool(DumpCommand::backup(m_source, dump), progress); !r)
        return r;
    if (auto r = runTool(DumpCommand::pgDumpToSql(dump, sql), progress); !r)
        return r;
    if (auto r = runTool(DumpCommand::restore(m_copy, {sql}), progress); !r)
        return r;
    m_method = QStringLiteral("pg_dump | psql");
    return {};
}

// The empty scratch database a dump is loaded into, and the folder for the dump files.
VoidResult DatabaseCopy::createEmpty(DatabaseConnection &admin, const QString &options)
{
    auto created = admin.exec(QStringLiteral("CREATE DATABASE %1%2").arg(ServerDatabase::quoted(m_source, m_name), options));
    if (!created)
        return created.error();
    m_created = true;
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid())
        return Error(QStringLiteral("cannot create a temporary folder for the dump: %1").arg(m_dir->errorString()));
    return {};
}

VoidResult DatabaseCopy::copyMySql(const Progress &progress)
{
    auto admin = ServerDatabase::admin(m_source);
    if (!admin)
        return admin.error();
    DatabaseConnection &conn = **admin;
    m_name = scratchName();
    m_copy = m_source.withDatabase(m_name);
    // The source's defaults, so that tables created by the rehearsal get the same ones.
    QString options;
    auto charset = conn.exec(QStringLiteral("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME "
                                            "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?"),
                             {m_source.database()});
    if (charset && charset->next())
        options = QStringLiteral(" CHARACTER SET %1 COLLATE %2")
                      .arg(charset->value(0).toString(), charset->value(1).toString());
    if (auto empty = createEmpty(conn, options); !empty)
        return empty;
    const QString dump = m_dir->filePath(QStringLiteral("source.sql"));
    if (auto r = runTool(DumpCommand::backup(m_source, dump), progress); !r)
        return r;
    if (auto r = runTool(DumpCommand::restore(m_copy, {dump}), progress); !r)
        return r;
    m_method = QStringLiteral("mysqldump | mysql");
    return {};
}

VoidResult DatabaseCopy::drop()
{
    if (m_dropped || !m_created) {
        m_dir.reset();
        return {};
    }
    if (m_source.backendName() == QLatin1String("sqlite")) {
        m_dir.reset();   // removes the copy's file
        m_dropped = true;
        return {};
    }
    m_dir.reset();
    auto admin = ServerDatabase::admin(m_source);
    if (!admin)
        return admin.error();
    if (auto dropped = ServerDatabase::drop(**admin, m_source, m_name); !dropped)
        return dropped;
    m_dropped = true;
    return {};
}

Result<bool> DatabaseCopy::exists(DatabaseConnection &connection, const QString &name)
{
    switch (connection.dialect().kind()) {
    case Dialect::PostgreSQL: {
        auto q = connection.exec(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = ?"), {name});
        if (!q)
            return q.error();
        return q->next();
    }
    case Dialect::MySQL:
    case Dialect::MariaDB: {
        auto q = connection.exec(QStringLiteral("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?"), {name});
        if (!q)
            return q.error();
        return q->next();
    }
    case Dialect::SQLite:
        return QFile::exists(name);
    }
    return false;
}

Result<bool> DatabaseCopy::canCreateDatabases(DatabaseConnection &connection)
{
    switch (connection.dialect().kind()) {
    case Dialect::PostgreSQL: {
        auto q = connection.exec(QStringLiteral("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"));
        if (!q)
            return q.error();
        return q->next() && q->value(0).toBool();
    }
    case Dialect::MySQL:
    case Dialect::MariaDB: {
        // A global CREATE (or ALL) grant to the account this session authenticated as.
        auto q = connection.exec(QStringLiteral(
            "SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'CREATE' "
            "AND GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', "
            "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')"));
        if (!q)
            return q.error();
        return q->next() && q->value(0).toInt() > 0;
    }
    case Dialect::SQLite:
        return true;
    }
    return false;
}

} // namespace retort
