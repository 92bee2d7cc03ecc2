#include "dumpcommand.h"

#include <QStandardPaths>

namespace retort {

namespace {

QString queryValue(const DatabaseUrl &url, const QString &key)
{
    for (const auto &kv : url.query()) {
        if (kv.first == key)
            return kv.second;
    }
    return {};
}

bool isPostgres(const DatabaseUrl &url) { return url.backendName() == QLatin1String("postgresql"); }
bool isMySql(const DatabaseUrl &url)
{
    return url.backendName() == QLatin1String("mysql") || url.backendName() == QLatin1String("mariadb");
}

Error notInstalled(const QStringList &names, const QString &what)
{
    return Error(QStringLiteral("%1 not found on PATH: install it (%2) to %3")
                     .arg(names.first(), names.join(QStringLiteral(" or ")), what));
}

// Host, port, user and database as libpq options; the password via PGPASSWORD only.
void addPostgresConnection(const DatabaseUrl &url, DumpCommand &cmd)
{
    if (!url.host().isEmpty())
        cmd.arguments << QStringLiteral("--host=") + url.host();
    if (url.port() > 0)
        cmd.arguments << QStringLiteral("--port=%1").arg(url.port());
    if (!url.username().isEmpty())
        cmd.arguments << QStringLiteral("--username=") + url.username();
    cmd.arguments << QStringLiteral("--no-password");   // never prompt on a terminal
    cmd.environment = QProcessEnvironment::systemEnvironment();
    if (url.hasPassword())
        cmd.environment.insert(QStringLiteral("PGPASSWORD"), url.password());
    else if (url.hasQueryPassword())   // never on the command line (ps would show it)
        cmd.environment.insert(QStringLiteral("PGPASSWORD"), url.queryPassword());
    const QString sslmode = queryValue(url, QStringLiteral("sslmode"));
    if (!sslmode.isEmpty())
        cmd.environment.insert(QStringLiteral("PGSSLMODE"), sslmode);
}

void addMySqlConnection(const DatabaseUrl &url, DumpCommand &cmd)
{
    if (!url.host().isEmpty())
        cmd.arguments << QStringLiteral("--host=") + url.host();
    if (url.port() > 0)
        cmd.arguments << QStringLiteral("--port=%1").arg(url.port());
    if (!url.username().isEmpty())
        cmd.arguments << QStringLiteral("--user=") + url.username();
    cmd.environment = QProcessEnvironment::systemEnvironment();
    if (url.hasPassword())
        cmd.environment.insert(QStringLiteral("MYSQL_PWD"), url.password());
    else if (url.hasQueryPassword())
        cmd.environment.insert(QStringLiteral("MYSQL_PWD"), url.queryPassword());
}

const QStringList kPgDump = {QStringLiteral("pg_dump")};
const QStringList kPgRestore = {QStringLiteral("pg_restore")};
const QStringList kPsql = {QStringLiteral("psql")};
const QStringList kMySqlDump = {QStringLiteral("mysqldump"), QStringLiteral("mariadb-dump")};
const QStringList kMySql = {QStringLiteral("mysql"), QStringLiteral("mariadb")};

} // namespace

QString DumpCommand::findTool(const QStringList &names)
{
    for (const QString &name : names) {
        const QString path = QStandardPaths::findExecutable(name);
        if (!path.isEmpty())
            return path;
    }
    return {};
}

QString DumpCommand::displayText() const
{
    QStringList parts{program};
    parts << arguments;
    QString text = parts.join(QLatin1Char(' '));
    if (!standardInputFile.isEmpty())
        text += QStringLiteral(" < ") + standardInputFile;
    return text;
}

Result<DumpCommand> DumpCommand::backup(const DatabaseUrl &url, const QString &outputFile, bool withEvents)
{
    DumpCommand cmd;
    if (isPostgres(url)) {
        cmd.program = findTool(kPgDump);
        if (cmd.program.isEmpty())
            return notInstalled(kPgDump, QStringLiteral("back up PostgreSQL databases"));
        cmd.arguments << QStringLiteral("--format=custom");
        addPostgresConnection(url, cmd);
        cmd.arguments << QStringLiteral("--file=") + outputFile << url.database();
        return cmd;
    }
    if (isMySql(url)) {
        cmd.program = findTool(kMySqlDump);
        if (cmd.program.isEmpty())
            return notInstalled(kMySqlDump, QStringLiteral("back up MySQL/MariaDB databases"));
        addMySqlConnection(url, cmd);
        // A consistent InnoDB snapshot without locking the tables; routines and triggers
        // so the restore brings back the whole schema.
        cmd.arguments << QStringLiteral("--single-transaction") << QStringLiteral("--routines")
                      << QStringLiteral("--triggers") << QStringLiteral("--add-drop-table");
        if (withEvents)
            cmd.arguments << QStringLiteral("--events");
        cmd.arguments << QStringLiteral("--result-file=") + outputFile << url.database();
        return cmd;
    }
    return Error(QStringLiteral("no dump tool for %1 databases").arg(url.backendName()));
}

Result<DumpCommand> DumpCommand::pgDumpToSql(const QString &dumpFile, const QString &sqlFile)
{
    DumpCommand cmd;
    cmd.program = findTool(kPgRestore);
    if (cmd.program.isEmpty())
        return notInstalled(kPgRestore, QStringLiteral("restore PostgreSQL backups"));
    cmd.environment = QProcessEnvironment::systemEnvironment();
    cmd.arguments << QStringLiteral("--no-owner") << QStringLiteral("--file=") + sqlFile << dumpFile;
    return cmd;
}

Result<DumpCommand> DumpCommand::restore(const DatabaseUrl &url, const QStringList &scriptFiles)
{
    DumpCommand cmd;
    if (isPostgres(url)) {
        cmd.program = findTool(kPsql);
        if (cmd.program.isEmpty())
            return notInstalled(kPsql, QStringLiteral("restore PostgreSQL backups"));
        // All -f files in one transaction (psql >= 9.6), the first error ends it.
        cmd.arguments << QStringLiteral("--no-psqlrc") << QStringLiteral("--quiet")
                      << QStringLiteral("--single-transaction") << QStringLiteral("--set=ON_ERROR_STOP=1");
        addPostgresConnection(url, cmd);
        cmd.arguments << QStringLiteral("--dbname=") + url.database();
        for (const QString &file : scriptFiles)
            cmd.arguments << QStringLiteral("--file=") + file;
        return cmd;
    }
    if (isMySql(url)) {
        if (scriptFiles.size() != 1)
            return Error(QStringLiteral("mysql restores one script at a time"));
        cmd.program = findTool(kMySql);
        if (cmd.program.isEmpty())
            return notInstalled(kMySql, QStringLiteral("restore MySQL/MariaDB backups"));
        addMySqlConnection(url, cmd);
        cmd.arguments << url.database();
        cmd.standardInputFile = scriptFiles.first();
        return cmd;
    }
    return Error(QStringLiteral("no restore tool for %1 databases").arg(url.backendName()));
}

} // namespace retort
