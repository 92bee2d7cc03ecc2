// BackupJob / RestoreJob: SQLite back up, change, restore, compare; PostgreSQL and
// MySQL/MariaDB the same when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
// DumpCommand's command lines (password only in the environment) without the tools.

#include "backup/backupinfo.h"
#include "backup/backupjob.h"
#include "backup/backuplocation.h"
#include "backup/dumpcommand.h"
#include "backup/restorejob.h"
#include "runtime/databaseconnection.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

std::unique_ptr<DatabaseConnection> openUrl(const QString &text)
{
    auto url = DatabaseUrl::parse(text);
    if (!url)
        return nullptr;
    auto conn = DatabaseConnection::open(*url);
    return conn ? std::move(*conn) : nullptr;
}

// Every row of the test tables, as text, for "equals the backup" checks.
QStringList snapshot(DatabaseConnection &conn)
{
    QStringList rows;
    for (const QString &table : {QStringLiteral("bk_accounts"), QStringLiteral("bk_extra")}) {
        auto q = conn.exec(QStringLiteral("SELECT * FROM %1 ORDER BY 1").arg(table));
        if (!q) {
            rows << table + QStringLiteral(": <missing>");
            continue;
        }
        while (q->next()) {
            QStringList cols;
            for (int i = 0; i < q->record().count(); ++i)
                cols << q->value(i).toString();
            rows << table + QStringLiteral(": ") + cols.join(QLatin1Char('|'));
        }
    }
    return rows;
}

void seed(DatabaseConnection &conn)
{
    if (conn.dialect().kind() == Dialect::PostgreSQL)   // quiet "does not exist, skipping"
        (void)conn.exec(QStringLiteral("SET client_min_messages TO WARNING"));
    (void)conn.exec(QStringLiteral("DROP TABLE IF EXISTS bk_extra"));
    (void)conn.exec(QStringLiteral("DROP TABLE IF EXISTS bk_accounts"));
    QVERIFY(conn.exec(QStringLiteral("CREATE TABLE bk_accounts (id INTEGER PRIMARY KEY, name VARCHAR(50))")).ok());
    QVERIFY(conn.exec(QStringLiteral("INSERT INTO bk_accounts VALUES (1, 'ada'), (2, 'grace')")).ok());
}

void mutate(DatabaseConnection &conn)
{
    QVERIFY(conn.exec(QStringLiteral("UPDATE bk_accounts SET name = 'changed' WHERE id = 1")).ok());
    QVERIFY(conn.exec(QStringLiteral("DELETE FROM bk_accounts WHERE id = 2")).ok());
    QVERIFY(conn.exec(QStringLiteral("CREATE TABLE bk_extra (id INTEGER PRIMARY KEY)")).ok());
}

} // namespace

class TestBackupJob : public QObject
{
    Q_OBJECT

private slots:
    void location();
    void sqliteRoundTrip();
    void sqliteAsyncWithOwnConnection();
    void sqliteErrors();
    void dumpCommandKeepsPasswordOutOfArguments();
    void queryPasswordStaysSecret();
    void missingToolIsAClearError();
    void serverRoundTrip_data();
    void serverRoundTrip();
};

void TestBackupJob::location()
{
    QTemporaryDir dir;
    BackupLocation loc(dir.path());
    const QString ini = dir.filePath(QStringLiteral("proj/alembic.ini"));
    const QString key = BackupLocation::projectKey(ini);
    QVERIFY(key.startsWith(QLatin1String("proj-")));
    QCOMPARE(key.size(), 5 + 8);
    QVERIFY(BackupLocation::projectKey(dir.filePath(QStringLiteral("other/proj/alembic.ini"))) != key);
    const QDateTime when(QDate(2026, 1, 2), QTime(3, 4, 5));
    const QString p1 = loc.newBackupPath(ini, Dialect(Dialect::SQLite), when);
    QCOMPARE(p1, loc.projectDir(ini) + QStringLiteral("/20260102-030405_sqlite.sqlite"));
    QVERIFY(QDir().mkpath(loc.projectDir(ini)));
    QFile f(p1);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    QCOMPARE(loc.newBackupPath(ini, Dialect(Dialect::SQLite), when),
             loc.projectDir(ini) + QStringLiteral("/20260102-030405_sqlite-2.sqlite"));
    QCOMPARE(loc.newBackupPath(ini, Dialect(Dialect::PostgreSQL), when).right(5), QStringLiteral(".dump"));
    QCOMPARE(loc.backups(ini).size(), 1);
    QVERIFY(BackupLocation().rootDir().endsWith(QLatin1String("/backups")));
}

