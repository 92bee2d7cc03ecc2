// OfflineSqlWriter and the --sql log lines against `alembic ... --sql` output captured
// from the fixture project (tests/fixtures/runtime/generate.sh).

#include "runtime/migrationlog.h"
#include "runtime/offlinesqlwriter.h"
#include "runtime/stepbodyprovider.h"
#include "runtime/versiontablesql.h"
#include "runtimetestsupport.h"

#include <QtTest>

using namespace retort;
using namespace retort::test;

Q_DECLARE_METATYPE(QVector<retort::MigrationStep>)

namespace {

struct Case
{
    const char *name;
    QStringList startingHeads;
    QVector<MigrationStep> steps;
    VersionTableOptions table;
    bool perMigration = false;
    bool purge = false;
};

VersionTableOptions table(const QString &name, const QString &schema = {}, bool pk = true)
{
    VersionTableOptions o;
    o.table = name;
    o.schema = schema;
    o.primaryKey = pk;
    return o;
}

QVector<Case> cases()
{
    const QVector<MigrationStep> all = upgradeAll();
    const QVector<MigrationStep> allDown = downgradeAll();
    const VersionTableOptions def;
    return {
        {"up_base_2b", {}, all.mid(0, 2), def},
        {"up_heads", {}, all, def},
        {"up_from_2b", {R2}, all.mid(2), def},
        {"up_from_3c", {R3}, {up(R4, {R2}, {ins(R4)}), all[4]}, def},
        {"down_all", {R5}, allDown, def},
        {"down_unmerge", {R5}, allDown.mid(0, 3), def},
        {"stamp_base_2b", {}, {stamp({}, {R2}, {ins(R2)})}, def},
        {"stamp_2b_5e", {R2}, {stamp({R2}, {R5}, {upd(R2, R5)})}, def},
        {"stamp_5e_base", {R5}, {stamp({R5}, {}, {del(R5)})}, def},
        {"purge", {}, {stamp({}, {R5}, {ins(R5)})}, def, false, true},
        {"tpm_up_heads", {}, all, def, true},
        {"tpm_down_all", {R5}, allDown, def, true},
        {"vt_up_heads", {}, all, table(QStringLiteral("Deploy_Version"), QStringLiteral("audit"))},
        {"vt_down_all", {R5}, allDown, table(QStringLiteral("select"), {}, false)},
        {"vt_up_base_2b", {}, all.mid(0, 2), table(QStringLiteral("select"), {}, false)},
        {"vt_mixed_up", {}, all.mid(0, 1), table(QStringLiteral("offset"), QStringLiteral("Ops"))},
        {"noop_1a", {R1}, {}, def},
        {"noop_base", {}, {}, def},
    };
}

// What `alembic` prints on stdout: the script, or the script so far and "FAILED: ...".
QString alembicStdout(const OfflineSqlWriter &writer, const Case &c)
{
    QString out;
    VoidResult r = writer.write(c.startingHeads, c.steps, out);
    if (!r)
        out += QStringLiteral("FAILED: ") + r.error().message + QLatin1Char('\n');
    return out;
}

QString alembicStderr(const Dialect &dialect, const Case &c, const OfflineSqlWriter &writer)
{
    QStringList lines = MigrationLog::contextLines(dialect, true, writer.transactionalDdl());
    if (c.purge) {
        lines << MigrationLog::errorLine(QStringLiteral("Can't use --purge with --sql mode"));
    } else {
        for (const MigrationStep &s : c.steps)
            lines << MigrationLog::runningLine(s, docOf(s.revision));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

class FixedBodies : public StepBodyProvider
{
public:
    Result<QStringList> statements(const MigrationStep &step, const Dialect &) override
    {
        return QStringList{QStringLiteral("\tCREATE TABLE t_%1 (id INTEGER)\n").arg(step.revision),
                           QStringLiteral("DROP TABLE x")};
    }
};

// A body with every kind of effect: try (handler never written offline), print, a
// logging record and an autocommit block.
class EffectBodies : public StepBodyProvider
{
public:
    Result<QStringList> statements(const MigrationStep &step, const Dialect &d) override
    { return body(step, d)->statements(); }
    Result<StepBody> body(const MigrationStep &, const Dialect &) override
    {
        auto item = [](StepItem::Kind kind, const QString &text, QVector<StepItem> body = {}) {
            StepItem i;
            i.kind = kind;
            i.text = text;
            i.body = std::move(body);
            return i;
        };
        StepItem tryItem = item(StepItem::Try, {}, {StepItem::sql("B"), item(StepItem::Print, "p 1\n")});
        tryItem.clauses = {item(StepItem::Except, {}, {StepItem::sql("H")}), item(StepItem::Else, {}, {StepItem::sql("E")}),
                           item(StepItem::Finally, {}, {StepItem::sql("F")})};
        StepItem log = item(StepItem::Log, "message");
        log.level = 30;
        log.logger = "x_py";
        StepBody b;
        b.items = {StepItem::sql("A"), tryItem, log, item(StepItem::Autocommit, {}, {StepItem::sql("C")}),
                   item(StepItem::Print, "end")};
        return b;
    }
};

} // namespace

class TestOfflineSqlWriter : public QObject
{
    Q_OBJECT
private slots:
    void matchesAlembic_data();
    void matchesAlembic();
    void bodyStatementsGoBeforeVersionOps();
    void transactionalDdlOverride();
    void bodyErrorStopsOutput();
    void effects_data();
    void effects();
    void statementText_data();
    void statementText();
    void updateWrittenInPlaceKeepsStaticOutput();
};

void TestOfflineSqlWriter::matchesAlembic_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<int>("caseIndex");
    const QVector<Case> all = cases();
    for (const char *d : {"sqlite", "postgresql", "mysql", "mariadb"}) {
        for (int i = 0; i < all.size(); ++i) {
            const QByteArray name(all[i].name);   // GCC's -Wformat-overflow cannot see it is set
            QTest::addRow("%s/%s", d, name.constData()) << QString::fromLatin1(d) << i;
        }
    }
}

void TestOfflineSqlWriter::matchesAlembic()
{
    QFETCH(QString, dialect);
    QFETCH(int, caseIndex);
    const Case c = cases().at(caseIndex);
    const Result<Dialect> d = Dialect::fromName(dialect);
    QVERIFY(d.ok());
    OfflineSqlWriter writer(*d, c.table);
    writer.setTransactionPerMigration(c.perMigration);
    writer.setPurge(c.purge);

    const QString base = dialect + QStringLiteral("/") + QString::fromLatin1(c.name);
    QCOMPARE(alembicStdout(writer, c), QString::fromUtf8(readFixture(QStringLiteral("expected/") + base + QStringLiteral(".sql"))));
    QCOMPARE(alembicStderr(*d, c, writer), QString::fromUtf8(readFixture(QStringLiteral("expected/") + base + QStringLiteral(".log"))));
}

void TestOfflineSqlWriter::bodyStatementsGoBeforeVersionOps()
{
    FixedBodies bodies;
    OfflineSqlWriter writer(Dialect(Dialect::SQLite), VersionTableOptions());
    writer.setBodyProvider(&bodies);
    const Result<QString> out = writer.render({R1}, {up(R2, {R1}, {upd(R1, R2)})});
    QVERIFY(out.ok());
    QCOMPARE(*out, QStringLiteral(
        "-- Running upgrade 1a1a1a1a1a1a -> 2b2b2b2b2b2b\n\n"
        "CREATE TABLE t_2b2b2b2b2b2b (id INTEGER);\n\n"
        "DROP TABLE x;\n\n"
        "UPDATE alembic_version SET version_num='2b2b2b2b2b2b' "
        "WHERE alembic_version.version_num = '1a1a1a1a1a1a';\n\n"));
    // Stamps have no body.
    const Result<QString> st = writer.render({R1}, {stamp({R1}, {R2}, {upd(R1, R2)})});
    QVERIFY(st.ok());
    QVERIFY(!st->contains(QStringLiteral("CREATE TABLE t_")));
}

void TestOfflineSqlWriter::transactionalDdlOverride()
{
    // context.configure(transactional_ddl=True) on SQLite wraps the run like PostgreSQL.
    OfflineSqlWriter writer(Dialect(Dialect::SQLite), VersionTableOptions());
    writer.setTransactionalDdl(true);
    const Result<QString> out = writer.render({R1}, {up(R2, {R1}, {upd(R1, R2)})});
    QVERIFY(out.ok());
    QVERIFY(out->startsWith(QStringLiteral("BEGIN;\n\n-- Running upgrade")));
    QVERIFY(out->endsWith(QStringLiteral("';\n\nCOMMIT;\n\n")));
}

void TestOfflineSqlWriter::bodyErrorStopsOutput()
{
    class Failing : public StepBodyProvider
    {
    public:
        Result<QStringList> statements(const MigrationStep &, const Dialect &) override
        { return Error(QStringLiteral("boom"), QStringLiteral("/v/x.py"), 12); }
    } failing;
    OfflineSqlWriter writer(Dialect(Dialect::PostgreSQL), VersionTableOptions());
    writer.setBodyProvider(&failing);
    QString out;
    const VoidResult r = writer.write({R1}, {up(R2, {R1}, {upd(R1, R2)})}, out);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().toString(), QStringLiteral("/v/x.py:12: boom"));
    QCOMPARE(out, QStringLiteral("BEGIN;\n\n-- Running upgrade 1a1a1a1a1a1a -> 2b2b2b2b2b2b\n\n"));
}

