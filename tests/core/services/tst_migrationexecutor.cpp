// MigrationExecutor on a temporary copy of the `handoff` fixture (SQLite): aa01 and cc03
// run natively, bb02 (a while loop) is handed to Python's Alembic (/usr/bin/python3).

#include "services/migrationenvironment.h"
#include "services/migrationexecutor.h"
#include "services/migrationlogsink.h"
#include "services/project.h"
#include "services/stepbridge.h"
#include "revision/migrationplanner.h"
#include "runtime/confirmationdelegate.h"
#include "runtime/databaseconnection.h"
#include "runtime/migrationlock.h"
#include "runtime/scriptchecksumtable.h"

#include <QDirIterator>
#include <QProcess>
#include <atomic>
#include <chrono>
#include <thread>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

class RecordingSink : public MigrationLogSink
{
public:
    QStringList lines;
    std::atomic<bool> waiting{false};   // read by a test's stopper thread
    void info(const QString &, const QString &message) override
    {
        lines << message;
        if (message.contains(QLatin1String("waiting for the migration lock")))
            waiting = true;
    }
    RecordingSink &operator=(const RecordingSink &) { lines.clear(); waiting = false; return *this; }
};

class NoDelegate : public ConfirmationDelegate
{
public:
    QStringList details;
    int asked = 0;
    bool confirm(const QString &, const QStringList &d) override
    {
        ++asked;
        details = d;
        return false;
    }
};

bool copyTree(const QString &from, const QString &dest)
{
    QDirIterator it(from, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        if (src.contains(QLatin1String("__pycache__")) || src.endsWith(QLatin1String(".db")))
            continue;
        const QString target = dest + QLatin1Char('/') + QDir(from).relativeFilePath(src);
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(src, target))
            return false;
    }
    return true;
}

} // namespace

class TestMigrationExecutor : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void upgradeRendersPythonStepWithAlembic();
    void downgradeRendersPythonStepWithAlembic();
    void offlineSplicesAlembicsSql();
    void onlineStepsRunInAlembic();
    void failingOnlineStepStopsTheRun();
    void oneTransactionRunsThePlanInAlembic();
    void versionTableNotWherePlanned();
    void unsupportedArgumentIsFoundBeforeAnythingRuns();
    void missingPythonRunsNothing();
    void cancelledBeforeTheFirstStep();
    void confirmationIsAskedOnce();
    void lockHeldAcrossPythonHandOff();
    void bridgedStepsRunInRetortsTransaction();
    void failingBridgedStepRollsBackItsStep();
    void groupLostWithItsTransaction();
    void oneTransactionKeptByTheBridge();
    void oneTransactionWithAStepTheBridgeCannotTake();
    void copyKeepsAlembicsConnection();
    void autocommitBlockThroughTheBridge();
    void envPyRunsOnceForContiguousBridgedSteps();
    void followedByBridged_data();
    void followedByBridged();
    void planOfAMovedDatabaseIsRefused();
    void cancelWhileWaitingForTheLock();

private:
    // Loads env.py, connects (online) and plans `direction` to target from the table's heads.
    Result<MigrationPlan> plan(bool upgrade, const QString &target, bool online = true);
    QStringList heads();
    QStringList tables();
    // Adds versions/<rev>_x.py revising `down` with these upgrade()/downgrade() bodies.
    void addScript(const QString &rev, const QString &down, const QString &upgrade,
                   const QString &downgrade = QStringLiteral("    pass\n"));
    QStringList grep(const QString &text) const { return m_sink.lines.filter(text); }
    // retort_bridge = false: the hand-off's route without the bridge (Alembic's connection).
    void withoutBridge();
    void oneTransactionEnv();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Project> m_project;
    RecordingSink m_sink;
    std::unique_ptr<MigrationEnvironment> m_env;
};

void TestMigrationExecutor::init()
{
    m_env.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    const QString root = m_dir->filePath(QStringLiteral("handoff"));
    QVERIFY(copyTree(QStringLiteral(RETORT_FIXTURES_DIR "/projects/handoff"), root));
    // script_location is relative to the working directory, as in Alembic.
    QVERIFY(QDir::setCurrent(root));
    qputenv("RETORT_PYTHON", "/usr/bin/python3");
    m_project = std::make_unique<Project>(root + QStringLiteral("/alembic.ini"));
    m_sink = RecordingSink();
}

Result<MigrationPlan> TestMigrationExecutor::plan(bool upgrade, const QString &target, bool online)
{
    m_env = std::make_unique<MigrationEnvironment>(*m_project, m_sink);
    VoidResult loaded = m_env->load();
    if (!loaded)
        return loaded.error();
    QStringList start;
    if (online) {
        VoidResult connected = m_env->connect();
        if (!connected)
            return connected.error();
        auto current = m_env->currentHeads();
        if (!current)
            return current.error();
        start = *current;
    } else {
        m_env->startOffline();
    }
    auto graph = m_project->graph();
    if (!graph)
        return graph.error();
    return upgrade ? MigrationPlanner::upgrade(**graph, start, target)
                   : MigrationPlanner::downgrade(**graph, start, target);
}

QStringList TestMigrationExecutor::heads()
{
    auto current = m_env->currentHeads();
    return current ? *current : QStringList{QStringLiteral("<error>")};
}

