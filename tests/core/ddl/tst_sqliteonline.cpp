// Online SQLite: rendered statements run on a real database through QtSql, and batch
// mode's move-and-copy built from SqliteTableReader matches what Alembic 1.8.1 executes
// online (expected/batch/sqlite-online.log, recorded by gen_expected.sh).

#include "ddl/ddlrenderer.h"
#include "ddl/sqlitetablereader.h"
#include "ddl/tablerenderer.h"
#include "operations/scriptinterpreter.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

const QString kDir = QStringLiteral(RETORT_FIXTURES_DIR "/ddl");

QVector<MigrationOp> upgradeOps(const QString &project, const QString &revision)
{
    const QDir dir(kDir + QLatin1Char('/') + project + QStringLiteral("/versions"));
    const QStringList files = dir.entryList({revision + QStringLiteral("_*.py")}, QDir::Files);
    if (files.isEmpty())
        return {};
    auto p = ScriptInterpreter::interpretFile(dir.filePath(files.first()));
    return p ? p->functions.value(QStringLiteral("upgrade")) : QVector<MigrationOp>();
}

QString normalized(const QString &sql)
{
    return QString(sql).replace(QLatin1Char('\t'), QStringLiteral("    ")).trimmed();
}

// The DDL Alembic executed between the version-table writes around `revision`.
QStringList onlineStatements(const QString &previousRevision)
{
    QFile f(kDir + QStringLiteral("/expected/batch/sqlite-online.log"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList out;
    bool inside = false;
    for (QString s : QString::fromUtf8(f.readAll()).split(QStringLiteral("-- stmt\n"))) {
        s = s.trimmed();
        if (s.contains(QLatin1String("alembic_version"))) {
            if (inside)
                break;
            inside = s.contains(previousRevision);
            continue;
        }
        if (inside && !s.startsWith(QLatin1String("PRAGMA")) && !s.startsWith(QLatin1String("SELECT")))
            out << normalized(s);
    }
    return out;
}

} // namespace

class TstSqliteOnline : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void renderedStatementsRun_data();
    void renderedStatementsRun();
    void batchMoveAndCopy();
    void readerReflectsTable();
    void reflectedDefaults_data();
    void reflectedDefaults();

private:
    VoidResult run(const QStringList &statements);
    QTemporaryDir m_dir;
    QSqlDatabase m_db;
};

void TstSqliteOnline::init()
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("ddl-online"));
    m_db.setDatabaseName(m_dir.filePath(QStringLiteral("t.db")));
    QVERIFY(m_db.open());
}

void TstSqliteOnline::cleanup()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("ddl-online"));
    QFile::remove(m_dir.filePath(QStringLiteral("t.db")));
}

VoidResult TstSqliteOnline::run(const QStringList &statements)
{
    for (const QString &s : statements) {
        QSqlQuery q(m_db);
        if (!q.exec(s))
            return Error(s + QStringLiteral(": ") + q.lastError().text());
    }
    return {};
}

void TstSqliteOnline::renderedStatementsRun_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<QStringList>("revisions");
    QTest::addColumn<QString>("check");
    QTest::addColumn<int>("expectedCount");
    QTest::newRow("common") << "common"
        << QStringList{"a1000000tabl", "b2000000colu", "d4000000data"}   // c3: MySQL collation
        << "SELECT count(*) FROM items WHERE active = 1 OR active IS NULL" << 3;
    QTest::newRow("batch, no recreate") << "batch" << QStringList{"b8000000btch"}
        << "SELECT count(*) FROM pragma_table_info('thing') WHERE name = 'color'" << 1;
}

void TstSqliteOnline::renderedStatementsRun()
{
    QFETCH(QString, project);
    QFETCH(QStringList, revisions);
    QFETCH(QString, check);
    QFETCH(int, expectedCount);
    for (const QString &rev : revisions) {
        const QVector<MigrationOp> ops = upgradeOps(project, rev);
        QVERIFY2(!ops.isEmpty(), qPrintable(rev));
        auto sql = DdlRenderer::renderAll(ops, Dialect(Dialect::SQLite));
        QVERIFY2(sql.ok(), qPrintable(sql.error().toString()));
        auto r = run(*sql);
        QVERIFY2(r.ok(), qPrintable(r.error().message));
    }
    QSqlQuery q(m_db);
    QVERIFY(q.exec(check) && q.next());
    QCOMPARE(q.value(0).toInt(), expectedCount);
}

void TstSqliteOnline::batchMoveAndCopy()
{
    auto first = DdlRenderer::renderAll(upgradeOps(QStringLiteral("batch"), QStringLiteral("b8000000btch")),
                                        Dialect(Dialect::SQLite));
    QVERIFY(first.ok());
    QVERIFY(run(*first).ok());
    QVERIFY(QSqlQuery(m_db).exec(QStringLiteral("INSERT INTO thing (id, name, size) VALUES (1, 'a', 5)")));

    SqliteTableReader reader(m_db);
    RenderOptions options;
    options.tableProvider = [&reader](const QString &schema, const QString &table) { return reader.read(schema, table); };
    const QVector<MigrationOp> ops = upgradeOps(QStringLiteral("batch"), QStringLiteral("c9000000btc2"));
    QCOMPARE(ops.size(), 1);
    auto sql = DdlRenderer::render(ops.first(), Dialect(Dialect::SQLite), options);
    QVERIFY2(sql.ok(), qPrintable(sql.error().toString()));
    QStringList ours;
    for (const QString &s : *sql)
        ours << normalized(s);
    const QStringList alembic = onlineStatements(QStringLiteral("b8000000btch"));
    QVERIFY(!alembic.isEmpty());
    QCOMPARE(ours, alembic);

    auto r = run(*sql);
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("SELECT title, size, weight FROM thing")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("a"));
    QCOMPARE(q.value(1).toInt(), 5);
}