void TestBackupJob::sqliteRoundTrip()
{
    QTemporaryDir dir;
    const QString dbPath = dir.filePath(QStringLiteral("app.db"));
    const QString urlText = QStringLiteral("sqlite:///") + dbPath;
    const QString backup = dir.filePath(QStringLiteral("backups/one.sqlite"));
    QStringList before;
    {
        auto conn = openUrl(urlText);
        QVERIFY(conn);
        seed(*conn);
        before = snapshot(*conn);
        BackupJob job(*DatabaseUrl::parse(urlText), backup);
        job.setConnection(conn.get());   // online: the studio's own connection
        QSignalSpy progress(&job, &BackupJob::progress);
        QVERIFY2(job.exec(), qPrintable(job.error().message));
        QVERIFY(QFileInfo(backup).size() > 0);
        QVERIFY(!progress.isEmpty());
        mutate(*conn);
        QVERIFY(snapshot(*conn) != before);
    }   // closed before the restore, as RestoreJob requires
    {
        // The backup is a plain SQLite database.
        auto copy = openUrl(QStringLiteral("sqlite:///") + backup);
        QVERIFY(copy);
        QCOMPARE(snapshot(*copy), before);
    }
    RestoreJob restore(*DatabaseUrl::parse(urlText), backup);
    QVERIFY2(restore.exec(), qPrintable(restore.error().message));
    auto conn = openUrl(urlText);
    QVERIFY(conn);
    QCOMPARE(snapshot(*conn), before);
    QVERIFY(QFileInfo::exists(backup));   // restoring keeps the backup
}

void TestBackupJob::sqliteAsyncWithOwnConnection()
{
    QTemporaryDir dir;
    const QString urlText = QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("a.db"));
    {
        auto conn = openUrl(urlText);
        QVERIFY(conn);
        seed(*conn);
    }
    BackupJob job(*DatabaseUrl::parse(urlText), dir.filePath(QStringLiteral("b/a.sqlite")));
    QSignalSpy done(&job, &BackupJob::finished);
    job.start();
    QVERIFY(done.wait(5000));
    QCOMPARE(done.first().first().toBool(), true);
}

void TestBackupJob::sqliteErrors()
{
    QTemporaryDir dir;
    const QString urlText = QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("none.db"));
    BackupJob missing(*DatabaseUrl::parse(urlText), dir.filePath(QStringLiteral("x.sqlite")));
    QVERIFY(!missing.exec());
    QVERIFY(missing.error().message.contains(QLatin1String("not found")));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("none.db"))));   // not created by us

    const QString exists = dir.filePath(QStringLiteral("exists.sqlite"));
    QFile f(exists);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("keep");
    f.close();
    BackupJob clash(*DatabaseUrl::parse(urlText), exists);
    QVERIFY(!clash.exec());
    QVERIFY(clash.error().message.contains(QLatin1String("already exists")));
    QCOMPARE(QFileInfo(exists).size(), 4);

    RestoreJob restore(*DatabaseUrl::parse(urlText), dir.filePath(QStringLiteral("nope.sqlite")));
    QVERIFY(!restore.exec());
    QVERIFY(restore.error().message.contains(QLatin1String("not found")));

    BackupJob cancelled(*DatabaseUrl::parse(urlText), dir.filePath(QStringLiteral("c.sqlite")));
    cancelled.cancel();
    QVERIFY(!cancelled.exec());
    QVERIFY(cancelled.wasCancelled());
}