QStringList TestMigrationExecutor::tables()
{
    QStringList names;
    auto q = m_env->connection()->exec(
        QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    while (q && q->next())
        names << q->value(0).toString();
    return names;
}

void TestMigrationExecutor::addScript(const QString &rev, const QString &down, const QString &upgrade,
                                      const QString &downgrade)
{
    QFile f(QDir::current().filePath(QStringLiteral("migrations/versions/%1_x.py").arg(rev)));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("\"\"\"%1\n\nRevision ID: %1\n\"\"\"\nfrom alembic import op\n"
                           "import sqlalchemy as sa\n\nrevision = '%1'\ndown_revision = '%2'\n"
                           "branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n%3\n\ndef downgrade():\n%4")
                .arg(rev, down, upgrade, downgrade).toUtf8());
}

void TestMigrationExecutor::withoutBridge()
{
    QFile ini(QDir::current().filePath(QStringLiteral("alembic.ini")));
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(ini.readAll());
    ini.close();
    text.replace(QStringLiteral("[alembic]\n"), QStringLiteral("[alembic]\nretort_bridge = false\n"));
    QVERIFY(ini.open(QIODevice::WriteOnly | QIODevice::Truncate));
    ini.write(text.toUtf8());
    ini.close();
    m_project = std::make_unique<Project>(QDir::current().filePath(QStringLiteral("alembic.ini")));
}

