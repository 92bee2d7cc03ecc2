// SqlPreviewView on the demo project: the SQL an upgrade/downgrade would run from the
// database's heads, steps that need Python as comments; a chosen range and dialect give
// exactly what `retort upgrade|downgrade from:to --sql` prints (run in-process here);
// a step that cannot be rendered is a banner; Save as .sql. LogView's text and save.

#include "command/commandline.h"
#include "command/commandoutput.h"
#include "logview.h"
#include "sqlpreviewview.h"
#include "studioactions.h"
#include "uitestsupport.h"

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QToolButton>
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
    void rangeFromTo();
    void dialectMatchesCli_data();
    void dialectMatchesCli();
    void alembicStepMatchesCli();
    void onlineRendering();
    void failedStepIsABanner();
    void saveAsFile();
    void previewShortcut();
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
class Capture : public CommandOutput
{
public:
    void writeStdout(const QString &text) override { out += text; }
    void writeStderr(const QString &text) override { err += text; }
    QString out, err;
};

// `retort -c ini <command> <range> --sql --url <url>`, in-process: its stdout.
QString cliSql(const QString &ini, const QString &command, const QString &range, const QString &url)
{
    Capture capture;
    CommandLine cli(QStringLiteral("retort"), &capture);
    QStringList args{QStringLiteral("-c"), ini, command, range, QStringLiteral("--sql")};
    if (!url.isEmpty())
        args << QStringLiteral("--url") << url;
    const int rc = cli.run(args);
    if (rc != 0)
        return QStringLiteral("exit %1: %2%3").arg(rc).arg(capture.out, capture.err);
    return capture.out;
}

// The preview marks steps Alembic rendered with a comment (and its blank line) that
// --sql does not print.
QString withoutAlembicMarks(QString sql)
{
    static const QRegularExpression mark(QStringLiteral("^-- rendered by Alembic [^\\n]*\\n\\n"),
                                         QRegularExpression::MultilineOption);
    return sql.remove(mark);
}

const QString kLoopRevision = QStringLiteral("f1a2b3c4d5e6");
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
    // The dialect box says which dialect "Connection" is.
    QCOMPARE(view.findChild<QComboBox *>(QStringLiteral("dialect"))->currentText(), QStringLiteral("Connection (sqlite)"));
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
    // Incomplete: a warning banner names the revision and its file.
    QVERIFY2(view.bannerText().contains(QLatin1String("revision f1a2b3c4d5e6 (")), qPrintable(view.bannerText()));
    QVERIFY(view.bannerText().contains(QLatin1String("f1a2b3c4d5e6_loop.py")));
    QCOMPARE(view.bannerText().count(QLatin1String("needs Python: for loop")), 1);
    qunsetenv("RETORT_PYTHON");
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

