#include "planreviewreport.h"

#include <QCoreApplication>
#include <QLocale>

namespace retort {

namespace {

// Counts are grouped as the findings' language writes them: "1,500" in English (the CLI, which
// has no translator), "1.500" in German.
QString number(qint64 n)
{
    return QLocale(QCoreApplication::translate("retort::PlanReviewReport", "en", "the locale whose digit grouping the counts use"))
        .toString(n);
}

// "1 column" / "20 columns" as whole phrases (QT_TRANSLATE_NOOP), translated here, so that
// the studio shows them in its language and the CLI, which installs no translator, in English.
struct Noun
{
    const char *one;
    const char *many;   // %1: the count
};

const Noun kColumns{QT_TRANSLATE_NOOP("retort::PlanReviewReport", "1 column"),
                   QT_TRANSLATE_NOOP("retort::PlanReviewReport", "%1 columns")};
const Noun kTables{QT_TRANSLATE_NOOP("retort::PlanReviewReport", "1 table"),
                  QT_TRANSLATE_NOOP("retort::PlanReviewReport", "%1 tables")};
const Noun kValues{QT_TRANSLATE_NOOP("retort::PlanReviewReport", "1 value"),
                  QT_TRANSLATE_NOOP("retort::PlanReviewReport", "%1 values")};
const Noun kRows{QT_TRANSLATE_NOOP("retort::PlanReviewReport", "1 row"),
                QT_TRANSLATE_NOOP("retort::PlanReviewReport", "%1 rows")};
const Noun kNulls{QT_TRANSLATE_NOOP("retort::PlanReviewReport", "1 NULL"),
                 QT_TRANSLATE_NOOP("retort::PlanReviewReport", "%1 NULLs")};
const Noun kConstraints{QT_TRANSLATE_NOOP("retort::PlanReviewReport", "1 constraint"),
                       QT_TRANSLATE_NOOP("retort::PlanReviewReport", "%1 constraints")};
const Noun kIndexes{QT_TRANSLATE_NOOP("retort::PlanReviewReport", "1 index"),
                   QT_TRANSLATE_NOOP("retort::PlanReviewReport", "%1 indexes")};
const Noun kSqlTexts{QT_TRANSLATE_NOOP("retort::PlanReviewReport", "1 SQL text"),
                    QT_TRANSLATE_NOOP("retort::PlanReviewReport", "%1 SQL texts")};
const Noun kSteps{QT_TRANSLATE_NOOP("retort::PlanReviewReport", "1 step"),
                 QT_TRANSLATE_NOOP("retort::PlanReviewReport", "%1 steps")};

QString translated(const char *source)
{
    return QCoreApplication::translate("retort::PlanReviewReport", source);
}

QString counted(qint64 n, const Noun &noun)
{
    return n == 1 ? translated(noun.one) : translated(noun.many).arg(number(n));
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
    QString holding(const Noun &noun) const
    {
        if (unknown && total == 0)
            return QCoreApplication::translate("retort::PlanReviewReport", "(not counted)");
        return (unknown ? QCoreApplication::translate("retort::PlanReviewReport", "holding at least %1")
                        : QCoreApplication::translate("retort::PlanReviewReport", "holding %1"))
            .arg(counted(total, noun));
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
        parts << QCoreApplication::translate("retort::PlanReviewReport", "drops %1 %2")
                     .arg(counted(columns.findings, kColumns), columns.holding(kValues));
    if (tables.findings)
        parts << QCoreApplication::translate("retort::PlanReviewReport", "drops %1 %2")
                     .arg(counted(tables.findings, kTables), tables.holding(kRows));
    if (narrowed.findings) {
        QString s = QCoreApplication::translate("retort::PlanReviewReport", "narrows the type of %1")
                        .arg(counted(narrowed.findings, kColumns));
        if (fitCounted == narrowed.findings)
            s += misfits ? QCoreApplication::translate("retort::PlanReviewReport", ": %1 do not fit").arg(counted(misfits, kValues))
                         : QCoreApplication::translate("retort::PlanReviewReport", ": every value fits");
        else
            s += QLatin1Char(' ') + narrowed.holding(kValues);
        parts << s;
    }
    if (notNull.findings)
        parts << QCoreApplication::translate("retort::PlanReviewReport", "sets NOT NULL on %1 %2")
                     .arg(counted(notNull.findings, kColumns), notNull.holding(kNulls));
    if (constraints)
        parts << QCoreApplication::translate("retort::PlanReviewReport", "drops %1").arg(counted(constraints, kConstraints));
    if (indexes)
        parts << QCoreApplication::translate("retort::PlanReviewReport", "drops %1").arg(counted(indexes, kIndexes));
    if (rawSql)
        parts << QCoreApplication::translate("retort::PlanReviewReport", "runs %1 not reviewed").arg(counted(rawSql, kSqlTexts));
    if (notReviewed)
        parts << QCoreApplication::translate("retort::PlanReviewReport", "leaves %1 not reviewed").arg(counted(notReviewed, kSteps));
    return parts.join(QCoreApplication::translate("retort::PlanReviewReport", "; "));
}

} // namespace retort