void TestMigrationExecutor::oneTransactionEnv()
{
    QFile env(QDir::current().filePath(QStringLiteral("migrations/env.py")));
    QVERIFY(env.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(env.readAll());
    env.close();
    const QString online = QStringLiteral("connection=connection, target_metadata=target_metadata");
    QVERIFY(text.contains(online));
    text.replace(online, online + QStringLiteral(", transactional_ddl=True"));
    QVERIFY(env.open(QIODevice::WriteOnly | QIODevice::Truncate));
    env.write(text.toUtf8());
    env.close();
}

void TestMigrationExecutor::upgradeRendersPythonStepWithAlembic()
{
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY2(planned, qPrintable(planned ? QString() : planned.error().toString()));
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    QSignalSpy started(&executor, &MigrationExecutor::stepStarted);
    QSignalSpy python(&executor, &MigrationExecutor::pythonOutput);
    m_sink.lines.clear();
    VoidResult ran = executor.exec(*planned);
    QVERIFY2(ran, qPrintable(ran ? QString() : ran.error().toString()));

    QCOMPARE(heads(), QStringList{QStringLiteral("cc03")});
    QCOMPARE(tables(), (QStringList{QStringLiteral("alembic_version"), QStringLiteral("items"),
                                    QStringLiteral("loop_a"), QStringLiteral("loop_b"),
                                    QStringLiteral("retort_script_checksums")}));
    // Every step's upgrade() checksum is recorded, the one rendered by Alembic too.
    auto sums = ScriptChecksumTable(*m_env->connection(), m_env->versionTable()).read();
    QVERIFY(sums.ok());
    QStringList recorded = sums->keys();
    recorded.sort();
    QCOMPARE(recorded, (QStringList{QStringLiteral("aa01"), QStringLiteral("bb02"), QStringLiteral("cc03")}));
    QCOMPARE(executor.completedSteps(), 3);
    QCOMPARE(started.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(started.at(i).at(0).toInt(), i);
        QCOMPARE(started.at(i).at(1).toInt(), 3);
    }
    const QStringList running = m_sink.lines.filter(QRegularExpression(QStringLiteral("^(Running|Handing|Rendered) ")));
    QCOMPARE(running.size(), 4);
    QCOMPARE(running.at(0), QStringLiteral("Running upgrade  -> aa01, create items"));
    QVERIFY2(running.at(1).startsWith(QLatin1String("Rendered by Alembic: upgrade aa01 -> bb02 (revision bb02 (")),
             qPrintable(running.at(1)));
    QVERIFY2(running.at(1).endsWith(QLatin1String("bb02_loop_tables.py:20) needs Python: while loop)")),
             qPrintable(running.at(1)));
    QCOMPARE(running.at(2), QStringLiteral("Running upgrade aa01 -> bb02, loop tables"));
    QCOMPARE(running.at(3), QStringLiteral("Running upgrade bb02 -> cc03, add item name"));
    QCOMPARE(grep(QStringLiteral("using /usr/bin/python3 (alembic ")).size(), 1);
    // Retort ran the SQL: Alembic ran nothing online.
    QStringList out;
    for (const QList<QVariant> &line : python)
        out << line.first().toString();
    QCOMPARE(out.filter(QStringLiteral("Running upgrade")), QStringList());
}

void TestMigrationExecutor::downgradeRendersPythonStepWithAlembic()
{
    auto up = plan(true, QStringLiteral("head"));
    QVERIFY(up);
    QVERIFY(MigrationExecutor(*m_project, *m_env, m_sink).exec(*up));
    auto down = plan(false, QStringLiteral("base"));
    QVERIFY(down);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    m_sink.lines.clear();
    VoidResult ran = executor.exec(*down);
    QVERIFY2(ran, qPrintable(ran ? QString() : ran.error().toString()));
    QCOMPARE(heads(), QStringList());
    // The side table stays, emptied by the downgrade steps.
    QCOMPARE(tables(), (QStringList{QStringLiteral("alembic_version"), QStringLiteral("retort_script_checksums")}));
    QVERIFY(ScriptChecksumTable(*m_env->connection(), m_env->versionTable()).read()->isEmpty());
    QCOMPARE(grep(QStringLiteral("Rendered by Alembic: downgrade bb02 -> aa01")).size(), 1);
    QCOMPARE(grep(QStringLiteral("Handing")).size(), 0);
}

// --sql: Alembic's offline SQL for bb02 is spliced in; the script equals Alembic's own.
void TestMigrationExecutor::offlineSplicesAlembicsSql()
{
    auto planned = plan(true, QStringLiteral("head"), false);
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    executor.setOffline(true);
    QSignalSpy sql(&executor, &MigrationExecutor::offlineSql);
    VoidResult ran = executor.exec(*planned);
    QVERIFY2(ran, qPrintable(ran ? QString() : ran.error().toString()));
    QCOMPARE(sql.size(), 1);
    QCOMPARE(grep(QStringLiteral("Rendering upgrade aa01 -> bb02 with Alembic (revision bb02 (")).size(), 1);

    QProcess alembic;
    alembic.start(QStringLiteral("/usr/bin/python3"),
                  {QStringLiteral("-m"), QStringLiteral("alembic"), QStringLiteral("upgrade"), QStringLiteral("head"),
                   QStringLiteral("--sql")});
    QVERIFY(alembic.waitForFinished(60000));
    QCOMPARE(alembic.exitCode(), 0);
    const QString expected = QString::fromUtf8(alembic.readAllStandardOutput());
    QVERIFY(expected.contains(QLatin1String("CREATE TABLE loop_b")));
    QCOMPARE(sql.first().first().toString(), expected);
}

// A script reading a query result through op.get_bind() runs in Alembic online (two in a
// row go in one request); one that only writes through the bind is rendered offline and
// run by Retort. The "using" line shows one worker served the whole run.
void TestMigrationExecutor::onlineStepsRunInAlembic()
{
    withoutBridge();
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    conn = op.get_bind()\n"
                             "    n = conn.execute(sa.text('SELECT count(*) FROM items')).scalar()\n"
                             "    op.create_table('counted_%d' % n, sa.Column('id', sa.Integer()))\n"));
    addScript(QStringLiteral("ee05"), QStringLiteral("dd04"),
              QStringLiteral("    n = op.get_bind().execute(sa.text('SELECT count(*) FROM loop_a')).scalar()\n"
                             "    op.execute(\"INSERT INTO items (id, name) VALUES (7, 'x%d')\" % n)\n"));
    // (A bare bind.execute(sa.text(...)) is native: the while loop keeps this one Python's.)
    addScript(QStringLiteral("ff06"), QStringLiteral("ee05"),
              QStringLiteral("    while True:\n"
                             "        op.get_bind().execute(sa.text(\"INSERT INTO items (id, name) VALUES (8, 'y')\"))\n"
                             "        break\n"));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    QSignalSpy started(&executor, &MigrationExecutor::stepStarted);
    QSignalSpy python(&executor, &MigrationExecutor::pythonOutput);
    VoidResult ran = executor.exec(*planned);
    QVERIFY2(ran, qPrintable(ran ? QString() : ran.error().toString()));
    QCOMPARE(heads(), QStringList{QStringLiteral("ff06")});
    QVERIFY(tables().contains(QStringLiteral("counted_0")));
    auto q = m_env->connection()->exec(QStringLiteral("SELECT name FROM items WHERE id IN (7, 8) ORDER BY id"));
    QVERIFY(q && q->next());
    QCOMPARE(q->value(0).toString(), QStringLiteral("x0"));
    QVERIFY(q->next());
    QCOMPARE(q->value(0).toString(), QStringLiteral("y"));
    QCOMPARE(executor.completedSteps(), 6);
    QCOMPARE(started.size(), 6);
    QCOMPARE(started.at(3).at(0).toInt(), 3);
    QCOMPARE(started.at(4).at(0).toInt(), 4);
    QCOMPARE(grep(QStringLiteral("Handing upgrade cc03 -> dd04 to Python (revision dd04 (")).size(), 1);
    QCOMPARE(grep(QStringLiteral("Handing upgrade dd04 -> ee05 to Python (revision ee05 (")).size(), 1);
    QCOMPARE(grep(QStringLiteral("a query result is read")).size(), 2);
    QCOMPARE(grep(QStringLiteral("Rendered by Alembic: upgrade ee05 -> ff06")).size(), 1);
    QCOMPARE(grep(QStringLiteral("using /usr/bin/python3")).size(), 1);
    QStringList out;
    for (const QList<QVariant> &line : python)
        out << line.first().toString();
    QCOMPARE(out.filter(QStringLiteral("Running upgrade")),
             (QStringList{QStringLiteral("INFO  [alembic.runtime.migration] Running upgrade cc03 -> dd04, dd04"),
                          QStringLiteral("INFO  [alembic.runtime.migration] Running upgrade dd04 -> ee05, ee05")}));
    QCOMPARE(grep(QStringLiteral("Running upgrade ee05 -> ff06, ff06")).size(), 1);   // Retort ran it
}

