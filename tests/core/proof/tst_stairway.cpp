// The stairway (`retort verify`) and the scratch database on SQLite, over a temporary copy of
// the `handoff` fixture: aa01 and cc03 run natively, bb02 (a while loop) is handed to
// Python's Alembic (/usr/bin/python3) — on the scratch file, never on the project's database.
// PostgreSQL and MariaDB: tests/conformance/test_proof.py (slices proof.*).

#include "proof/revisionschema.h"
#include "proof/schematext.h"
#include "proof/scratchdatabase.h"
#include "proof/scratchrun.h"
#include "proof/stairway.h"
#include "revision/revisiongraph.h"
#include "runtime/databaseconnection.h"
#include "services/migrationlogsink.h"
#include "services/project.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

class RecordingSink : public MigrationLogSink
{
public:
    QStringList lines;
    void info(const QString &, const QString &message) override { lines << message; }
};

bool copyTree(const QString &from, const QString &dest)
{
    QDirIterator it(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        if (src.contains(QLatin1String("__pycache__")) || src.endsWith(QLatin1String(".db")))
            continue;
        const QString target = dest + QLatin1Char('/') + QDir(from).relativeFilePath(src);
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(src, target))
            return false;
        QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner);
    }
    return true;
}

bool replaceIn(const QString &path, const QString &from, const QString &to)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QString text = QString::fromUtf8(f.readAll());
    f.close();
    if (!text.contains(from))
        return false;
    text.replace(from, to);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    f.write(text.toUtf8());
    return true;
}

} // namespace

class TestStairway : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void scratchNames_data();
    void scratchNames();
    void sqliteScratchIsDroppedAndChecked();
    void reversedPlanUndoesTheVersionTable();
    void rangeSelectsRevisions_data();
    void rangeSelectsRevisions();
    void correctDowngradesPass();
    void brokenDowngradeIsReportedWithTheDiff();
    void failingDowngradeIsReported();
    void envPyWithFixedUrlRefusesPythonSteps();
    void envPyUrlFromTheEnvironmentPointsAtTheScratch();
    void schemaAtRevisionAndPair();

private:
    QString versions(const QString &file) const { return m_root + QStringLiteral("/migrations/versions/") + file; }
    QString userDb() const { return m_root + QStringLiteral("/handoff.db"); }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_root;
    std::unique_ptr<Project> m_project;
    RecordingSink m_sink;
};

void TestStairway::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_root = m_dir->filePath(QStringLiteral("handoff"));
    QVERIFY(copyTree(QStringLiteral(RETORT_FIXTURES_DIR "/projects/handoff"), m_root));
    QVERIFY(QDir::setCurrent(m_root));
    qputenv("RETORT_PYTHON", "/usr/bin/python3");
    m_project = std::make_unique<Project>(m_root + QStringLiteral("/alembic.ini"));
    m_sink.lines.clear();
}

void TestStairway::scratchNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("scratch");
    QTest::newRow("made") << QStringLiteral("retort_scratch_0123456789ab") << true;
    QTest::newRow("user's") << QStringLiteral("shop") << false;
    QTest::newRow("upper hex") << QStringLiteral("retort_scratch_0123456789AB") << false;
    QTest::newRow("suffix") << QStringLiteral("retort_scratch_0123456789ab_x") << false;
    QTest::newRow("short") << QStringLiteral("retort_scratch_0123") << false;
}

void TestStairway::scratchNames()
{
    QFETCH(QString, name);
    QFETCH(bool, scratch);
    QCOMPARE(ScratchDatabase::isScratchName(name), scratch);
}

void TestStairway::sqliteScratchIsDroppedAndChecked()
{
    auto db = ScratchDatabase::createSqlite();
    QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
    const QString path = (*db)->name();
    QVERIFY(ScratchDatabase::isScratchName(QFileInfo(path).completeBaseName()));
    {
        auto conn = DatabaseConnection::open((*db)->url());
        QVERIFY(conn);
        QVERIFY((*conn)->exec(QStringLiteral("CREATE TABLE t (id INTEGER)")));
        QVERIFY((*db)->checkConnection(**conn));
        auto other = DatabaseConnection::openUrl(QStringLiteral("sqlite:///") + userDb());
        QVERIFY(other);
        const VoidResult refused = (*db)->checkConnection(**other);
        QVERIFY(!refused);
        QVERIFY(refused.error().message.contains(QLatin1String("not on the scratch database")));
    }
    QVERIFY(QFile::exists(path));
    db->reset();
    QVERIFY(!QFile::exists(path));
    QVERIFY(!QFileInfo::exists(QFileInfo(path).absolutePath()));
}

