// Rehearsal on SQLite: a project in a temporary folder (the handoff fixture's env.py and
// ini, scripts written here); the report's figures and schema diff; the copy dropped and
// the user's database untouched, also when a step fails; a step only Python can run
// refused when env.py picks its own URL. RehearsalLocks and RehearsalSchemaDiff alone.

#include "proof/rehearsal.h"
#include "proof/rehearsallocks.h"
#include "proof/rehearsalschemadiff.h"
#include "revision/migrationplanner.h"
#include "runtime/databaseconnection.h"
#include "services/project.h"

#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

class Sink : public MigrationLogSink
{
public:
    QStringList lines;
    void info(const QString &, const QString &message) override { lines << message; }
};

bool write(const QString &path, const QString &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text.toUtf8()) >= 0;
}

QString readFixture(const QString &relative)
{
    QFile f(QStringLiteral(RETORT_FIXTURES_DIR "/projects/handoff/") + relative);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QString script(const QString &rev, const QString &down, const QString &upgrade)
{
    return QStringLiteral("revision = '%1'\ndown_revision = %2\nbranch_labels = None\ndepends_on = None\n"
                          "from alembic import op\nimport sqlalchemy as sa\n\n"
                          "def upgrade():\n%3\n\ndef downgrade():\n    pass\n")
        .arg(rev, down.isEmpty() ? QStringLiteral("None") : QLatin1Char('\'') + down + QLatin1Char('\''), upgrade);
}

// Every table's rows and the version, as text: "untouched" compares two of these.
QStringList contents(const QString &dbPath)
{
    QStringList out;
    auto conn = DatabaseConnection::openUrl(QStringLiteral("sqlite:///") + dbPath);
    if (!conn)
        return {QStringLiteral("<cannot open>")};
    auto tables = (*conn)->exec(QStringLiteral("SELECT name, sql FROM sqlite_master ORDER BY name"));
    QStringList names;
    while (tables && tables->next()) {
        names << tables->value(0).toString();
        out << tables->value(1).toString();
    }
    for (const QString &t : names) {
        auto q = (*conn)->exec(QStringLiteral("SELECT * FROM \"%1\" ORDER BY 1").arg(t));
        while (q && q->next()) {
            QStringList cols;
            for (int i = 0; i < q->record().count(); ++i)
                cols << q->value(i).toString();
            out << t + QStringLiteral(": ") + cols.join(QLatin1Char('|'));
        }
    }
    return out;
}

} // namespace

class TestRehearsal : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void locks_data();
    void locks();
    void schemaDiff();
    void succeeds();
    void failingStepLeavesNothing();
    void pythonStepRunsOnCopy();
    void refusesPythonStepWithOwnUrl();
    void memoryDatabaseRefused();
    void cancelledRunsNothing();

private:
    Result<MigrationPlan> plan(const QString &target);
    QString m_root;
    QString m_db;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Project> m_project;
};

void TestRehearsal::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_root = m_dir->path();
    m_db = m_root + QStringLiteral("/app.db");
    QVERIFY(write(m_root + QStringLiteral("/alembic.ini"), readFixture(QStringLiteral("alembic.ini"))
                                                               .replace(QStringLiteral("handoff.db"), QStringLiteral("app.db"))));
    QVERIFY(write(m_root + QStringLiteral("/migrations/env.py"), readFixture(QStringLiteral("migrations/env.py"))));
    QVERIFY(write(m_root + QStringLiteral("/migrations/script.py.mako"), readFixture(QStringLiteral("migrations/script.py.mako"))));
    QVERIFY(write(m_root + QStringLiteral("/migrations/versions/r1_one.py"),
                  script(QStringLiteral("r1"), QString(),
                         QStringLiteral("    op.create_table('account', sa.Column('id', sa.Integer, primary_key=True), "
                                        "sa.Column('name', sa.String(50)))\n"
                                        "    op.execute(\"INSERT INTO account (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')\")"))));
    QVERIFY(write(m_root + QStringLiteral("/migrations/versions/r2_two.py"),
                  script(QStringLiteral("r2"), QStringLiteral("r1"),
                         QStringLiteral("    op.add_column('account', sa.Column('email', sa.String(100)))\n"
                                        "    op.execute(\"UPDATE account SET email = name || '@x' WHERE id > 1\")\n"
                                        "    op.create_index('ix_account_email', 'account', ['email'])"))));
    QVERIFY(QDir::setCurrent(m_root));
    qputenv("RETORT_PYTHON", "/usr/bin/python3");
    // The user's database at r1, made by hand.
    auto conn = DatabaseConnection::openUrl(QStringLiteral("sqlite:///") + m_db);
    QVERIFY(conn.ok());
    for (const char *sql : {"CREATE TABLE account (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50))",
                            "INSERT INTO account VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
                            "INSERT INTO alembic_version VALUES ('r1')"})
        QVERIFY((*conn)->exec(QLatin1String(sql)).ok());
    m_project = std::make_unique<Project>(m_root + QStringLiteral("/alembic.ini"));
}