void TestMigrationExecutor::failingOnlineStepStopsTheRun()
{
    withoutBridge();
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    op.get_bind()\n    raise RuntimeError('boom')\n"));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    VoidResult ran = executor.exec(*planned);
    QVERIFY(!ran);
    QVERIFY2(ran.error().message.startsWith(
                 QLatin1String("Python/Alembic failed running upgrade cc03 -> dd04 (revision dd04): RuntimeError: boom "
                               "(versions/dd04_x.py:16)")),
             qPrintable(ran.error().message));
    QCOMPARE(ran.error().line, 16);
    QCOMPARE(heads(), QStringList{QStringLiteral("cc03")});
    QCOMPARE(executor.completedSteps(), 3);
}

// env.py asks for one transaction (transactional_ddl=True, as PostgreSQL's default): with
// a step Alembic must run online, Alembic runs the whole plan, Retort's SQL for the rest,
// and a later failing native step rolls back the version rows of the steps before it
// (each segment committing on its own would have left cc03 and dd04 recorded).
void TestMigrationExecutor::oneTransactionRunsThePlanInAlembic()
{
    withoutBridge();
    oneTransactionEnv();
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    n = op.get_bind().execute(sa.text('SELECT count(*) FROM items')).scalar()\n"
                             "    op.execute(\"INSERT INTO items (id, name) VALUES (7, 'x%d')\" % n)\n"));
    addScript(QStringLiteral("ee05"), QStringLiteral("dd04"),
              QStringLiteral("    op.execute('INSERT INTO no_such_table VALUES (1)')\n"));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    QSignalSpy started(&executor, &MigrationExecutor::stepStarted);
    VoidResult ran = executor.exec(*planned);
    QVERIFY(!ran);
    QVERIFY2(ran.error().message.startsWith(
                 QLatin1String("Migration ee05 (upgrade dd04 -> ee05) failed in Alembic's transaction: ")),
             qPrintable(ran.error().message));
    QVERIFY2(ran.error().message.contains(QLatin1String("no_such_table")), qPrintable(ran.error().message));
    QCOMPARE(grep(QStringLiteral("1 of 5 step(s) must run in Alembic, and the run is one transaction")).size(), 1);
    QCOMPARE(started.size(), 5);
    QCOMPARE(heads(), QStringList());
}

void TestMigrationExecutor::versionTableNotWherePlanned()
{
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    while True:\n"
                             "        op.get_bind().execute(sa.text(\"INSERT INTO alembic_version VALUES ('zz99')\"))\n"
                             "        break\n"));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    VoidResult ran = executor.exec(*planned);
    QVERIFY(!ran);
    QVERIFY2(ran.error().message.startsWith(QLatin1String("After Python ran upgrade cc03 -> dd04 the version table holds (")),
             qPrintable(ran.error().message));
    QVERIFY(ran.error().message.endsWith(QLatin1String("expected (dd04); stopped here.")));
}

// An argument the native engine does not take is a needs-Python step, known before the
// first step runs: with no usable Python nothing is applied.
void TestMigrationExecutor::unsupportedArgumentIsFoundBeforeAnythingRuns()
{
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    op.create_table('chk', sa.Column('n', sa.Integer(), sa.FetchedValue()))\n"));
    qputenv("RETORT_PYTHON", QDir::current().filePath(QStringLiteral("no-such-python")).toUtf8());
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    VoidResult ran = executor.exec(*planned);
    QVERIFY(!ran);
    // bb02 is the first needs-Python step; dd04 is one too, and nothing ran.
    QVERIFY2(ran.error().message.endsWith(QLatin1String("Nothing was run.")), qPrintable(ran.error().message));
    QCOMPARE(heads(), QStringList());
    QCOMPARE(executor.completedSteps(), 0);

    qputenv("RETORT_PYTHON", "/usr/bin/python3");
    auto again = plan(true, QStringLiteral("head"));
    QVERIFY(again);
    MigrationExecutor python(*m_project, *m_env, m_sink);
    VoidResult ok = python.exec(*again);
    QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().toString()));
    QVERIFY(!grep(QStringLiteral("Rendered by Alembic: upgrade cc03 -> dd04")).isEmpty());
    QVERIFY(grep(QStringLiteral("Rendered by Alembic: upgrade cc03 -> dd04")).first().contains(
        QLatin1String("FetchedValue")));
    QVERIFY(tables().contains(QStringLiteral("chk")));
}

void TestMigrationExecutor::missingPythonRunsNothing()
{
    qputenv("RETORT_PYTHON", QDir::current().filePath(QStringLiteral("no-such-python")).toUtf8());
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    QSignalSpy started(&executor, &MigrationExecutor::stepStarted);
    VoidResult ran = executor.exec(*planned);
    QVERIFY(!ran);
    QVERIFY2(ran.error().message.contains(QLatin1String("cannot import alembic")), qPrintable(ran.error().message));
    QVERIFY(ran.error().message.endsWith(QLatin1String("Nothing was run.")));
    QCOMPARE(started.size(), 0);
    QCOMPARE(heads(), QStringList());
}

void TestMigrationExecutor::cancelledBeforeTheFirstStep()
{
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    executor.cancel();
    VoidResult ran = executor.exec(*planned);
    QVERIFY(!ran);
    QVERIFY(executor.wasCancelled());
    QCOMPARE(ran.error().message, QStringLiteral("Cancelled after 0 of 3 migration step(s)"));
    QCOMPARE(executor.completedSteps(), 0);
    QCOMPARE(heads(), QStringList());
}

