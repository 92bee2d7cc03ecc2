// StatementJournal through MigrationRunner: on MariaDB (RETORT_TEST_MYSQL_URL) a step
// that stopped part-way resumes after its last completed statement, refuses a changed
// script, restarts with restartStep; SQLite and PostgreSQL never get a journal. The
// kill -9 version of these runs is tests/conformance/test_failures.py.

#include "onlinetestsupport.h"
#include "runtime/migrationrunner.h"
#include "runtime/statementjournal.h"
#include "runtime/stepbodyprovider.h"
#include "runtime/versiontable.h"
#include "runtimetestsupport.h"

#include <QSignalSpy>
#include <QtTest>

using namespace retort;
using namespace retort::test;

namespace {

const QString kCreateOne = QStringLiteral("CREATE TABLE t_one (id INTEGER)");
const QString kInsertOne = QStringLiteral("INSERT INTO t_one VALUES (1)");
const QString kCreateTwo = QStringLiteral("CREATE TABLE t_two (id INTEGER)");
const QString kAlterTwo = QStringLiteral("ALTER TABLE t_two ADD COLUMN name VARCHAR(20)");
const QString kBroken = QStringLiteral("INSERT INTO no_such_table VALUES (1)");

QStringList heads(DatabaseConnection &conn)
{
    Result<QStringList> h = VersionTable(conn).currentHeads();
    return h.ok() ? *h : QStringList{QStringLiteral("<error: %1>").arg(h.error().message)};
}

bool tableExists(DatabaseConnection &conn, const QString &name)
{
    VersionTableOptions o;
    o.table = name;
    return *VersionTable(conn, o).exists();
}

int count(DatabaseConnection &conn, const QString &sql)
{
    Result<QSqlQuery> q = conn.exec(sql);
    return q && q->next() ? q->value(0).toInt() : -1;
}

// One runner over `steps`; records what it executed and its notices.
struct Run
{
    MigrationRunner runner;
    QStringList executed;
    QStringList notices;
    bool ok = false;

    Run(DatabaseConnection &conn, const QVector<MigrationStep> &steps, MapBodies &bodies, bool restart = false)
        : runner(&conn, steps, options(restart))
    {
        runner.setBodyProvider(&bodies);
        QObject::connect(&runner, &MigrationRunner::statementExecuted,
                         [this](const QString &sql, qint64) { executed << sql; });
        QObject::connect(&runner, &MigrationRunner::notice, [this](const QString &logger, const QString &m) {
            notices << logger + QStringLiteral(": ") + m;
        });
        ok = runner.exec();
    }
    static MigrationRunOptions options(bool restart)
    {
        MigrationRunOptions o;
        o.restartStep = restart;
        return o;
    }
    QString error() const { return runner.error().message; }
};

// R1's body with statement 3 failing: statements 1-2 complete and stay journaled.
std::unique_ptr<DatabaseConnection> failAtThird(const QTemporaryDir &dir, MapBodies &bodies, QString *skip)
{
    std::unique_ptr<DatabaseConnection> conn = openBackend(QStringLiteral("mysql"), dir, skip);
    if (!conn)
        return conn;
    (void)conn->exec(QStringLiteral("DROP TABLE IF EXISTS retort_step_journal"));
    bodies.bodies[R1] = {kCreateOne, kInsertOne, kBroken, kCreateTwo};
    Run run(*conn, upgradeAll().mid(0, 1), bodies);
    if (run.ok)
        *skip = QStringLiteral("the broken statement did not fail");
    else if (!run.error().contains(QStringLiteral("Statements 1-2 of 4 completed and are recorded in "
                                                  "retort_step_journal: a new run resumes at statement 3")))
        *skip = QStringLiteral("unexpected failure: ") + run.error();
    else
        return conn;
    return nullptr;
}

} // namespace

#define RETORT_FAIL_AT_THIRD(var, dir, bodies)                                          \
    QString why_;                                                                       \
    std::unique_ptr<DatabaseConnection> var = failAtThird(dir, bodies, &why_);         \
    if (!var) {                                                                         \
        if (why_.startsWith(QLatin1String("set ")))                                     \
            QSKIP(qPrintable(why_));                                                    \
        QFAIL(qPrintable(why_));                                                        \
    }