void TestSqlPreviewView::rangeFromTo()
{
    QTemporaryDir dir;
    MigrationProjectSpec spec = demo(dir);
    SqlPreviewView view;
    view.setProject(spec);
    view.setCurrentHeads({QStringLiteral("e97a3b2d4c58")});   // ignored: the range starts elsewhere
    view.setRange(QStringLiteral("3f9a1c2b7d10"), QStringLiteral("a6d90c13e7f4"));
    const QString sql = view.sql();
    QVERIFY2(view.errorText().isEmpty(), qPrintable(view.errorText()));
    QVERIFY(view.isAsSql());
    QVERIFY2(sql.contains(QLatin1String("-- Running upgrade 3f9a1c2b7d10 -> 8c2e5b4a9f31")), qPrintable(sql));
    QVERIFY(sql.contains(QLatin1String("-- Running upgrade 8c2e5b4a9f31 -> a6d90c13e7f4")));
    QVERIFY(!sql.contains(QLatin1String("CREATE TABLE accounts")));
    QVERIFY(!sql.contains(QLatin1String("CREATE TABLE alembic_version")));
    QCOMPARE(sql, cliSql(spec.iniPath, QStringLiteral("upgrade"), QStringLiteral("3f9a1c2b7d10:a6d90c13e7f4"), {}));
    // The combos show the range; choosing "Database" again starts from the heads.
    auto *from = view.findChild<QComboBox *>(QStringLiteral("from"));
    auto *to = view.findChild<QComboBox *>(QStringLiteral("to"));
    QCOMPARE(from->currentData().toString(), QStringLiteral("3f9a1c2b7d10"));
    QCOMPARE(to->currentData().toString(), QStringLiteral("a6d90c13e7f4"));
    QVERIFY(to->findData(QStringLiteral("d41b7e6c0a25")) >= 0);   // every revision is listed
    from->setCurrentIndex(from->findData(QString()));
    QCOMPARE(view.fromRevision(), QString());
    QVERIFY(!view.isAsSql());
    QVERIFY2(view.sql().isEmpty() && view.errorText().isEmpty(), qPrintable(view.sql() + view.errorText()));
    // A target can be typed, as on the command line: a relative one from the database.
    view.setDirection(MigrationSession::Downgrade);
    to->lineEdit()->clear();
    QTest::keyClicks(to->lineEdit(), QStringLiteral("-1"));
    QTest::keyClick(to->lineEdit(), Qt::Key_Return);
    QCOMPARE(view.revision(), QStringLiteral("-1"));
    QVERIFY2(view.sql().contains(QLatin1String("-- Running downgrade e97a3b2d4c58 -> b2c8e4f15a67")),
             qPrintable(view.sql() + view.errorText()));
    // So can a start: partial ids.
    from->lineEdit()->clear();
    QTest::keyClicks(from->lineEdit(), QStringLiteral("5e07"));
    QTest::keyClick(from->lineEdit(), Qt::Key_Return);
    QCOMPARE(view.fromRevision(), QStringLiteral("5e07"));
    to->lineEdit()->clear();
    QTest::keyClicks(to->lineEdit(), QStringLiteral("d41b"));
    QTest::keyClick(to->lineEdit(), Qt::Key_Return);
    QVERIFY2(view.sql().contains(QLatin1String("-- Running downgrade 5e07f3d8b6c9 -> d41b7e6c0a25")),
             qPrintable(view.sql() + view.errorText()));
    QCOMPARE(view.sql(), cliSql(spec.iniPath, QStringLiteral("downgrade"), QStringLiteral("5e07:d41b"), {}));
    // Downgrade over a range keeps --sql's final DROP of the version table.
    view.setDirection(MigrationSession::Downgrade);
    view.setRange(QStringLiteral("8c2e5b4a9f31"), QStringLiteral("base"));
    QVERIFY(view.sql().contains(QLatin1String("DROP TABLE alembic_version")));
    QCOMPARE(view.sql(), cliSql(spec.iniPath, QStringLiteral("downgrade"), QStringLiteral("8c2e5b4a9f31:base"), {}));
}

void TestSqlPreviewView::dialectMatchesCli_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("url");   // another database of the dialect than the preview's
    QTest::addColumn<int>("direction");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("marker");   // proof that it is that dialect's SQL
    const struct { const char *name, *url, *upMarker, *downMarker; } dialects[] = {
        {"sqlite", "sqlite:///elsewhere.db", "CREATE TABLE accounts", "DROP INDEX ix_products_sku;"},
        {"postgresql", "postgresql://u:p@db.example/app", "BEGIN;", "DROP INDEX ix_products_sku;"},
        {"mysql", "mysql://u:p@db.example/app", "AUTO_INCREMENT", "DROP INDEX ix_products_sku ON products;"},
    };
    for (const auto &d : dialects) {
        QTest::addRow("%s up base:head", d.name) << d.name << d.url << int(MigrationSession::Upgrade)
                                                 << "base" << "heads" << d.upMarker;
        QTest::addRow("%s down head:base", d.name) << d.name << d.url << int(MigrationSession::Downgrade)
                                                   << "e97a3b2d4c58" << "base" << d.downMarker;
        QTest::addRow("%s up from database", d.name) << d.name << d.url << int(MigrationSession::Upgrade)
                                                     << "" << "a6d90c13e7f4" << "ADD COLUMN sku";
    }
}

