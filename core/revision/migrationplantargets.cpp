#include "migrationplantargets.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace retort {

namespace {

// Propagates a RevisionResult's error out of the calling function.
#define RETORT_TRY(var, expr)   \
    auto var = (expr);          \
    if (!var.ok())              \
        return var.error();

using NodeSet = QSet<const RevisionNode *>;

// Alembic's _relative_destination, applied with re.match (anchored at the start only).
struct RelativeSpec
{
    bool matched = false;
    QString branchLabel;   // empty = None
    QString symbol;        // empty = None
    QString relativeText;  // as written, sign included
    int relative = 0;
};

RelativeSpec matchRelative(const QStringList &target)
{
    static const QRegularExpression re(QStringLiteral("^(?:(.+?)@)?(\\w+)?((?:\\+|-)\\d+)"),
                                       QRegularExpression::UseUnicodePropertiesOption);
    RelativeSpec spec;
    if (target.size() != 1)
        return spec;
    const QRegularExpressionMatch m = re.match(target.first());
    if (!m.hasMatch())
        return spec;
    spec.matched = true;
    spec.branchLabel = m.captured(1);
    spec.symbol = m.captured(2);
    spec.relativeText = m.captured(3);
    spec.relative = spec.relativeText.toInt();
    return spec;
}

RevisionError relativeError(const QString &relative, int steps)
{
    return RevisionError::generic(QStringLiteral("Relative revision %1 didn't produce %2 migrations")
                                      .arg(relative)
                                      .arg(std::abs(steps)));
}

// Where Alembic's is_revision() assertion or a bare `assert` fails: it dies with a
// traceback; we report it as a Crash.
RevisionError crash(const QString &what)
{
    RevisionError e;
    e.kind = RevisionError::Crash;
    e.message = what;
    return e;
}

// str() of an identifier argument: None, the string, or a tuple's repr.
QString pyValue(const QStringList &ids)
{
    if (ids.isEmpty())
        return QString();
    return ids.size() == 1 ? ids.first() : pythonTupleRepr(ids);
}

RevisionError rangeNotAncestor(const QString &lower, const QString &upper, bool lowerFalsy,
                               bool upperFalsy)
{
    RevisionError e;
    e.kind = RevisionError::RangeNotAncestor;
    e.lower = lower;
    e.upper = upper;
    e.message = QStringLiteral("Revision %1 is not an ancestor of revision %2")
                    .arg(lowerFalsy ? QStringLiteral("base") : lower,
                         upperFalsy ? QStringLiteral("base") : upper);
    return e;
}

bool isReal(const RevisionNode *n) { return n && !n->isBaseMarker(); }

NodeSet toSet(const RevisionNodes &nodes)
{
    NodeSet set;
    for (const RevisionNode *n : nodes)
        if (isReal(n))
            set.insert(n);
    return set;
}

RevisionNodes inMapOrder(const NodeSet &set)
{
    RevisionNodes out(set.begin(), set.end());
    std::sort(out.begin(), out.end(),
              [](const RevisionNode *a, const RevisionNode *b) { return a->index() < b->index(); });
    return out;
}

QStringList idsOf(const RevisionNodes &nodes)
{
    QStringList ids;
    for (const RevisionNode *n : nodes)
        ids << (isReal(n) ? n->id() : QString());
    return ids;
}

RevisionResult<const RevisionNode *> walkOrError(const RevisionGraph &graph, const RevisionNode *start,
                                                 int steps, const QString &label, bool noOverwalk,
                                                 const RevisionError &onNone)
{
    RETORT_TRY(rev, graph.walk(start, steps, label, noOverwalk));
    if (!*rev)
        return onNone;
    return *rev;
}

// _parse_upgrade_target, relative "+n" without a symbol: walk up from the current state.
RevisionResult<RevisionNodes> upgradeFromCurrent(const RevisionGraph &graph,
                                                 const QStringList &current,
                                                 const RelativeSpec &spec, bool noOverwalk)
{
    const RevisionNode *start = nullptr;
    if (spec.branchLabel.isEmpty()) {
        if (current.size() > 1)
            return RevisionError::generic(
                QStringLiteral("Ambiguous upgrade from multiple current revisions"));
        if (!current.isEmpty()) {
            RETORT_TRY(rev, graph.revision(current.first()));
            start = *rev;
        }
    } else {
        RETORT_TRY(currentRevs, graph.revisions(current));
        RETORT_TRY(startRevs, graph.filterForLineage(*currentRevs, spec.branchLabel));
        RevisionNodes starts = *startRevs;
        if (starts.isEmpty()) {
            // The branch isn't a current head: start from the tips of its active part.
            RETORT_TRY(anc, graph.ancestors(*currentRevs));
            RETORT_TRY(active, graph.filterForLineage(*anc, spec.branchLabel));
            NodeSet tips = toSet(*active);
            for (const RevisionNode *n : *active)
                for (const QString &down : n->normalizedDownRevisions())
                    tips.remove(graph.node(down));
            starts = inMapOrder(tips);
            if (starts.isEmpty())
                starts = {nullptr};
        }
        if (starts.size() > 1)
            return RevisionError::generic(
                QStringLiteral("Ambiguous upgrade from multiple current revisions"));
        start = starts.first();
    }
    RETORT_TRY(rev, walkOrError(graph, start, spec.relative, spec.branchLabel, noOverwalk,
                                relativeError(spec.relativeText, spec.relative)));
    return RevisionNodes{*rev};
}

// _parse_downgrade_target, relative "-n" without a symbol: pick the current head to walk from.
RevisionResult<QString> downgradeSymbol(const RevisionGraph &graph, const QStringList &current,
                                        RelativeSpec &spec, QStringList *warnings)
{
    if (!spec.branchLabel.isEmpty()) {
        RETORT_TRY(symbols, graph.filterForLineage(current, spec.branchLabel));
        QStringList list = *symbols;
        if (list.isEmpty()) {
            // A single current head may stand for several branches through dependencies.
            RETORT_TRY(all, graph.allCurrent(current));
            RETORT_TRY(filtered, graph.filterForLineage(*all, spec.branchLabel));
            list = idsOf(*filtered);
        }
        if (list.size() != 1)
            return crash(QStringLiteral("AssertionError"));
        return list.first();
    }
    if (current.isEmpty())
        return relativeError(spec.relativeText, spec.relative);
    if (QSet<QString>(current.begin(), current.end()).size() > 1 && warnings)
        warnings->append(QStringLiteral("downgrade -1 from multiple heads is ambiguous; this usage "
                                        "will be disallowed in a future release."));
    // Restricts the walk to the chosen head's branch.
    spec.branchLabel = current.first();
    return current.first();
}

} // namespace

