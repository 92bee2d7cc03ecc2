// BackupInfo sidecars and BackupCatalog: list (newest first, per database), delete,
// retention; the revision recorded at backup time; an exact SQLite restore that backs
// the current state up first.

#include "backup/backupcatalog.h"
#include "backup/backupjob.h"
#include "backup/restorejob.h"
#include "runtime/databaseconnection.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

std::unique_ptr<DatabaseConnection> openSqlite(const QString &path)
{
    auto url = DatabaseUrl::parse(QStringLiteral("sqlite:///") + path);
    if (!url)
        return nullptr;
    auto conn = DatabaseConnection::open(*url);
    return conn ? std::move(*conn) : nullptr;
}

QStringList tables(DatabaseConnection &conn)
{
    QStringList names;
    auto q = conn.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    while (q && q->next())
        names << q->value(0).toString();
    return names;
}

// A fake dump with a sidecar, as BackupJob would leave it.
void fakeBackup(const QString &path, const QDateTime &when, const QString &url)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("x");
    f.close();
    BackupInfo info;
    info.path = path;
    info.created = when;
    info.dialect = QStringLiteral("postgresql");
    info.maskedUrl = url;
    info.revisions = {QStringLiteral("abc123")};
    QVERIFY(info.writeSidecar().ok());
}

} // namespace

class TestBackupCatalog : public QObject
{
    Q_OBJECT
private slots:
    void sidecarRecordsRevisionAndMaskedUrl();
    void listWithoutSidecar();
    void listFiltersAndSorts();
    void prune_data();
    void prune();
    void removeDeletesSidecar();
    void sqliteRestoreIsExactAndUndoable();
    void defaultRootIsSharedAndOverridable();
};

void TestBackupCatalog::defaultRootIsSharedAndOverridable()
{
    // The CLI (QCoreApplication "retort") and the studio ("retort-studio") must agree.
    qunsetenv("RETORT_BACKUP_DIR");
    QVERIFY(BackupLocation().rootDir().endsWith(QLatin1String("/retort/backups")));
    QCoreApplication::setApplicationName(QStringLiteral("retort-studio"));
    const QString studio = BackupLocation().rootDir();
    QCoreApplication::setApplicationName(QStringLiteral("retort"));
    QCOMPARE(BackupLocation().rootDir(), studio);
    qputenv("RETORT_BACKUP_DIR", "/srv/backups");
    QCOMPARE(BackupLocation().rootDir(), QStringLiteral("/srv/backups"));
    QCOMPARE(BackupLocation(QStringLiteral("/x")).rootDir(), QStringLiteral("/x"));
    qunsetenv("RETORT_BACKUP_DIR");
}

void TestBackupCatalog::sidecarRecordsRevisionAndMaskedUrl()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("app.db"));
    {
        auto conn = openSqlite(db);
        QVERIFY(conn);
        QVERIFY(conn->exec(QStringLiteral("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")).ok());
        QVERIFY(conn->exec(QStringLiteral("INSERT INTO alembic_version VALUES ('ae1027a6acf0')")).ok());
    }
    const QString ini = dir.filePath(QStringLiteral("alembic.ini"));
    BackupCatalog catalog(BackupLocation(dir.filePath(QStringLiteral("backups"))));
    const QString path = catalog.location().newBackupPath(ini, Dialect(Dialect::SQLite));
    BackupJob job(*DatabaseUrl::parse(QStringLiteral("sqlite:///") + db), path);
    job.setProject(ini);
    job.setNote(QStringLiteral("manual"));
    QVERIFY2(job.exec(), qPrintable(job.error().message));
    QVERIFY(QFileInfo::exists(BackupInfo::sidecarPath(path)));

    const QList<BackupInfo> list = catalog.list(ini);
    QCOMPARE(list.size(), 1);
    const BackupInfo &info = list.first();
    QVERIFY(info.hasMetadata);
    QCOMPARE(info.path, QFileInfo(path).absoluteFilePath());
    QCOMPARE(info.revisions, QStringList{QStringLiteral("ae1027a6acf0")});
    QCOMPARE(info.dialect, QStringLiteral("sqlite"));
    QCOMPARE(info.maskedUrl, QStringLiteral("sqlite:///") + db);
    QCOMPARE(info.iniPath, QFileInfo(ini).absoluteFilePath());
    QCOMPARE(info.note, QStringLiteral("manual"));
    QCOMPARE(info.size, QFileInfo(path).size());
    QVERIFY(info.size > 0);
    QVERIFY(qAbs(info.created.secsTo(QDateTime::currentDateTime())) < 60);

    // A server URL's password never reaches the sidecar.
    BackupInfo server;
    server.path = dir.filePath(QStringLiteral("s.dump"));
    server.maskedUrl = DatabaseUrl::parse(QStringLiteral("postgresql://u:s3cret@h/db"))->toDisplayString();
    QVERIFY(server.writeSidecar().ok());
    QFile sidecar(BackupInfo::sidecarPath(server.path));
    QVERIFY(sidecar.open(QIODevice::ReadOnly));
    const QByteArray text = sidecar.readAll();
    QVERIFY(!text.contains("s3cret"));
    QVERIFY(text.contains("***"));
}