// Another dialect than the connection's is what --sql prints with a URL of that dialect.
void TestSqlPreviewView::dialectMatchesCli()
{
    QFETCH(QString, dialect);
    QFETCH(QString, url);
    QFETCH(int, direction);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, marker);
    qputenv("RETORT_PYTHON", "/nonexistent/python3");   // the demo needs none
    QTemporaryDir dir;
    MigrationProjectSpec spec = demo(dir);   // a SQLite project
    SqlPreviewView view;
    view.setProject(spec);
    const QString databaseAt = QStringLiteral("8c2e5b4a9f31");
    view.setCurrentHeads({databaseAt});
    view.setDirection(MigrationSession::Direction(direction));
    view.setDialect(dialect);
    QCOMPARE(view.dialectName(), dialect);
    view.setRange(from, to);
    QVERIFY(view.isAsSql());
    const QString sql = view.sql();
    QVERIFY2(view.errorText().isEmpty(), qPrintable(view.errorText()));
    QVERIFY2(sql.contains(marker), qPrintable(sql));
    const QString command = direction == MigrationSession::Upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade");
    QCOMPARE(sql, cliSql(spec.iniPath, command, (from.isEmpty() ? databaseAt : from) + QLatin1Char(':') + to, url));
    qunsetenv("RETORT_PYTHON");
}

// A step that needs Python, rendered by the project's Alembic for the chosen dialect.
void TestSqlPreviewView::alembicStepMatchesCli()
{
    qputenv("RETORT_PYTHON", "/usr/bin/python3");
    QTemporaryDir dir;
    MigrationProjectSpec spec = demo(dir);
    QVERIFY(writeFile(dir.filePath(QStringLiteral("demo/migrations/versions/f1a2b3c4d5e6_loop.py")),
                      revisionScript(kLoopRevision, QStringLiteral("e97a3b2d4c58"),
                                     QStringLiteral("    i = 0\n"
                                                    "    while i < 2:\n"
                                                    "        op.create_table(\"loop_%d\" % i, sa.Column(\"id\", sa.Integer(), primary_key=True))\n"
                                                    "        i += 1\n"))));
    SqlPreviewView view;
    view.setProject(spec);
    view.setDialect(QStringLiteral("postgresql"));
    view.setRange(QStringLiteral("e97a3b2d4c58"), kLoopRevision);
    const QString sql = view.sql();
    QVERIFY2(sql.contains(QLatin1String("-- rendered by Alembic (needs Python: ")), qPrintable(sql + view.errorText()));
    QVERIFY2(sql.contains(QLatin1String("CREATE TABLE loop_1")), qPrintable(sql));
    QVERIFY(sql.contains(QLatin1String("id SERIAL NOT NULL")));   // PostgreSQL's, not SQLite's   // PostgreSQL's, not SQLite's
    QCOMPARE(withoutAlembicMarks(sql),
             cliSql(spec.iniPath, QStringLiteral("upgrade"), QStringLiteral("e97a3b2d4c58:") + kLoopRevision,
                    QStringLiteral("postgresql://u@db.example/app")));
    qunsetenv("RETORT_PYTHON");
}

// From the database in the connection's dialect the preview is what an online run
// executes (PostgreSQL keeps backslashes in string literals); --sql doubles them.
void TestSqlPreviewView::onlineRendering()
{
    qputenv("RETORT_PYTHON", "/nonexistent/python3");
    QTemporaryDir dir;
    MigrationProjectSpec spec = demo(dir);
    spec.urlOverride = QStringLiteral("postgresql://u@db.example/app");   // never reached
    QVERIFY(writeFile(dir.filePath(QStringLiteral("demo/migrations/versions/f1a2b3c4d5e6_seed.py")),
                      revisionScript(kLoopRevision, QStringLiteral("e97a3b2d4c58"),
                                     QStringLiteral("    op.bulk_insert(sa.table(\"accounts\", sa.column(\"email\", sa.String)),\n"
                                                    "                   [{\"email\": \"a\\\\b@example.com\"}])\n"))));
    SqlPreviewView view;
    view.setProject(spec);
    view.setCurrentHeads({QStringLiteral("e97a3b2d4c58")});
    view.showRevision(kLoopRevision);
    QVERIFY(!view.isAsSql());
    QVERIFY2(view.sql().contains(QLatin1String("VALUES ('a\\b@example.com')")), qPrintable(view.sql() + view.errorText()));
    view.setDialect(QStringLiteral("postgresql"));   // as --sql prints it
    QVERIFY2(view.sql().contains(QLatin1String("VALUES ('a\\\\b@example.com')")), qPrintable(view.sql()));
    QCOMPARE(view.sql(), cliSql(spec.iniPath, QStringLiteral("upgrade"), QStringLiteral("e97a3b2d4c58:") + kLoopRevision,
                                spec.urlOverride));
    qunsetenv("RETORT_PYTHON");
}