Result<MigrationPlan> TestRehearsal::plan(const QString &target)
{
    auto graph = m_project->graph();
    if (!graph)
        return graph.error();
    return MigrationPlanner::upgrade(**graph, {QStringLiteral("r1")}, target);
}

void TestRehearsal::locks_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("expected");
    QTest::newRow("pg alter") << int(Dialect::PostgreSQL) << "ALTER TABLE account ADD COLUMN email VARCHAR(100)"
                              << "ACCESS EXCLUSIVE on account";
    QTest::newRow("pg fk") << int(Dialect::PostgreSQL)
                           << "ALTER TABLE post ADD CONSTRAINT fk_a FOREIGN KEY(a) REFERENCES account (id)"
                           << "SHARE ROW EXCLUSIVE on post";
    QTest::newRow("pg index") << int(Dialect::PostgreSQL) << "CREATE INDEX ix_a ON public.account (email)"
                              << "SHARE on public.account";
    QTest::newRow("pg index concurrently") << int(Dialect::PostgreSQL)
                                           << "CREATE INDEX CONCURRENTLY ix_a ON \"Account\" (email)"
                                           << "SHARE UPDATE EXCLUSIVE on Account";
    QTest::newRow("pg drop index") << int(Dialect::PostgreSQL) << "DROP INDEX ix_a"
                                   << "ACCESS EXCLUSIVE on the index's table";
    QTest::newRow("pg update") << int(Dialect::PostgreSQL) << "UPDATE account SET x = 1" << "ROW EXCLUSIVE on account";
    QTest::newRow("pg create table") << int(Dialect::PostgreSQL) << "CREATE TABLE t (id INTEGER)" << "";
    QTest::newRow("mysql alter") << int(Dialect::MySQL) << "ALTER TABLE `account` ADD COLUMN x INT"
                                 << "exclusive metadata lock on account";
    QTest::newRow("mysql rename") << int(Dialect::MariaDB) << "RENAME TABLE a TO b" << "exclusive metadata lock on a";
    QTest::newRow("mysql insert") << int(Dialect::MySQL) << "INSERT INTO account VALUES (1)"
                                  << "shared metadata lock and row locks on account";
    QTest::newRow("sqlite write") << int(Dialect::SQLite) << "ALTER TABLE account ADD COLUMN x"
                                  << "database write lock (whole file)";
    QTest::newRow("sqlite select") << int(Dialect::SQLite) << "SELECT 1" << "";
}

void TestRehearsal::locks()
{
    QFETCH(int, dialect);
    QFETCH(QString, sql);
    QFETCH(QString, expected);
    const auto lock = RehearsalLocks::expected(Dialect::Kind(dialect), sql);
    QCOMPARE(lock ? lock->text() : QString(), expected);
    QVERIFY(RehearsalLocks::isDataChange(QStringLiteral(" update t set a = 1")));
    QVERIFY(!RehearsalLocks::isDataChange(QStringLiteral("CREATE TABLE updates (id INT)")));
}

void TestRehearsal::schemaDiff()
{
    SchemaModel before;
    SchemaTable account;
    account.name = QStringLiteral("account");
    SchemaColumn id;
    id.name = QStringLiteral("id");
    id.type = QStringLiteral("INTEGER");
    account.columns << id;
    before.schema(QString()).tables << account;
    // Built apart: SchemaModel::schema() on a copy would write through the shared data.
    SchemaModel after;
    SchemaColumn email;
    email.name = QStringLiteral("email");
    email.type = QStringLiteral("VARCHAR(100)");
    SchemaTable wider = account;
    wider.columns << email;
    SchemaTable log;
    log.name = QStringLiteral("log");
    log.columns << id;
    SchemaNamespace ns;
    ns.tables << wider << log;
    after.schemas << ns;
    QCOMPARE(RehearsalSchemaDiff::lines(before, before), QStringList());
    const QStringList lines = RehearsalSchemaDiff::lines(before, after);
    QCOMPARE(lines, (QStringList{QStringLiteral("  TABLE account"), QStringLiteral("+     email VARCHAR(100)"),
                                 QStringLiteral("+ TABLE log"), QStringLiteral("+     id INTEGER")}));
}

