// GraphLayout: lanes and edges for small graphs of each shape, invariants on all of
// them and on a large generated graph, and the time budget for 5,000 revisions.

#include "graph/graphlayout.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <ctime>

using namespace retort;

namespace {

// "b:a" = revision b with down revision a; "d:b,c" a merge; "e:d+c" e depends on c;
// ";" separates revisions, listed in discovery order.
QVector<Revision> parseSpec(const QString &spec)
{
    QVector<Revision> revs;
    int order = 0;
    for (const QString &item : spec.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        Revision r;
        const QString id = item.section(QLatin1Char(':'), 0, 0).trimmed();
        QString rest = item.section(QLatin1Char(':'), 1);
        const QString deps = rest.section(QLatin1Char('+'), 1);
        rest = rest.section(QLatin1Char('+'), 0, 0);
        r.id = id;
        r.downRevisions = rest.split(QLatin1Char(','), Qt::SkipEmptyParts);
        r.dependsOn = deps.split(QLatin1Char(','), Qt::SkipEmptyParts);
        r.order = order++;
        revs << r;
    }
    return revs;
}

// "id@lane" per row.
QString rowsText(const GraphLayout &g)
{
    QStringList out;
    for (const GraphRow &r : g.rows())
        out << QStringLiteral("%1@%2").arg(r.node->id()).arg(r.lane);
    return out.join(QLatin1Char(' '));
}

// "child>parent:lane" per edge, dependencies as "child~parent:lane".
QString edgesText(const GraphLayout &g)
{
    QStringList out;
    for (const GraphEdge &e : g.edges()) {
        out << QStringLiteral("%1%2%3:%4")
                   .arg(g.row(e.childRow).node->id(),
                        e.kind == GraphEdge::Dependency ? QStringLiteral("~") : QStringLiteral(">"),
                        g.row(e.parentRow).node->id())
                   .arg(e.lane);
    }
    return out.join(QLatin1Char(' '));
}

void checkInvariants(const GraphLayout &g)
{
    for (int r = 0; r < g.rowCount(); ++r) {
        const GraphRow &row = g.row(r);
        QVERIFY(row.lane >= 0 && row.lane < row.width);
        // Lanes live in this row: the revision's own, and every edge passing through.
        QSet<int> used{row.lane};
        for (int i = 0; i < g.edges().size(); ++i) {
            const GraphEdge &e = g.edges().at(i);
            if (!e.passesThrough(r))
                continue;
            QVERIFY2(!used.contains(e.lane),
                     qPrintable(QStringLiteral("lane %1 shared in row %2").arg(e.lane).arg(r)));
            used.insert(e.lane);
            QVERIFY(e.lane < row.width);
        }
        // Edges leaving a row start at its dot, on distinct lanes.
        QSet<int> leaving;
        for (int e : row.parentEdges) {
            const GraphEdge &edge = g.edges().at(e);
            QCOMPARE(edge.childRow, r);
            QCOMPARE(edge.childLane, row.lane);
            QVERIFY(!leaving.contains(edge.lane));
            leaving.insert(edge.lane);
        }
        for (int e : row.childEdges) {
            QCOMPARE(g.edges().at(e).parentRow, r);
            QCOMPARE(g.edges().at(e).parentLane, row.lane);
        }
    }
    for (const GraphEdge &e : g.edges())
        QVERIFY(e.childRow < e.parentRow);
}

// Rows point into the graph's nodes: keep the graph alive with the layout.
struct Laid
{
    RevisionGraph graph;
    GraphLayout layout;
};

Laid layoutOf(const QString &spec)
{
    auto graph = RevisionGraph::build(parseSpec(spec));
    if (!graph)
        qFatal("bad spec %s: %s", qPrintable(spec), qPrintable(graph.error().message));
    Laid laid{*graph, {}};
    laid.layout = GraphLayout::compute(laid.graph);
    return laid;
}

} // namespace

class tst_GraphLayout : public QObject
{
    Q_OBJECT
private slots:
    void layout_data();
    void layout();
    void emptyGraph();
    void laneReuse();
    void edgesInRows();
    void deterministic();
    void bigGraphInvariantsAndSpeed();
};

void tst_GraphLayout::layout_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("rows");
    QTest::addColumn<QString>("edges");

    QTest::newRow("single") << "a:" << "a@0" << "";
    QTest::newRow("linear") << "a:;b:a;c:b" << "c@0 b@0 a@0" << "c>b:0 b>a:0";
    QTest::newRow("fork") << "a:;b:a;c:a" << "b@0 c@1 a@0" << "b>a:0 c>a:1";
    // d is a head listed after b: lane 0 is still busy with b>a.
    QTest::newRow("fork, long branch") << "a:;b:a;c:b;d:a"
                                       << "c@0 b@0 d@1 a@0" << "c>b:0 b>a:0 d>a:1";
    QTest::newRow("merge") << "a:;b:a;c:a;d:b,c"
                           << "d@0 b@0 c@1 a@0" << "d>b:0 d>c:1 b>a:0 c>a:1";
    // Base a ends lane 0; the second tree's head d reuses it.
    QTest::newRow("several bases") << "a:;b:;c:a;d:b"
                                   << "c@0 a@0 d@0 b@0" << "c>a:0 d>b:0";
    QTest::newRow("bases merged") << "a:;b:;c:a,b" << "c@0 a@0 b@1" << "c>a:0 c>b:1";
    // Two merges of the same pair in opposite order: four edges cross, each on its lane.
    QTest::newRow("criss-cross") << "a:;b:a;c:a;d:b,c;e:c,b"
                                 << "d@0 e@2 b@0 c@1 a@0"
                                 << "d>b:0 d>c:1 e>c:2 e>b:3 b>a:0 c>a:1";
    QTest::newRow("depends_on") << "a:;b:a;x:;y:x+b"
                                << "y@0 x@0 b@1 a@1" << "y>x:0 y~b:1 b>a:1";
    // Without a down revision the dependency goes straight down from the dot.
    QTest::newRow("depends_on only") << "a:;b:a;c:+a" << "b@0 c@1 a@0" << "b>a:0 c~a:1";
    // A dependency on a down revision is drawn once, as the parent edge.
    QTest::newRow("depends_on a parent") << "a:;b:a+a" << "b@0 a@0" << "b>a:0";
}

