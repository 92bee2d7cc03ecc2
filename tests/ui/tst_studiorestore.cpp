// The shell around a restore, on SQLite, PostgreSQL and MySQL/MariaDB (the server rows run
// where RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set, as CI does). A run fails after
// committing a step and the backup taken before it is restored with the SQL preview open:
// before the database is replaced the window holds no connection; afterwards it reconnects
// and the preview and history follow. Then the Backups view: it lists every backup with the
// revision at backup time and the masked URL; Restore (asked first) gives back exactly the
// backed-up database - a table created after the backup is gone - after backing the
// current state up; Delete asks and removes the file; Open Folder points at the project's
// folder; "Keep newest" prunes when a new backup is written.

#include "backup/backupinfo.h"
#include "backupsmodel.h"
#include "backupsview.h"
#include "connectionbar.h"
#include "historymodel.h"
#include "mainwindow.h"
#include "migrationconfirmationdelegate.h"
#include "migrationcontroller.h"
#include "runtime/databaseconnection.h"
#include "sqlpreviewview.h"
#include "studiodocks.h"
#include "uitestsupport.h"

#include <QAction>
#include <QComboBox>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace retort;
using namespace retort::test;

namespace {

class AcceptingDelegate : public MigrationConfirmationDelegate
{
public:
    bool confirmApply(ApplyRequest &request) override
    {
        request.rehearseFirst = false;   // the failure must reach the database (a rehearsal would stop it)
        return true;
    }
    QString chooseHead(const QStringList &heads) override { return heads.value(0); }
    bool offerRestore(const QString &, const QString &) override { return true; }
};

std::unique_ptr<DatabaseConnection> openUrl(const QString &text)
{
    auto url = DatabaseUrl::parse(text);
    if (!url)
        return nullptr;
    auto conn = DatabaseConnection::open(*url);
    return conn ? std::move(*conn) : nullptr;
}

bool hasTable(const QString &url, const QString &table)
{
    auto conn = openUrl(url);
    return conn && conn->exec(QStringLiteral("SELECT * FROM %1").arg(table)).ok();
}

// A server test database as the demo expects it: no tables, no views.
bool clearServer(const QString &url)
{
    auto conn = openUrl(url);
    if (!conn)
        return false;
    if (conn->dialect().kind() == Dialect::PostgreSQL)
        return conn->exec(QStringLiteral("DROP SCHEMA public CASCADE")).ok()
               && conn->exec(QStringLiteral("CREATE SCHEMA public")).ok();
    QStringList views, tables;
    auto q = conn->exec(QStringLiteral("SELECT table_name, table_type FROM information_schema.tables "
                                       "WHERE table_schema = DATABASE()"));
    if (!q)
        return false;
    while (q->next())
        (q->value(1).toString() == QLatin1String("VIEW") ? views : tables) << q->value(0).toString();
    (void)conn->exec(QStringLiteral("SET FOREIGN_KEY_CHECKS = 0"));
    for (const QString &v : views)
        (void)conn->exec(QStringLiteral("DROP VIEW `%1`").arg(v));
    for (const QString &t : tables)
        (void)conn->exec(QStringLiteral("DROP TABLE `%1`").arg(t));
    return true;
}

int rowOfRevision(BackupsModel *model, const QString &revision)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->backupAt(row).revisionText() == revision)
            return row;
    return -1;
}

} // namespace

