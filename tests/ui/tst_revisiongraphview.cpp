// RevisionGraphView on a large generated graph: paints without crashing, paints only
// the visible rows, keeps selection, zoom and search working.

#include "historymodel.h"
#include "revisiongraphview.h"

#include <QElapsedTimer>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using namespace retort;

namespace {

// n revisions: a trunk with side branches merged back, and a few depends_on.
RevisionGraph bigGraph(int n)
{
    QVector<Revision> revs;
    QString trunk, side;
    for (int i = 0; i < n; ++i) {
        Revision r;
        r.id = QStringLiteral("%1").arg(i, 12, 16, QLatin1Char('0'));
        r.order = i;
        r.longDoc = QStringLiteral("revision number %1").arg(i);
        if (i > 0 && i % 7 == 3) {
            r.downRevisions << trunk;   // start a side branch
            side = r.id;
        } else if (i % 7 == 5 && !side.isEmpty()) {
            r.downRevisions << trunk << side;   // merge it
            side.clear();
            trunk = r.id;
        } else if (i > 0) {
            r.downRevisions << trunk;
            if (i % 50 == 0)
                r.dependsOn << revs.at(i - 20).id;
            trunk = r.id;
        } else {
            trunk = r.id;
        }
        revs << r;
    }
    auto graph = RevisionGraph::build(revs);
    if (!graph)
        qFatal("%s", qPrintable(graph.error().message));
    return *graph;
}

} // namespace

class tst_RevisionGraphView : public QObject
{
    Q_OBJECT
private slots:
    void paintsBigGraph();
    void selectionAndSearch();
    void zoom();
    void emptyModel();
};

void tst_RevisionGraphView::paintsBigGraph()
{
    HistoryModel model;
    model.setGraph(bigGraph(5000));
    model.setDatabaseHeads({model.revisionAt(2500)});
    QCOMPARE(model.rowCount(), 5000);
    RevisionGraphView view;
    view.setModel(&model);
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    QElapsedTimer timer;
    timer.start();
    const QPixmap top = view.viewport()->grab();
    QVERIFY(!top.isNull());
    const auto painted = view.lastPaintedRows();
    QCOMPARE(painted.first, 0);
    // Only what fits in the viewport (plus a partial row).
    QVERIFY(painted.second - painted.first + 1 <= 600 / view.rowHeight() + 2);

    for (int value : {view.verticalScrollBar()->maximum() / 2, view.verticalScrollBar()->maximum()}) {
        view.verticalScrollBar()->setValue(value);
        QVERIFY(!view.viewport()->grab().isNull());
        QVERIFY(view.lastPaintedRows().first > 0);
    }
    QCOMPARE(view.lastPaintedRows().second, 4999);
    qInfo("3 paints of a 5000-revision graph: %lld ms", timer.elapsed());
}

void tst_RevisionGraphView::selectionAndSearch()
{
    HistoryModel model;
    model.setGraph(bigGraph(300));
    RevisionGraphView view;
    view.setModel(&model);
    view.resize(600, 400);
    QSignalSpy spy(&view, &RevisionGraphView::currentRevisionChanged);

    view.setCurrentRevision(model.revisionAt(10));
    QCOMPARE(view.currentRevision(), model.revisionAt(10));
    QCOMPARE(spy.count(), 1);
    view.setCurrentRevision(model.revisionAt(10));   // no repeat signal
    QCOMPARE(spy.count(), 1);

    QTest::keyClick(&view, Qt::Key_Down);
    QCOMPARE(view.currentRevision(), model.revisionAt(11));

    // By message, then by id; the view scrolls to the match.
    QVERIFY(view.findNext(QStringLiteral("revision number 7")));
    QVERIFY(model.graph().node(view.currentRevision())->doc().startsWith(QLatin1String("revision number 7")));
    const QString id = model.revisionAt(250);
    QVERIFY(view.findNext(id));
    QCOMPARE(view.currentRevision(), id);
    QVERIFY(view.verticalScrollBar()->value() > 0);
    QVERIFY(!view.findNext(QStringLiteral("no such text")));
    QCOMPARE(view.currentRevision(), id);
}

void tst_RevisionGraphView::zoom()
{
    HistoryModel model;
    model.setGraph(bigGraph(50));
    RevisionGraphView view;
    view.setModel(&model);
    const int h = view.rowHeight();
    view.zoomIn();
    QVERIFY(view.rowHeight() > h);
    view.setZoom(100);
    QCOMPARE(view.zoom(), 3.0);
    view.setZoom(0.01);
    QCOMPARE(view.zoom(), 0.5);
    QVERIFY(!view.viewport()->grab().isNull());
}

void tst_RevisionGraphView::emptyModel()
{
    RevisionGraphView view;
    view.resize(300, 200);
    QVERIFY(!view.viewport()->grab().isNull());
    HistoryModel model;
    view.setModel(&model);
    QVERIFY(!view.viewport()->grab().isNull());
    QVERIFY(!view.findNext(QStringLiteral("x")));
}

QTEST_MAIN(tst_RevisionGraphView)
#include "tst_revisiongraphview.moc"