void TestOfflineSqlWriter::effects_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<bool>("perMigration");
    QTest::addColumn<int>("transactionalDdl");   // -1: the dialect's default
    QTest::addColumn<QString>("expected");
    // As Alembic 1.8.1 writes it (tests/fixtures/ddl/expected/tryrun): print output where it
    // happens, COMMIT/BEGIN around an autocommit block only with transactional DDL.
    const QString body = QStringLiteral("A;\n\nB;\n\np 1\nE;\n\nF;\n\n");
    const QString head = QStringLiteral("-- Running upgrade  -> 1a1a1a1a1a1a\n\n");
    const QString version = QStringLiteral("INSERT INTO alembic_version (version_num) VALUES ('1a1a1a1a1a1a');\n\n");
    const QString create = OfflineSqlWriter::statementText(
        VersionTableSql(Dialect(Dialect::MySQL), {}).createTable());
    QTest::newRow("mysql") << "mysql" << false << -1
        << create + head + body + QStringLiteral("C;\n\nend") + version;
    const QString pgCreate = OfflineSqlWriter::statementText(
        VersionTableSql(Dialect(Dialect::PostgreSQL), {}).createTable());
    const QString pgVersion = QStringLiteral("INSERT INTO alembic_version (version_num) VALUES ('1a1a1a1a1a1a') "
                                             "RETURNING alembic_version.version_num;\n\n");
    const QString pgBody = body + QStringLiteral("COMMIT;\n\nC;\n\nBEGIN;\n\nend");
    QTest::newRow("postgresql") << "postgresql" << false << -1
        << QStringLiteral("BEGIN;\n\n") + pgCreate + head + pgBody + pgVersion + QStringLiteral("COMMIT;\n\n");
    QTest::newRow("postgresql per migration") << "postgresql" << true << -1
        << QStringLiteral("BEGIN;\n\n") + pgCreate + head + pgBody + pgVersion + QStringLiteral("COMMIT;\n\n");
    // context.configure(transactional_ddl=False): no BEGIN/COMMIT at all, none around the block.
    QTest::newRow("postgresql transactional_ddl=False") << "postgresql" << false << 0
        << pgCreate + head + body + QStringLiteral("C;\n\nend") + pgVersion;
}

