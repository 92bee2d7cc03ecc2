// HistoryModel over a fixture project: rows in history order, columns, flags, and the
// database state (current, applied, pending, unknown revisions).

#include "historymodel.h"
#include "projectdocument.h"

#include <QSignalSpy>
#include <QTest>

using namespace retort;

class tst_HistoryModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void rowsAndColumns();
    void structuralFlags();
    void databaseState();
    void unknownDatabaseRevision();
    void engineLabels_data();
    void engineLabels();

private:
    ProjectDocument m_doc;
};

void tst_HistoryModel::initTestCase()
{
    VoidResult opened = m_doc.open(QStringLiteral(RETORT_FIXTURES_DIR "/projects/basic/alembic.ini"));
    QVERIFY2(opened.ok(), qPrintable(opened.error().toString()));
}

void tst_HistoryModel::rowsAndColumns()
{
    HistoryModel model;
    model.setGraph(m_doc.graph());
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.columnCount(), int(HistoryModel::ColumnCount));
    // History order, heads first (as `alembic history` prints it).
    QCOMPARE(model.revisionAt(0), QStringLiteral("4b0e2d9c8a71"));
    QCOMPARE(model.revisionAt(4), QStringLiteral("1975ea83b712"));
    QCOMPARE(model.index(1, HistoryModel::ParentsColumn).data().toString(),
             QStringLiteral("27c6a30d7c24, ae1027a6acf"));
    QCOMPARE(model.index(0, HistoryModel::BranchesColumn).data().toString(), QStringLiteral("feature"));
    QCOMPARE(model.index(0, HistoryModel::MessageColumn).data().toString(),
             QStringLiteral("depends on feature"));
    QVERIFY(model.index(0, HistoryModel::PathColumn).data().toString().endsWith(QLatin1String(".py")));
    QCOMPARE(model.headerData(HistoryModel::FlagsColumn, Qt::Horizontal).toString(), QStringLiteral("Flags"));
    // Model rows are graph rows.
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.layout().row(row).node->id(), model.revisionAt(row));
}

void tst_HistoryModel::structuralFlags()
{
    HistoryModel model;
    model.setGraph(m_doc.graph());
    auto flags = [&](const char *id) { return model.flagsAt(model.rowOf(QString::fromLatin1(id))); };
    QVERIFY(flags("4b0e2d9c8a71") & HistoryModel::Head);
    QVERIFY(flags("3f5a1b2c4d6e") & HistoryModel::Merge);
    QVERIFY(flags("1975ea83b712") & HistoryModel::BranchPoint);
    QVERIFY(flags("1975ea83b712") & HistoryModel::Base);
    // No database yet: nothing is pending or current.
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(!(model.flagsAt(row) & (HistoryModel::Pending | HistoryModel::Current | HistoryModel::Applied)));
    QCOMPARE(model.index(1, HistoryModel::FlagsColumn).data().toString(), QStringLiteral("merge"));
}

void tst_HistoryModel::databaseState()
{
    HistoryModel model;
    model.setGraph(m_doc.graph());
    QSignalSpy spy(&model, &HistoryModel::databaseStateChanged);
    model.setDatabaseHeads({QStringLiteral("27c6a30d7c24")});
    QCOMPARE(spy.count(), 1);
    auto flags = [&](const char *id) { return model.flagsAt(model.rowOf(QString::fromLatin1(id))); };
    QVERIFY(flags("27c6a30d7c24") & HistoryModel::Current);
    QVERIFY(flags("27c6a30d7c24") & HistoryModel::Applied);
    QVERIFY(flags("1975ea83b712") & HistoryModel::Applied);
    QVERIFY(flags("ae1027a6acf") & HistoryModel::Pending);
    QVERIFY(flags("4b0e2d9c8a71") & HistoryModel::Pending);
    QVERIFY(model.index(model.rowOf(QStringLiteral("27c6a30d7c24")), HistoryModel::FlagsColumn)
                .data().toString().startsWith(QLatin1String("current")));
    QVERIFY(model.unknownDatabaseRevisions().isEmpty());

    // An empty version table: everything pending.
    model.setDatabaseHeads({});
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(model.flagsAt(row) & HistoryModel::Pending);
    // Disconnected: nothing known.
    model.setDatabaseHeads({}, false);
    QVERIFY(!(model.flagsAt(0) & HistoryModel::Pending));
}

void tst_HistoryModel::unknownDatabaseRevision()
{
    HistoryModel model;
    model.setGraph(m_doc.graph());
    model.setDatabaseHeads({QStringLiteral("deadbeef0000")});
    QCOMPARE(model.unknownDatabaseRevisions(), QStringList{QStringLiteral("deadbeef0000")});
}

// Multidb: each engine's label sits on the revisions in its version table; several
// engines may share one, an engine with two heads labels both.
void tst_HistoryModel::engineLabels_data()
{
    QTest::addColumn<QStringList>("engine1");
    QTest::addColumn<QStringList>("engine2");
    QTest::addColumn<QString>("revision");
    QTest::addColumn<QStringList>("labels");
    const QString a = QStringLiteral("27c6a30d7c24"), b = QStringLiteral("4b0e2d9c8a71");
    const QStringList e1{QStringLiteral("engine1")}, e2{QStringLiteral("engine2")};
    QTest::newRow("each its own") << QStringList{a} << QStringList{b} << a << e1;
    QTest::newRow("each its own, other") << QStringList{a} << QStringList{b} << b << e2;
    QTest::newRow("shared") << QStringList{a} << QStringList{a} << a << (e1 + e2);
    QTest::newRow("two heads") << QStringList{a, b} << QStringList{} << b << e1;
    QTest::newRow("not current") << QStringList{a} << QStringList{} << QStringLiteral("1975ea83b712") << QStringList{};
}

void tst_HistoryModel::engineLabels()
{
    QFETCH(QStringList, engine1);
    QFETCH(QStringList, engine2);
    QFETCH(QString, revision);
    QFETCH(QStringList, labels);
    HistoryModel model;
    model.setGraph(m_doc.graph());
    QSignalSpy spy(&model, &HistoryModel::databaseStateChanged);
    model.setEngineHeads({{QStringLiteral("engine1"), engine1}, {QStringLiteral("engine2"), engine2}},
                         QStringLiteral("engine2"));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(model.shownEngine(), QStringLiteral("engine2"));
    QCOMPARE(model.enginesAt(model.rowOf(revision)), labels);
    model.setEngineHeads({}, {});
    QCOMPARE(model.enginesAt(model.rowOf(revision)), QStringList());
}

QTEST_MAIN(tst_HistoryModel)
#include "tst_historymodel.moc"
