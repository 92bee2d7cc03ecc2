// SqlPreviewView on the demo project: the SQL an upgrade/downgrade would run from the
// database's heads, steps that need Python as comments. LogView's text and save.

#include "logview.h"
#include "sqlpreviewview.h"
#include "uitestsupport.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;
using namespace retort::test;

class TestSqlPreviewView : public QObject
{
    Q_OBJECT

private slots:
    void upgradeFromBase();
    void downgradeFromHeads();
    void needsPythonAsComment();
    void needsPythonRenderedByAlembic();
    void errorsAreShown();
    void logView();
};

namespace {
MigrationProjectSpec demo(QTemporaryDir &dir)
{
    MigrationProjectSpec spec;
    if (copyTree(QStringLiteral(RETORT_DEMO_DIR), dir.filePath(QStringLiteral("demo")))
        && QDir::setCurrent(dir.filePath(QStringLiteral("demo"))))   // script_location is relative
        spec.iniPath = dir.filePath(QStringLiteral("demo/alembic.ini"));
    return spec;
}
} // namespace

void TestSqlPreviewView::upgradeFromBase()
{
    QTemporaryDir dir;
    SqlPreviewView view;
    view.setProject(demo(dir));
    view.showRevision(QStringLiteral("8c2e5b4a9f31"));
    const QString sql = view.sql();
    QVERIFY2(view.errorText().isEmpty(), qPrintable(view.errorText()));
    QVERIFY(sql.startsWith(QLatin1String("CREATE TABLE alembic_version")));
    QVERIFY(sql.contains(QLatin1String("-- Running upgrade  -> 3f9a1c2b7d10")));
    QVERIFY(sql.contains(QLatin1String("CREATE TABLE accounts")));
    QVERIFY(sql.contains(QLatin1String("CREATE TABLE products")));
    QVERIFY(sql.contains(QLatin1String("UPDATE alembic_version SET version_num='8c2e5b4a9f31'")));
    QVERIFY(!sql.contains(QLatin1String("CREATE TABLE orders")));
}

void TestSqlPreviewView::downgradeFromHeads()
{
    QTemporaryDir dir;
    SqlPreviewView view;
    view.setProject(demo(dir));
    view.setCurrentHeads({QStringLiteral("a6d90c13e7f4")});
    QSignalSpy changed(&view, &SqlPreviewView::directionChanged);
    view.setDirection(MigrationSession::Downgrade);
    QCOMPARE(changed.size(), 1);
    view.showRevision(QStringLiteral("base"));
    const QString sql = view.sql();
    QVERIFY2(sql.contains(QLatin1String("DROP INDEX ix_products_sku")), qPrintable(sql + view.errorText()));
    QVERIFY(sql.contains(QLatin1String("DROP TABLE accounts")));
    QVERIFY(sql.contains(QLatin1String("DELETE FROM alembic_version")));
    // Online the version table stays: no DROP for it.
    QVERIFY(!sql.contains(QLatin1String("DROP TABLE alembic_version")));
    QCOMPARE(view.findChild<QComboBox *>(QStringLiteral("direction"))->currentIndex(), 1);
}

void TestSqlPreviewView::needsPythonAsComment()
{
    // No usable Python: the step is a comment saying why.
    qputenv("RETORT_PYTHON", "/nonexistent/python3");
    QTemporaryDir dir;
    MigrationProjectSpec spec = demo(dir);
    QVERIFY(writeFile(dir.filePath(QStringLiteral("demo/migrations/versions/f1a2b3c4d5e6_loop.py")),
                      revisionScript(QStringLiteral("f1a2b3c4d5e6"), QStringLiteral("e97a3b2d4c58"),
                                     QStringLiteral("    for t in {\"a\", \"b\"}:\n        op.drop_table(t)\n"))));
    SqlPreviewView view;
    view.setProject(spec);
    view.setCurrentHeads({QStringLiteral("e97a3b2d4c58")});
    view.showRevision(QStringLiteral("head"));
    const QString sql = view.sql();
    QVERIFY2(sql.contains(QLatin1String("-- needs Python: for loop")), qPrintable(sql + view.errorText()));
    QVERIFY(sql.contains(QLatin1String("UPDATE alembic_version SET version_num='f1a2b3c4d5e6'")));
}

// With the project's Alembic at hand the step's SQL is shown, marked as Alembic's.
void TestSqlPreviewView::needsPythonRenderedByAlembic()
{
    qputenv("RETORT_PYTHON", "/usr/bin/python3");
    QTemporaryDir dir;
    MigrationProjectSpec spec = demo(dir);
    QVERIFY(writeFile(dir.filePath(QStringLiteral("demo/migrations/versions/f1a2b3c4d5e6_loop.py")),
                      revisionScript(QStringLiteral("f1a2b3c4d5e6"), QStringLiteral("e97a3b2d4c58"),
                                     QStringLiteral("    for t in {\"loop_a\", \"loop_b\"}:\n"
                                                    "        op.create_table(t, sa.Column(\"id\", sa.Integer()))\n"))));
    SqlPreviewView view;
    view.setProject(spec);
    view.setCurrentHeads({QStringLiteral("e97a3b2d4c58")});
    view.showRevision(QStringLiteral("head"));
    const QString sql = view.sql();
    QVERIFY2(sql.contains(QLatin1String("-- rendered by Alembic (needs Python: for loop")), qPrintable(sql + view.errorText()));
    QVERIFY2(sql.contains(QLatin1String("CREATE TABLE loop_a (")), qPrintable(sql));
    QVERIFY(sql.contains(QLatin1String("CREATE TABLE loop_b (")));
    QVERIFY(sql.indexOf(QLatin1String("CREATE TABLE loop_b")) < sql.indexOf(QLatin1String("UPDATE alembic_version SET version_num='f1a2b3c4d5e6'")));
    qunsetenv("RETORT_PYTHON");
}

void TestSqlPreviewView::errorsAreShown()
{
    QTemporaryDir dir;
    SqlPreviewView view;
    view.setProject(demo(dir));
    view.showRevision(QStringLiteral("nosuchrev"));
    QVERIFY(view.sql().isEmpty());
    QVERIFY(!view.errorText().isEmpty());
    view.setProject({});
    QVERIFY(view.sql().isEmpty());
}

void TestSqlPreviewView::logView()
{
    LogView log;
    log.appendLine(QStringLiteral("Context impl SQLiteImpl."));
    log.appendStep(0, 2, QStringLiteral("upgrade  -> abc"));
    log.appendStatement(QStringLiteral("CREATE TABLE t (\n    id INTEGER\n)"), 3);
    log.appendBackup(QStringLiteral("/tmp/b.sqlite"));
    log.appendResult(false, QStringLiteral("boom"));
    QCOMPARE(log.lineCount(), 7);
    const QString text = log.text();
    QVERIFY(text.contains(QLatin1String("STEP 1/2 upgrade  -> abc")));
    QVERIFY(text.contains(QLatin1String("SQL [3 ms] CREATE TABLE t (")));
    QVERIFY(text.contains(QLatin1String("BACKUP /tmp/b.sqlite")));
    QVERIFY(text.contains(QLatin1String("ERROR boom")));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.log"));
    QVERIFY(log.save(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("ERROR boom"));
    log.clear();
    QCOMPARE(log.lineCount(), 0);
    QVERIFY(log.text().isEmpty());
}

QTEST_MAIN(TestSqlPreviewView)
#include "tst_sqlpreviewview.moc"
