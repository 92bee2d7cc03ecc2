// The Proof dock and the graph's proof actions (issue 14 items 1 and 3), offscreen, on a
// temporary copy of the `handoff` fixture (SQLite; bb02 is handed to /usr/bin/python3)
// whose cc03 downgrade is broken on purpose: Verify Downgrades lists the three revisions,
// marks cc03 on the graph and shows its schema difference; Schema at This Revision and
// Compare With... show text built on a scratch database. The project's database is never made.

#include "historymodel.h"
#include "proofview.h"
#include "revisiongraphview.h"
#include "services/project.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

using namespace retort;
using namespace retort::test;
using Marks = QHash<QString, bool>;

class tst_ProofView : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void verifyDowngradesMarksTheBrokenRevision();
    void schemaAtRevision();
    void compareWith();
    void graphMenuOffersTheActions_data();
    void graphMenuOffersTheActions();

private:
    bool runAndWait(ProofView &view, const std::function<void()> &start);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_root;
};

void tst_ProofView::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_root = m_dir->filePath(QStringLiteral("handoff"));
    QVERIFY(copyTree(QStringLiteral(RETORT_FIXTURES_DIR "/projects/handoff"), m_root));
    QVERIFY(QDir::setCurrent(m_root));
    qputenv("RETORT_PYTHON", "/usr/bin/python3");
    const QString cc03 = m_root + QStringLiteral("/migrations/versions/cc03_add_item_name.py");
    QFile f(cc03);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray text = f.readAll();
    f.close();
    QVERIFY(text.contains("    op.drop_column(\"items\", \"name\")"));
    text.replace("    op.drop_column(\"items\", \"name\")", "    pass");
    QVERIFY(writeFile(cc03, text));
}

bool tst_ProofView::runAndWait(ProofView &view, const std::function<void()> &start)
{
    QSignalSpy finished(&view, &ProofView::finished);
    start();
    if (!view.isRunning())
        return false;
    return finished.wait(120000) && finished.first().first().toBool();
}

void tst_ProofView::verifyDowngradesMarksTheBrokenRevision()
{
    ProofView view;
    MigrationProjectSpec spec;
    spec.iniPath = m_root + QStringLiteral("/alembic.ini");
    view.setProject(spec);
    QSignalSpy marks(&view, &ProofView::marksChanged);
    QVERIFY2(runAndWait(view, [&] { view.verifyDowngrades(); }), qPrintable(view.statusText()));
    QCOMPARE(view.results()->topLevelItemCount(), 3);
    QCOMPARE(view.results()->topLevelItem(0)->text(0), QStringLiteral("aa01"));
    QCOMPARE(view.results()->topLevelItem(1)->text(1), QStringLiteral("ok"));
    QCOMPARE(view.results()->topLevelItem(2)->text(1), QStringLiteral("downgrade does not restore the schema"));
    QVERIFY2(view.statusText().contains(QLatin1String("1 finding")), qPrintable(view.statusText()));
    const QHash<QString, bool> expected{{QStringLiteral("aa01"), true}, {QStringLiteral("bb02"), true},
                                        {QStringLiteral("cc03"), false}};
    QCOMPARE(view.marks(), expected);
    QCOMPARE(marks.last().first().value<Marks>(), expected);
    // The finding is selected: its difference is shown.
    QCOMPARE(view.results()->currentItem(), view.results()->topLevelItem(2));
    QVERIFY2(view.details()->toPlainText().contains(QLatin1String("+     name VARCHAR(50)")),
             qPrintable(view.details()->toPlainText()));
    QVERIFY(!QFile::exists(m_root + QStringLiteral("/handoff.db")));

    // From a revision on: only it and what follows.
    QVERIFY(runAndWait(view, [&] { view.verifyDowngrades(QStringLiteral("bb02")); }));
    QCOMPARE(view.results()->topLevelItemCount(), 2);
    QCOMPARE(view.marks().size(), 2);
}

void tst_ProofView::schemaAtRevision()
{
    ProofView view;
    MigrationProjectSpec spec;
    spec.iniPath = m_root + QStringLiteral("/alembic.ini");
    view.setProject(spec);
    QVERIFY2(runAndWait(view, [&] { view.showSchemaAt(QStringLiteral("aa01")); }), qPrintable(view.statusText()));
    const QString text = view.details()->toPlainText();
    QVERIFY2(text.startsWith(QLatin1String("TABLE items\n")), qPrintable(text));
    QVERIFY(!text.contains(QLatin1String("loop_a")));
    QVERIFY(view.statusText().contains(QLatin1String("Schema at aa01")));
}

void tst_ProofView::compareWith()
{
    ProofView view;
    MigrationProjectSpec spec;
    spec.iniPath = m_root + QStringLiteral("/alembic.ini");
    view.setProject(spec);
    QVERIFY2(runAndWait(view, [&] { view.compare(QStringLiteral("aa01"), QStringLiteral("cc03")); }),
             qPrintable(view.statusText()));
    QVERIFY2(view.statusText().contains(QLatin1String("2 added, 0 removed, 1 changed")), qPrintable(view.statusText()));
    const QString text = view.details()->toPlainText();
    QVERIFY(text.contains(QLatin1String("+ TABLE loop_a")));
    QVERIFY(text.contains(QLatin1String("+     name VARCHAR(50)")));
}

void tst_ProofView::graphMenuOffersTheActions_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("expected");   // the id the signal carries
    QTest::newRow("verify all") << QStringLiteral("Verify Downgrades") << QString();
    QTest::newRow("verify from here") << QStringLiteral("Verify Downgrades from Here") << QStringLiteral("bb02");
    QTest::newRow("schema") << QStringLiteral("Schema at This Revision") << QStringLiteral("bb02");
    QTest::newRow("compare") << QStringLiteral("Compare With...") << QStringLiteral("bb02");
}

void tst_ProofView::graphMenuOffersTheActions()
{
    QFETCH(QString, action);
    QFETCH(QString, expected);
    Project project(m_root + QStringLiteral("/alembic.ini"));
    auto graph = project.graph();
    QVERIFY(graph);
    HistoryModel model;
    model.setGraph(**graph);
    RevisionGraphView view;
    view.setModel(&model);
    view.resize(800, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QStringList got;
    bool emitted = false;
    auto record = [&](const QString &id) { got << id; emitted = true; };
    connect(&view, &RevisionGraphView::verifyDowngradesRequested, this, record);
    connect(&view, &RevisionGraphView::schemaAtRequested, this, record);
    connect(&view, &RevisionGraphView::compareRequested, this, record);
    const int row = model.rowOf(QStringLiteral("bb02"));
    QVERIFY(row >= 0);
    bool found = false;
    QTimer::singleShot(0, this, [&] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu)
            return;
        for (QAction *a : menu->actions())
            if (a->text() == action) {
                found = true;
                menu->setActiveAction(a);
                a->trigger();
            }
        menu->close();
    });
    const QPoint pos(100, row * view.rowHeight() + view.rowHeight() / 2);
    QContextMenuEvent event(QContextMenuEvent::Mouse, pos, view.viewport()->mapToGlobal(pos));
    QApplication::sendEvent(view.viewport(), &event);
    QVERIFY(found);
    QVERIFY(emitted);
    QCOMPARE(got, QStringList{expected});

    // Results come back as marks painted on the rows (a badge widens the painted text).
    const QImage before = view.viewport()->grab().toImage();
    view.setRevisionMarks({{QStringLiteral("bb02"), false}});
    const QImage after = view.viewport()->grab().toImage();
    QVERIFY(before != after);
}

QTEST_MAIN(tst_ProofView)
#include "tst_proofview.moc"
