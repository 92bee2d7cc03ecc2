#pragma once
// What PlanReview found in a whole plan: the findings in plan order and the one-line
// summary the studio shows in red and the CLI logs before a run ("drops 2 columns
// holding 50 values; ...").

#include "reviewfinding.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

struct PlanReviewReport
{
    QVector<ReviewFinding> findings;
    bool online = false;   // counts were taken from the live database

    // Some finding will lose values (or may, and could not be counted).
    bool losesData() const;
    // Some finding is DataLoss or Warning: worth a warning before the run.
    bool hasWarnings() const;
    QVector<ReviewFinding> findingsFor(int step) const;

    // "drops 2 columns holding 50 values; drops 1 table holding 20 rows; sets NOT NULL on
    // 1 column holding 3 NULLs; leaves 1 step not reviewed"; "" when nothing
    // was found.
    QString summary() const;
};

} // namespace retort

Q_DECLARE_METATYPE(retort::PlanReviewReport)
