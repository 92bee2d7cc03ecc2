#include "stairway.h"

#include "proof/schematext.h"
#include "proof/scratchrun.h"
#include "revision/revisiongraph.h"
#include "revision/revisionnode.h"
#include "services/migrationlogsink.h"

#include <QElapsedTimer>
#include <algorithm>

namespace retort {

namespace {

const QString kLogger = QStringLiteral("retort.verify");

QStringList upgradeOrder(const RevisionNodes &walked)
{
    QStringList ids;
    for (const RevisionNode *n : walked)
        ids.prepend(n->id());   // walk_revisions goes from the heads down
    return ids;
}

} // namespace

QString StairwayResult::statusText(Status status)
{
    switch (status) {
    case Passed: return QStringLiteral("ok");
    case UpgradeFailed: return QStringLiteral("upgrade failed");
    case DowngradeFailed: return QStringLiteral("downgrade failed");
    case NotRestored: return QStringLiteral("downgrade does not restore the schema");
    case ReupgradeFailed: return QStringLiteral("upgrade after the downgrade failed");
    }
    return QString();
}

Stairway::Stairway(Project &project, MigrationLogSink &log, QObject *parent)
    : QObject(parent), m_project(project), m_log(log)
{
    qRegisterMetaType<retort::StairwayResult>();
}

Stairway::~Stairway() = default;

void Stairway::cancel()
{
    m_cancelled.storeRelaxed(1);
    if (ScratchRun *run = m_run.loadAcquire())
        run->cancel();
}

Result<QStringList> Stairway::revisionsInRange(const RevisionGraph &graph, const QString &range, QStringList *upToEnd)
{
    QString start = QStringLiteral("base");
    QString end = QStringLiteral("heads");
    if (!range.isEmpty()) {
        if (!range.contains(QLatin1Char(':')))
            return Error(QStringLiteral("History range requires [start]:[end], [start]:, or :[end]"));
        const QString a = range.section(QLatin1Char(':'), 0, 0).trimmed();
        const QString b = range.section(QLatin1Char(':'), 1).trimmed();
        if (!a.isEmpty())
            start = a;
        if (!b.isEmpty())
            end = b;
    }
    auto inRange = graph.walkRevisions({start}, {end});
    if (!inRange)
        return inRange.error();
    auto all = graph.walkRevisions({QStringLiteral("base")}, {end});
    if (!all)
        return all.error();
    if (upToEnd)
        *upToEnd = upgradeOrder(*all);
    return upgradeOrder(*inRange);
}

StairwayResult Stairway::check(ScratchRun &run, const QString &revision)
{
    StairwayResult r;
    r.revision = revision;
    QElapsedTimer timer;
    timer.start();
    auto finish = [&](StairwayResult::Status status, const QString &message = {}) {
        r.status = status;
        if (!message.isEmpty())
            r.message = r.message.isEmpty() ? message : r.message + QLatin1Char('\n') + message;
        r.elapsedMs = timer.elapsed();
        return r;
    };
    auto before = run.introspect();
    if (!before)
        return finish(StairwayResult::UpgradeFailed, before.error().message);
    auto plan = MigrationPlanner::upgrade(run.graph(), run.heads(), revision);
    if (!plan)
        return finish(StairwayResult::UpgradeFailed, plan.error().message);
    if (auto up = run.run(*plan); !up)
        return finish(StairwayResult::UpgradeFailed, up.error().message);
    if (auto down = run.run(ScratchRun::reversed(*plan)); !down)
        return finish(StairwayResult::DowngradeFailed, down.error().message);
    auto after = run.introspect();
    if (!after)
        return finish(StairwayResult::DowngradeFailed, after.error().message);
    r.diff = SchemaText::diff(*before, *after);
    // The second upgrade runs even after a finding: it tells whether the next revisions
    // can be checked at all (an index left behind makes it fail).
    const VoidResult again = run.upgradeTo(revision);
    if (!r.diff.isEmpty())
        return finish(StairwayResult::NotRestored,
                      again ? QString() : QStringLiteral("upgrade after the downgrade failed: %1").arg(again.error().message));
    if (!again)
        return finish(StairwayResult::ReupgradeFailed, again.error().message);
    return finish(StairwayResult::Passed);
}

Result<QVector<StairwayResult>> Stairway::run()
{
    ScratchRun scratch(m_project, m_log);
    scratch.setPythonOutput([this](const QString &line) { emit pythonOutput(line); });
    m_run.storeRelease(&scratch);
    struct Clear { QAtomicPointer<ScratchRun> &p; ~Clear() { p.storeRelease(nullptr); } } clear{m_run};
    if (m_cancelled.loadRelaxed())
        scratch.cancel();
    if (auto opened = scratch.open(m_url, m_sqlite); !opened)
        return opened.error();
    QStringList all;
    auto checked = revisionsInRange(scratch.graph(), m_range, &all);
    if (!checked)
        return checked.error();
    QVector<StairwayResult> results;
    int index = 0;
    for (const QString &revision : all) {
        if (m_cancelled.loadRelaxed())
            return Error(QStringLiteral("cancelled"));
        if (!checked->contains(revision)) {   // before the range: no checks
            if (auto up = scratch.upgradeTo(revision); !up)
                return Error(QStringLiteral("cannot upgrade the scratch database to %1, before the range: %2")
                                 .arg(revision, up.error().message));
            continue;
        }
        emit revisionStarted(index++, checked->size(), revision);
        const StairwayResult result = check(scratch, revision);
        if (scratch.cancelled())
            return Error(QStringLiteral("cancelled"));
        m_log.info(kLogger, QStringLiteral("%1: %2").arg(revision, StairwayResult::statusText(result.status)));
        results.append(result);
        emit revisionChecked(result);
        // A revision that is not applied now stops the stairway: its descendants cannot run.
        if (!scratch.heads().contains(revision) && !all.isEmpty()) {
            bool applied = false;
            for (const QString &h : scratch.heads()) {
                auto anc = scratch.graph().walkRevisions({QStringLiteral("base")}, {h});
                if (anc && std::any_of(anc->begin(), anc->end(), [&](const RevisionNode *n) { return n->id() == revision; }))
                    applied = true;
            }
            if (!applied) {
                const int left = checked->size() - index;
                if (left > 0)
                    m_log.info(kLogger, QStringLiteral("Stopped at %1: %2 revisions after it were not checked")
                                            .arg(revision).arg(left));
                break;
            }
        }
    }
    if (auto closed = scratch.close(); !closed)
        return closed.error();
    return results;
}

} // namespace retort
