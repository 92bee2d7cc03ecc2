#pragma once
// The statements Alembic issues against its version table, rendered the way SQLAlchemy
// compiles them for each dialect (no terminator). Used verbatim by the offline writer and
// by the online VersionTable, so both paths agree on names and quoting.

#include "dialect.h"
#include "versiontableoptions.h"

#include <QString>

namespace retort {

class VersionTableSql
{
public:
    VersionTableSql(Dialect dialect, VersionTableOptions options);

    const Dialect &dialect() const { return m_dialect; }
    const VersionTableOptions &options() const { return m_options; }
    QString qualifiedTable() const;

    // online: SQLAlchemy's own text, tab-indented (SQLite keeps it in sqlite_master);
    // offline: as Alembic prints it, tabs turned into four spaces.
    QString createTable(bool online = false) const;
    QString dropTable() const;
    QString selectAll() const;
    QString deleteAll() const;
    // `offline` adds PostgreSQL's "RETURNING" clause that SQLAlchemy compiles in.
    QString insertVersion(const QString &version, bool offline = true) const;
    QString updateVersion(const QString &from, const QString &to) const;
    // updateVersion(), appended to `out`.
    void appendUpdateVersion(QString &out, const QString &from, const QString &to) const;
    QString deleteVersion(const QString &version) const;
    // The same statements with positional placeholders (?) for the online path: a revision
    // id is data there, never SQL (an id may hold quotes; Alembic's literal_column would run
    // them). INSERT binds (version); UPDATE binds (to, from); DELETE binds (version).
    QString insertVersionBound() const;
    QString updateVersionBound() const;
    QString deleteVersionBound() const;

private:
    // Alembic builds these with literal_column("'%s'"): the value is not escaped.
    static QString rawLiteral(const QString &v) { return QLatin1Char('\'') + v + QLatin1Char('\''); }

    Dialect m_dialect;
    VersionTableOptions m_options;
    QString m_qualified;   // qualifiedTable(), quoted once: --sql writes it per step
};

} // namespace retort
