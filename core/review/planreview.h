#pragma once
// Beyond Alembic: reviews a planned upgrade/downgrade before it runs. Each step's ops,
// as the native engine reads them from the script (never the rendered SQL), are
// classified: tables and columns dropped, types narrowed, NOT NULL set, constraints and
// indexes dropped, SQL text run by op.execute(). The rows and values each touches are
// counted in the live database first (read-only SELECTs), so the studio's run dialog
// and the CLI can say "drops 2 columns holding 50 values". A step whose function needs
// Python is "not reviewed", never assumed safe.
//
// Tables and columns an earlier step of the same plan creates are not counted (they
// do not exist yet); a table renamed by an earlier step is counted under its old name. Not thread-safe: use it in the thread that owns the connection.

#include "planreviewreport.h"
#include "reviewrowcounter.h"
#include "ddl/oparguments.h"
#include "operations/migrationop.h"
#include "revision/migrationplanner.h"

#include <QHash>
#include <QSet>

#include <optional>

namespace retort {

class DatabaseConnection;
class Dialect;
class ScriptStepBodyProvider;

class PlanReview
{
public:
    // scripts: reads each step's ops (null: every step is "not reviewed"); online, its
    // script context is set to the connection's dialect, as the run's router sets it.
    // connection: where counts are taken (null: nothing is counted, e.g. --sql).
    PlanReview(ScriptStepBodyProvider *scripts, DatabaseConnection *connection);

    PlanReviewReport review(const MigrationPlan &plan);
    // One function body's ops as step `step` of a plan (review() calls it per step).
    void reviewOps(const QVector<MigrationOp> &ops, int step, PlanReviewReport &report);

private:
    struct Target
    {
        QString schema;
        QString table;
    };
    PlanReviewReport reviewSteps(const MigrationPlan &plan);
    void reviewOp(const MigrationOp &op, int step, const Target *batch, PlanReviewReport &report);
    void dropTable(const MigrationOp &op, int step, PlanReviewReport &report);
    void dropColumn(const MigrationOp &op, int step, const Target *batch, PlanReviewReport &report);
    void alterColumn(const MigrationOp &op, int step, const Target *batch, PlanReviewReport &report);
    void dropConstraint(const MigrationOp &op, int step, const Target *batch, PlanReviewReport &report);
    void dropIndex(const MigrationOp &op, int step, const Target *batch, PlanReviewReport &report);
    void noteCreated(const MigrationOp &op, const Target *batch);
    void noteRenamed(const MigrationOp &op);
    void unreadable(const MigrationOp &op, int step, const QString &why, PlanReviewReport &report);
    // Every per-op check's start: the op's arguments bound (an unreadable op becomes its own
    // finding, and nullopt), `f` given its step and table (the batch's inside a batch).
    std::optional<OpArguments> locate(const MigrationOp &op, const QStringList &params, int step,
                                      const Target *batch, ReviewFinding &f, PlanReviewReport &report);
    QString typeText(const PyValue &type) const;
    // The table's name in the database before the run (an earlier step may rename it).
    QString liveTable(const QString &schema, const QString &table) const;
    bool tableCreated(const QString &schema, const QString &table) const;
    bool columnCreated(const QString &schema, const QString &table, const QString &column) const;

    ScriptStepBodyProvider *m_scripts;
    DatabaseConnection *m_connection;
    ReviewRowCounter m_counter;
    QSet<QString> m_createdTables;    // "schema\ntable"
    QSet<QString> m_createdColumns;   // "schema\ntable\ncolumn"
    QHash<QString, QString> m_renamedTables;   // "schema\nnew name" -> the name in the database
};

} // namespace retort
