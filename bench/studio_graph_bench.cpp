// The studio's revision graph on 5,000 revisions: HistoryModel::setGraph (lane layout and
// flags) plus the first paint of the visible rows, offscreen. Aim: under 200 ms.
#include "historymodel.h"
#include "revisiongraphview.h"

#include <QApplication>

#include <benchmark/benchmark.h>

using namespace retort;

namespace {

// A trunk with a side branch every 7 revisions, merged back two revisions later.
RevisionGraph trunkWithSideBranches(int n)
{
    QVector<Revision> revs;
    QString trunk, side;
    for (int i = 0; i < n; ++i) {
        Revision r;
        r.id = QStringLiteral("%1").arg(i, 12, 16, QLatin1Char('0'));
        r.order = i;
        r.longDoc = QStringLiteral("revision number %1").arg(i);
        if (i > 0 && i % 7 == 3) {
            r.downRevisions << trunk;
            side = r.id;
        } else if (i % 7 == 5 && !side.isEmpty()) {
            r.downRevisions << trunk << side;
            side.clear();
            trunk = r.id;
        } else {
            if (i > 0)
                r.downRevisions << trunk;
            trunk = r.id;
        }
        revs << r;
    }
    return std::move(RevisionGraph::build(revs)).value();
}

void BM_LayoutAndFirstPaint(benchmark::State &state)
{
    const RevisionGraph graph = trunkWithSideBranches(int(state.range(0)));
    for (auto _ : state) {
        HistoryModel model;
        model.setGraph(graph);
        RevisionGraphView view;
        view.setModel(&model);
        view.resize(1200, 800);
        benchmark::DoNotOptimize(view.viewport()->grab());
    }
}
BENCHMARK(BM_LayoutAndFirstPaint)->Arg(5000)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    return 0;
}
