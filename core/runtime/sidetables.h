#pragma once
// Tables Retort keeps next to the version table for itself (Alembic ignores them). They
// are not the user's schema: introspection for autogenerate, check and diff skips them as
// it skips the version table.

#include <QString>

namespace retort {

namespace SideTables {

inline const QString &lockTable()
{
    static const QString name = QStringLiteral("retort_lock");   // Galera lease lock
    return name;
}

inline const QString &journalTable()
{
    static const QString name = QStringLiteral("retort_step_journal");   // MySQL statement journal
    return name;
}

inline const QString &checksumTable()
{
    static const QString name = QStringLiteral("retort_script_checksums");   // applied upgrade() checksums
    return name;
}

inline bool isSideTable(const QString &table)
{
    return table == lockTable() || table == journalTable() || table == checksumTable();
}

} // namespace SideTables

} // namespace retort