void TestRehearsal::succeeds()
{
    const QStringList before = contents(m_db);
    auto p = plan(QStringLiteral("head"));
    QVERIFY2(p.ok(), qPrintable(p.error().message));
    Sink sink;
    Rehearsal rehearsal(*m_project, sink);
    const RehearsalReport report = rehearsal.run(*DatabaseUrl::parse(QStringLiteral("sqlite:///") + m_db), *p);
    QVERIFY2(report.ok, qPrintable(report.error.message));
    QCOMPARE(report.copyMethod, QStringLiteral("VACUUM INTO"));
    QVERIFY(report.copyName.startsWith(QLatin1String("retort_rehearse_")));
    QVERIFY(report.copyDropped);
    QCOMPARE(report.steps.size(), 1);
    QCOMPARE(report.steps.at(0).statements, 3);
    QCOMPARE(report.steps.at(0).rowsChanged, qint64(2));   // the UPDATE's rows, not the DDL's
    QVERIFY(report.steps.at(0).finished);
    QCOMPARE(report.steps.at(0).locks, QStringList{QStringLiteral("database write lock (whole file)")});
    QCOMPARE(report.schemaDiff, (QStringList{QStringLiteral("  TABLE account"), QStringLiteral("+     email VARCHAR(100)"),
                                             QStringLiteral("+     INDEX ix_account_email (email)")}));
    QVERIFY(sink.lines.contains(QStringLiteral("[rehearsal] Running upgrade r1 -> r2")));
    const QStringList text = report.lines();
    QVERIFY(text.contains(QStringLiteral("Rehearsal step 1/1 upgrade r1 -> r2: %1 ms, 3 statements, 2 rows changed")
                              .arg(report.steps.at(0).elapsedMs)));
    QCOMPARE(text.last(), QStringLiteral("Rehearsal succeeded: 1 of 1 steps ran on the copy"));
    QCOMPARE(contents(m_db), before);   // the user's database is untouched
    // The copy's folder is gone with it.
    QVERIFY(QDir::temp().entryList({QStringLiteral("retort-rehearse-*")}, QDir::Dirs).isEmpty());
}

void TestRehearsal::failingStepLeavesNothing()
{
    QVERIFY(write(m_root + QStringLiteral("/migrations/versions/r3_bad.py"),
                  script(QStringLiteral("r3"), QStringLiteral("r2"),
                         QStringLiteral("    op.execute('INSERT INTO no_such_table VALUES (1)')"))));
    const QStringList before = contents(m_db);
    auto p = plan(QStringLiteral("r3"));
    QVERIFY2(p.ok(), qPrintable(p.error().message));
    Sink sink;
    Rehearsal rehearsal(*m_project, sink);
    const RehearsalReport report = rehearsal.run(*DatabaseUrl::parse(QStringLiteral("sqlite:///") + m_db), *p);
    QVERIFY(!report.ok);
    QVERIFY2(report.error.message.contains(QLatin1String("no_such_table")), qPrintable(report.error.message));
    QVERIFY(report.copyDropped);
    QCOMPARE(report.steps.size(), 2);
    QVERIFY(report.steps.at(0).finished);
    QVERIFY(!report.steps.at(1).finished);
    QVERIFY(report.lines().last().startsWith(QLatin1String("Rehearsal failed: ")));
    QCOMPARE(contents(m_db), before);
    QVERIFY(QDir::temp().entryList({QStringLiteral("retort-rehearse-*")}, QDir::Dirs).isEmpty());
}

