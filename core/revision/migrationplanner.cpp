#include "migrationplanner.h"

#include "migrationplantargets.h"
#include "versionheads.h"

#include <QSet>

namespace retort {

namespace {

MigrationStep revisionStep(const RevisionNode &rev, bool isUpgrade)
{
    MigrationStep step;
    step.kind = isUpgrade ? MigrationStep::Upgrade : MigrationStep::Downgrade;
    step.revision = rev.id();
    // from/to_revisions_no_deps: dependencies never show in the log line
    if (isUpgrade) {
        step.fromRevisions = rev.downRevisions();
        step.toRevisions = {rev.id()};
    } else {
        step.fromRevisions = {rev.id()};
        step.toRevisions = rev.downRevisions();
    }
    step.shortLog = MigrationPlanner::shortLog(isUpgrade ? QStringLiteral("upgrade")
                                                         : QStringLiteral("downgrade"),
                                               step.fromRevisions, step.toRevisions);
    return step;
}

struct StampSpec
{
    QStringList from;
    QStringList to;
    bool isUpgrade = false;
    bool branchMove = false;
};

MigrationStep stampStep(const StampSpec &spec)
{
    MigrationStep step;
    step.kind = MigrationStep::Stamp;
    step.fromRevisions = spec.from;
    step.toRevisions = spec.to;
    step.shortLog = MigrationPlanner::shortLog(QStringLiteral("stamp_revision"), spec.from, spec.to);
    return step;
}

RevisionError crash(const QString &what)
{
    RevisionError e;
    e.kind = RevisionError::Crash;
    e.message = what;
    return e;
}

// Runs the revision steps through the simulated version table.
Result<MigrationPlan> planRevisionSteps(const RevisionGraph &graph, const QStringList &heads,
                                        const RevisionNodes &revs, bool isUpgrade,
                                        const QStringList &warnings)
{
    MigrationPlan plan;
    plan.startHeads = heads;
    plan.warnings = warnings;
    VersionHeads table(heads);
    for (const RevisionNode *rev : revs) {
        MigrationStep step = revisionStep(*rev, isUpgrade);
        auto ops = table.applyRevisionStep(graph, *rev, isUpgrade);
        if (!ops.ok())
            return commandError(ops.error());
        step.versionOps = *ops;
        plan.steps << step;
    }
    plan.endHeads = table.heads();
    return plan;
}

QStringList idsOf(const RevisionNodes &nodes)
{
    QStringList ids;
    for (const RevisionNode *n : nodes)
        ids << n->id();
    return ids;
}

// The heads of `heads` in the lineage of any destination (include_dependencies=True).
RevisionResult<RevisionNodes> stampFilteredHeads(const RevisionGraph &graph,
                                                 const RevisionNodes &heads,
                                                 const QStringList &destinations)
{
    RevisionNodes filtered;
    for (const QString &dest : destinations) {
        if (dest.isEmpty())
            continue;
        auto inLineage = graph.filterForLineage(heads, dest, true);
        if (!inLineage.ok())
            return inLineage.error();
        for (const RevisionNode *n : *inLineage)
            if (!filtered.contains(n))
                filtered << n;
    }
    return filtered;
}

// ScriptDirectory._stamp_revs: the StampStep arguments, before any table simulation.
RevisionResult<QVector<StampSpec>> stampSpecs(const RevisionGraph &graph, const QStringList &heads,
                                              QStringList destinations)
{
    auto headRevs = graph.revisions(heads);
    if (!headRevs.ok())
        return headRevs.error();
    if (destinations.isEmpty())
        destinations = {QStringLiteral("base")};
    auto filteredRes = stampFilteredHeads(graph, *headRevs, destinations);
    if (!filteredRes.ok())
        return filteredRes.error();
    const RevisionNodes filtered = *filteredRes;
    auto destRes = graph.revisions(destinations);
    if (!destRes.ok())
        return destRes.error();
    RevisionNodes dests = *destRes;
    if (dests.isEmpty())
        dests = {nullptr};

    QVector<StampSpec> specs;
    for (const RevisionNode *dest : dests) {
        if (!dest) {  // base: delete every applicable head
            for (const RevisionNode *h : filtered)
                specs.append({{h->id()}, {}, false, true});
            continue;
        }
        if (dest->isBaseMarker())
            return crash(QStringLiteral("AssertionError"));
        if (filtered.contains(dest))  // already in the version table
            continue;
        auto desc = graph.descendants({dest});
        auto anc = graph.ancestors({dest});
        if (!desc.ok())
            return desc.error();
        if (!anc.ok())
            return anc.error();
        const QSet<const RevisionNode *> filteredSet(filtered.begin(), filtered.end());
        const bool headsAbove = QSet<const RevisionNode *>(desc->begin(), desc->end())
                                    .intersects(filteredSet);
        const bool headsBelow = QSet<const RevisionNode *>(anc->begin(), anc->end())
                                    .intersects(filteredSet);
        if (headsAbove) {  // a downgrade, taken as one "merge" step
            if (headsBelow)
                return crash(QStringLiteral("AssertionError"));
            specs.append({idsOf(filtered), {dest->id()}, false, false});
        } else if (headsBelow) {
            specs.append({idsOf(filtered), {dest->id()}, true, false});
        } else {  // a branch not represented yet
            specs.append({{}, {dest->id()}, true, true});
        }
    }
    return specs;
}

} // namespace

QStringList MigrationPlan::headsBefore(int index) const
{
    QStringList heads = startHeads;
    for (int i = 0; i < index && i < steps.size(); ++i) {
        for (const VersionTableOp &op : steps.at(i).versionOps) {
            if (op.kind != VersionTableOp::Insert)
                heads.removeOne(op.from);
            if (op.kind != VersionTableOp::Delete)
                heads << op.to;
        }
    }
    return heads;
}

QString MigrationPlanner::shortLog(const QString &name, const QStringList &from,
                                   const QStringList &to)
{
    // One buffer, not arg() and two joins: a step each in a plan of thousands.
    qsizetype size = name.size() + 6;
    for (const QString &s : from)
        size += s.size() + 2;
    for (const QString &s : to)
        size += s.size() + 2;
    QString text;
    text.reserve(size);
    text.append(name).append(u' ');
    auto join = [&text](const QStringList &ids) {
        for (qsizetype i = 0; i < ids.size(); ++i) {
            if (i > 0)
                text.append(QLatin1StringView(", "));
            text.append(ids.at(i));
        }
    };
    join(from);
    text.append(QLatin1StringView(" -> "));
    join(to);
    return text;
}

Result<MigrationPlan> MigrationPlanner::upgrade(const RevisionGraph &graph,
                                                const QStringList &currentHeads,
                                                const QString &destination)
{
    RevisionErrorContext context;
    context.ancestor = QStringLiteral(
        "Destination %(end)s is not a valid upgrade target from current head(s)");
    context.end = destination;
    auto revs = MigrationPlanTargets::iterate(graph, {destination}, currentHeads,
                                              /*implicitBase=*/true);
    if (!revs.ok())
        return commandError(revs.error(), context);
    RevisionNodes ordered(revs->rbegin(), revs->rend());
    return planRevisionSteps(graph, currentHeads, ordered, true, {});
}

Result<MigrationPlan> MigrationPlanner::downgrade(const RevisionGraph &graph,
                                                  const QStringList &currentHeads,
                                                  const QString &destination)
{
    RevisionErrorContext context;
    context.ancestor = QStringLiteral(
        "Destination %(end)s is not a valid downgrade target from current head(s)");
    context.end = destination;
    QStringList warnings;
    auto revs = MigrationPlanTargets::iterate(graph, currentHeads, {destination},
                                              /*implicitBase=*/false, /*inclusive=*/false,
                                              /*assertRelativeLength=*/true,
                                              /*selectForDowngrade=*/true, &warnings);
    if (!revs.ok())
        return commandError(revs.error(), context);
    return planRevisionSteps(graph, currentHeads, *revs, false, warnings);
}

Result<MigrationPlan> MigrationPlanner::stamp(const RevisionGraph &graph,
                                              const QStringList &currentHeads,
                                              const QStringList &destinations, bool purge)
{
    MigrationPlan plan;
    plan.purge = purge;
    if (!purge)
        plan.startHeads = currentHeads;

    RevisionErrorContext context;
    context.multipleHeads =
        QStringLiteral("Multiple heads are present; please specify a single target revision");
    auto specs = stampSpecs(graph, plan.startHeads, destinations);
    if (!specs.ok())
        return commandError(specs.error(), context);

    VersionHeads table(plan.startHeads);
    for (const StampSpec &spec : *specs) {
        MigrationStep step = stampStep(spec);
        auto ops = table.applyStampStep(spec.from, spec.to, spec.isUpgrade, spec.branchMove);
        if (!ops.ok())
            return commandError(ops.error());
        step.versionOps = *ops;
        plan.steps << step;
    }
    plan.endHeads = table.heads();
    return plan;
}

Result<QStringList> MigrationPlanner::offlineStartHeads(const RevisionGraph &graph,
                                                        const QString &start)
{
    if (start.isNull() || start == QLatin1String("base"))
        return QStringList();
    auto rev = graph.revision(start);
    if (!rev.ok())
        return commandError(rev.error());
    if (!*rev || (*rev)->isBaseMarker())  // Alembic: AttributeError on None.revision
        return Error(QStringLiteral("AttributeError: 'NoneType' object has no attribute 'revision'"));
    return QStringList{(*rev)->id()};
}

} // namespace retort
