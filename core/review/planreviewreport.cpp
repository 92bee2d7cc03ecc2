#include "planreviewreport.h"

#include <QLocale>

namespace retort {

namespace {

QString number(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

QString counted(qint64 n, const char *one, const char *many)
{
    return number(n) + QLatin1Char(' ') + QLatin1String(n == 1 ? one : many);
}

struct Tally
{
    int findings = 0;
    qint64 total = 0;
    bool unknown = false;   // some count could not be taken

    void add(const ReviewFinding &f)
    {
        ++findings;
        if (f.count)
            total += *f.count;
        else
            unknown = true;
    }
    // "holding 50 values", "holding at least 50 values", "(not counted)".
    QString holding(const char *one, const char *many) const
    {
        if (unknown && total == 0)
            return QStringLiteral("(not counted)");
        return (unknown ? QStringLiteral("holding at least ") : QStringLiteral("holding "))
               + counted(total, one, many);
    }
};

} // namespace

bool PlanReviewReport::losesData() const
{
    for (const ReviewFinding &f : findings)
        if (f.severity == ReviewFinding::DataLoss)
            return true;
    return false;
}

bool PlanReviewReport::hasWarnings() const
{
    for (const ReviewFinding &f : findings)
        if (f.severity != ReviewFinding::Info)
            return true;
    return false;
}

QVector<ReviewFinding> PlanReviewReport::findingsFor(int step) const
{
    QVector<ReviewFinding> out;
    for (const ReviewFinding &f : findings)
        if (f.step == step)
            out << f;
    return out;
}

QString PlanReviewReport::summary() const
{
    Tally tables, columns, narrowed, notNull;
    int fitCounted = 0;
    qint64 misfits = 0;
    int constraints = 0, indexes = 0, rawSql = 0, notReviewed = 0;
    for (const ReviewFinding &f : findings) {
        // Objects created by this run hold no data yet: only listed per step.
        if (f.createdInRun)
            continue;
        switch (f.kind) {
        case ReviewFinding::DropTable: tables.add(f); break;
        case ReviewFinding::DropColumn: columns.add(f); break;
        case ReviewFinding::NarrowType:
            narrowed.add(f);
            if (f.fitCounted && f.count) {
                ++fitCounted;
                misfits += *f.count;
            }
            break;
        case ReviewFinding::SetNotNull: notNull.add(f); break;
        case ReviewFinding::DropConstraint: ++constraints; break;
        case ReviewFinding::DropIndex: ++indexes; break;
        case ReviewFinding::RawSql: ++rawSql; break;
        case ReviewFinding::NotReviewed: ++notReviewed; break;
        }
    }
    QStringList parts;
    if (columns.findings)
        parts << QStringLiteral("drops %1 %2").arg(counted(columns.findings, "column", "columns"),
                                                   columns.holding("value", "values"));
    if (tables.findings)
        parts << QStringLiteral("drops %1 %2").arg(counted(tables.findings, "table", "tables"),
                                                   tables.holding("row", "rows"));
    if (narrowed.findings) {
        QString s = QStringLiteral("narrows the type of %1").arg(counted(narrowed.findings, "column", "columns"));
        if (fitCounted == narrowed.findings)
            s += misfits ? QStringLiteral(": %1 do not fit").arg(counted(misfits, "value", "values"))
                         : QStringLiteral(": every value fits");
        else
            s += QLatin1Char(' ') + narrowed.holding("value", "values");
        parts << s;
    }
    if (notNull.findings)
        parts << QStringLiteral("sets NOT NULL on %1 %2").arg(counted(notNull.findings, "column", "columns"),
                                                              notNull.holding("NULL", "NULLs"));
    if (constraints)
        parts << QStringLiteral("drops %1").arg(counted(constraints, "constraint", "constraints"));
    if (indexes)
        parts << QStringLiteral("drops %1").arg(counted(indexes, "index", "indexes"));
    if (rawSql)
        parts << QStringLiteral("runs %1 not reviewed").arg(counted(rawSql, "SQL text", "SQL texts"));
    if (notReviewed)
        parts << QStringLiteral("leaves %1 not reviewed").arg(counted(notReviewed, "step", "steps"));
    return parts.join(QStringLiteral("; "));
}

} // namespace retort