void TestStairway::reversedPlanUndoesTheVersionTable()
{
    auto graph = m_project->graph();
    QVERIFY(graph);
    auto up = MigrationPlanner::upgrade(**graph, {QStringLiteral("aa01")}, QStringLiteral("bb02"));
    QVERIFY(up);
    const MigrationPlan down = ScratchRun::reversed(*up);
    QCOMPARE(down.steps.size(), 1);
    QCOMPARE(down.steps.first().kind, MigrationStep::Downgrade);
    QCOMPARE(down.steps.first().revision, QStringLiteral("bb02"));
    QCOMPARE(down.steps.first().shortLog, QStringLiteral("downgrade bb02 -> aa01"));
    QCOMPARE(down.startHeads, QStringList{QStringLiteral("bb02")});
    QCOMPARE(down.endHeads, QStringList{QStringLiteral("aa01")});
    QCOMPARE(down.headsBefore(1), QStringList{QStringLiteral("aa01")});
    auto first = MigrationPlanner::upgrade(**graph, {}, QStringLiteral("aa01"));
    QVERIFY(first);
    const MigrationPlan back = ScratchRun::reversed(*first);
    QCOMPARE(back.headsBefore(1), QStringList());   // the insert becomes a delete
}

void TestStairway::rangeSelectsRevisions_data()
{
    QTest::addColumn<QString>("range");
    QTest::addColumn<QStringList>("checked");
    QTest::addColumn<QStringList>("upToEnd");
    const QStringList all{QStringLiteral("aa01"), QStringLiteral("bb02"), QStringLiteral("cc03")};
    QTest::newRow("everything") << QString() << all << all;
    QTest::newRow("from") << QStringLiteral("bb02:") << QStringList{QStringLiteral("bb02"), QStringLiteral("cc03")} << all;
    QTest::newRow("until") << QStringLiteral(":bb02") << QStringList{QStringLiteral("aa01"), QStringLiteral("bb02")}
                           << QStringList{QStringLiteral("aa01"), QStringLiteral("bb02")};
    QTest::newRow("one") << QStringLiteral("cc03:cc03") << QStringList{QStringLiteral("cc03")} << all;
}

void TestStairway::rangeSelectsRevisions()
{
    QFETCH(QString, range);
    QFETCH(QStringList, checked);
    QFETCH(QStringList, upToEnd);
    auto graph = m_project->graph();
    QVERIFY(graph);
    QStringList all;
    auto got = Stairway::revisionsInRange(**graph, range, &all);
    QVERIFY2(got, qPrintable(got ? QString() : got.error().message));
    QCOMPARE(*got, checked);
    QCOMPARE(all, upToEnd);
    QVERIFY(!Stairway::revisionsInRange(**graph, QStringLiteral("bb02"), nullptr));
}

void TestStairway::correctDowngradesPass()
{
    Stairway stairway(*m_project, m_sink);
    QSignalSpy checked(&stairway, &Stairway::revisionChecked);
    auto results = stairway.run();
    QVERIFY2(results, qPrintable(results ? QString() : results.error().message));
    QCOMPARE(results->size(), 3);
    for (const StairwayResult &r : *results)
        QVERIFY2(!r.isFinding(), qPrintable(r.revision + QLatin1String(": ") + r.message));
    QCOMPARE(checked.size(), 3);
    // bb02 went to Python, on the scratch file: the project's database was never made.
    QVERIFY(!m_sink.lines.filter(QStringLiteral("bb02")).isEmpty());
    QVERIFY(!QFile::exists(userDb()));
    QVERIFY(!m_sink.lines.filter(QStringLiteral("Dropped scratch database")).isEmpty());
}

void TestStairway::brokenDowngradeIsReportedWithTheDiff()
{
    QVERIFY(replaceIn(versions(QStringLiteral("cc03_add_item_name.py")),
                      QStringLiteral("    op.drop_column(\"items\", \"name\")"), QStringLiteral("    pass")));
    Stairway stairway(*m_project, m_sink);
    auto results = stairway.run();
    QVERIFY(results);
    QCOMPARE(results->size(), 3);
    const StairwayResult &cc = results->at(2);
    QCOMPARE(cc.revision, QStringLiteral("cc03"));
    QCOMPARE(cc.status, StairwayResult::NotRestored);
    QVERIFY2(cc.diff.contains(QStringLiteral("+     name VARCHAR(50)")), qPrintable(cc.diff.join(QLatin1Char('\n'))));
    QVERIFY(cc.diff.contains(QStringLiteral("  TABLE items")));
    QVERIFY(cc.message.contains(QLatin1String("upgrade after the downgrade failed")));
    QVERIFY(!results->at(0).isFinding());
    QVERIFY(!QFile::exists(userDb()));
}

void TestStairway::failingDowngradeIsReported()
{
    QVERIFY(replaceIn(versions(QStringLiteral("aa01_create_items.py")),
                      QStringLiteral("op.drop_table(\"items\")"), QStringLiteral("op.drop_table(\"no_such_table\")")));
    Stairway stairway(*m_project, m_sink);
    stairway.setRange(QStringLiteral(":aa01"));
    auto results = stairway.run();
    QVERIFY(results);
    QCOMPARE(results->size(), 1);
    QCOMPARE(results->first().status, StairwayResult::DowngradeFailed);
    QVERIFY2(results->first().message.contains(QLatin1String("no_such_table")), qPrintable(results->first().message));
}

