#pragma once
// The command line of an external dump/restore tool for a server database: pg_dump
// (custom format), pg_restore (to SQL) and psql; mysqldump / mysql (or MariaDB's
// mariadb-dump / mariadb).
// The password never appears in the arguments: it goes into the child's environment only
// (PGPASSWORD, MYSQL_PWD). Pure data, so tests can check it without the tools.

#include "config/databaseurl.h"
#include "result.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace retort {

struct DumpCommand
{
    QString program;              // absolute path of the tool
    QStringList arguments;
    QProcessEnvironment environment;
    QString standardInputFile;    // mysql restore reads the script from stdin
    QString displayText() const;  // "pg_dump --format=custom ..." for logs (no password)

    // Errors: not a server URL, tool not installed ("pg_dump not found on PATH ...").
    // withEvents: MySQL/MariaDB events too (needs the EVENT privilege, so only when asked).
    static Result<DumpCommand> backup(const DatabaseUrl &url, const QString &outputFile,
                                      bool withEvents = false);
    // Runs SQL scripts against the database: PostgreSQL psql, every file in one transaction,
    // stopping at the first error; MySQL one script on mysql's standard input.
    static Result<DumpCommand> restore(const DatabaseUrl &url, const QStringList &scriptFiles);
    // pg_restore --no-owner: a custom-format dump as a plain SQL script (no connection).
    static Result<DumpCommand> pgDumpToSql(const QString &dumpFile, const QString &sqlFile);

    // Looks `names` up on PATH (first found wins); empty when none is installed.
    static QString findTool(const QStringList &names);
};

} // namespace retort