void TestBackupCatalog::listWithoutSidecar()
{
    QTemporaryDir dir;
    BackupLocation location(dir.path());
    const QString ini = dir.filePath(QStringLiteral("alembic.ini"));
    const QString path = location.newBackupPath(ini, Dialect(Dialect::MySQL),
                                                QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7)));
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("-- dump\n");
    f.close();
    const QList<BackupInfo> list = BackupCatalog(location).list(ini);
    QCOMPARE(list.size(), 1);
    QVERIFY(!list.first().hasMetadata);
    QCOMPARE(list.first().created, QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7)));
    QCOMPARE(list.first().dialect, QStringLiteral("mysql"));
    QCOMPARE(list.first().size, qint64(8));
    QCOMPARE(list.first().revisionText(), QStringLiteral("(none)"));
}

void TestBackupCatalog::listFiltersAndSorts()
{
    QTemporaryDir dir;
    BackupLocation location(dir.path());
    const QString ini = dir.filePath(QStringLiteral("alembic.ini"));
    const QDateTime t0(QDate(2026, 1, 1), QTime(10, 0));
    fakeBackup(location.newBackupPath(ini, Dialect(Dialect::PostgreSQL), t0), t0, QStringLiteral("postgresql://a"));
    fakeBackup(location.newBackupPath(ini, Dialect(Dialect::PostgreSQL), t0.addSecs(60)), t0.addSecs(60), QStringLiteral("postgresql://b"));
    fakeBackup(location.newBackupPath(ini, Dialect(Dialect::PostgreSQL), t0.addSecs(120)), t0.addSecs(120), QStringLiteral("postgresql://a"));
    BackupCatalog catalog(location);
    const QList<BackupInfo> all = catalog.list(ini);
    QCOMPARE(all.size(), 3);
    QCOMPARE(all.at(0).created, t0.addSecs(120));
    QCOMPARE(all.at(2).created, t0);
    const QList<BackupInfo> a = catalog.list(ini, QStringLiteral("postgresql://a"));
    QCOMPARE(a.size(), 2);
    QCOMPARE(a.at(0).created, t0.addSecs(120));
    // Another project's folder is not mixed in.
    QVERIFY(catalog.list(dir.filePath(QStringLiteral("other/alembic.ini"))).isEmpty());
}

void TestBackupCatalog::prune_data()
{
    QTest::addColumn<int>("keep");
    QTest::addColumn<int>("leftA");
    QTest::addColumn<int>("leftB");
    QTest::newRow("keep 0 keeps all") << 0 << 4 << 2;
    QTest::newRow("keep 1") << 1 << 1 << 1;
    QTest::newRow("keep 3") << 3 << 3 << 2;
    QTest::newRow("keep 10") << 10 << 4 << 2;
}

