// ScriptStepBodyProvider: interpreting revision scripts, picking the step's function
// (multidb per-engine ones too), rendering it, and reporting NeedsPython functions and
// render errors with revision, file and line.

#include "ddl/scriptprefetch.h"
#include "ddl/scriptstepbodyprovider.h"
#include "revision/revisiongraph.h"
#include "script/revisionscriptreader.h"

#include <QFile>
#include <QTemporaryDir>
#include "ddl/sqlitetablereader.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QScopeGuard>
#include <QThread>
#include <QtTest>

#include <atomic>

using namespace retort;

namespace {

const QString kVersions = QStringLiteral(RETORT_FIXTURES_DIR "/ddl/provider/versions");

QHash<QString, QString> paths()
{
    return {{QStringLiteral("1111aaaa2222"), kVersions + QStringLiteral("/1111aaaa2222_native.py")},
            {QStringLiteral("3333bbbb4444"), kVersions + QStringLiteral("/3333bbbb4444_loop.py")},
            {QStringLiteral("5555cccc6666"), kVersions + QStringLiteral("/5555cccc6666_multidb.py")},
            {QStringLiteral("7777dddd8888"), kVersions + QStringLiteral("/7777dddd8888_rename_batch.py")}};
}

MigrationStep step(const QString &rev, MigrationStep::Kind kind)
{
    MigrationStep s;
    s.kind = kind;
    s.revision = rev;
    return s;
}

} // namespace

class TstScriptStepBodyProvider : public QObject
{
    Q_OBJECT

private slots:
    void statements_data();
    void statements();
    void needsPython();
    void engineRequired();
    void renderErrorNamesRevisionFileLine();
    void pathAndDoc();
    void scanTextReusedWhileUnchanged();
    void currentSourcesAreNotStatted();
    void prefetchedProgramsAdoptedOnlyWhenTheSame();
    void prefetchTakeDoesNotWaitForAHeldScript();
    void batchReflectsEarlierOpsOfTheStep();
};

void TstScriptStepBodyProvider::statements_data()
{
    QTest::addColumn<QString>("revision");
    QTest::addColumn<bool>("upgrade");
    QTest::addColumn<QString>("engine");
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QStringList>("expected");
    // Expected text: Alembic 1.8.1 for the same ops (see gen_expected.sh's common project).
    QTest::newRow("native up sqlite") << "1111aaaa2222" << true << "" << "sqlite"
        << QStringList{"CREATE TABLE t (\n\tid INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)",
                       "ALTER TABLE t ADD COLUMN x VARCHAR(10)"};
    QTest::newRow("native up postgresql") << "1111aaaa2222" << true << "" << "postgresql"
        << QStringList{"CREATE TABLE t (\n\tid SERIAL NOT NULL, \n\tPRIMARY KEY (id)\n)",
                       "ALTER TABLE t ADD COLUMN x VARCHAR(10)"};
    QTest::newRow("native down") << "1111aaaa2222" << false << "" << "mysql" << QStringList{"DROP TABLE t"};
    QTest::newRow("loop down is native") << "3333bbbb4444" << false << "" << "sqlite"
        << QStringList{"ALTER TABLE t DROP COLUMN y"};
    QTest::newRow("multidb engine1") << "5555cccc6666" << true << "engine1" << "mysql"
        << QStringList{"CREATE TABLE e1 (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tPRIMARY KEY (id)\n)"};
    QTest::newRow("multidb engine2") << "5555cccc6666" << true << "engine2" << "sqlite"
        << QStringList{"SELECT 2"};
}

void TstScriptStepBodyProvider::statements()
{
    QFETCH(QString, revision);
    QFETCH(bool, upgrade);
    QFETCH(QString, engine);
    QFETCH(QString, dialect);
    QFETCH(QStringList, expected);
    ScriptStepBodyProvider provider(paths());
    provider.setEngineName(engine);
    auto r = provider.statements(step(revision, upgrade ? MigrationStep::Upgrade : MigrationStep::Downgrade),
                                 *Dialect::fromName(dialect));
    QVERIFY2(r.ok(), qPrintable(r.error().toString()));
    QCOMPARE(*r, expected);
    QVERIFY(!provider.needsPython(step(revision, upgrade ? MigrationStep::Upgrade : MigrationStep::Downgrade)));
}