void TstSqliteOnline::readerReflectsTable()
{
    QVERIFY(run({QStringLiteral("CREATE TABLE p (id INTEGER NOT NULL, CONSTRAINT pk_p PRIMARY KEY (id))"),
                 // One element a line, as SQLAlchemy writes CREATE TABLE: its CHECK
                 // reflection (and ours) relies on that.
                 QStringLiteral("CREATE TABLE c (\n\tid INT NOT NULL, \n\tpid INTEGER, \n\tcode VARCHAR(5) DEFAULT 'x', "
                                "\n\tamount NUMERIC(10,2), \n\tPRIMARY KEY (id), "
                                "\n\tCONSTRAINT fk_c_p FOREIGN KEY(pid) REFERENCES p (id) ON DELETE CASCADE, "
                                "\n\tUNIQUE (code), \n\tCONSTRAINT ck_amount CHECK (amount > 0)\n)"),
                 QStringLiteral("CREATE INDEX ix_c_pid ON c (pid)")}).ok());
    SqliteTableReader reader(m_db);
    auto t = reader.read(QString(), QStringLiteral("c"));
    QVERIFY2(t.ok(), qPrintable(t.error().message));
    QCOMPARE(t->columns.size(), 4);
    QCOMPARE(t->columns.at(0).typeSql, QStringLiteral("INTEGER"));
    QCOMPARE(t->columns.at(3).typeSql, QStringLiteral("NUMERIC(10, 2)"));
    QVERIFY(!t->columns.at(0).nullable);
    QCOMPARE(t->primaryKeyColumns(), QStringList{QStringLiteral("id")});
    QCOMPARE(t->constraints.size(), 4);
    QCOMPARE(t->constraints.at(1).name, QStringLiteral("fk_c_p"));
    QCOMPARE(t->constraints.at(1).onDelete, QStringLiteral("CASCADE"));
    QCOMPARE(t->constraints.at(2).kind, ConstraintDef::Unique);
    QCOMPARE(t->constraints.at(3).name, QStringLiteral("ck_amount"));
    QCOMPARE(t->constraints.at(3).sqlText, QStringLiteral("amount > 0"));
    QCOMPARE(t->indexes.size(), 1);
    QCOMPARE(t->indexes.first().expressions, QStringList{QStringLiteral("pid")});
    auto p = reader.read(QString(), QStringLiteral("p"));
    QVERIFY(p.ok());
    QCOMPARE(p->constraints.first().name, QStringLiteral("pk_p"));
    QVERIFY(!reader.read(QString(), QStringLiteral("missing")).ok());
}

// Batch mode's reflection parenthesizes a default that looks like a SQL expression, as
// Alembic's SQLiteImpl.autogen_column_reflect does (else SQLite rejects the copy's DDL).
void TstSqliteOnline::reflectedDefaults_data()
{
    QTest::addColumn<QString>("declared");
    QTest::addColumn<QString>("reflected");
    QTest::newRow("function") << "(strftime('%Y', 'now'))" << "(strftime('%Y', 'now'))";
    QTest::newRow("string") << "'{}'" << "'{}'";
    QTest::newRow("one digit") << "1" << "1";
    QTest::newRow("two digits") << "10" << "(10)";
    QTest::newRow("parenthesized") << "((1 + 2))" << "(1 + 2)";
    QTest::newRow("multi-line") << "((\n  1 + 2\n))" << "((\n  1 + 2\n))";
    QTest::newRow("keyword") << "CURRENT_TIMESTAMP" << "(CURRENT_TIMESTAMP)";
}

void TstSqliteOnline::reflectedDefaults()
{
    QFETCH(QString, declared);
    QFETCH(QString, reflected);
    QVERIFY(run({QStringLiteral("CREATE TABLE d (x VARCHAR DEFAULT %1)").arg(declared)}).ok());
    auto t = SqliteTableReader(m_db).read(QString(), QStringLiteral("d"));
    QVERIFY2(t.ok(), qPrintable(t.error().message));
    QVERIFY(t->columns.first().serverDefault);
    QCOMPARE(t->columns.first().serverDefault->args().first().toStr(), reflected);
    // The copy's DDL runs.
    TableDef copy = *t;
    copy.name = QStringLiteral("d2");
    auto create = TableRenderer::createTableStatement(copy, Dialect(Dialect::SQLite));
    QVERIFY2(create.ok(), qPrintable(create.error().message));
    VoidResult ran = run({*create});
    QVERIFY2(ran.ok(), qPrintable(ran.error().message));
}

QTEST_GUILESS_MAIN(TstSqliteOnline)
#include "tst_sqliteonline.moc"