class tst_StudioRestore : public QObject
{
    Q_OBJECT
private slots:
    void failedRunThenRestore_data();
    void failedRunThenRestore();
    void retentionPrunesAfterBackup();

private:
    // Waits until the connection bar settled (connected or failed).
    static bool settled(ConnectionBar *bar)
    {
        return QTest::qWaitFor([bar] { return !bar->isBusy(); }, 20000);
    }
    static bool runTo(MigrationController *controller, const QString &target, bool *ok, QString *message)
    {
        QSignalSpy done(controller, &MigrationController::finished);
        controller->upgradeTo(target);
        if (!done.wait(60000))
            return false;
        *ok = done.first().at(0).toBool();
        *message = done.first().at(1).toString();
        return true;
    }
    // The demo with a good revision and a broken one on top; `url` replaces its SQLite URL.
    static QString makeProject(const QTemporaryDir &dir, const QString &url)
    {
        const QString project = dir.filePath(QStringLiteral("demo"));
        if (!copyTree(QStringLiteral(RETORT_DEMO_DIR), project))
            return {};
        const QString versions = project + QStringLiteral("/migrations/versions/");
        writeFile(versions + QStringLiteral("f1a2b3c4d5e6_notes.py"),
                  revisionScript(QStringLiteral("f1a2b3c4d5e6"), QStringLiteral("e97a3b2d4c58"),
                                 QStringLiteral("    op.create_table(\"notes\", sa.Column(\"id\", sa.Integer(), primary_key=True))\n")));
        writeFile(versions + QStringLiteral("0badc0ffee00_broken.py"),
                  revisionScript(QStringLiteral("0badc0ffee00"), QStringLiteral("f1a2b3c4d5e6"),
                                 QStringLiteral("    op.execute(\"INSERT INTO no_such_table VALUES (1)\")\n")));
        if (!url.isEmpty()) {
            QFile ini(project + QStringLiteral("/alembic.ini"));
            if (!ini.open(QIODevice::ReadOnly))
                return {};
            QString text = QString::fromUtf8(ini.readAll());
            ini.close();
            text.replace(QStringLiteral("sqlite:///%(here)s/demo.db"), QString(url).replace(QLatin1Char('%'), QStringLiteral("%%")));
            writeFile(project + QStringLiteral("/alembic.ini"), text.toUtf8());
        }
        QDir::setCurrent(project);   // script_location is relative, as in Alembic
        return project;
    }
};

void tst_StudioRestore::failedRunThenRestore_data()
{
    QTest::addColumn<QString>("variable");   // empty: the demo's SQLite file
    QTest::newRow("sqlite") << QString();
    QTest::newRow("postgresql") << QStringLiteral("RETORT_TEST_PG_URL");
    QTest::newRow("mysql") << QStringLiteral("RETORT_TEST_MYSQL_URL");
}

