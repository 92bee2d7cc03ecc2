// GraphLayout::compute on generated graphs: a linear history, a trunk with short side
// branches merged back, and wide fan-outs (many heads on one base).

#include "graph/graphlayout.h"

#include <benchmark/benchmark.h>

using namespace retort;

namespace {

enum Shape { Linear, Branchy, Wide };

RevisionGraph makeGraph(int n, Shape shape)
{
    QVector<Revision> revs;
    revs.reserve(n);
    QString trunk, side;
    for (int i = 0; i < n; ++i) {
        Revision r;
        r.id = QStringLiteral("%1").arg(i, 12, 16, QLatin1Char('0'));
        r.order = i;
        if (i > 0) {
            if (shape == Wide) {
                r.downRevisions << revs.first().id;
            } else if (shape == Branchy && i % 5 == 2) {
                r.downRevisions << trunk;
                side = r.id;
            } else if (shape == Branchy && i % 5 == 4 && !side.isEmpty()) {
                r.downRevisions << trunk << side;
                side.clear();
            } else {
                r.downRevisions << trunk;
            }
        }
        if (!(shape == Branchy && i % 5 == 2))
            trunk = r.id;
        revs << r;
    }
    return *RevisionGraph::build(revs);
}

void layout(benchmark::State &state, Shape shape)
{
    const RevisionGraph graph = makeGraph(int(state.range(0)), shape);
    const RevisionNodes rows = *graph.walkRevisions();
    for (auto _ : state)
        benchmark::DoNotOptimize(GraphLayout::compute(rows));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

} // namespace

BENCHMARK_CAPTURE(layout, linear, Linear)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(layout, branchy, Branchy)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(layout, wide, Wide)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