void TestBackupJob::dumpCommandKeepsPasswordOutOfArguments()
{
    if (DumpCommand::findTool({QStringLiteral("pg_dump")}).isEmpty())
        QSKIP("pg_dump not installed");
    auto url = DatabaseUrl::parse(QStringLiteral("postgresql://scott:s%40cret@db.local:5433/app?sslmode=require"));
    QVERIFY(url.ok());
    auto cmd = DumpCommand::backup(*url, QStringLiteral("/tmp/x.dump"));
    QVERIFY2(cmd.ok(), qPrintable(cmd.error().message));
    QVERIFY(!cmd->arguments.join(QLatin1Char(' ')).contains(QLatin1String("s@cret")));
    QVERIFY(!cmd->displayText().contains(QLatin1String("s@cret")));
    QCOMPARE(cmd->environment.value(QStringLiteral("PGPASSWORD")), QStringLiteral("s@cret"));
    QCOMPARE(cmd->environment.value(QStringLiteral("PGSSLMODE")), QStringLiteral("require"));
    QVERIFY(cmd->arguments.contains(QStringLiteral("--format=custom")));
    QVERIFY(cmd->arguments.contains(QStringLiteral("--port=5433")));
    QCOMPARE(cmd->arguments.last(), QStringLiteral("app"));
    // The parent's own environment is untouched.
    QVERIFY(qEnvironmentVariable("PGPASSWORD") != QLatin1String("s@cret"));

    auto restore = DumpCommand::restore(*url, {QStringLiteral("/tmp/a.sql"), QStringLiteral("/tmp/b.sql")});
    QVERIFY(restore.ok());
    QVERIFY(restore->arguments.contains(QStringLiteral("--single-transaction")));
    QVERIFY(restore->arguments.contains(QStringLiteral("--set=ON_ERROR_STOP=1")));
    QCOMPARE(restore->arguments.mid(restore->arguments.size() - 2),
             QStringList({QStringLiteral("--file=/tmp/a.sql"), QStringLiteral("--file=/tmp/b.sql")}));
    QVERIFY(!restore->arguments.join(QLatin1Char(' ')).contains(QLatin1String("s@cret")));
    QCOMPARE(restore->environment.value(QStringLiteral("PGPASSWORD")), QStringLiteral("s@cret"));

    if (!DumpCommand::findTool({QStringLiteral("mysqldump"), QStringLiteral("mariadb-dump")}).isEmpty()) {
        auto my = DatabaseUrl::parse(QStringLiteral("mysql://root:pw@127.0.0.1/app"));
        auto dump = DumpCommand::backup(*my, QStringLiteral("/tmp/x.sql"));
        QVERIFY(dump.ok());
        QCOMPARE(dump->environment.value(QStringLiteral("MYSQL_PWD")), QStringLiteral("pw"));
        QVERIFY(!dump->arguments.join(QLatin1Char(' ')).contains(QLatin1String("pw")));
        auto load = DumpCommand::restore(*my, {QStringLiteral("/tmp/x.sql")});
        QVERIFY(load.ok());
        QCOMPARE(load->standardInputFile, QStringLiteral("/tmp/x.sql"));
    }
}

// A password given as ?password= (or &password=) goes to the tool's environment like the
// user:password@ form, and appears in no argument, progress line, error or backup name.
void TestBackupJob::queryPasswordStaysSecret()
{
    if (DumpCommand::findTool({QStringLiteral("pg_dump")}).isEmpty())
        QSKIP("pg_dump not installed");
    const QString secret = QStringLiteral("qs3cretpw");
    // Nothing listens on port 1: pg_dump fails at once, after the job has said what it does.
    auto url = DatabaseUrl::parse(QStringLiteral("postgresql://scott@127.0.0.1:1/app?sslmode=disable&password=") + secret);
    QVERIFY(url.ok());
    auto cmd = DumpCommand::backup(*url, QStringLiteral("/tmp/x.dump"));
    QVERIFY2(cmd.ok(), qPrintable(cmd.error().message));
    QCOMPARE(cmd->environment.value(QStringLiteral("PGPASSWORD")), secret);
    QVERIFY(!cmd->arguments.join(QLatin1Char(' ')).contains(secret));
    QVERIFY(!cmd->displayText().contains(secret));

    QTemporaryDir dir;
    BackupLocation loc(dir.path());
    const QString out = loc.newBackupPath(dir.filePath(QStringLiteral("proj/alembic.ini")), Dialect(Dialect::PostgreSQL));
    QVERIFY(!out.contains(secret));
    BackupJob job(*url, out);
    QStringList lines;
    connect(&job, &BackupJob::progress, this, [&lines](const QString &l) { lines << l; });
    QVERIFY(!job.exec());
    QVERIFY(!lines.isEmpty());
    QVERIFY2(lines.first().contains(QStringLiteral("password=***")), qPrintable(lines.first()));
    const QString all = lines.join(QLatin1Char('\n')) + job.error().toString();
    QVERIFY2(!all.contains(secret), qPrintable(all));
}