RevisionResult<RevisionNodes> MigrationPlanTargets::parseUpgradeTarget(
    const RevisionGraph &graph, const QStringList &currentRevisions, const QStringList &target,
    bool assertRelativeLength)
{
    const RelativeSpec spec = matchRelative(target);
    if (!spec.matched)
        return graph.revisions(target);

    if (spec.relative > 0) {
        if (spec.symbol.isEmpty())
            return upgradeFromCurrent(graph, currentRevisions, spec, assertRelativeLength);
        // Relative to a named revision, not to the current state.
        RETORT_TRY(start, graph.revision(spec.symbol));
        RETORT_TRY(rev, graph.walk(*start, spec.relative, spec.branchLabel, assertRelativeLength));
        return RevisionNodes{*rev};
    }
    if (spec.symbol.isEmpty())  // upgrading to current - n
        return relativeError(QString::number(spec.relative), spec.relative);
    RETORT_TRY(start, graph.revision(spec.branchLabel.isEmpty()
                                         ? spec.symbol
                                         : spec.branchLabel + QLatin1Char('@') + spec.symbol));
    RETORT_TRY(rev, graph.walk(*start, spec.relative, {}, assertRelativeLength));
    return RevisionNodes{*rev};
}

RevisionResult<MigrationPlanTargets::DowngradeTarget> MigrationPlanTargets::parseDowngradeTarget(
    const RevisionGraph &graph, const QStringList &currentRevisions, const QStringList &target,
    bool assertRelativeLength, QStringList *warnings)
{
    if (target.isEmpty())
        return DowngradeTarget{};
    if (target.size() != 1)  // Alembic asserts a string here
        return crash(QStringLiteral("AssertionError: Expected downgrade target in string form"));

    RelativeSpec spec = matchRelative(target);
    if (spec.matched) {
        if (spec.relative >= 0) {
            if (spec.symbol.isEmpty())  // downgrading to current + n
                return relativeError(spec.relativeText, spec.relative);
            RETORT_TRY(start, graph.revision(spec.symbol));
            RETORT_TRY(rev, walkOrError(graph, *start, spec.relative, spec.branchLabel,
                                        assertRelativeLength,
                                        RevisionError::generic(QStringLiteral("Walked too far"))));
            return DowngradeTarget{spec.branchLabel, *rev};
        }
        const bool fromCurrent = spec.symbol.isEmpty();
        if (fromCurrent) {
            RETORT_TRY(symbol, downgradeSymbol(graph, currentRevisions, spec, warnings));
            spec.symbol = *symbol;
        }
        RETORT_TRY(start, graph.revision(spec.branchLabel.isEmpty()
                                             ? spec.symbol
                                             : spec.branchLabel + QLatin1Char('@') + spec.symbol));
        const RevisionError onNone = fromCurrent
            ? relativeError(spec.relativeText, spec.relative)
            : RevisionError::generic(QStringLiteral("Walked too far"));
        RETORT_TRY(rev, walkOrError(graph, *start, spec.relative, {}, assertRelativeLength, onNone));
        return DowngradeTarget{spec.branchLabel, *rev};
    }

    // Absolute target: the label only narrows later filtering, not the lookup.
    const QString &text = target.first();
    const int at = text.lastIndexOf(QLatin1Char('@'));
    DowngradeTarget result;
    if (at > 0)
        result.branchLabel = text.left(at);
    RETORT_TRY(rev, graph.revision(at < 0 ? text : text.mid(at + 1)));
    result.target = *rev;
    return result;
}