void TstScriptStepBodyProvider::needsPython()
{
    ScriptStepBodyProvider provider(paths());
    const MigrationStep s = step(QStringLiteral("3333bbbb4444"), MigrationStep::Upgrade);
    const auto np = provider.needsPython(s);
    QVERIFY(np);
    QCOMPARE(np->line, 19);
    QCOMPARE(np->reason, QStringLiteral("while loop"));
    auto r = provider.statements(s, Dialect(Dialect::SQLite));
    QVERIFY(!r.ok());
    QVERIFY(ScriptStepBodyProvider::isNeedsPython(r.error()));
    QCOMPARE(r.error().message,
             QStringLiteral("revision 3333bbbb4444 (versions/3333bbbb4444_loop.py:19) needs Python: while loop"));
    QCOMPARE(r.error().line, 19);
    QCOMPARE(r.error().file, paths().value(QStringLiteral("3333bbbb4444")));
}

void TstScriptStepBodyProvider::engineRequired()
{
    ScriptStepBodyProvider provider(paths());
    auto r = provider.statements(step(QStringLiteral("5555cccc6666"), MigrationStep::Upgrade), Dialect());
    QVERIFY(!r.ok());
    QVERIFY(!ScriptStepBodyProvider::isNeedsPython(r.error()));
    QVERIFY(r.error().message.contains(QLatin1String("no engine name")));
}

void TstScriptStepBodyProvider::renderErrorNamesRevisionFileLine()
{
    ScriptStepBodyProvider provider(paths());
    provider.setEngineName(QStringLiteral("engine2"));
    auto r = provider.statements(step(QStringLiteral("5555cccc6666"), MigrationStep::Downgrade), Dialect());
    QVERIFY(!r.ok());
    QVERIFY(!ScriptStepBodyProvider::isNeedsPython(r.error()));
    QCOMPARE(r.error().line, 38);
    QVERIFY2(r.error().message.startsWith(
                 QLatin1String("revision 5555cccc6666 (versions/5555cccc6666_multidb.py:38): op.bulk_insert(): ")),
             qPrintable(r.error().message));
    QVERIFY(r.error().message.contains(QLatin1String("nope")));
}

void TstScriptStepBodyProvider::pathAndDoc()
{
    ScriptStepBodyProvider provider(paths(), {{QStringLiteral("1111aaaa2222"), QStringLiteral("native ops")}});
    const MigrationStep s = step(QStringLiteral("1111aaaa2222"), MigrationStep::Upgrade);
    QCOMPARE(provider.scriptPath(s), paths().value(QStringLiteral("1111aaaa2222")));
    QCOMPARE(provider.doc(s), QStringLiteral("native ops"));
    QVERIFY(provider.statements(step(QString(), MigrationStep::Stamp), Dialect())->isEmpty());
}


// The graph constructor interprets the text the revision scan read (no second read) while
// the file is unchanged, and reads an edited file again (the studio keeps its graph).
void TstScriptStepBodyProvider::scanTextReusedWhileUnchanged()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a1_x.py"));
    auto write = [&](const QByteArray &table) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("from alembic import op\nimport sqlalchemy as sa\nrevision = 'a1'\ndown_revision = None\n"
                "def upgrade():\n    op.drop_table('" + table + "')\ndef downgrade():\n    pass\n");
    };
    write("scanned");
    auto rev = RevisionScriptReader::readEntry(dir.path(), QStringLiteral("a1_x.py"));
    QVERIFY(rev.ok() && rev->has_value());
    Revision r = **rev;
    QVERIFY(r.sourceSize > 0);
    // What the provider interprets while the stamp matches: the kept text, not the file.
    r.source.replace(QStringLiteral("'scanned'"), QStringLiteral("'kept___'"));
    auto graph = RevisionGraph::build({r});
    QVERIFY(graph.ok());
    const MigrationStep up = step(QStringLiteral("a1"), MigrationStep::Upgrade);
    {
        ScriptStepBodyProvider provider(*graph);
        auto sql = provider.statements(up, *Dialect::fromName(QStringLiteral("sqlite")));
        QVERIFY2(sql.ok(), qPrintable(sql.error().toString()));
        QCOMPARE(*sql, QStringList{QStringLiteral("DROP TABLE kept___")});
    }
    // Edited on disk (another size): the file is read again.
    write("edited_on_disk");
    ScriptStepBodyProvider provider(*graph);
    auto sql = provider.statements(up, *Dialect::fromName(QStringLiteral("sqlite")));
    QVERIFY2(sql.ok(), qPrintable(sql.error().toString()));
    QCOMPARE(*sql, QStringList{QStringLiteral("DROP TABLE edited_on_disk")});
}

