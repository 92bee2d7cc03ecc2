// Group commit on SQLite (GroupCommit, through MigrationRunner): the steps of a run share
// a transaction, a savepoint each; another connection sees them when the group commits. A
// failing step keeps the steps before it; a transaction SQLite ended itself loses the
// group, and the runner says so and stops counting those steps.

#include "onlinetestsupport.h"
#include "runtime/migrationrunner.h"
#include "runtime/stepbody.h"
#include "runtime/versiontable.h"
#include "runtimetestsupport.h"

#include <QtTest>

using namespace retort;
using namespace retort::test;

namespace {

QStringList heads(DatabaseConnection &conn)
{
    Result<QStringList> h = VersionTable(conn, VersionTableOptions()).currentHeads();
    return h.ok() ? *h : QStringList{QStringLiteral("<error: %1>").arg(h.error().message)};
}

QStringList tables(DatabaseConnection &conn)
{
    QStringList names;
    auto q = conn.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' "
                                      "ESCAPE '\\' ORDER BY name"));
    while (q && q->next())
        names << q->value(0).toString();
    return names;
}

// Every step creates t_<revision>; `special` replaces one step's body.
class TableBodies : public MapBodies
{
public:
    QHash<QString, StepBody> special;
    Result<StepBody> body(const MigrationStep &step, const Dialect &) override
    {
        if (special.contains(step.revision))
            return special.value(step.revision);
        return StepBody::fromStatements({QStringLiteral("CREATE TABLE t_%1 (id INTEGER)").arg(step.revision)});
    }
};

StepBody failing(const QStringList &before)
{
    QStringList sql = before;
    sql << QStringLiteral("INSERT INTO no_such_table VALUES (1)");
    return StepBody::fromStatements(sql);
}

} // namespace

class TestGroupCommit : public QObject
{
    Q_OBJECT
private slots:
    void otherConnectionSeesCommits_data();
    void otherConnectionSeesCommits();
    void failingStepKeepsTheStepsBefore();
    void transactionEndedBySqliteLosesTheGroup();
    void transactionCommittedByAStatementKeepsTheGroup();
    void autocommitBlockCommitsTheGroup();
    void cancelCommitsTheGroup();
};

void TestGroupCommit::otherConnectionSeesCommits_data()
{
    QTest::addColumn<bool>("perMigration");
    QTest::addColumn<int>("groupMs");
    QTest::addColumn<QStringList>("seen");   // by another connection after each step
    const QStringList perStep{R1, R2, R4, QStringLiteral("%1,%2").arg(R3, R4), R5};
    QTest::addRow("group") << false << 60000 << QStringList{QString(), QString(), QString(), QString(), QString()};
    QTest::addRow("transaction_per_migration") << true << 60000 << perStep;
    QTest::addRow("no grouping") << false << 0 << perStep;
}

void TestGroupCommit::otherConnectionSeesCommits()
{
    QFETCH(bool, perMigration);
    QFETCH(int, groupMs);
    QFETCH(QStringList, seen);
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    auto other = DatabaseConnection::openUrl(backendUrl(QStringLiteral("sqlite"), dir));
    QVERIFY(other.ok());
    TableBodies bodies;
    MigrationRunOptions opts;
    opts.transactionPerMigration = perMigration;
    opts.groupCommitMs = groupMs;
    MigrationRunner runner(conn.get(), upgradeAll(), opts);
    runner.setBodyProvider(&bodies);
    QStringList observed;
    connect(&runner, &MigrationRunner::stepFinished, this, [&](int) {
        QStringList h = heads(**other);
        h.sort();
        observed << h.join(QLatin1Char(','));
    });
    QVERIFY2(runner.exec(), qPrintable(runner.error().message));
    QCOMPARE(observed, seen);
    QCOMPARE(heads(**other), QStringList{R5});
    QCOMPARE(tables(**other).size(), 5);
    QVERIFY(!conn->inTransaction());
}

void TestGroupCommit::failingStepKeepsTheStepsBefore()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    TableBodies bodies;
    bodies.special[R3] = failing({QStringLiteral("CREATE TABLE t_half (id INTEGER)")});
    MigrationRunOptions opts;
    opts.groupCommitMs = 60000;
    MigrationRunner runner(conn.get(), upgradeAll(), opts);
    runner.setBodyProvider(&bodies);
    QVERIFY(!runner.exec());
    QVERIFY2(runner.error().message.startsWith(QStringLiteral("Migration 3c3c3c3c3c3c (upgrade 2b2b2b2b2b2b -> "
                                                              "3c3c3c3c3c3c) failed: ")),
             qPrintable(runner.error().message));
    QVERIFY2(!runner.error().message.contains(QStringLiteral("rolled back too")), qPrintable(runner.error().message));
    QCOMPARE(runner.completedSteps(), 3);
    QCOMPARE(heads(*conn), QStringList{R4});
    QCOMPARE(tables(*conn), (QStringList{QStringLiteral("t_") + R1, QStringLiteral("t_") + R2,
                                         QStringLiteral("t_") + R4}));
    QVERIFY(!conn->inTransaction());
}