void TestStairway::envPyWithFixedUrlRefusesPythonSteps()
{
    // env.py pins the user's database: bb02, run by Alembic, could connect there. Any step
    // needing Python is refused (even one Alembic could render offline: whether it falls
    // back to running online is only known when it runs).
    QVERIFY(replaceIn(versions(QStringLiteral("bb02_loop_tables.py")),
                      QStringLiteral("def upgrade() -> None:\n"),
                      QStringLiteral("def upgrade() -> None:\n"
                                     "    op.get_bind().execute(sa.text(\"SELECT count(*) FROM items\")).scalar()\n")));
    const QString env = m_root + QStringLiteral("/migrations/env.py");
    QVERIFY(replaceIn(env, QStringLiteral("config = context.config\n"),
                      QStringLiteral("config = context.config\nconfig.set_main_option(\"sqlalchemy.url\", \"sqlite:///%1\")\n")
                          .arg(userDb())));
    Stairway stairway(*m_project, m_sink);
    auto results = stairway.run();
    QVERIFY(results);
    QCOMPARE(results->size(), 2);   // stops at bb02
    QVERIFY(!results->at(0).isFinding());
    QCOMPARE(results->at(1).status, StairwayResult::UpgradeFailed);
    QVERIFY2(results->at(1).message.contains(QLatin1String("sets sqlalchemy.url to a fixed URL")),
             qPrintable(results->at(1).message));
    QVERIFY(!QFile::exists(userDb()));
}

void TestStairway::envPyUrlFromTheEnvironmentPointsAtTheScratch()
{
    // env.py takes the URL from $APP_DB_URL, set to the user's database: for the run (and
    // bb02's hand-off to Python) it names the scratch file, then it is put back.
    const QString env = m_root + QStringLiteral("/migrations/env.py");
    QVERIFY(replaceIn(env, QStringLiteral("config = context.config\n"),
                      QStringLiteral("config = context.config\nimport os\n"
                                     "config.set_main_option(\"sqlalchemy.url\", os.environ[\"APP_DB_URL\"])\n")));
    // bb02 reads from its connection: Alembic runs it online, connecting as env.py says.
    QVERIFY(replaceIn(versions(QStringLiteral("bb02_loop_tables.py")),
                      QStringLiteral("def upgrade() -> None:\n"),
                      QStringLiteral("def upgrade() -> None:\n"
                                     "    op.get_bind().execute(sa.text(\"SELECT count(*) FROM items\")).scalar()\n")));
    const QByteArray user = QByteArray("sqlite:///") + userDb().toUtf8();
    qputenv("APP_DB_URL", user);
    Stairway stairway(*m_project, m_sink);
    auto results = stairway.run();
    QVERIFY2(results, qPrintable(results ? QString() : results.error().message));
    QCOMPARE(results->size(), 3);
    for (const StairwayResult &r : *results)
        QVERIFY2(!r.isFinding(), qPrintable(r.revision + QLatin1String(": ") + r.message));
    QVERIFY(!m_sink.lines.filter(QStringLiteral("Bridged: upgrade")).isEmpty());   // it did go to Python
    QVERIFY(!QFile::exists(userDb()));
    QCOMPARE(qgetenv("APP_DB_URL"), user);
    qunsetenv("APP_DB_URL");
}

void TestStairway::schemaAtRevisionAndPair()
{
    RevisionSchema::Options options;
    auto at = RevisionSchema::at(*m_project, m_sink, options, QStringLiteral("aa01"));
    QVERIFY2(at, qPrintable(at ? QString() : at.error().message));
    const QStringList text = SchemaText::lines(*at);
    QCOMPARE(text.first(), QStringLiteral("TABLE items"));
    QVERIFY(!text.join(QLatin1Char('\n')).contains(QLatin1String("alembic_version")));
    auto pair = RevisionSchema::pair(*m_project, m_sink, options, QStringLiteral("cc03"), QStringLiteral("aa01"));
    QVERIFY2(pair, qPrintable(pair ? QString() : pair.error().message));
    const QStringList diff = SchemaText::diff(pair->first, pair->second);
    QVERIFY(diff.contains(QStringLiteral("- TABLE loop_a")));
    QVERIFY(diff.contains(QStringLiteral("-     name VARCHAR(50)")));
    const SchemaText::Summary s = SchemaText::summarize(pair->first, pair->second);
    QCOMPARE(s.removed, 2);
    QCOMPARE(s.changed, 1);
    QCOMPARE(s.added, 0);
    QVERIFY(!QFile::exists(userDb()));
}

QTEST_GUILESS_MAIN(TestStairway)
#include "tst_stairway.moc"