// setSourcesCurrent (a command line run read the graph itself): the scan's text is the
// script, as Alembic imports each module once per run; no stat, even for an edited file.
void TstScriptStepBodyProvider::currentSourcesAreNotStatted()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a1_x.py"));
    auto write = [&](const QByteArray &table) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("from alembic import op\nrevision = 'a1'\ndown_revision = None\n"
                "def upgrade():\n    op.drop_table('" + table + "')\ndef downgrade():\n    pass\n");
    };
    write("scanned");
    auto rev = RevisionScriptReader::readEntry(dir.path(), QStringLiteral("a1_x.py"));
    QVERIFY(rev.ok() && rev->has_value());
    auto graph = RevisionGraph::build({**rev});
    QVERIFY(graph.ok());
    write("edited_after_the_scan");
    const MigrationStep up = step(QStringLiteral("a1"), MigrationStep::Upgrade);
    const Dialect sqlite = *Dialect::fromName(QStringLiteral("sqlite"));
    ScriptStepBodyProvider current(*graph);
    current.setSourcesCurrent(true);
    auto sql = current.statements(up, sqlite);
    QVERIFY2(sql.ok(), qPrintable(sql.error().toString()));
    QCOMPARE(*sql, QStringList{QStringLiteral("DROP TABLE scanned")});
    // The default (the studio's kept graph) still notices the edit.
    ScriptStepBodyProvider kept(*graph);
    sql = kept.statements(up, sqlite);
    QVERIFY2(sql.ok(), qPrintable(sql.error().toString()));
    QCOMPARE(*sql, QStringList{QStringLiteral("DROP TABLE edited_after_the_scan")});
    // interpretable() reports what program() would, without the copy.
    QVERIFY(current.interpretable(QStringLiteral("a1")).ok());
    QVERIFY(!current.interpretable(QStringLiteral("nope")).ok());
}

// Programs interpreted ahead (ScriptPrefetch) replace the provider's own interpretation
// only for its context, with sources current, and for the same path and text.
void TstScriptStepBodyProvider::prefetchedProgramsAdoptedOnlyWhenTheSame()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a1_x.py"));
    auto script = [](const QByteArray &table) {
        return QString::fromUtf8("from alembic import op\nrevision = 'a1'\ndown_revision = None\n"
                                 "def upgrade():\n    op.drop_table('" + table + "')\ndef downgrade():\n    pass\n");
    };
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(script("scanned").toUtf8());
    }
    auto rev = RevisionScriptReader::readEntry(dir.path(), QStringLiteral("a1_x.py"));
    QVERIFY(rev.ok() && rev->has_value());
    auto graph = RevisionGraph::build({**rev});
    QVERIFY(graph.ok());
    const MigrationStep up = step(QStringLiteral("a1"), MigrationStep::Upgrade);
    const Dialect sqlite = *Dialect::fromName(QStringLiteral("sqlite"));
    const ScriptContext offline(QStringLiteral("sqlite"), ScriptContext::Offline);
    auto run = [&](ScriptPrefetch &prefetch, const ScriptContext &context) {
        ScriptStepBodyProvider provider(*graph);
        provider.setSourcesCurrent(true);
        provider.setScriptContext(context);
        provider.setPrefetch(&prefetch);
        provider.preload({up});
        auto sql = provider.statements(up, sqlite);
        return sql.ok() ? sql->join(u';') : sql.error().message;
    };
    // Another text (as if the file had changed): not adopted, though taken.
    {
        ScriptPrefetch other({{QStringLiteral("a1"), path, script("prefetched")}}, offline, 1);
        QCOMPARE(run(other, offline), QStringLiteral("DROP TABLE scanned"));
        QVERIFY(other.take().isEmpty());   // preload() took it
    }
    // Another context: left alone.
    {
        ScriptPrefetch online({{QStringLiteral("a1"), path, script("scanned")}},
                              ScriptContext(QStringLiteral("sqlite"), ScriptContext::Online), 1);
        QCOMPARE(run(online, offline), QStringLiteral("DROP TABLE scanned"));
        QCOMPARE(online.take().size(), 1);
    }
    // The same path, text and context: adopted (and the result is the provider's own).
    {
        ScriptPrefetch same({{QStringLiteral("a1"), path, script("scanned")}}, offline, 1);
        QCOMPARE(run(same, offline), QStringLiteral("DROP TABLE scanned"));
        QVERIFY(same.take().isEmpty());
    }
    // A script that does not interpret is left out; dropping a prefetch joins its threads.
    {
        ScriptPrefetch broken({{QStringLiteral("b2"), path, QStringLiteral("def (:\n")},
                               {QStringLiteral("a1"), path, script("scanned")}}, offline, 2);
        const auto programs = broken.take();
        QCOMPARE(programs.size(), 1);
        QCOMPARE(programs.first().revision, QStringLiteral("a1"));
        ScriptPrefetch dropped({{QStringLiteral("a1"), path, script("scanned")}}, offline, 2);
    }
}