void TestBackupJob::missingToolIsAClearError()
{
    QTemporaryDir empty;
    const QByteArray oldPath = qgetenv("PATH");
    qputenv("PATH", empty.path().toLocal8Bit());
    auto my = DatabaseUrl::parse(QStringLiteral("mysql://root@localhost/app"));
    auto cmd = DumpCommand::backup(*my, QStringLiteral("/tmp/x.sql"));
    auto pg = DumpCommand::backup(*DatabaseUrl::parse(QStringLiteral("postgresql://u@h/app")),
                                  QStringLiteral("/tmp/x.dump"));
    BackupJob job(*my, empty.filePath(QStringLiteral("x.sql")));
    const bool ok = job.exec();
    qputenv("PATH", oldPath);
    QVERIFY(!cmd.ok());
    QCOMPARE(cmd.error().message.left(34), QStringLiteral("mysqldump not found on PATH: insta"));
    QVERIFY(!pg.ok());
    QVERIFY(pg.error().message.startsWith(QLatin1String("pg_dump not found")));
    QVERIFY(!ok);
    QVERIFY(job.error().message.contains(QLatin1String("not found on PATH")));
}

void TestBackupJob::serverRoundTrip_data()
{
    QTest::addColumn<QString>("variable");
    QTest::newRow("postgresql") << QStringLiteral("RETORT_TEST_PG_URL");
    QTest::newRow("mysql") << QStringLiteral("RETORT_TEST_MYSQL_URL");
}

void TestBackupJob::serverRoundTrip()
{
    QFETCH(QString, variable);
    const QString urlText = qEnvironmentVariable(qPrintable(variable));
    if (urlText.isEmpty())
        QSKIP(qPrintable(QStringLiteral("set %1 to test against this server").arg(variable)));
    QTemporaryDir dir;
    auto url = DatabaseUrl::parse(urlText);
    QVERIFY(url.ok());
    const QString backup = BackupLocation(dir.path()).newBackupPath(
        dir.filePath(QStringLiteral("alembic.ini")), *Dialect::fromName(url->dialectName()));
    QStringList before;
    {
        auto conn = openUrl(urlText);
        QVERIFY(conn);
        seed(*conn);
        before = snapshot(*conn);
        BackupJob job(*url, backup);
        QVERIFY2(job.exec(), qPrintable(job.error().message));
        mutate(*conn);   // creates bk_extra after the backup: the restore must drop it
        QVERIFY(conn->exec(QStringLiteral("CREATE VIEW bk_view AS SELECT id FROM bk_extra")).ok());
    }
    const QString safety = dir.filePath(QStringLiteral("safety.") + QFileInfo(backup).suffix());
    RestoreJob restore(*url, backup);
    restore.setSafetyBackup(safety, dir.filePath(QStringLiteral("alembic.ini")));
    QVERIFY2(restore.exec(), qPrintable(restore.error().message));
    QCOMPARE(restore.safetyBackupPath(), safety);
    QVERIFY(BackupInfo::read(safety).hasMetadata);
    auto conn = openUrl(urlText);
    QVERIFY(conn);
    QCOMPARE(snapshot(*conn), before);   // bk_extra: <missing>, with no clean-up by hand
    QVERIFY(!conn->exec(QStringLiteral("SELECT * FROM bk_view")).ok());
    // And the restore is undoable: the safety backup gives back the changed state.
    {
        RestoreJob undo(*url, safety);
        QVERIFY2(undo.exec(), qPrintable(undo.error().message));
    }
    conn = openUrl(urlText);
    QVERIFY(conn);
    QVERIFY(conn->exec(QStringLiteral("SELECT * FROM bk_view")).ok());
    QVERIFY(snapshot(*conn) != before);
    (void)conn->exec(QStringLiteral("DROP VIEW bk_view"));
    (void)conn->exec(QStringLiteral("DROP TABLE bk_extra"));
    (void)conn->exec(QStringLiteral("DROP TABLE bk_accounts"));
}

QTEST_GUILESS_MAIN(TestBackupJob)
#include "tst_backupjob.moc"