class TestStatementJournal : public QObject
{
    Q_OBJECT
private slots:
    void noJournalWithTransactionalDdl_data();
    void noJournalWithTransactionalDdl();
    void failedStatementIsReportedAndResumed();
    void changedScriptIsRefused_data();
    void changedScriptIsRefused();
    void restartStepRunsFromFirstStatement();
    void statementLeftRunningGetsHint();
    void otherFirstStepIsRefused();
    void stampDiscardsJournal();
    void downgradeIsJournaledToo();
    void cleanRunLeavesNoTable();
    void withoutCreatePrivilegeRunsUnjournaled();
};

void TestStatementJournal::noJournalWithTransactionalDdl_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addRow("sqlite") << "sqlite";
    QTest::addRow("postgresql") << "postgresql";
}

// SQLite and PostgreSQL roll a failed step back: no journal, no side table.
void TestStatementJournal::noJournalWithTransactionalDdl()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, backend, dir);
    QVERIFY(!StatementJournal::appliesTo(conn->dialect()));
    MapBodies bodies;
    bodies.bodies[R1] = {kCreateOne, kInsertOne, kBroken};
    Run failed(*conn, upgradeAll().mid(0, 1), bodies);
    QVERIFY(!failed.ok);
    QVERIFY2(!failed.error().contains(StatementJournal::tableName()), qPrintable(failed.error()));
    QVERIFY(!tableExists(*conn, StatementJournal::tableName()));
    QVERIFY(!tableExists(*conn, QStringLiteral("t_one")));
    bodies.bodies[R1] = {kCreateOne, kInsertOne};
    Run again(*conn, upgradeAll().mid(0, 1), bodies);
    QVERIFY2(again.ok, qPrintable(again.error()));
    QCOMPARE(again.executed, bodies.bodies[R1]);
    QVERIFY(again.notices.isEmpty());
    QVERIFY(!tableExists(*conn, StatementJournal::tableName()));
}

void TestStatementJournal::failedStatementIsReportedAndResumed()
{
    QTemporaryDir dir;
    MapBodies bodies;
    RETORT_FAIL_AT_THIRD(conn, dir, bodies);
    QCOMPARE(heads(*conn), QStringList());
    // The INSERT committed with its journal row: a resumed run must not repeat it.
    QCOMPARE(count(*conn, QStringLiteral("SELECT COUNT(*) FROM t_one")), 1);

    StatementJournal journal(*conn, {});
    journal.setBodyProvider(&bodies);
    auto pending = journal.pending();
    QVERIFY2(pending, qPrintable(pending.error().message));
    QVERIFY(pending->has_value());
    const StatementJournal::Entry e = **pending;
    QCOMPARE(e.revision, R1);
    QVERIFY(e.upgrade);
    QCOMPARE(e.completed, 2);
    QCOMPARE(e.count, 4);
    QVERIFY(!e.running);   // it failed: not left "running"
    QCOMPARE(e.hashes, QStringList({StatementJournal::hash(kCreateOne), StatementJournal::hash(kInsertOne)}));
    QCOMPARE(e.describe(QStringLiteral("/proj/versions/x.py")),
             QStringLiteral("migration 1a1a1a1a1a1a (/proj/versions/x.py) was interrupted after statement 2 of 4"));

    // The script's statement 3 fixed: the step resumes there, then the next step runs.
    bodies.bodies[R1][2] = kCreateTwo;
    bodies.bodies[R1][3] = kAlterTwo;
    bodies.bodies[R2] = {QStringLiteral("INSERT INTO t_two (id, name) VALUES (2, 'b')")};
    Run resumed(*conn, upgradeAll().mid(0, 2), bodies);
    QVERIFY2(resumed.ok, qPrintable(resumed.error()));
    QCOMPARE(resumed.executed, QStringList({kCreateTwo, kAlterTwo, bodies.bodies[R2].first()}));
    QCOMPARE(resumed.notices, QStringList{QStringLiteral(
        "retort.journal: Resuming upgrade  -> 1a1a1a1a1a1a after statement 2 of 4, where an earlier run "
        "stopped")});
    QCOMPARE(heads(*conn), QStringList{R2});
    QCOMPARE(count(*conn, QStringLiteral("SELECT COUNT(*) FROM t_one")), 1);
    QCOMPARE(count(*conn, QStringLiteral("SELECT COUNT(*) FROM t_two")), 1);
    // Emptied by the version row's commit, then dropped at the end of the run.
    QVERIFY(!tableExists(*conn, StatementJournal::tableName()));
}

void TestStatementJournal::changedScriptIsRefused_data()
{
    QTest::addColumn<int>("changed");        // index of the statement edited, -1: body cut short
    QTest::addColumn<QString>("expected");
    QTest::addRow("first statement") << 0 << QStringLiteral("now renders different SQL for statement 1 than the "
                                                            "interrupted run executed");
    QTest::addRow("second statement") << 1 << QStringLiteral("now renders different SQL for statement 2");
    QTest::addRow("fewer statements") << -1 << QStringLiteral("now renders only 1 statement(s)");
}