void TestRehearsal::pythonStepRunsOnCopy()
{
    // The stock env.py reads sqlalchemy.url from the ini, which the worker points at the copy.
    QVERIFY(write(m_root + QStringLiteral("/migrations/versions/r3_reads.py"),
                  script(QStringLiteral("r3"), QStringLiteral("r2"),
                         QStringLiteral("    n = op.get_bind().execute(sa.text('SELECT COUNT(*) FROM account')).scalar()\n"
                                        "    op.execute(\"UPDATE account SET name = 'n%d'\" % n)"))));
    const QStringList before = contents(m_db);
    auto p = plan(QStringLiteral("r3"));
    QVERIFY2(p.ok(), qPrintable(p.error().message));
    Sink sink;
    Rehearsal rehearsal(*m_project, sink);
    const RehearsalReport report = rehearsal.run(*DatabaseUrl::parse(QStringLiteral("sqlite:///") + m_db), *p);
    QVERIFY2(report.ok, qPrintable(report.error.message));
    QCOMPARE(report.steps.size(), 2);
    // Bridged: Alembic runs the step on the rehearsal's connection, so its statements (the
    // read, the UPDATE, and what SQLAlchemy asks when its connection starts) are counted
    // like native ones.
    const RehearsalStep &bridged = report.steps.at(1);
    QVERIFY(!bridged.ranInPython);
    QVERIFY2(bridged.statements >= 2, qPrintable(QString::number(bridged.statements)));
    QVERIFY2(bridged.rowsChanged >= 2, qPrintable(QString::number(bridged.rowsChanged)));   // the UPDATE's two
    QVERIFY2(report.lines().contains(QStringLiteral("Rehearsal step 2/2 upgrade r2 -> r3: %1 ms, %2 statements, %3 rows changed")
                                         .arg(bridged.elapsedMs).arg(bridged.statements).arg(bridged.rowsChanged)),
             qPrintable(report.lines().join(QLatin1Char('\n'))));
    QCOMPARE(contents(m_db), before);
}

void TestRehearsal::refusesPythonStepWithOwnUrl()
{
    // env.py takes the URL from a variable of its own: an online step would not follow
    // Retort's URL to the copy.
    QString env = readFixture(QStringLiteral("migrations/env.py"));
    env.replace(QStringLiteral("config = context.config\n"),
                QStringLiteral("config = context.config\nimport os\n"
                               "config.set_main_option(\"sqlalchemy.url\", os.environ[\"REHEARSAL_TEST_URL\"])\n"));
    QVERIFY(write(m_root + QStringLiteral("/migrations/env.py"), env));
    qputenv("REHEARSAL_TEST_URL", (QStringLiteral("sqlite:///") + m_db).toUtf8());
    QVERIFY(write(m_root + QStringLiteral("/migrations/versions/r3_reads.py"),
                  script(QStringLiteral("r3"), QStringLiteral("r2"),
                         QStringLiteral("    n = op.get_bind().execute(sa.text('SELECT COUNT(*) FROM account')).scalar()\n"
                                        "    op.execute('UPDATE account SET name = %d' % n)"))));
    const QStringList before = contents(m_db);
    auto p = plan(QStringLiteral("r3"));
    QVERIFY2(p.ok(), qPrintable(p.error().message));
    Sink sink;
    Rehearsal rehearsal(*m_project, sink);
    const RehearsalReport report = rehearsal.run(*DatabaseUrl::parse(QStringLiteral("sqlite:///") + m_db), *p);
    qunsetenv("REHEARSAL_TEST_URL");
    QVERIFY(!report.ok);
    QVERIFY2(report.error.message.contains(QLatin1String("a rehearsal cannot guarantee it runs on the copy")),
             qPrintable(report.error.message));
    QVERIFY2(report.error.message.contains(QLatin1String("from $REHEARSAL_TEST_URL")), qPrintable(report.error.message));
    QVERIFY(report.steps.isEmpty());   // refused before anything ran
    QVERIFY(report.copyDropped);
    QCOMPARE(contents(m_db), before);
}

void TestRehearsal::memoryDatabaseRefused()
{
    auto p = plan(QStringLiteral("head"));
    QVERIFY(p.ok());
    Sink sink;
    Rehearsal rehearsal(*m_project, sink);
    const RehearsalReport report = rehearsal.run(*DatabaseUrl::parse(QStringLiteral("sqlite://")), *p);
    QVERIFY(!report.ok);
    QVERIFY(report.error.message.contains(QLatin1String("in-memory")));
}

void TestRehearsal::cancelledRunsNothing()
{
    const QStringList before = contents(m_db);
    auto p = plan(QStringLiteral("head"));
    QVERIFY(p.ok());
    Sink sink;
    Rehearsal rehearsal(*m_project, sink);
    rehearsal.cancel();   // the studio's Stop before the steps
    const RehearsalReport report = rehearsal.run(*DatabaseUrl::parse(QStringLiteral("sqlite:///") + m_db), *p);
    QVERIFY(!report.ok);
    QCOMPARE(report.error.message, QStringLiteral("Cancelled by user"));
    QVERIFY(report.steps.isEmpty());
    QVERIFY(report.copyDropped);
    QCOMPARE(contents(m_db), before);
}

QTEST_GUILESS_MAIN(TestRehearsal)
#include "tst_rehearsal.moc"