void TestOfflineSqlWriter::effects()
{
    QFETCH(QString, dialect);
    QFETCH(bool, perMigration);
    QFETCH(int, transactionalDdl);
    QFETCH(QString, expected);
    EffectBodies bodies;
    OfflineSqlWriter writer(*Dialect::fromName(dialect), {});
    writer.setBodyProvider(&bodies);
    writer.setTransactionPerMigration(perMigration);
    if (transactionalDdl >= 0)
        writer.setTransactionalDdl(transactionalDdl == 1);
    QStringList records;
    writer.setLogHandler([&records](const MigrationStep &step, const StepItem &r) {
        records << QStringLiteral("%1 %2 [%3] %4").arg(step.revision).arg(r.level).arg(r.logger, r.text);
    });
    Result<QString> out = writer.render({}, {up(R1, {}, {ins(R1)})});
    QVERIFY(out.ok());
    QCOMPARE(*out, expected);
    QCOMPARE(records, QStringList{QStringLiteral("1a1a1a1a1a1a 30 [x_py] message")});
}

// Alembic's static_output: tabs become four spaces, then the text is stripped. Appended in
// place, trimming first must give the same text (tabs at either end are stripped either way).
void TestOfflineSqlWriter::statementText_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "DROP TABLE t" << "DROP TABLE t;\n\n";
    QTest::newRow("inner tabs") << "CREATE TABLE t (\n\tid INTEGER,\n\t\tx\tINT\n)"
                                << "CREATE TABLE t (\n    id INTEGER,\n        x    INT\n);\n\n";
    QTest::newRow("tabs and blanks at the ends") << "\t \n SELECT\t1 \t\n" << "SELECT    1;\n\n";
    QTest::newRow("only a tab") << "\t" << ";\n\n";
    QTest::newRow("empty") << "" << ";\n\n";
}

void TestOfflineSqlWriter::statementText()
{
    QFETCH(QString, sql);
    QFETCH(QString, expected);
    QCOMPARE(OfflineSqlWriter::statementText(sql), expected);
    QString out = QStringLiteral("before;\n\n");
    OfflineSqlWriter::appendStatement(out, sql);
    QCOMPARE(out, QStringLiteral("before;\n\n") + expected);
}

// The version-table UPDATE is appended to the script in place; an id with a tab (odd, but
// a revision id is any string) still gets static_output's four spaces.
void TestOfflineSqlWriter::updateWrittenInPlaceKeepsStaticOutput()
{
    OfflineSqlWriter writer(Dialect(Dialect::SQLite), VersionTableOptions());
    const QString tabbed = QStringLiteral("2b\t2b");
    const Result<QString> out = writer.render({R1}, {stamp({R1}, {tabbed}, {upd(R1, tabbed)})});
    QVERIFY(out.ok());
    QCOMPARE(*out, QStringLiteral("-- Running stamp_revision 1a1a1a1a1a1a -> 2b\t2b\n\n"
                                  "UPDATE alembic_version SET version_num='2b    2b' "
                                  "WHERE alembic_version.version_num = '1a1a1a1a1a1a';\n\n"));
    const VersionTableSql sql(Dialect(Dialect::SQLite), VersionTableOptions());
    QCOMPARE(*out, QStringLiteral("-- Running stamp_revision 1a1a1a1a1a1a -> 2b\t2b\n\n")
                       + OfflineSqlWriter::statementText(sql.updateVersion(R1, tabbed)));
}

QTEST_GUILESS_MAIN(TestOfflineSqlWriter)
#include "tst_offlinesqlwriter.moc"
