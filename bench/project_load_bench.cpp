// What every read-only command pays: scanning a 2,000-revision versions folder, building
// the revision graph, walking the history, and planning `upgrade heads` from empty.
#include "config/alembicconfig.h"
#include "revision/migrationplanner.h"
#include "revision/revisiongraph.h"
#include "script/scriptdirectory.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

using namespace retort;

namespace {

// A linear chain with a fork every 50 revisions, merged back 10 revisions later.
QVector<Revision> syntheticRevisions(int n)
{
    QVector<Revision> revs;
    QString pendingFork;
    for (int i = 0; i < n; ++i) {
        Revision r;
        r.id = QStringLiteral("r%1").arg(i, 11, 10, QLatin1Char('0'));
        if (i > 0)
            r.downRevisions << revs.last().id;
        if (i % 50 == 10 && !pendingFork.isEmpty()) {
            r.downRevisions << pendingFork;
            pendingFork.clear();
        }
        r.longDoc = QStringLiteral("revision %1").arg(i);
        r.order = i;
        revs << r;
        if (i % 50 == 0 && i > 0) {
            Revision side;
            side.id = QStringLiteral("s%1").arg(i, 11, 10, QLatin1Char('0'));
            side.downRevisions << revs.at(revs.size() - 2).id;
            side.order = i;
            revs << side;
            pendingFork = side.id;
        }
    }
    return revs;
}

QString writeProject(QTemporaryDir &dir, const QVector<Revision> &revs)
{
    QDir(dir.path()).mkpath(QStringLiteral("m/versions"));
    QFile ini(dir.filePath(QStringLiteral("alembic.ini")));
    ini.open(QIODevice::WriteOnly);
    ini.write("[alembic]\nscript_location = %(here)s/m\n");
    for (const Revision &r : revs) {
        QFile f(dir.filePath(QStringLiteral("m/versions/%1.py").arg(r.id)));
        f.open(QIODevice::WriteOnly);
        QString down = r.downRevisions.isEmpty() ? QStringLiteral("None")
                     : r.downRevisions.size() == 1 ? QStringLiteral("'%1'").arg(r.downRevisions.first())
                     : QStringLiteral("('%1', '%2')").arg(r.downRevisions.at(0), r.downRevisions.at(1));
        f.write(QStringLiteral("\"\"\"%1\n\nRevision ID: %2\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
                               "revision = '%2'\ndown_revision = %3\nbranch_labels = None\ndepends_on = None\n\n\n"
                               "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n")
                    .arg(r.longDoc, r.id, down).toUtf8());
    }
    return dir.filePath(QStringLiteral("alembic.ini"));
}

void BM_ScanVersions(benchmark::State &state)
{
    QTemporaryDir dir;
    const QString ini = writeProject(dir, syntheticRevisions(int(state.range(0))));
    auto config = AlembicConfig::load(ini);
    auto scripts = ScriptDirectory::fromConfig(*config);
    for (auto _ : state) {
        auto revs = scripts->loadRevisions();
        benchmark::DoNotOptimize(revs);
    }
}
BENCHMARK(BM_ScanVersions)->Arg(2000)->Unit(benchmark::kMillisecond);

void BM_BuildGraph(benchmark::State &state)
{
    const auto revs = syntheticRevisions(int(state.range(0)));
    for (auto _ : state) {
        auto graph = RevisionGraph::build(revs);
        benchmark::DoNotOptimize(graph);
    }
}
BENCHMARK(BM_BuildGraph)->Arg(2000)->Arg(5000)->Unit(benchmark::kMillisecond);

void BM_HistoryWalk(benchmark::State &state)
{
    auto graph = RevisionGraph::build(syntheticRevisions(int(state.range(0))));
    for (auto _ : state) {
        auto walk = graph->walkRevisions();
        benchmark::DoNotOptimize(walk);
    }
}
BENCHMARK(BM_HistoryWalk)->Arg(2000)->Unit(benchmark::kMillisecond);

void BM_PlanUpgradeHeads(benchmark::State &state)
{
    auto graph = RevisionGraph::build(syntheticRevisions(int(state.range(0))));
    for (auto _ : state) {
        auto plan = MigrationPlanner::upgrade(*graph, {}, QStringLiteral("heads"));
        benchmark::DoNotOptimize(plan);
    }
}
BENCHMARK(BM_PlanUpgradeHeads)->Arg(2000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
