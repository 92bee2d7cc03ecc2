// HistoryView keeps the column widths the user sets in the QSettings it is given: they
// survive a model reset and recreating the view; the defaults are never stored.

#include "historymodel.h"
#include "historyview.h"
#include "projectdocument.h"

#include <QHeaderView>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace retort;

class tst_HistoryView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void defaultsAreNotStored();
    void widthsSurviveRecreatingTheView();
    void widthsSurviveAModelReset();

private:
    static int width(HistoryView &view, int column)
    { return view.tableView()->horizontalHeader()->sectionSize(column); }

    ProjectDocument m_doc;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
};

void tst_HistoryView::initTestCase()
{
    VoidResult opened = m_doc.open(QStringLiteral(RETORT_FIXTURES_DIR "/projects/basic/alembic.ini"));
    QVERIFY2(opened.ok(), qPrintable(opened.error().toString()));
}

void tst_HistoryView::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("studio.ini")), QSettings::IniFormat);
}

void tst_HistoryView::defaultsAreNotStored()
{
    HistoryModel model;
    model.setGraph(m_doc.graph());
    HistoryView view;
    view.setModel(&model);
    view.setSettings(m_settings.get());
    view.resize(900, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(m_settings->allKeys().isEmpty());
}

void tst_HistoryView::widthsSurviveRecreatingTheView()
{
    HistoryModel model;
    model.setGraph(m_doc.graph());
    {
        HistoryView view;
        view.setModel(&model);
        view.setSettings(m_settings.get());
        view.tableView()->horizontalHeader()->resizeSection(HistoryModel::RevisionColumn, 91);
        view.tableView()->horizontalHeader()->resizeSection(HistoryModel::MessageColumn, 433);
    }
    m_settings->sync();
    QSettings reread(m_settings->fileName(), QSettings::IniFormat);
    HistoryView again;
    again.setModel(&model);
    again.setSettings(&reread);
    QCOMPARE(width(again, HistoryModel::RevisionColumn), 91);
    QCOMPARE(width(again, HistoryModel::MessageColumn), 433);
    QCOMPARE(width(again, HistoryModel::ParentsColumn), 200);   // untouched: the default

    // Settings given before the model are applied once the model arrives.
    HistoryView settingsFirst;
    settingsFirst.setSettings(&reread);
    settingsFirst.setModel(&model);
    QCOMPARE(width(settingsFirst, HistoryModel::MessageColumn), 433);
}

void tst_HistoryView::widthsSurviveAModelReset()
{
    HistoryModel model;
    model.setGraph(m_doc.graph());
    HistoryView view;
    view.setModel(&model);
    view.setSettings(m_settings.get());
    view.tableView()->horizontalHeader()->resizeSection(HistoryModel::BranchesColumn, 57);
    model.setGraph(m_doc.graph());   // a reload resets the model
    QCOMPARE(width(view, HistoryModel::BranchesColumn), 57);
    QCOMPARE(m_settings->value(QStringLiteral("historyView/columnWidths")).toStringList()
                 .value(HistoryModel::BranchesColumn), QStringLiteral("57"));
}

QTEST_MAIN(tst_HistoryView)
#include "tst_historyview.moc"