void TestStatementJournal::changedScriptIsRefused()
{
    QFETCH(int, changed);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    MapBodies bodies;
    RETORT_FAIL_AT_THIRD(conn, dir, bodies);
    if (changed < 0)
        bodies.bodies[R1] = {kCreateOne};
    else
        bodies.bodies[R1][changed] += QStringLiteral(" ");
    Run refused(*conn, upgradeAll().mid(0, 1), bodies);
    QVERIFY(!refused.ok);
    const QString msg = refused.error();
    QVERIFY2(msg.startsWith(QStringLiteral("Migration 1a1a1a1a1a1a (/proj/versions/1a1a1a1a1a1a.py) was "
                                           "interrupted after statement 2 of 4, but its script ")), qPrintable(msg));
    QVERIFY2(msg.contains(expected), qPrintable(msg));
    QVERIFY2(msg.contains(QStringLiteral("Restore the script as it was to resume, or undo the interrupted run's "
                                         "changes by hand and re-run with --restart-step")), qPrintable(msg));
    QVERIFY(refused.executed.isEmpty());   // refused before anything ran
    StatementJournal journal(*conn, {});
    auto pending = journal.pending();
    QVERIFY(pending && pending->has_value());
    QCOMPARE((*pending)->completed, 2);
}

void TestStatementJournal::restartStepRunsFromFirstStatement()
{
    QTemporaryDir dir;
    MapBodies bodies;
    RETORT_FAIL_AT_THIRD(conn, dir, bodies);
    // Undone by hand, and the script rewritten: --restart-step runs all of it.
    QVERIFY(conn->exec(QStringLiteral("DROP TABLE t_one")));
    bodies.bodies[R1] = {kCreateOne, kCreateTwo};
    Run restarted(*conn, upgradeAll().mid(0, 1), bodies, true);
    QVERIFY2(restarted.ok, qPrintable(restarted.error()));
    QCOMPARE(restarted.executed, bodies.bodies[R1]);
    QCOMPARE(restarted.notices.size(), 1);
    QVERIFY2(restarted.notices.first().startsWith(QStringLiteral(
                 "retort.journal: Restarting upgrade  -> 1a1a1a1a1a1a from its first statement (--restart-step): "
                 "migration 1a1a1a1a1a1a (/proj/versions/1a1a1a1a1a1a.py) was interrupted after statement 2 of 4")),
             qPrintable(restarted.notices.first()));
    QCOMPARE(heads(*conn), QStringList{R1});
    QVERIFY(!tableExists(*conn, StatementJournal::tableName()));
}

// A DDL statement that completed on the server while its journal row still said
// "running" (the kill -9 window): the resumed run re-runs it, fails, and says why.
void TestStatementJournal::statementLeftRunningGetsHint()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("mysql"), dir);
    (void)conn->exec(QStringLiteral("DROP TABLE IF EXISTS retort_step_journal"));
    MapBodies bodies;
    bodies.bodies[R1] = {kCreateOne, kCreateTwo, kAlterTwo};
    const MigrationStep step = upgradeAll().first();
    {
        // What a run killed right after statement 2 reached the server leaves behind.
        QVERIFY(VersionTable(*conn).ensureExists());
        StatementJournal crashed(*conn, {});
        QVERIFY(crashed.beforeStatement(step, 1, 3, kCreateOne));
        QVERIFY(conn->exec(kCreateOne));
        QVERIFY(crashed.afterStatement(1));
        QVERIFY(crashed.beforeStatement(step, 2, 3, kCreateTwo));
        QVERIFY(conn->exec(kCreateTwo));
    }
    StatementJournal journal(*conn, {});
    auto pending = journal.pending();
    QVERIFY(pending && pending->has_value());
    QCOMPARE((*pending)->completed, 1);
    QVERIFY((*pending)->running);
    QCOMPARE((*pending)->describe(QString()),
             QStringLiteral("migration 1a1a1a1a1a1a was interrupted after statement 1 of 3; statement 2 was "
                            "running and may have completed"));

    Run rerun(*conn, {step}, bodies);
    QVERIFY(!rerun.ok);
    QVERIFY2(rerun.error().contains(QStringLiteral("t_two")), qPrintable(rerun.error()));
    QVERIFY2(rerun.error().contains(QStringLiteral(
                 "Statement 2 of 3 was running when an earlier run of this step was interrupted, and MySQL may "
                 "have completed it then")), qPrintable(rerun.error()));
    QVERIFY2(rerun.error().contains(QStringLiteral("--restart-step")), qPrintable(rerun.error()));
    QCOMPARE(rerun.notices, QStringList{QStringLiteral(
        "retort.journal: Resuming upgrade  -> 1a1a1a1a1a1a at statement 2 of 3, which was running when an "
        "earlier run was interrupted")});

    // The documented fix: undo statement 2 by hand, run again, it resumes there.
    QVERIFY(conn->exec(QStringLiteral("DROP TABLE t_two")));
    Run fixed(*conn, {step}, bodies);
    QVERIFY2(fixed.ok, qPrintable(fixed.error()));
    QCOMPARE(fixed.executed, QStringList({kCreateTwo, kAlterTwo}));
    QCOMPARE(heads(*conn), QStringList{R1});
}