RevisionResult<MigrationPlanTargets::Collected> MigrationPlanTargets::collectDowngradeRevisions(
    const RevisionGraph &graph, const QStringList &upper, const QStringList &target,
    bool inclusive, bool implicitBase, bool assertRelativeLength, QStringList *warnings)
{
    RETORT_TRY(parsed, parseDowngradeTarget(graph, upper, target, assertRelativeLength, warnings));
    const QString branchLabel = parsed->branchLabel;
    const RevisionNode *targetRev = isReal(parsed->target) ? parsed->target : nullptr;

    RevisionNodes roots;
    if (!targetRev) {
        for (const RevisionNode *n : graph.nodes())
            if (n->isBase())
                roots << n;
    } else if (inclusive) {
        roots << targetRev;
    } else {
        RETORT_TRY(next, graph.revisions(targetRev->nextRevisions()));
        roots = *next;
    }

    if (!branchLabel.isEmpty() && roots.size() > 1) {
        RETORT_TRY(branchRev, graph.resolveBranch(branchLabel));
        RETORT_TRY(anc, graph.ancestors({*branchRev}, false));
        roots = inMapOrder(toSet(roots).intersect(toSet(*anc)));
        if (roots.isEmpty())
            return RevisionError::generic(
                QStringLiteral("Not a valid downgrade target from current heads"));
    }

    RETORT_TRY(heads, graph.revisions(upper));
    RETORT_TRY(desc, graph.descendants(roots, true, false));
    RETORT_TRY(active, graph.ancestors(*heads, true));
    NodeSet drop = toSet(*desc).intersect(toSet(*active));
    if (implicitBase) {
        RETORT_TRY(rootAnc, graph.ancestors(roots));
        drop.unite(toSet(*active).subtract(toSet(*rootAnc)));
    }
    if (targetRev && drop.isEmpty() && !heads->contains(targetRev)) {
        // Alembic passes the current heads as a tuple here
        return rangeNotAncestor(QStringLiteral("Nothing to drop"), pythonTupleRepr(upper), false,
                                upper.isEmpty());
    }
    return Collected{inMapOrder(drop), *heads};
}

