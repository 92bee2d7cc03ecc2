#include "reviewwarnings.h"

#include "command/commandcontext.h"
#include "review/planreview.h"

namespace retort {

void ReviewWarnings::log(CommandContext &context, ScriptStepBodyProvider *scripts, DatabaseConnection *connection,
                         const MigrationPlan &plan)
{
    if (!connection || plan.steps.isEmpty())
        return;
    bool downgrade = false;
    for (const MigrationStep &s : plan.steps)
        downgrade = downgrade || s.kind == MigrationStep::Downgrade;
    const PlanReviewReport report = PlanReview(scripts, connection).review(plan);
    if (!(report.losesData() || (downgrade && report.hasWarnings())))
        return;
    const QString logger = QStringLiteral("retort.review");
    auto warn = [&](const QString &message) {
        if (context.loggingConfigured())
            context.record(30, logger, message);
        else
            context.out().writeStderr(QStringLiteral("WARNING [%1] %2\n").arg(logger, message));
    };
    warn(QStringLiteral("This %1 %2").arg(downgrade ? QStringLiteral("downgrade") : QStringLiteral("upgrade"),
                                          report.summary()));
    for (const ReviewFinding &f : report.findings) {
        if (f.severity == ReviewFinding::Info)
            continue;
        warn(QStringLiteral("%1: %2").arg(plan.steps.at(f.step).shortLog, f.text));
    }
}

} // namespace retort