void TestStatementJournal::otherFirstStepIsRefused()
{
    QTemporaryDir dir;
    MapBodies bodies;
    RETORT_FAIL_AT_THIRD(conn, dir, bodies);
    // Someone stamped R1 with Alembic (which knows nothing of the journal).
    QVERIFY(conn->exec(QStringLiteral("INSERT INTO alembic_version (version_num) VALUES ('%1')").arg(R1)));
    bodies.bodies[R2] = {kCreateTwo};
    const QVector<MigrationStep> fromR1 = upgradeAll().mid(1, 1);
    Run refused(*conn, fromR1, bodies);
    QVERIFY(!refused.ok);
    QCOMPARE(refused.error(),
             QStringLiteral("Migration 1a1a1a1a1a1a (/proj/versions/1a1a1a1a1a1a.py) was interrupted after "
                            "statement 2 of 4, but this run starts with upgrade 1a1a1a1a1a1a -> 2b2b2b2b2b2b. To "
                            "continue, finish it first with `retort upgrade 1a1a1a1a1a1a`; or, once its changes "
                            "are undone or completed by hand, re-run with --restart-step to discard the record "
                            "of it."));
    QVERIFY(refused.executed.isEmpty());
    Run discarded(*conn, fromR1, bodies, true);
    QVERIFY2(discarded.ok, qPrintable(discarded.error()));
    QCOMPARE(discarded.executed, QStringList{kCreateTwo});
    QCOMPARE(heads(*conn), QStringList{R2});
    QVERIFY(!tableExists(*conn, StatementJournal::tableName()));
}

void TestStatementJournal::stampDiscardsJournal()
{
    QTemporaryDir dir;
    MapBodies bodies;
    RETORT_FAIL_AT_THIRD(conn, dir, bodies);
    Run stamped(*conn, {stamp({}, {R1}, {ins(R1)})}, bodies);
    QVERIFY2(stamped.ok, qPrintable(stamped.error()));
    QCOMPARE(stamped.notices.size(), 1);
    QVERIFY2(stamped.notices.first().endsWith(QStringLiteral("interrupted after statement 2 of 4: stamped")),
             qPrintable(stamped.notices.first()));
    QCOMPARE(heads(*conn), QStringList{R1});
    QVERIFY(!tableExists(*conn, StatementJournal::tableName()));
}

void TestStatementJournal::downgradeIsJournaledToo()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("mysql"), dir);
    (void)conn->exec(QStringLiteral("DROP TABLE IF EXISTS retort_step_journal"));
    MapBodies bodies;
    bodies.bodies[R1] = {kCreateOne, kCreateTwo};
    Run up(*conn, upgradeAll().mid(0, 1), bodies);
    QVERIFY2(up.ok, qPrintable(up.error()));
    const MigrationStep downStep = downgradeAll().last();
    bodies.bodies[R1 + QStringLiteral(":down")] = {QStringLiteral("DROP TABLE t_two"), kBroken,
                                                   QStringLiteral("DROP TABLE t_one")};
    Run failed(*conn, {downStep}, bodies);
    QVERIFY(!failed.ok);
    StatementJournal journal(*conn, {});
    auto pending = journal.pending();
    QVERIFY(pending && pending->has_value());
    QVERIFY(!(*pending)->upgrade);
    QCOMPARE((*pending)->describe(QString()),
             QStringLiteral("migration 1a1a1a1a1a1a was interrupted after statement 1 of 3 of its downgrade"));
    // An upgrade of the same revision is not the interrupted step.
    Run upAgain(*conn, upgradeAll().mid(0, 1), bodies);
    QVERIFY(!upAgain.ok);
    QVERIFY2(upAgain.error().contains(QStringLiteral("finish that downgrade first")), qPrintable(upAgain.error()));

    bodies.bodies[R1 + QStringLiteral(":down")][1] = QStringLiteral("SELECT 1");
    Run resumed(*conn, {downStep}, bodies);
    QVERIFY2(resumed.ok, qPrintable(resumed.error()));
    QCOMPARE(resumed.executed, QStringList({QStringLiteral("SELECT 1"), QStringLiteral("DROP TABLE t_one")}));
    QCOMPARE(heads(*conn), QStringList());
}