void TestMigrationExecutor::confirmationIsAskedOnce()
{
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    NoDelegate delegate;
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    executor.setConfirmationDelegate(&delegate);
    VoidResult ran = executor.exec(*planned);
    QVERIFY(!ran);
    QCOMPARE(delegate.asked, 1);
    QCOMPARE(delegate.details.size(), 3);
    QCOMPARE(ran.error().message, QStringLiteral("Cancelled by user"));
    QCOMPARE(heads(), QStringList());
}

// The lock is taken once for the whole run: while Python's Alembic runs bb02 another
// run cannot take it (it used to be released between native segments), and it is free
// again once the run is over.
void TestMigrationExecutor::lockHeldAcrossPythonHandOff()
{
    withoutBridge();
    // dd04 reads through op.get_bind(): Alembic runs it online, in the worker.
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    op.get_bind().execute(sa.text('SELECT 1')).scalar()\n"));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    auto other = DatabaseConnection::open(m_env->url());
    QVERIFY(other);
    MigrationLock probe(**other);
    QStringList seen;
    auto tryLock = [&](const QString &when) {
        VoidResult got = probe.acquire(0);
        seen << when + (got ? QStringLiteral(": taken") : QStringLiteral(": held"));
        if (got)
            (void)probe.release();
    };
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    connect(&executor, &MigrationExecutor::stepStarted, this,
            [&](int index, int, const QString &) { tryLock(QStringLiteral("step %1").arg(index)); });
    bool probedDuringPython = false;
    connect(&executor, &MigrationExecutor::pythonOutput, this, [&](const QString &) {
        if (!probedDuringPython) {
            probedDuringPython = true;
            tryLock(QStringLiteral("python"));
        }
    });
    VoidResult ran = executor.exec(*planned);
    QVERIFY2(ran, qPrintable(ran ? QString() : ran.error().toString()));
    QVERIFY(probedDuringPython);
    QCOMPARE(seen, (QStringList{QStringLiteral("step 0: held"), QStringLiteral("step 1: held"),
                                QStringLiteral("step 2: held"), QStringLiteral("step 3: held"),
                                QStringLiteral("python: held")}));
    QVERIFY(!m_env->holdsLock());
    QVERIFY(probe.acquire(0));
}

// Steps that read the database run through the bridge: Alembic runs their functions, the
// statements run on Retort's connection in the step's transaction, Retort writes the
// version table and logs "Running"; one line names the bridged steps before anything runs.
void TestMigrationExecutor::bridgedStepsRunInRetortsTransaction()
{
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    conn = op.get_bind()\n"
                             "    n = conn.execute(sa.text('SELECT count(*) FROM items')).scalar()\n"
                             "    op.create_table('counted_%d' % n, sa.Column('id', sa.Integer()))\n"
                             "    print('bridged on', conn.dialect.name, conn.dialect.driver)\n"));
    addScript(QStringLiteral("ee05"), QStringLiteral("dd04"),
              QStringLiteral("    n = op.get_bind().execute(sa.text('SELECT count(*) FROM loop_a')).scalar()\n"
                             "    op.execute(\"INSERT INTO items (id, name) VALUES (7, 'x%d')\" % n)\n"));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    QSignalSpy python(&executor, &MigrationExecutor::pythonOutput);
    QStringList executed;
    connect(&executor, &MigrationExecutor::statementExecuted, this, [&](const QString &sql, qint64) { executed << sql; });
    VoidResult ran = executor.exec(*planned);
    QVERIFY2(ran, qPrintable(ran ? QString() : ran.error().toString()));
    QCOMPARE(heads(), QStringList{QStringLiteral("ee05")});
    QVERIFY(tables().contains(QStringLiteral("counted_0")));
    auto q = m_env->connection()->exec(QStringLiteral("SELECT name FROM items WHERE id = 7"));
    QVERIFY(q && q->next());
    QCOMPARE(q->value(0).toString(), QStringLiteral("x0"));
    QCOMPARE(grep(QStringLiteral("Bridge to Retort's connection: Alembic runs 2 step(s)")).size(), 1);
    QVERIFY(grep(QStringLiteral("Bridge to Retort's connection: Alembic runs 2 step(s)")).first().endsWith(
        QLatin1String("(upgrade dd04, upgrade ee05)")));
    QCOMPARE(grep(QStringLiteral("Bridged: upgrade cc03 -> dd04 (revision dd04 (")).size(), 1);
    QCOMPARE(grep(QStringLiteral("Bridged: upgrade dd04 -> ee05 (revision ee05 (")).size(), 1);
    QCOMPARE(grep(QStringLiteral("Handing ")).size(), 0);
    // Retort says "Running" for them, Alembic does not; the script's print() comes through.
    QCOMPARE(grep(QStringLiteral("Running upgrade cc03 -> dd04, dd04")).size(), 1);
    QStringList out;
    for (const QList<QVariant> &line : python)
        out << line.first().toString();
    QCOMPARE(out.filter(QStringLiteral("Running upgrade")), QStringList());
    QCOMPARE(out.filter(QStringLiteral("bridged on")), QStringList{QStringLiteral("bridged on sqlite pysqlite")});
    // The bridged statements are reported like Retort's own.
    QVERIFY(executed.contains(QStringLiteral("SELECT count(*) FROM items")));
    QCOMPARE(executed.filter(QStringLiteral("CREATE TABLE counted_0")).size(), 1);
}

