#pragma once
// One thing a plan review found in a step: a statement that drops, narrows or constrains
// data, with the rows or values it touches counted in the live database before the run
// (nullopt when they could not be counted), or a step the review could not look into.

#include <QString>
#include <optional>

namespace retort {

struct ReviewFinding
{
    enum Kind {
        DropTable,        // count: rows
        DropColumn,       // count: non-NULL values
        NarrowType,       // count: values that do not fit (fitCounted) or non-NULL values
        SetNotNull,       // count: NULLs (the statement fails on them)
        DropConstraint,   // count: unused
        DropIndex,        // count: unused
        RawSql,           // op.execute(): SQL text the review does not read
        NotReviewed       // a whole step: needs Python, or its script cannot be read
    };
    enum Severity {
        Info,       // listed: no data goes (an empty table, a constraint)
        Warning,    // may fail or could not be checked
        DataLoss    // values will be lost (or could not be counted and may be)
    };

    Kind kind = NotReviewed;
    Severity severity = Info;
    int step = -1;            // the plan's step index
    QString schema;
    QString table;
    QString column;           // DropColumn / NarrowType / SetNotNull
    QString name;             // DropConstraint / DropIndex
    QString fromType;         // NarrowType: "VARCHAR(100)" ("" when the script does not say)
    QString toType;           // NarrowType: "VARCHAR(20)"
    std::optional<qint64> count;
    bool fitCounted = false;  // NarrowType: count is of values that do not fit
    bool createdInRun = false;  // the table/column is created by an earlier step: not counted
    QString text;             // one line: "drops column orders.total_cents: 20 rows have a value"

    QString qualifiedTable() const { return schema.isEmpty() ? table : schema + QLatin1Char('.') + table; }
};

} // namespace retort