RevisionResult<MigrationPlanTargets::Collected> MigrationPlanTargets::collectUpgradeRevisions(
    const RevisionGraph &graph, const QStringList &upper, const QStringList &lowerIn,
    bool inclusive, bool implicitBase, bool assertRelativeLength)
{
    QStringList lower = lowerIn;
    RETORT_TRY(parsed, parseUpgradeTarget(graph, lower, upper, assertRelativeLength));
    RevisionNodes targets;
    for (const RevisionNode *n : *parsed) {
        if (!isReal(n))
            return crash(QStringLiteral("AssertionError"));
        targets << n;
    }

    // A named base ("branch@base") keeps only the targets on that branch.
    if (lower.size() == 1 && lower.first().contains(QLatin1Char('@'))) {
        QString branch = lower.first().section(QLatin1Char('@'), 0, 0);
        RETORT_TRY(branchRev, graph.revision(branch));
        if (*branchRev && (*branchRev)->id() == branch) {
            if ((*branchRev)->branchLabels().size() != 1)
                return crash(QStringLiteral("AssertionError"));
            branch = (*branchRev)->branchLabels().first();
        }
        RevisionNodes kept;
        for (const RevisionNode *n : targets)
            if (n->branchLabels().contains(branch))
                kept << n;
        targets = kept;
    }

    RETORT_TRY(required, graph.ancestors(targets, true, true));
    NodeSet requiredSet = toSet(*required).unite(toSet(targets));

    RETORT_TRY(currentRes, graph.revisions(lower));
    RevisionNodes current = *currentRes;
    if (!implicitBase) {
        for (const RevisionNode *n : current) {
            if (n && !requiredSet.contains(n))
                return rangeNotAncestor(pyValue(lower), pyValue(upper), lower.isEmpty(),
                                        upper.isEmpty());
        }
    }

    // A relative lower bound that get_revisions() couldn't place.
    if (!current.isEmpty() && !current.first()) {
        RETORT_TRY(down, parseDowngradeTarget(graph, upper, lower, assertRelativeLength));
        if (!down->target)
            return crash(QStringLiteral("AssertionError"));
        if (down->target->isBaseMarker()) {
            current.clear();
            lower.clear();
        } else {
            current = {down->target};
            lower = {down->target->id()};
        }
    }

    RETORT_TRY(currentAnc, graph.ancestors(current, true, true));
    NodeSet needs = requiredSet.subtract(toSet(*currentAnc).unite(toSet(current)));
    if (inclusive) {
        RETORT_TRY(lowerRevs, graph.revisions(lower));
        needs.unite(toSet(*lowerRevs));
    }
    if (!current.isEmpty() && !implicitBase) {
        RETORT_TRY(lowerDesc, graph.descendants(current, false, false, true));
        needs.intersect(toSet(*lowerDesc));
    }
    return Collected{inMapOrder(needs), targets};
}

RevisionResult<RevisionNodes> MigrationPlanTargets::iterate(const RevisionGraph &graph,
                                                            const QStringList &upper,
                                                            const QStringList &lower,
                                                            bool implicitBase, bool inclusive,
                                                            bool assertRelativeLength,
                                                            bool selectForDowngrade,
                                                            QStringList *warnings)
{
    RevisionResult<Collected> collected = selectForDowngrade
        ? collectDowngradeRevisions(graph, upper, lower, inclusive, implicitBase,
                                    assertRelativeLength, warnings)
        : collectUpgradeRevisions(graph, upper, lower, inclusive, implicitBase,
                                  assertRelativeLength);
    if (!collected.ok())
        return collected.error();
    RevisionNodes out;
    for (const QString &id : graph.topologicalSort(collected->revisions, collected->heads))
        out << graph.node(id);
    return out;
}

} // namespace retort