// A bridged step that fails after writing leaves nothing of itself (its transaction rolls
// back, on SQLite too), and the version table names the step before it.
void TestMigrationExecutor::failingBridgedStepRollsBackItsStep()
{
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    bind = op.get_bind()\n"
                             "    n = bind.execute(sa.text('SELECT count(*) FROM items')).scalar()\n"
                             "    bind.execute(sa.text(\"INSERT INTO items (id, name) VALUES (9, :n)\"), {'n': str(n)})\n"
                             "    raise RuntimeError('boom after %d' % n)\n"));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    VoidResult ran = executor.exec(*planned);
    QVERIFY(!ran);
    QVERIFY2(ran.error().message.startsWith(
                 QLatin1String("Migration dd04 (upgrade cc03 -> dd04) failed: RuntimeError: boom after 0 (versions/dd04_x.py:")),
             qPrintable(ran.error().message));
    QCOMPARE(heads(), QStringList{QStringLiteral("cc03")});
    auto q = m_env->connection()->exec(QStringLiteral("SELECT count(*) FROM items WHERE id = 9"));
    QVERIFY(q && q->next());
    QCOMPARE(q->value(0).toInt(), 0);
    QCOMPARE(executor.completedSteps(), 3);
}

// SQLite groups the steps in one transaction (a savepoint each): when the transaction
// ends under a failing step (SQLite rolls it back itself on SQLITE_FULL and the like; a
// ROLLBACK statement stands in for that), the steps of the group are gone too. The
// completed count and the error say so; the studio shows that count.
void TestMigrationExecutor::groupLostWithItsTransaction()
{
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    op.execute('ROLLBACK')\n"
                             "    op.execute('INSERT INTO no_such_table VALUES (1)')\n"));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    VoidResult ran = executor.exec(*planned);
    QVERIFY(!ran);
    const QString &message = ran.error().message;
    QVERIFY2(message.startsWith(QLatin1String("Migration dd04 (upgrade cc03 -> dd04) failed: ")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("; SQLite rolled back the whole transaction, so the 3 step(s) applied since "
                                            "the last commit were rolled back too (upgrade  -> aa01; upgrade aa01 -> "
                                            "bb02; upgrade bb02 -> cc03); the database is at no revision")),
             qPrintable(message));
    QCOMPARE(executor.completedSteps(), 0);
    QCOMPARE(heads(), QStringList());
    QVERIFY(!tables().contains(QStringLiteral("items")));
}