// Online, bulk_insert with rows of different keys cannot be rendered (one executemany):
// a banner names the revision and its file; the SQL before it is shown, nothing after.
void TestSqlPreviewView::failedStepIsABanner()
{
    qputenv("RETORT_PYTHON", "/nonexistent/python3");
    QTemporaryDir dir;
    MigrationProjectSpec spec = demo(dir);
    const QString script = dir.filePath(QStringLiteral("demo/migrations/versions/f1a2b3c4d5e6_seed.py"));
    QVERIFY(writeFile(script, revisionScript(kLoopRevision, QStringLiteral("e97a3b2d4c58"),
                                             QStringLiteral("    op.bulk_insert(sa.table(\"t\", sa.column(\"i\", sa.Integer), sa.column(\"s\", sa.String)),\n"
                                                            "                   [{\"i\": 1}, {\"s\": \"y\"}])\n"))));
    SqlPreviewView view;
    view.setProject(spec);
    view.setCurrentHeads({QStringLiteral("a6d90c13e7f4")});
    view.showRevision(kLoopRevision);
    const QString sql = view.sql();
    QVERIFY2(sql.contains(QLatin1String("CREATE TABLE orders")), qPrintable(sql + view.errorText()));
    QVERIFY(sql.contains(QLatin1String("UPDATE alembic_version SET version_num='e97a3b2d4c58'")));
    QVERIFY2(!sql.contains(QLatin1String("version_num='f1a2b3c4d5e6'")), qPrintable(sql));
    QVERIFY(!sql.contains(QLatin1String("cannot render")));
    const QString banner = view.bannerText();
    QVERIFY2(banner.contains(QLatin1String("<b>f1a2b3c4d5e6</b>")), qPrintable(banner));
    QVERIFY2(banner.contains(QLatin1String("f1a2b3c4d5e6_seed.py")), qPrintable(banner));
    QVERIFY(banner.contains(QLatin1String("A value is required for bind parameter")));
    QVERIFY(view.errorText().contains(QLatin1String("f1a2b3c4d5e6")));
    QVERIFY(!view.findChild<QToolButton *>(QStringLiteral("save"))->isEnabled());
    // --sql renders each row as it is: no banner.
    view.setRange(QStringLiteral("e97a3b2d4c58"), kLoopRevision);
    QVERIFY2(view.bannerText().isEmpty(), qPrintable(view.bannerText()));
    QVERIFY(view.sql().contains(QLatin1String("INSERT INTO t (s) VALUES ('y')")));
    qunsetenv("RETORT_PYTHON");
}

void TestSqlPreviewView::saveAsFile()
{
    QTemporaryDir dir;
    SqlPreviewView view;
    view.setProject(demo(dir));
    view.showRevision(QStringLiteral("8c2e5b4a9f31"));
    QVERIFY(view.findChild<QToolButton *>(QStringLiteral("save"))->isEnabled());
    const QString path = dir.filePath(QStringLiteral("out/upgrade.sql"));
    QVERIFY(!view.saveTo(path).ok());   // no such folder: an error, not a crash
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("out"))));
    QVERIFY(view.saveTo(path).ok());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(f.readAll()), view.sql());
    QVERIFY(!view.sql().isEmpty());
}

// Preview SQL has a shortcut, and not one of the standard editing keys.
void TestSqlPreviewView::previewShortcut()
{
    StudioActions actions;
    const QKeySequence key = actions.previewSql->shortcut();
    QVERIFY(!key.isEmpty());
    for (int k = QKeySequence::HelpContents; k <= QKeySequence::Cancel; ++k)
        QVERIFY2(!QKeySequence::keyBindings(QKeySequence::StandardKey(k)).contains(key),
                 qPrintable(key.toString()));
    const QList<QAction *> all = actions.findChildren<QAction *>();
    QVERIFY(all.size() > 5);
    for (QAction *other : all)
        QVERIFY2(other == actions.previewSql || other->shortcut() != key, qPrintable(other->text()));
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
