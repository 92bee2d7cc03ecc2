#pragma once
// retort_script_checksums: per version table and revision, the checksum of the script's
// upgrade() as it was when the revision was applied or stamped (UpgradeChecksum). A side
// table (SideTables): Alembic's runtime never reads it, Retort's introspection skips it.
// The runner writes it in each step's transaction, after the version table, so a failed
// step records nothing; a revision with no row was applied before Retort kept checksums.

#include "result.h"
#include "versiontableoptions.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVector>
#include <optional>

namespace retort {

class DatabaseConnection;

// What one step changes in the table.
struct ScriptChecksumChange
{
    QHash<QString, QString> record;   // revision -> checksum of its upgrade() now
    QStringList remove;               // revisions no longer applied

    bool isEmpty() const { return record.isEmpty() && remove.isEmpty(); }
};

class ScriptChecksumTable
{
public:
    ScriptChecksumTable(DatabaseConnection &connection, VersionTableOptions versionTable);

    static const QString &tableName();
    QString qualifiedTable() const;

    Result<bool> exists();
    VoidResult ensureExists();
    // revision -> checksum for this version table; empty when the table does not exist.
    Result<QHash<QString, QString>> read();
    VoidResult apply(const ScriptChecksumChange &change);
    // The change as items of a PostgreSQL data-modifying WITH (VersionTable::
    // applyWithChecksums()), for a change removing or recording one revision: its
    // placeholders' values appended to `values`, the text with them written out to
    // `shown`. The INSERT reads the DELETE before it, so the old row is gone first, as in
    // apply(). nullopt for another shape.
    std::optional<QString> withItems(const ScriptChecksumChange &change, QVariantList &values, QString &shown) const;
    VoidResult clear();   // stamp --purge: this version table's rows

private:
    DatabaseConnection &m_conn;
    VersionTableOptions m_versionTable;
};

} // namespace retort
