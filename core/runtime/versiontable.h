#pragma once
// The version table of a live database, with Alembic's online semantics
// (alembic/runtime/migration.py: get_current_heads, _ensure_version_table, HeadMaintainer):
// a missing table means no heads; an UPDATE or DELETE must match exactly one row.

#include "result.h"
#include "revision/migrationstep.h"
#include "versiontableoptions.h"
#include "versiontablesql.h"

#include <QSqlQuery>
#include <QStringList>

#include <optional>

namespace retort {

class DatabaseConnection;
class ScriptChecksumTable;
struct ScriptChecksumChange;

class VersionTable
{
public:
    VersionTable(DatabaseConnection &connection, VersionTableOptions options = {});

    const VersionTableSql &sql() const { return m_sql; }

    Result<bool> exists();
    // SQLAlchemy's has_table() for any table (side tables live next to the version table).
    static Result<bool> tableExists(DatabaseConnection &connection, const QString &table, const QString &schema);
    // Current heads in table order; empty when the table does not exist.
    Result<QStringList> currentHeads();
    // CREATE TABLE when missing (checkfirst).
    VoidResult ensureExists();
    // stamp --purge: create when missing, then delete every row.
    VoidResult purge();
    VoidResult apply(const VersionTableOp &op);
    // PostgreSQL inside a transaction: a step's version UPDATE with its checksum change
    // (ScriptChecksumTable::withItems()) as one statement, a data-modifying WITH: one round
    // trip instead of two or three. The same writes and the same one-row check as apply()
    // then checksums.apply(); whatever fails, the step's transaction is rolled back with
    // all of it. nullopt: not that case (run apply() and checksums.apply()).
    std::optional<VoidResult> applyWithChecksums(const VersionTableOp &op, const ScriptChecksumTable &checksums,
                                                 const ScriptChecksumChange &change);
    VoidResult drop();

private:
    VoidResult expectOneRow(int rows, const QString &whatFmt);
    QString updateMismatch(const VersionTableOp &op) const;

    DatabaseConnection &m_conn;
    VersionTableSql m_sql;
};

} // namespace retort
