// The studio's "Squash up to here…" dialog on a copy of the `squash` fixture (SQLite):
// Preview shows the baseline and changes nothing; Squash writes it and archives the old
// scripts, with the buttons off while it runs; a database below the revision is refused
// until "Squash even when…" is ticked. The graph's context menu offers the action.

#include "historymodel.h"
#include "revisiongraphview.h"
#include "squashdialog.h"
#include "runtime/databaseconnection.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QCheckBox>
#include <QContextMenuEvent>
#include <QMenu>
#include <QTimer>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

class TestSquashDialog : public QObject
{
    Q_OBJECT

private slots:
    void previewThenSquash();
    void databaseBelowIsRefusedUnlessForced();
    void graphContextMenuOffersSquash();

private:
    QString copyFixture(QTemporaryDir &dir)
    {
        const QString root = dir.filePath(QStringLiteral("project"));
        return test::copyTree(QStringLiteral(RETORT_FIXTURES_DIR "/projects/squash"), root) ? root : QString();
    }
    QStringList versions(const QString &root)
    {
        return QDir(root + QStringLiteral("/migrations/versions")).entryList({QStringLiteral("*.py")}, QDir::Files, QDir::Name);
    }
};

void TestSquashDialog::previewThenSquash()
{
    QTemporaryDir dir;
    const QString root = copyFixture(dir);
    QVERIFY(!root.isEmpty());
    const QStringList before = versions(root);
    SquashDialog dialog(root + QStringLiteral("/alembic.ini"), QString(), QStringLiteral("c3000000000c"));
    QSignalSpy finished(&dialog, &SquashDialog::runFinished);
    QSignalSpy squashed(&dialog, &SquashDialog::squashed);
    QVERIFY(dialog.squashButton()->isEnabled());
    QVERIFY(!dialog.squashButton()->isDefault());

    QTest::mouseClick(dialog.previewButton(), Qt::LeftButton);
    QVERIFY(dialog.isBusy());
    QVERIFY(!dialog.squashButton()->isEnabled());
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.last().at(0).toBool(), true);
    QVERIFY2(dialog.outputText().contains(QLatin1String("Dry run: nothing written")), qPrintable(dialog.outputText()));
    QVERIFY(dialog.outputText().contains(QLatin1String("revision = 'c3000000000c'\ndown_revision = None")));
    QVERIFY(dialog.outputText().contains(QLatin1String("Warning: not carried into the baseline")));
    QCOMPARE(versions(root), before);
    QCOMPARE(squashed.count(), 0);

    QTest::mouseClick(dialog.squashButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.last().at(0).toBool(), true);
    QCOMPARE(squashed.count(), 1);
    QVERIFY(dialog.hasSquashed());
    QVERIFY2(dialog.outputText().contains(QLatin1String("Baseline c3000000000c (down_revision None) written to")),
             qPrintable(dialog.outputText()));
    QCOMPARE(versions(root), (QStringList{QStringLiteral("c3000000000c_baseline_account_email.py"),
                                          QStringLiteral("d4000000000d_tags.py"),
                                          QStringLiteral("e5000000000e_orders_index.py")}));
    QVERIFY(QFileInfo::exists(root + QStringLiteral("/migrations/archive/squashed_c3000000000c/b2000000000b_orders.py")));
    // Done: nothing more to squash from this dialog, Close stays.
    QVERIFY(!dialog.squashButton()->isEnabled());
    QVERIFY(!dialog.previewButton()->isEnabled());
}

void TestSquashDialog::databaseBelowIsRefusedUnlessForced()
{
    QTemporaryDir dir;
    const QString root = copyFixture(dir);
    QVERIFY(!root.isEmpty());
    {
        auto conn = DatabaseConnection::openUrl(QStringLiteral("sqlite:///") + root + QStringLiteral("/app.db"));
        QVERIFY(conn);
        QVERIFY((*conn)->exec(QStringLiteral("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")));
        QVERIFY((*conn)->exec(QStringLiteral("INSERT INTO alembic_version VALUES ('a1000000000a')")));
    }
    const QStringList before = versions(root);
    SquashDialog dialog(root + QStringLiteral("/alembic.ini"), QString(), QStringLiteral("c3000000000c"));
    QSignalSpy finished(&dialog, &SquashDialog::runFinished);
    QTest::mouseClick(dialog.squashButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.last().at(0).toBool(), false);
    QVERIFY2(dialog.outputText().startsWith(QLatin1String("Nothing was changed: The project's database is at "
                                                          "a1000000000a, below c3000000000c")),
             qPrintable(dialog.outputText()));
    QCOMPARE(versions(root), before);
    QVERIFY(dialog.squashButton()->isEnabled());

    dialog.forceBox()->setChecked(true);
    QTest::mouseClick(dialog.squashButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.last().at(0).toBool(), true);
    QVERIFY2(dialog.outputText().contains(QLatin1String("Warning: The project's database is at a1000000000a, below "
                                                        "c3000000000c")), qPrintable(dialog.outputText()));
    QVERIFY(versions(root) != before);
}

void TestSquashDialog::graphContextMenuOffersSquash()
{
    QVector<Revision> revs(2);
    revs[0].id = QStringLiteral("a1");
    revs[1].id = QStringLiteral("b2");
    revs[1].downRevisions = {QStringLiteral("a1")};
    auto graph = RevisionGraph::build(revs);
    QVERIFY(graph);
    HistoryModel model;
    model.setGraph(*graph);
    RevisionGraphView view;
    view.setModel(&model);
    view.resize(600, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy requested(&view, &RevisionGraphView::squashRequested);
    QStringList offered;
    QTimer::singleShot(0, this, [&offered] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu)
            return;
        for (QAction *action : menu->actions()) {
            offered << action->text();
            if (action->text() == QStringLiteral("Squash up to here…"))
                action->trigger();
        }
        menu->close();
    });
    const QPoint pos(10, view.rowHeight() / 2);
    QContextMenuEvent event(QContextMenuEvent::Mouse, pos, view.viewport()->mapToGlobal(pos));
    QApplication::sendEvent(view.viewport(), &event);
    QVERIFY2(offered.contains(QStringLiteral("Squash up to here…")), qPrintable(offered.join(QLatin1Char('|'))));
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.first().at(0).toString(), model.revisionAt(0));
}

QTEST_MAIN(TestSquashDialog)
#include "tst_squashdialog.moc"