void TestStatementJournal::cleanRunLeavesNoTable()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("mysql"), dir);
    (void)conn->exec(QStringLiteral("DROP TABLE IF EXISTS retort_step_journal"));
    MapBodies bodies;
    bodies.bodies[R1] = {kCreateOne, kInsertOne};
    Run run(*conn, upgradeAll(), bodies);
    QVERIFY2(run.ok, qPrintable(run.error()));
    QCOMPARE(run.executed, bodies.bodies[R1]);
    QVERIFY(run.notices.isEmpty());
    QCOMPARE(heads(*conn), QStringList{R5});
    QVERIFY(!tableExists(*conn, StatementJournal::tableName()));
    // Another version table's interrupted step keeps the table (and its rows) in place.
    VersionTableOptions other;
    other.table = QStringLiteral("custom_version");
    {
        StatementJournal crashed(*conn, other);
        QVERIFY(crashed.beforeStatement(upgradeAll().first(), 1, 2, kCreateTwo));
    }
    Run down(*conn, downgradeAll(), bodies);
    QVERIFY2(down.ok, qPrintable(down.error()));
    QVERIFY(tableExists(*conn, StatementJournal::tableName()));
    StatementJournal otherJournal(*conn, other);
    auto pending = otherJournal.pending();
    QVERIFY(pending && pending->has_value());
    StatementJournal mine(*conn, {});
    auto none = mine.pending();
    QVERIFY(none && !none->has_value());
}

// A user allowed to change rows but not to create tables: the run goes on, as Alembic's
// would, and says that it has no journal.
void TestStatementJournal::withoutCreatePrivilegeRunsUnjournaled()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(admin, QStringLiteral("mysql"), dir);
    (void)admin->exec(QStringLiteral("DROP TABLE IF EXISTS retort_step_journal"));
    QVERIFY(VersionTable(*admin).ensureExists());
    QVERIFY(admin->exec(kCreateOne));
    const QString user = QStringLiteral("retort_dml_only");
    (void)admin->exec(QStringLiteral("DROP USER IF EXISTS '%1'@'%'").arg(user));
    QVERIFY(admin->exec(QStringLiteral("CREATE USER '%1'@'%' IDENTIFIED BY 'dml-pw'").arg(user)));
    auto dropUser = qScopeGuard([&] { (void)admin->exec(QStringLiteral("DROP USER IF EXISTS '%1'@'%'").arg(user)); });
    QVERIFY(admin->exec(QStringLiteral("GRANT SELECT, INSERT, UPDATE, DELETE ON `%1`.* TO '%2'@'%'")
                            .arg(admin->url().database(), user)));
    QUrl url(backendUrl(QStringLiteral("mysql"), dir));
    url.setUserName(user);
    url.setPassword(QStringLiteral("dml-pw"));
    auto limited = DatabaseConnection::openUrl(url.toString());
    QVERIFY2(limited, qPrintable(limited.error().message));

    MapBodies bodies;
    bodies.bodies[R1] = {kInsertOne, QStringLiteral("UPDATE t_one SET id = 2")};
    Run run(**limited, upgradeAll().mid(0, 1), bodies);
    QVERIFY2(run.ok, qPrintable(run.error()));
    QCOMPARE(run.executed, bodies.bodies[R1]);
    QCOMPARE(run.notices.size(), 1);
    QVERIFY2(run.notices.first().startsWith(QStringLiteral(
                 "retort.journal: Running without the statement journal (a killed run cannot resume): ")),
             qPrintable(run.notices.first()));
    QCOMPARE(heads(*admin), QStringList{R1});
    QCOMPARE(count(*admin, QStringLiteral("SELECT id FROM t_one")), 2);
    QVERIFY(!tableExists(*admin, StatementJournal::tableName()));
}

QTEST_GUILESS_MAIN(TestStatementJournal)
#include "tst_statementjournal.moc"
