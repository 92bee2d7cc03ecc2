#pragma once
// `alembic upgrade/downgrade/stamp --sql`: the script Alembic's MigrationContext writes
// in as_sql mode, byte for byte. Each statement is followed by ";" and a blank line;
// BEGIN/COMMIT appear only for transactional-DDL dialects (per run, or per migration
// with transaction_per_migration); the version table is created when a step starts
// from no heads and dropped when the run ends with none.

#include "dialect.h"
#include "result.h"
#include "revision/migrationstep.h"
#include "stepbody.h"
#include "versiontableoptions.h"
#include "versiontablesql.h"

#include <QString>
#include <QStringList>
#include <QVector>
#include <functional>
#include <optional>

namespace retort {

class StepBodyProvider;

class OfflineSqlWriter
{
public:
    OfflineSqlWriter(Dialect dialect, VersionTableOptions versionTable);

    void setTransactionPerMigration(bool on) { m_transactionPerMigration = on; }
    // context.configure(transactional_ddl=...); unset = the dialect impl's default.
    void setTransactionalDdl(std::optional<bool> on) { m_transactionalDdl = on; }
    // Body statements between the "-- Running" comment and the version-table update.
    void setBodyProvider(StepBodyProvider *provider) { m_bodies = provider; }
    // Where the bodies' logging records go (print() output is written into the script,
    // where Alembic's stdout has it).
    void setLogHandler(std::function<void(const MigrationStep &, const StepItem &)> handler)
    { m_onLog = std::move(handler); }
    // stamp --purge: refused in --sql mode, as Alembic does.
    void setPurge(bool on) { m_purge = on; }

    bool transactionalDdl() const;

    // Appends the script to `out`. `startingHeads` are the heads the run starts from
    // (the "from" part of "from:to", empty for base). On error, `out` holds what Alembic
    // would have written before failing.
    VoidResult write(const QStringList &startingHeads, const QVector<MigrationStep> &steps,
                     QString &out) const;

    // Convenience: the whole script, or the error.
    Result<QString> render(const QStringList &startingHeads,
                           const QVector<MigrationStep> &steps) const;

    // Alembic's static_output of one statement: tabs to spaces, stripped, ";", blank line.
    static QString statementText(const QString &sql);
    // The same, appended to `out`.
    static void appendStatement(QString &out, QStringView sql);

private:
    VoidResult writeStep(const MigrationStep &step, QStringList &heads, QString &out) const;
    void writeVersionOp(const VersionTableOp &op, QStringList &heads, QString &out) const;
    void writeItems(const MigrationStep &step, const QVector<StepItem> &items, QString &out) const;

    const VersionTableSql &versionTableSql() const;

    Dialect m_dialect;
    VersionTableOptions m_versionTable;
    mutable std::optional<VersionTableSql> m_sql;
    bool m_transactionPerMigration = false;
    std::optional<bool> m_transactionalDdl;
    StepBodyProvider *m_bodies = nullptr;
    bool m_purge = false;
    std::function<void(const MigrationStep &, const StepItem &)> m_onLog;
};

} // namespace retort