void tst_GraphLayout::layout()
{
    QFETCH(QString, spec);
    QFETCH(QString, rows);
    QFETCH(QString, edges);
    const Laid laid = layoutOf(spec);
    const GraphLayout &g = laid.layout;
    QCOMPARE(rowsText(g) + QLatin1String(" | ") + edgesText(g), rows + QLatin1String(" | ") + edges);
    QCOMPARE(edgesText(g), edges);
    checkInvariants(g);
}

void tst_GraphLayout::emptyGraph()
{
    const GraphLayout g = GraphLayout::compute(RevisionGraph());
    QCOMPARE(g.rowCount(), 0);
    QCOMPARE(g.laneCount(), 0);
    QVERIFY(g.edgesInRows(0, 10).isEmpty());
}

void tst_GraphLayout::laneReuse()
{
    // Rows d, c, b, e, a: the merge edge d>b (lane 1) ends at b, so head e, listed
    // after b, takes lane 1 again instead of opening lane 2.
    const Laid laid = layoutOf(QStringLiteral("a:;b:a;c:b;d:c,b;e:a"));
    RevisionNodes order;
    for (const char *id : {"d", "c", "b", "e", "a"})
        order << laid.graph.node(QString::fromLatin1(id));
    const GraphLayout g = GraphLayout::compute(order);
    checkInvariants(g);
    QCOMPARE(rowsText(g), QStringLiteral("d@0 c@0 b@0 e@1 a@0"));
    QCOMPARE(edgesText(g), QStringLiteral("d>c:0 d>b:1 c>b:0 b>a:0 e>a:1"));
    QCOMPARE(g.laneCount(), 2);
}

void tst_GraphLayout::edgesInRows()
{
    const Laid laid = layoutOf(QStringLiteral("a:;b:a;c:b;d:c;e:a"));
    const GraphLayout &g = laid.layout;
    // e (row 0) -> a (last row) spans everything; c>b sits in rows 2..3.
    for (int first = 0; first < g.rowCount(); ++first) {
        for (int last = first; last < g.rowCount(); ++last) {
            QVector<int> expected;
            for (int i = 0; i < g.edges().size(); ++i) {
                const GraphEdge &e = g.edges().at(i);
                if (e.childRow <= last && e.parentRow >= first)
                    expected << i;
            }
            QCOMPARE(g.edgesInRows(first, last), expected);
        }
    }
}

void tst_GraphLayout::deterministic()
{
    const QString spec = QStringLiteral("a:;b:a;c:a;d:b,c;e:c,b;f:d+e;g:e");
    const Laid laidOne = layoutOf(spec);
    const Laid laidTwo = layoutOf(spec);
    const GraphLayout &one = laidOne.layout;
    const GraphLayout &two = laidTwo.layout;
    QCOMPARE(rowsText(one), rowsText(two));
    QCOMPARE(edgesText(one), edgesText(two));
    checkInvariants(one);
}

void tst_GraphLayout::bigGraphInvariantsAndSpeed()
{
    // 5,000 revisions: a trunk with short branches, merges and some depends_on.
    QRandomGenerator rng(42);
    QVector<Revision> revs;
    QStringList open;   // heads of side branches
    QString trunk;
    for (int i = 0; i < 5000; ++i) {
        Revision r;
        r.id = QStringLiteral("r%1").arg(i, 5, 10, QLatin1Char('0'));
        r.order = i;
        const int pick = rng.bounded(10);
        if (i == 0) {
        } else if (pick < 2 && !trunk.isEmpty()) {
            r.downRevisions << trunk;   // new side branch off the trunk
            open << r.id;
            revs << r;
            continue;
        } else if (pick < 4 && !open.isEmpty()) {
            const int k = rng.bounded(int(open.size()));
            r.downRevisions << open.at(k);   // side branch grows
            open[k] = r.id;
            revs << r;
            continue;
        } else if (pick < 5 && !open.isEmpty()) {
            r.downRevisions << trunk << open.takeAt(rng.bounded(int(open.size())));  // merge
        } else {
            r.downRevisions << trunk;
        }
        if (i > 10 && rng.bounded(20) == 0)
            r.dependsOn << revs.at(rng.bounded(i - 5)).id;
        trunk = r.id;
        revs << r;
    }
    auto graph = RevisionGraph::build(revs);
    QVERIFY2(graph.ok(), qPrintable(graph.error().message));
    auto walked = graph->walkRevisions();
    QVERIFY(walked.ok());

    // Speed is bench/graph_layout_bench's business; here only the result of a big graph.
    const GraphLayout g = GraphLayout::compute(*walked);
    QCOMPARE(g.rowCount(), 5000);
    checkInvariants(g);
}

QTEST_GUILESS_MAIN(tst_GraphLayout)
#include "tst_graphlayout.moc"