void TestBackupCatalog::prune()
{
    QFETCH(int, keep);
    QFETCH(int, leftA);
    QFETCH(int, leftB);
    QTemporaryDir dir;
    BackupLocation location(dir.path());
    const QString ini = dir.filePath(QStringLiteral("alembic.ini"));
    const QDateTime t0(QDate(2026, 1, 1), QTime(10, 0));
    for (int i = 0; i < 6; ++i) {
        const QDateTime when = t0.addSecs(60 * i);
        fakeBackup(location.newBackupPath(ini, Dialect(Dialect::PostgreSQL), when), when,
                   i % 3 == 2 ? QStringLiteral("postgresql://b") : QStringLiteral("postgresql://a"));
    }
    BackupCatalog catalog(location);
    const QList<BackupInfo> newestA = catalog.list(ini, QStringLiteral("postgresql://a"));
    auto removed = catalog.prune(ini, keep);
    QVERIFY(removed.ok());
    QCOMPARE(removed->size(), 6 - leftA - leftB);
    const QList<BackupInfo> a = catalog.list(ini, QStringLiteral("postgresql://a"));
    QCOMPARE(a.size(), leftA);
    QCOMPARE(catalog.list(ini, QStringLiteral("postgresql://b")).size(), leftB);
    for (int i = 0; i < a.size(); ++i)   // the newest survive
        QCOMPARE(a.at(i).path, newestA.at(i).path);
    for (const QString &gone : *removed)
        QVERIFY(!QFileInfo::exists(BackupInfo::sidecarPath(gone)));
}

void TestBackupCatalog::removeDeletesSidecar()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("p/20260101-000000_postgresql.dump"));
    fakeBackup(path, QDateTime::currentDateTime(), QStringLiteral("postgresql://a"));
    QVERIFY(BackupCatalog::remove(path).ok());
    QVERIFY(!QFileInfo::exists(path));
    QVERIFY(!QFileInfo::exists(BackupInfo::sidecarPath(path)));
}

void TestBackupCatalog::sqliteRestoreIsExactAndUndoable()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("app.db"));
    const auto url = *DatabaseUrl::parse(QStringLiteral("sqlite:///") + db);
    const QString ini = dir.filePath(QStringLiteral("alembic.ini"));
    BackupLocation location(dir.filePath(QStringLiteral("backups")));
    const QString backup = location.newBackupPath(ini, Dialect(Dialect::SQLite));
    {
        auto conn = openSqlite(db);
        QVERIFY(conn);
        QVERIFY(conn->exec(QStringLiteral("CREATE TABLE kept (id INTEGER)")).ok());
        BackupJob job(url, backup);
        QVERIFY(job.exec());
        QVERIFY(conn->exec(QStringLiteral("CREATE TABLE added_later (id INTEGER)")).ok());
    }
    const QString safety = dir.filePath(QStringLiteral("backups/safety.sqlite"));
    RestoreJob restore(url, backup);
    restore.setSafetyBackup(safety, ini);
    QVERIFY2(restore.exec(), qPrintable(restore.error().message));
    QCOMPARE(restore.safetyBackupPath(), safety);
    QVERIFY(BackupInfo::read(safety).note.contains(QFileInfo(backup).fileName()));
    {
        auto conn = openSqlite(db);
        QCOMPARE(tables(*conn), QStringList{QStringLiteral("kept")});
    }
    RestoreJob undo(url, safety);
    QVERIFY(undo.exec());
    auto conn = openSqlite(db);
    QCOMPARE(tables(*conn), QStringList({QStringLiteral("added_later"), QStringLiteral("kept")}));

    // A failing safety backup (its file already exists) stops the restore.
    RestoreJob refused(url, backup);
    refused.setSafetyBackup(safety, ini);
    QVERIFY(!refused.exec());
    QVERIFY(refused.error().message.contains(QLatin1String("nothing was restored")));
}

QTEST_GUILESS_MAIN(TestBackupCatalog)
#include "tst_backupcatalog.moc"