// env.py runs online once for bridged steps that follow one another (native steps between
// them included), as Alembic runs it once per command; a step Alembic runs on its own
// connection between two bridged ones ends that run (its own env.py run), and the next
// bridged step starts another. env.py's code after run_migrations() runs once per run.
void TestMigrationExecutor::envPyRunsOnceForContiguousBridgedSteps()
{
    QFile env(QDir::current().filePath(QStringLiteral("migrations/env.py")));
    QVERIFY(env.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(env.readAll());
    env.close();
    const QString tail = QStringLiteral("else:\n    run_migrations_online()\n");
    QVERIFY(text.endsWith(tail));
    text.replace(tail, QStringLiteral("else:\n    print('env.py online run')\n    run_migrations_online()\n"
                                      "    print('env.py online done')\n"));
    QVERIFY(env.open(QIODevice::WriteOnly | QIODevice::Truncate));
    env.write(text.toUtf8());
    env.close();
    const QString reads = QStringLiteral("    n = op.get_bind().execute(sa.text('SELECT count(*) FROM items')).scalar()\n"
                                         "    op.execute(\"INSERT INTO items (id, name) VALUES (%1, 'n%d')\" % n)\n");
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"), reads.arg(21));
    addScript(QStringLiteral("ee05"), QStringLiteral("dd04"), reads.arg(22));
    addScript(QStringLiteral("ff06"), QStringLiteral("ee05"), QStringLiteral("    op.create_table('plain', sa.Column('id', sa.Integer()))\n"));
    addScript(QStringLiteral("gg07"), QStringLiteral("ff06"), reads.arg(23));
    // raw_connection (named in the script): the bridge leaves it to Alembic's connection.
    addScript(QStringLiteral("hh08"), QStringLiteral("gg07"), QStringLiteral("    # not raw_connection()\n") + reads.arg(24));
    addScript(QStringLiteral("ii09"), QStringLiteral("hh08"), reads.arg(25));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    QSignalSpy python(&executor, &MigrationExecutor::pythonOutput);
    VoidResult ran = executor.exec(*planned);
    QVERIFY2(ran, qPrintable(ran ? QString() : ran.error().toString()));
    QCOMPARE(heads(), QStringList{QStringLiteral("ii09")});
    QCOMPARE(grep(QStringLiteral("Bridge to Retort's connection: Alembic runs 4 step(s)")).size(), 1);
    QStringList out;
    for (const QList<QVariant> &line : python)
        out << line.first().toString();
    // dd04, ee05 and gg07 (ff06 native between); hh08 in Alembic; ii09.
    QCOMPARE(out.filter(QStringLiteral("env.py online")),
             (QStringList{QStringLiteral("env.py online run"), QStringLiteral("env.py online done"),
                          QStringLiteral("env.py online run"), QStringLiteral("env.py online done"),
                          QStringLiteral("env.py online run"), QStringLiteral("env.py online done")}));
    auto q = m_env->connection()->exec(QStringLiteral("SELECT id, name FROM items WHERE id > 20 ORDER BY id"));
    QVERIFY(q);
    QStringList rows;
    while (q->next())
        rows << QStringLiteral("%1 %2").arg(q->value(0).toInt()).arg(q->value(1).toString());
    QCOMPARE(rows, (QStringList{QStringLiteral("21 n0"), QStringLiteral("22 n1"), QStringLiteral("23 n2"),
                                QStringLiteral("24 n3"), QStringLiteral("25 n4")}));
}

void TestMigrationExecutor::followedByBridged_data()
{
    QTest::addColumn<QString>("routes");   // one letter a step: B bridged, O Alembic's own, N native
    QTest::addColumn<QString>("expected"); // per bridged step: 1 when another bridged step follows
    QTest::newRow("one") << "NBN" << "0";
    QTest::newRow("adjacent") << "BB" << "10";
    QTest::newRow("native between") << "BNNBN" << "10";
    QTest::newRow("alembic between") << "BOB" << "00";
    QTest::newRow("mixed") << "BBNOBNB" << "1010";
}

void TestMigrationExecutor::followedByBridged()
{
    QFETCH(QString, routes);
    QFETCH(QString, expected);
    QVector<StepRoute> r;
    QVector<int> candidates;
    for (int i = 0; i < routes.size(); ++i) {
        StepRoute route;
        route.kind = routes.at(i) == QLatin1Char('N') ? StepRoute::Native : StepRoute::Online;
        if (routes.at(i) == QLatin1Char('B'))
            candidates << i;
        r << route;
    }
    QString got;
    for (bool more : StepBridge::followedByBridged(candidates, r))
        got += more ? QLatin1Char('1') : QLatin1Char('0');
    QCOMPARE(got, expected);
}

// One transaction for the run (transactional_ddl=True): with the bridge, Retort's runner
// holds it, and a later failing step rolls back everything, the bridged step included.
void TestMigrationExecutor::oneTransactionKeptByTheBridge()
{
    oneTransactionEnv();
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    n = op.get_bind().execute(sa.text('SELECT count(*) FROM items')).scalar()\n"
                             "    op.execute(\"INSERT INTO items (id, name) VALUES (7, 'x%d')\" % n)\n"));
    addScript(QStringLiteral("ee05"), QStringLiteral("dd04"),
              QStringLiteral("    op.execute('INSERT INTO no_such_table VALUES (1)')\n"));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    VoidResult ran = executor.exec(*planned);
    QVERIFY(!ran);
    QVERIFY2(ran.error().message.startsWith(QLatin1String("Migration ee05 (upgrade dd04 -> ee05) failed: SQL failed")),
             qPrintable(ran.error().message));
    QCOMPARE(grep(QStringLiteral("must run in Alembic")).size(), 0);
    QCOMPARE(grep(QStringLiteral("Bridged: upgrade cc03 -> dd04")).size(), 1);
    QCOMPARE(heads(), QStringList());
    QVERIFY(!tables().contains(QStringLiteral("items")));
}

// One transaction, and a step the bridge cannot take (it names the version table): the
// whole plan goes to Alembic as before, the bridged-able step included, and the log says why.
void TestMigrationExecutor::oneTransactionWithAStepTheBridgeCannotTake()
{
    oneTransactionEnv();
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    n = op.get_bind().execute(sa.text('SELECT count(*) FROM items')).scalar()\n"
                             "    op.execute(\"INSERT INTO items (id, name) VALUES (7, 'x%d')\" % n)\n"));
    addScript(QStringLiteral("ee05"), QStringLiteral("dd04"),
              QStringLiteral("    while True:\n"
                             "        op.execute(\"UPDATE alembic_version SET version_num = version_num\")\n"
                             "        break\n"));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    VoidResult ran = executor.exec(*planned);
    QVERIFY2(ran, qPrintable(ran ? QString() : ran.error().toString()));
    QCOMPARE(grep(QStringLiteral("No bridge to Retort's connection: upgrade dd04 -> ee05 must run in Alembic on its "
                                 "own connection (it names the version table alembic_version), and the run is one "
                                 "transaction")).size(), 1);
    QCOMPARE(grep(QStringLiteral("2 of 5 step(s) must run in Alembic, and the run is one transaction")).size(), 1);
    QCOMPARE(grep(QStringLiteral("Bridged:")).size(), 0);
    QCOMPARE(heads(), QStringList{QStringLiteral("ee05")});
}