// A statement that ends the transaction stands in for SQLite ending it (SQLITE_FULL,
// IOERR, BUSY, NOMEM, INTERRUPT): the steps of the group are gone, and the error says so.
void TestGroupCommit::transactionEndedBySqliteLosesTheGroup()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    TableBodies bodies;
    bodies.special[R3] = failing({QStringLiteral("ROLLBACK")});
    MigrationRunOptions opts;
    opts.groupCommitMs = 60000;
    MigrationRunner runner(conn.get(), upgradeAll(), opts);
    runner.setBodyProvider(&bodies);
    QVERIFY(!runner.exec());
    const QString message = runner.error().message;
    QVERIFY2(message.startsWith(QStringLiteral("Migration 3c3c3c3c3c3c (upgrade 2b2b2b2b2b2b -> 3c3c3c3c3c3c) failed: ")),
             qPrintable(message));
    QVERIFY2(message.endsWith(QStringLiteral("; SQLite rolled back the whole transaction, so the 3 step(s) applied "
                                             "since the last commit were rolled back too (upgrade  -> 1a1a1a1a1a1a; "
                                             "upgrade 1a1a1a1a1a1a -> 2b2b2b2b2b2b; upgrade 2b2b2b2b2b2b -> "
                                             "4d4d4d4d4d4d); the database is at no revision (empty version table)")),
             qPrintable(message));
    QCOMPARE(runner.completedSteps(), 0);
    QCOMPARE(heads(*conn), QStringList());
    QCOMPARE(tables(*conn), QStringList());
    QVERIFY(!conn->inTransaction());
}

// A COMMIT statement in a step commits the group behind Retort's back: the savepoint is
// gone as when SQLite rolls back, but the version table shows the steps kept, and the
// error says only where the database is.
void TestGroupCommit::transactionCommittedByAStatementKeepsTheGroup()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    TableBodies bodies;
    bodies.special[R3] = failing({QStringLiteral("COMMIT")});
    MigrationRunOptions opts;
    opts.groupCommitMs = 60000;
    MigrationRunner runner(conn.get(), upgradeAll(), opts);
    runner.setBodyProvider(&bodies);
    QVERIFY(!runner.exec());
    const QString message = runner.error().message;
    QVERIFY2(message.endsWith(QStringLiteral("; the database is at 4d4d4d4d4d4d")), qPrintable(message));
    QVERIFY2(!message.contains(QStringLiteral("rolled back too")), qPrintable(message));
    QCOMPARE(runner.completedSteps(), 3);
    QCOMPARE(heads(*conn), QStringList{R4});
    QVERIFY(!conn->inTransaction());
}

// An autocommit block commits the transaction (the group and the step's statements before
// it, as with one transaction per step); a later failure keeps the step.
void TestGroupCommit::autocommitBlockCommitsTheGroup()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    TableBodies bodies;
    StepBody withBlock = StepBody::fromStatements({QStringLiteral("CREATE TABLE t_before (id INTEGER)")});
    StepItem block;
    block.kind = StepItem::Autocommit;
    StepItem inside;
    inside.kind = StepItem::Sql;
    inside.text = QStringLiteral("CREATE TABLE t_inside (id INTEGER)");
    block.body.append(inside);
    withBlock.items.append(block);
    StepItem after;
    after.kind = StepItem::Sql;
    after.text = QStringLiteral("CREATE TABLE t_after (id INTEGER)");
    withBlock.items.append(after);
    bodies.special[R2] = withBlock;
    bodies.special[R3] = failing({});
    MigrationRunOptions opts;
    opts.groupCommitMs = 60000;
    MigrationRunner runner(conn.get(), upgradeAll(), opts);
    runner.setBodyProvider(&bodies);
    QVERIFY(!runner.exec());
    QVERIFY2(!runner.error().message.contains(QStringLiteral("rolled back too")), qPrintable(runner.error().message));
    QCOMPARE(runner.completedSteps(), 3);
    QCOMPARE(heads(*conn), QStringList{R4});
    QCOMPARE(tables(*conn), (QStringList{QStringLiteral("t_") + R1, QStringLiteral("t_") + R4,
                                         QStringLiteral("t_after"), QStringLiteral("t_before"),
                                         QStringLiteral("t_inside")}));
}

void TestGroupCommit::cancelCommitsTheGroup()
{
    QTemporaryDir dir;
    RETORT_OPEN_BACKEND(conn, QStringLiteral("sqlite"), dir);
    TableBodies bodies;
    MigrationRunOptions opts;
    opts.groupCommitMs = 60000;
    MigrationRunner runner(conn.get(), upgradeAll(), opts);
    runner.setBodyProvider(&bodies);
    connect(&runner, &MigrationRunner::stepFinished, &runner, [&runner](int i) {
        if (i == 2)
            runner.cancel();
    });
    QVERIFY(!runner.exec());
    QCOMPARE(runner.error().message, QStringLiteral("Cancelled after 3 of 5 migration step(s)"));
    QCOMPARE(runner.completedSteps(), 3);
    QCOMPARE(heads(*conn), QStringList{R4});
    QVERIFY(!conn->inTransaction());
}

QTEST_GUILESS_MAIN(TestGroupCommit)
#include "tst_groupcommit.moc"