// take() does not wait for a background thread that holds a script (on a busy machine it
// may wait long for a core): the calling thread interprets that script too.
namespace {
std::atomic<bool> g_holdRelease{false};
std::atomic<bool> g_holding{false};
Qt::HANDLE g_takingThread = nullptr;
void holdOnBackgroundThread(int)
{
    if (QThread::currentThreadId() == g_takingThread)
        return;
    g_holding = true;
    for (int waited = 0; !g_holdRelease && waited < 5000; ++waited)
        QThread::msleep(1);
    g_holding = false;
}
} // namespace

void TstScriptStepBodyProvider::prefetchTakeDoesNotWaitForAHeldScript()
{
    const QString path = QStringLiteral("/nonexistent/a1_x.py");
    const ScriptContext offline(QStringLiteral("sqlite"), ScriptContext::Offline);
    QVector<ScriptPrefetch::Item> items;
    for (int i = 0; i < 4; ++i)
        items.append({QStringLiteral("r%1").arg(i), path,
                      QStringLiteral("from alembic import op\nrevision = 'r%1'\ndown_revision = None\n"
                                     "def upgrade():\n    op.drop_table('t%1')\ndef downgrade():\n    pass\n").arg(i)});
    g_takingThread = QThread::currentThreadId();
    g_holdRelease = false;
    ScriptPrefetch::setBeforeInterpretHook(&holdOnBackgroundThread);
    const auto reset = qScopeGuard([] {
        g_holdRelease = true;
        ScriptPrefetch::setBeforeInterpretHook(nullptr);
    });
    ScriptPrefetch prefetch(items, offline, 1);
    QTRY_VERIFY_WITH_TIMEOUT(g_holding.load(), 5000);   // the thread holds its first script
    const auto programs = prefetch.take();
    QVERIFY(g_holding.load());   // still held: take() did not wait for it
    QCOMPARE(programs.size(), 4);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(programs.at(i).revision, QStringLiteral("r%1").arg(i));
    g_holdRelease = true;   // the destructor joins the released thread
}

// op.rename_table() then op.batch_alter_table() on the new name: rendered all at once the
// batch op reflects a table that does not exist yet; deferred, it sees the rename.
void TstScriptStepBodyProvider::batchReflectsEarlierOpsOfTheStep()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString name = QStringLiteral("batch_reflects");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dir.filePath(QStringLiteral("t.db")));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE block (id INTEGER NOT NULL, name VARCHAR(20), PRIMARY KEY (id))")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO block (id, name) VALUES (1, 'a')")));

        ScriptStepBodyProvider provider(paths());
        RenderOptions options;
        options.tableProvider = [db](const QString &schema, const QString &table) {
            return SqliteTableReader(db).read(schema, table);
        };
        provider.setRenderOptions(options);
        const MigrationStep s = step(QStringLiteral("7777dddd8888"), MigrationStep::Upgrade);
        // Rendered up front, the batch op reflects a table that does not exist yet; the body
        // defers it, and it renders when reached, after the rename ran.
        auto body = provider.body(s, Dialect(Dialect::SQLite));
        QVERIFY2(body.ok(), qPrintable(body.error().toString()));
        QStringList ran;
        auto runBody = [&](const std::function<VoidResult(const QString &)> &exec) -> VoidResult {
            for (const StepItem &item : body->items) {
                QStringList sql{item.text};
                if (item.kind == StepItem::Deferred) {
                    auto r = item.render();
                    if (!r)
                        return r.error();
                    sql = *r;
                }
                for (const QString &statement : sql)
                    if (VoidResult r = exec(statement); !r)
                        return r;
            }
            return {};
        };
        VoidResult r = runBody([&](const QString &sql) -> VoidResult {
            QSqlQuery run(db);
            if (!run.exec(sql))
                return Error(run.lastError().text());
            ran << sql;
            return {};
        });
        QVERIFY2(r.ok(), qPrintable(r.error().toString()));
        QCOMPARE(ran.first(), QStringLiteral("ALTER TABLE block RENAME TO block_document"));
        QVERIFY(ran.size() > 3);   // the move and copy
        QVERIFY(q.exec(QStringLiteral("SELECT title FROM block_document")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("a"));
        QVERIFY(q.exec(QStringLiteral("SELECT sql FROM sqlite_master WHERE name = 'block_document'")));
        QVERIFY(q.next());
        QVERIFY2(q.value(0).toString().contains(QLatin1String("CONSTRAINT uq_block_document_slug UNIQUE (slug)")),
                 qPrintable(q.value(0).toString()));

    }
    QSqlDatabase::removeDatabase(name);
}

QTEST_GUILESS_MAIN(TstScriptStepBodyProvider)
#include "tst_scriptstepbodyprovider.moc"
