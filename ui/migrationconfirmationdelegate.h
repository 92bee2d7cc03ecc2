#pragma once
// What MigrationController asks the user, always from the GUI thread: confirm a plan
// (with "Back up first"), pick a head when rolling back with several, and whether to
// restore the backup after a failure. ApplyConfirmationDelegate answers with dialogs;
// tests answer directly.

#include "migrationsession.h"
#include "review/planreviewreport.h"
#include "runtime/confirmationdelegate.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

struct ApplyRequest
{
    QString title;              // "Upgrade to ae1027a6acf"
    QString databaseUrl;        // password masked
    QVector<StepPreview> steps;
    PlanReviewReport review;    // what the steps drop, narrow or constrain, counted live
    bool backupFirst = true;    // in: the default; out: the user's choice
    // Run the plan on a scratch copy first (Rehearsal). canRehearse: the database can be
    // copied (not in memory, not one engine of a multidb project). rehearseFirst in: the
    // default (on for PostgreSQL/MySQL when the user may create databases); out: the choice.
    bool canRehearse = false;
    bool rehearseFirst = false;
};

class MigrationConfirmationDelegate : public ConfirmationDelegate
{
public:
    // true to run request.steps; request.backupFirst says whether to back up first.
    virtual bool confirmApply(ApplyRequest &request) = 0;
    // "Roll back last migration" with several heads: which one; empty to cancel.
    virtual QString chooseHead(const QStringList &heads) = 0;
    // After a failed run that was backed up: true to restore `backupPath`.
    virtual bool offerRestore(const QString &error, const QString &backupPath) = 0;

    bool confirm(const QString &question, const QStringList &details) override
    {
        ApplyRequest request;
        request.title = question;
        for (const QString &line : details)
            request.steps.append({line, {}, {}});
        request.backupFirst = false;
        return confirmApply(request);
    }
};

} // namespace retort