void tst_StudioRestore::failedRunThenRestore()
{
    QFETCH(QString, variable);
    QString serverUrl;
    if (!variable.isEmpty()) {
        serverUrl = qEnvironmentVariable(qPrintable(variable));
        if (serverUrl.isEmpty())
            QSKIP(qPrintable(QStringLiteral("set %1 to test against this server").arg(variable)));
        QVERIFY(clearServer(serverUrl));
    }
    QTemporaryDir dir;
    const QString project = makeProject(dir, serverUrl);
    QVERIFY(!project.isEmpty());
    const QString dbUrl = serverUrl.isEmpty() ? QStringLiteral("sqlite:///") + project + QStringLiteral("/demo.db") : serverUrl;

    QSettings settings(dir.filePath(QStringLiteral("studio.ini")), QSettings::IniFormat);
    AcceptingDelegate delegate;   // outlives the window
    MainWindow window(settings);
    window.show();
    MigrationController *controller = window.controller();
    controller->setConfirmationDelegate(&delegate);
    controller->setBackupLocation(BackupLocation(dir.filePath(QStringLiteral("backups"))));
    ConnectionBar *bar = window.connectionBar();
    QVERIFY(window.openProject(project + QStringLiteral("/alembic.ini")));
    QVERIFY(settled(bar));
    QVERIFY(bar->isConnected());

    bool ok = false;
    QString message;
    QVERIFY(runTo(controller, QStringLiteral("e97a3b2d4c58"), &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QVERIFY(settled(bar));
    QCOMPARE(bar->heads(), QStringList{QStringLiteral("e97a3b2d4c58")});

    SqlPreviewView *preview = window.docks()->sqlPreview();
    window.docks()->previewSql(QStringLiteral("0badc0ffee00"));
    QVERIFY2(preview->sql().contains(QLatin1String("CREATE TABLE notes")), qPrintable(preview->errorText()));

    // Connected after the window's own slot: what the window left open when the restore starts.
    bool heldConnection = true;
    bool knewDatabase = true;
    auto probe = connect(controller, &MigrationController::aboutToRestore, this, [&] {
        heldConnection = bar->isConnected() || bar->isBusy();
        knewDatabase = window.historyModel()->isDatabaseKnown();
    });
    QVERIFY(runTo(controller, QStringLiteral("head"), &ok, &message));
    QVERIFY(!ok);
    QVERIFY2(message.contains(QLatin1String("The backup was restored")), qPrintable(message));
    QVERIFY(!heldConnection);
    QVERIFY(!knewDatabase);
    disconnect(probe);

    // databaseChanged(): reconnected to the restored database, preview planned from its heads.
    QVERIFY(QTest::qWaitFor([bar] { return !bar->isBusy() && bar->isConnected(); }, 20000));
    QCOMPARE(bar->heads(), QStringList{QStringLiteral("e97a3b2d4c58")});
    QVERIFY(window.historyModel()->isDatabaseKnown());
    HistoryModel *model = window.historyModel();
    QVERIFY(model->flagsAt(model->rowOf(QStringLiteral("e97a3b2d4c58"))) & HistoryModel::Current);
    QVERIFY(!(model->flagsAt(model->rowOf(QStringLiteral("f1a2b3c4d5e6"))) & HistoryModel::Applied));
    QVERIFY2(preview->sql().contains(QLatin1String("CREATE TABLE notes")), qPrintable(preview->errorText()));
    QVERIFY(!hasTable(dbUrl, QStringLiteral("notes")));

    // The Backups view: the backup before each run, and the one of the state before the restore.
    BackupsView *view = window.docks()->backups();
    BackupsModel *backups = view->model();
    QTRY_COMPARE(backups->rowCount(), 3);
    const int first = rowOfRevision(backups, QStringLiteral("(none)"));
    QVERIFY(first >= 0);
    QVERIFY(rowOfRevision(backups, QStringLiteral("e97a3b2d4c58")) >= 0);
    for (int row = 0; row < backups->rowCount(); ++row) {
        const BackupInfo b = backups->backupAt(row);
        QCOMPARE(b.maskedUrl, DatabaseUrl::parse(dbUrl)->toDisplayString());
        QVERIFY(!b.maskedUrl.contains(QLatin1String("retort-pw")));
        QVERIFY(b.size > 0);
        QCOMPARE(backups->data(backups->index(row, BackupsModel::Database)).toString(), b.maskedUrl);
    }
    QCOMPARE(view->databaseFilter()->count(), 2);   // all, this database

    // A table created after the backup; the restore must drop it.
    {
        auto conn = openUrl(dbUrl);
        QVERIFY(conn);
        QVERIFY(conn->exec(QStringLiteral("CREATE TABLE scratch (id INTEGER)")).ok());
    }
    QStringList asked;
    bool answer = false;
    view->setConfirm([&](const QString &title, const QString &) { asked << title; return answer; });
    view->view()->setCurrentIndex(backups->index(first, 0));
    QVERIFY(view->restoreAction()->isEnabled());
    view->restoreAction()->trigger();   // declined: nothing happens
    QCOMPARE(asked.size(), 1);
    QVERIFY(!controller->isRunning());
    QVERIFY(hasTable(dbUrl, QStringLiteral("scratch")));

    answer = true;
    QSignalSpy done(controller, &MigrationController::finished);
    view->restoreAction()->trigger();
    QVERIFY(done.wait(60000));
    QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
    QVERIFY(QTest::qWaitFor([bar] { return !bar->isBusy() && bar->isConnected(); }, 20000));
    QVERIFY(bar->heads().isEmpty());
    QVERIFY(!hasTable(dbUrl, QStringLiteral("scratch")));
    QVERIFY(!hasTable(dbUrl, QStringLiteral("accounts")));
    QTRY_COMPARE(backups->rowCount(), 4);   // + the state before this restore (with scratch)
    QVERIFY(backups->backupAt(0).note.contains(QLatin1String("before restoring")));
    QCOMPARE(backups->backupAt(0).revisions, QStringList{QStringLiteral("e97a3b2d4c58")});

    // Delete asks, then removes the file and its sidecar.
    const QString doomed = backups->backupAt(0).path;
    view->view()->setCurrentIndex(backups->index(0, 0));
    view->deleteAction()->trigger();
    QCOMPARE(asked.last(), QStringLiteral("Delete Backup"));
    QCOMPARE(backups->rowCount(), 3);
    QVERIFY(!QFileInfo::exists(doomed));
    QVERIFY(!QFileInfo::exists(BackupInfo::sidecarPath(doomed)));
    QCOMPARE(view->folderUrl().toLocalFile(),
             controller->backupLocation().projectDir(project + QStringLiteral("/alembic.ini")));
}

void tst_StudioRestore::retentionPrunesAfterBackup()
{
    QTemporaryDir dir;
    const QString project = makeProject(dir, {});
    QVERIFY(!project.isEmpty());
    QSettings settings(dir.filePath(QStringLiteral("studio.ini")), QSettings::IniFormat);
    // backup/folder is where the studio writes backups (set before the window reads it).
    settings.setValue(QStringLiteral("backup/folder"), dir.filePath(QStringLiteral("kept")));
    AcceptingDelegate delegate;
    MainWindow window(settings);
    MigrationController *controller = window.controller();
    controller->setConfirmationDelegate(&delegate);
    QCOMPARE(controller->backupLocation().rootDir(), dir.filePath(QStringLiteral("kept")));
    QVERIFY(window.openProject(project + QStringLiteral("/alembic.ini")));
    QVERIFY(settled(window.connectionBar()));
    BackupsView *view = window.docks()->backups();
    bool ok = false;
    QString message;
    for (const char *target : {"8c2e5b4a9f31", "a6d90c13e7f4"}) {
        QVERIFY(runTo(controller, QLatin1String(target), &ok, &message));
        QVERIFY2(ok, qPrintable(message));
    }
    QTRY_COMPARE(view->model()->rowCount(), 2);
    view->retention()->setValue(1);
    QCOMPARE(settings.value(QStringLiteral("backup/retention")).toInt(), 1);
    QCOMPARE(view->model()->rowCount(), 2);   // changing the setting deletes nothing by itself
    QVERIFY(runTo(controller, QStringLiteral("d41b7e6c0a25"), &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QTRY_COMPARE(view->model()->rowCount(), 1);   // the newest: taken at a6d90c13e7f4
    QCOMPARE(view->model()->backupAt(0).revisions, QStringList{QStringLiteral("a6d90c13e7f4")});

    // Preferences changed the keys: applySettings() follows them.
    settings.setValue(QStringLiteral("backup/folder"), dir.filePath(QStringLiteral("elsewhere")));
    settings.setValue(QStringLiteral("backup/retention"), 5);
    view->applySettings();
    QCOMPARE(controller->backupLocation().rootDir(), dir.filePath(QStringLiteral("elsewhere")));
    QCOMPARE(view->retention()->value(), 5);
    QCOMPARE(view->model()->rowCount(), 0);

    // Back Up Now: on the worker, with both heads of the database recorded.
    QVERIFY(view->backupAction()->isEnabled());
    QSignalSpy done(controller, &MigrationController::finished);
    view->backupAction()->trigger();
    QVERIFY(done.wait(30000));
    QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
    QTRY_COMPARE(view->model()->rowCount(), 1);
    const BackupInfo manual = view->model()->backupAt(0);
    QCOMPARE(manual.note, QStringLiteral("manual"));
    QStringList heads = manual.revisions;
    heads.sort();
    QCOMPARE(heads, QStringList({QStringLiteral("a6d90c13e7f4"), QStringLiteral("d41b7e6c0a25")}));
    QVERIFY(manual.path.startsWith(dir.filePath(QStringLiteral("elsewhere"))));
    QVERIFY(controller->lastBackupPath() != manual.path);
}

QTEST_MAIN(tst_StudioRestore)
#include "tst_studiorestore.moc"
