#pragma once
// The database flavours the runtime speaks, and what differs between them as far as
// Alembic's runtime is concerned: quoting, literals, impl name, transactional DDL.

#include "result.h"

#include <QString>

namespace retort {

class Dialect
{
public:
    enum Kind { SQLite, PostgreSQL, MySQL, MariaDB };

    Dialect() = default;
    explicit Dialect(Kind kind) : m_kind(kind) {}

    // From a SQLAlchemy dialect name ("sqlite", "postgresql", "mysql", "mariadb";
    // "postgres" is accepted as SQLAlchemy 1.4 does not, so it is refused).
    static Result<Dialect> fromName(const QString &name);

    Kind kind() const { return m_kind; }
    QString name() const;            // SQLAlchemy's dialect.name
    QString implName() const;        // Alembic's impl class: "SQLiteImpl", "PostgresqlImpl", ...
    bool transactionalDdl() const;   // Alembic's DefaultImpl.transactional_ddl for this impl
    bool isMySqlFamily() const { return m_kind == MySQL || m_kind == MariaDB; }
    // PostgreSQL renders "RETURNING <pk>" on an INSERT into a table with a primary key.
    bool insertReturnsPrimaryKey() const { return m_kind == PostgreSQL; }
    QString qtDriverName() const;    // QSQLITE, QPSQL, QMYSQL

    // SQLAlchemy's IdentifierPreparer.quote: quoted only when needed.
    bool requiresQuotes(const QString &identifier) const;
    QString quoteIdentifier(const QString &identifier) const;
    // "schema.table" with each part quoted as needed; just the table when schema is empty.
    QString qualifiedName(const QString &schema, const QString &table) const;

    // A string literal as SQLAlchemy's literal_binds renders it.
    QString stringLiteral(const QString &value) const;

    // Whether string literals double their backslashes (SQLAlchemy's _backslash_escapes:
    // MySQL and PostgreSQL offline; an online PostgreSQL dialect with
    // standard_conforming_strings does not).
    void setBackslashEscapes(bool on) { m_backslashEscapes = on; }
    bool backslashEscapes() const { return m_backslashEscapes; }

    bool operator==(const Dialect &o) const { return m_kind == o.m_kind; }

private:
    QChar quoteChar() const;

    Kind m_kind = SQLite;
    bool m_backslashEscapes = true;
};

} // namespace retort