// A script using the driver's COPY is not bridged: Alembic runs it on its own connection,
// as before. A raw cursor is the bridge's, and works.
void TestMigrationExecutor::copyKeepsAlembicsConnection()
{
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    bind = op.get_bind()\n"
                             "    n = bind.execute(sa.text('SELECT count(*) FROM items')).scalar()\n"
                             "    if bind.dialect.name == 'postgresql':\n"
                             "        bind.connection.cursor().copy_expert('COPY items TO STDOUT', None)\n"
                             "    op.create_table('iso_%d' % n, sa.Column('id', sa.Integer()))\n"));
    addScript(QStringLiteral("ee05"), QStringLiteral("dd04"),
              QStringLiteral("    cur = op.get_bind().connection.cursor()\n"
                             "    cur.execute('SELECT count(*) FROM loop_a')\n"
                             "    op.create_table('raw_%d' % cur.fetchone()[0], sa.Column('id', sa.Integer()))\n"));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    VoidResult ran = executor.exec(*planned);
    QVERIFY2(ran, qPrintable(ran ? QString() : ran.error().toString()));
    QCOMPARE(heads(), QStringList{QStringLiteral("ee05")});
    QVERIFY(tables().contains(QStringLiteral("iso_0")));
    QVERIFY(tables().contains(QStringLiteral("raw_0")));
    QCOMPARE(grep(QStringLiteral("Handing upgrade cc03 -> dd04 to Python")).size(), 1);
    QCOMPARE(grep(QStringLiteral("Bridged: upgrade cc03 -> dd04")).size(), 0);
    QCOMPARE(grep(QStringLiteral("Bridged: upgrade dd04 -> ee05")).size(), 1);
}

// An autocommit block in a bridged step: Retort commits its transaction (the steps before
// and the statements before the block stay), runs the block outside one and begins again;
// a failure after the block rolls back only what followed it, as under Alembic.
void TestMigrationExecutor::autocommitBlockThroughTheBridge()
{
    addScript(QStringLiteral("dd04"), QStringLiteral("cc03"),
              QStringLiteral("    bind = op.get_bind()\n"
                             "    n = bind.execute(sa.text('SELECT count(*) FROM items')).scalar()\n"
                             "    op.execute(\"INSERT INTO items (id, name) VALUES (7, 'before')\")\n"
                             "    with op.get_context().autocommit_block():\n"
                             "        op.execute(\"INSERT INTO items (id, name) VALUES (8, 'inside %d')\" % n)\n"
                             "    op.execute(\"INSERT INTO items (id, name) VALUES (9, 'after')\")\n"
                             "    raise RuntimeError('after the block')\n"));
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    VoidResult ran = executor.exec(*planned);
    QVERIFY(!ran);
    QVERIFY2(ran.error().message.contains(QLatin1String("after the block")), qPrintable(ran.error().message));
    QCOMPARE(grep(QStringLiteral("Bridged: upgrade cc03 -> dd04")).size(), 1);
    QStringList names;
    auto q = m_env->connection()->exec(QStringLiteral("SELECT name FROM items WHERE id >= 7 ORDER BY id"));
    while (q && q->next())
        names << q->value(0).toString();
    QCOMPARE(names, (QStringList{QStringLiteral("before"), QStringLiteral("inside 0")}));
    QCOMPARE(heads(), QStringList{QStringLiteral("cc03")});
    QVERIFY(!m_env->connection()->inTransaction());
}

// The studio plans, shows the plan, and runs it later: if another run moved the version
// table in between, nothing runs.
void TestMigrationExecutor::planOfAMovedDatabaseIsRefused()
{
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    QCOMPARE(planned->startHeads, QStringList());
    auto other = DatabaseConnection::open(m_env->url());
    QVERIFY(other);
    QVERIFY((*other)->exec(QStringLiteral("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")));
    QVERIFY((*other)->exec(QStringLiteral("INSERT INTO alembic_version VALUES ('aa01')")));
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    VoidResult ran = executor.exec(*planned);
    QVERIFY(!ran);
    QCOMPARE(ran.error().message,
             QStringLiteral("The database moved since this run was planned: the version table holds (aa01), "
                            "the plan starts from (). Nothing was run; plan again."));
    QCOMPARE(tables(), QStringList{QStringLiteral("alembic_version")});
    QCOMPARE(executor.completedSteps(), 0);
    QVERIFY(!m_env->holdsLock());
}

// The studio's Stop while another run holds the lock: the wait ends at once (not after
// the lock timeout) and nothing runs.
void TestMigrationExecutor::cancelWhileWaitingForTheLock()
{
    auto planned = plan(true, QStringLiteral("head"));
    QVERIFY(planned);
    auto other = DatabaseConnection::open(m_env->url());
    QVERIFY(other);
    MigrationLock holder(**other);
    QVERIFY(holder.acquire(0));
    m_env->setLockTimeoutMs(60000);
    MigrationExecutor executor(*m_project, *m_env, m_sink);
    // Stop once the run waits (Python renders bb02 first, which takes a while).
    std::thread stopper([&executor, this] {
        for (int i = 0; i < 600 && !m_sink.waiting; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        executor.cancel();
    });
    VoidResult ran = executor.exec(*planned);
    stopper.join();
    QVERIFY(!ran);
    // Not "Timed out after 60 s ...": the wait ended on Stop.
    QVERIFY2(ran.error().message.startsWith(QStringLiteral("Cancelled while waiting for the migration lock")),
             qPrintable(ran.error().message));
    QVERIFY(executor.wasCancelled());
    QCOMPARE(executor.completedSteps(), 0);
    QCOMPARE(tables(), QStringList());
    QVERIFY(m_sink.lines.filter(QStringLiteral("waiting for the migration lock")).size() == 1);
}

QTEST_GUILESS_MAIN(TestMigrationExecutor)
#include "tst_migrationexecutor.moc"
