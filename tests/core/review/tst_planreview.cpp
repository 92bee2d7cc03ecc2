// PlanReview: each step's ops classified with live counts (drops of tables and columns,
// narrowed types, NOT NULL on columns holding NULLs, dropped constraints and indexes,
// SQL text, steps needing Python), the summary line, tables created earlier in the run,
// and an offline review that counts nothing. Real data on SQLite, and on PostgreSQL /
// MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set (CI sets both).

#include "review/planreview.h"
#include "review/reviewrowcounter.h"
#include "review/reviewtypeshape.h"
#include "ddl/scriptstepbodyprovider.h"
#include "runtime/databaseconnection.h"

#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

QString writeScript(const QTemporaryDir &dir, const QString &rev, const QString &upgrade, const QString &downgrade)
{
    const QString path = dir.filePath(rev + QStringLiteral("_step.py"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    const QString text = QStringLiteral(
        "\"\"\"step %1\n\nRevision ID: %1\nRevises:\n\"\"\"\n"
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        "revision = '%1'\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n%2\n\n\ndef downgrade():\n%3\n").arg(rev, upgrade, downgrade);
    f.write(text.toUtf8());
    return path;
}

MigrationStep step(MigrationStep::Kind kind, const QString &rev)
{
    MigrationStep s;
    s.kind = kind;
    s.revision = rev;
    s.shortLog = (kind == MigrationStep::Upgrade ? QStringLiteral("upgrade -> ") : QStringLiteral("downgrade -> ")) + rev;
    return s;
}

const ReviewFinding *find(const PlanReviewReport &r, ReviewFinding::Kind kind, const QString &what)
{
    for (const ReviewFinding &f : r.findings)
        if (f.kind == kind && (f.column == what || f.name == what || (f.column.isEmpty() && f.table == what) || what.isEmpty()))
            return &f;
    return nullptr;
}

} // namespace

class tst_PlanReview : public QObject
{
    Q_OBJECT

private slots:
    void narrowing_data();
    void narrowing();
    void longerThanSql_data();
    void longerThanSql();
    void outsideSql();
    void liveCounts_data();
    void liveCounts();
    void batchedCounts_data();
    void batchedCounts();
    void createdEarlierInRun();
    void keepsTheUrlOfTheContext();
    void offlineCountsNothing();
    void summaryWording();
};

void tst_PlanReview::narrowing_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<bool>("narrowing");
    QTest::newRow("shorter string") << "String" << "20" << true;
    QTest::newRow("longer string") << "String" << "200" << false;
    QTest::newRow("text to varchar") << "Text" << "20" << true;
    QTest::newRow("bigint to integer") << "BigInteger" << "Integer" << true;
    QTest::newRow("integer to bigint") << "Integer" << "BigInteger" << false;
    QTest::newRow("integer to numeric") << "Integer" << "Numeric" << false;
    QTest::newRow("numeric to integer") << "Numeric" << "Integer" << true;
    QTest::newRow("string to integer") << "String" << "Integer" << true;
    QTest::newRow("integer to text") << "Integer" << "Text" << false;
    QTest::newRow("unknown type") << "postgresql.INET" << "Integer" << false;
}

void tst_PlanReview::narrowing()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(bool, narrowing);
    // String(100) as the old type of every "String" row; a number as "to" means String(n).
    auto type = [](const QString &spec, int length) {
        const PyValue callee = PyValue::name(QStringLiteral("sa.") + spec);
        QVector<PyValue> args;
        if (length > 0)
            args << PyValue::integer(length);
        return spec.contains(QLatin1Char('.')) ? PyValue::name(spec) : PyValue::call(callee, args, {});
    };
    bool isNumber = false;
    const int toLength = to.toInt(&isNumber);
    const PyValue a = type(from, from == QLatin1String("String") ? 100 : 0);
    const PyValue b = isNumber ? type(QStringLiteral("String"), toLength) : type(to, 0);
    QCOMPARE(ReviewTypeShape::isNarrowing(ReviewTypeShape::of(a), ReviewTypeShape::of(b)), narrowing);
}

void tst_PlanReview::longerThanSql_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("sql");
    QTest::newRow("sqlite") << "sqlite" << "SELECT count(*) FROM \"t\" WHERE length(\"c\") > 20";
    QTest::newRow("postgresql") << "postgresql" << "SELECT count(*) FROM \"t\" WHERE char_length(\"c\") > 20";
    QTest::newRow("mysql") << "mysql" << "SELECT count(*) FROM `t` WHERE char_length(`c`) > 20";
}

void tst_PlanReview::outsideSql()
{
    auto d = Dialect::fromName(QStringLiteral("postgresql"));
    QVERIFY(d.ok());
    QCOMPARE(ReviewRowCounter::outsideSql(*d, QStringLiteral("s"), QStringLiteral("t"), QStringLiteral("c"), -128, 127),
             QStringLiteral("SELECT count(*) FROM \"s\".\"t\" WHERE \"c\" < -128 OR \"c\" > 127"));
    QCOMPARE(ReviewRowCounter::amongSql(*d, {}, QStringLiteral("t"), QStringLiteral("c"), {QStringLiteral("a"), QStringLiteral("o'k")}),
             QStringLiteral("SELECT count(*) FROM \"t\" WHERE \"c\" IN ('a', 'o''k')"));
    auto my = Dialect::fromName(QStringLiteral("mysql"));
    QVERIFY(my.ok());
    QCOMPARE(ReviewRowCounter::amongSql(*my, {}, QStringLiteral("t"), QStringLiteral("c"), {QStringLiteral("a\\'")}),
             QStringLiteral("SELECT count(*) FROM `t` WHERE `c` IN ('a\\\\''')"));
}

void tst_PlanReview::longerThanSql()
{
    QFETCH(QString, dialect);
    QFETCH(QString, sql);
    auto d = Dialect::fromName(dialect);
    QVERIFY(d.ok());
    QCOMPARE(ReviewRowCounter::longerThanSql(*d, {}, QStringLiteral("t"), QStringLiteral("c"), 20), sql);
}

void tst_PlanReview::liveCounts_data()
{
    QTest::addColumn<QString>("envVar");   // the server's URL; "" = a temp SQLite file
    QTest::newRow("sqlite") << QString();
    QTest::newRow("postgresql") << QStringLiteral("RETORT_TEST_PG_URL");
    QTest::newRow("mysql") << QStringLiteral("RETORT_TEST_MYSQL_URL");
}

void tst_PlanReview::liveCounts()
{
    QFETCH(QString, envVar);
    QTemporaryDir dir;
    QString url = QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("review.db"));
    if (!envVar.isEmpty()) {
        url = qEnvironmentVariable(qPrintable(envVar));
        if (url.isEmpty())
            QSKIP(qPrintable(envVar + QStringLiteral(" not set")));
    }
    auto conn = DatabaseConnection::openUrl(url);
    QVERIFY2(conn.ok(), qPrintable(conn.error().message));
    DatabaseConnection &c = **conn;
    // Own table names: the servers' test database is shared.
    const QString p = QStringLiteral("rv%1_").arg(QCoreApplication::applicationPid());
    const QStringList tables = {p + QStringLiteral("orders"), p + QStringLiteral("users"), p + QStringLiteral("audit")};
    auto cleanUp = [&] {
        for (const QString &t : tables)
            (void)c.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(t));
    };
    cleanUp();
    QVERIFY(c.exec(QStringLiteral("CREATE TABLE %1orders (id INTEGER, total_cents INTEGER, code VARCHAR(100))").arg(p)).ok());
    QVERIFY(c.exec(QStringLiteral("CREATE TABLE %1users (id INTEGER, last_login_at VARCHAR(30), email VARCHAR(50))").arg(p)).ok());
    QVERIFY(c.exec(QStringLiteral("CREATE TABLE %1audit (id INTEGER)").arg(p)).ok());
    // orders: 20 totals, 3 codes longer than 20 characters; users: 30 logins, 4 NULL e-mails.
    for (int i = 0; i < 25; ++i) {
        // One total beyond SMALLINT's range.
        const QString total = i < 19 ? QString::number(i * 100) : i == 19 ? QStringLiteral("40000") : QStringLiteral("NULL");
        const QString code = i < 3 ? QStringLiteral("'%1'").arg(QString(25, QLatin1Char('x'))) : QStringLiteral("'short'");
        QVERIFY(c.exec(QStringLiteral("INSERT INTO %1orders VALUES (%2, %3, %4)").arg(p).arg(i).arg(total, code)).ok());
    }
    for (int i = 0; i < 30; ++i) {
        const QString email = i < 4 ? QStringLiteral("NULL") : QStringLiteral("'u%1@example.org'").arg(i);
        QVERIFY(c.exec(QStringLiteral("INSERT INTO %1users VALUES (%2, '2026-01-01', %3)").arg(p).arg(i).arg(email)).ok());
    }
    for (int i = 0; i < 5; ++i)
        QVERIFY(c.exec(QStringLiteral("INSERT INTO %1audit VALUES (%2)").arg(p).arg(i)).ok());

    const QString downgrade = QStringLiteral(
        "    op.alter_column('%1orders', 'total_cents', type_=sa.SmallInteger(), existing_type=sa.Integer())\n"
        "    op.drop_column('%1orders', 'total_cents')\n"
        "    op.alter_column('%1users', 'last_login_at', type_=sa.Enum('x', name='e'),\n"
        "                    existing_type=sa.Enum('2026-01-01', 'x', name='e'))\n"
        "    with op.batch_alter_table('%1users') as batch_op:\n"
        "        batch_op.drop_column('last_login_at')\n"
        "        batch_op.alter_column('email', existing_type=sa.String(50), nullable=False)\n"
        "    op.drop_table('%1audit')\n"
        "    op.alter_column('%1orders', 'code', type_=sa.String(20), existing_type=sa.String(100))\n"
        "    op.drop_constraint(op.f('uq_%1users_email'), '%1users', type_='unique')\n"
        "    op.drop_index('ix_%1orders_code', table_name='%1orders')\n"
        "    op.execute(\"UPDATE %1orders SET code = 'x'\")\n").arg(p);
    const QString path = writeScript(dir, QStringLiteral("b2"), QStringLiteral("    pass"), downgrade);
    const QString python = writeScript(dir, QStringLiteral("c3"), QStringLiteral("    pass"),
                                       QStringLiteral("    n = 0\n    while n < 2:\n        op.drop_column('t', 'c%d' % n)\n        n += 1"));
    ScriptStepBodyProvider scripts({{QStringLiteral("b2"), path}, {QStringLiteral("c3"), python}});
    MigrationPlan plan;
    plan.steps << step(MigrationStep::Downgrade, QStringLiteral("c3")) << step(MigrationStep::Downgrade, QStringLiteral("b2"));

    const PlanReviewReport r = PlanReview(&scripts, &c).review(plan);
    cleanUp();
    QVERIFY(r.online);
    QVERIFY(r.losesData());

    const ReviewFinding *py = find(r, ReviewFinding::NotReviewed, {});
    QVERIFY(py);
    QCOMPARE(py->step, 0);
    QVERIFY2(py->text.contains(QLatin1String("needs Python (while loop")), qPrintable(py->text));
    QCOMPARE(py->severity, ReviewFinding::Warning);

    const ReviewFinding *total = find(r, ReviewFinding::DropColumn, QStringLiteral("total_cents"));
    QVERIFY(total);
    QCOMPARE(total->step, 1);
    QCOMPARE(total->count, std::optional<qint64>(20));
    QCOMPARE(total->severity, ReviewFinding::DataLoss);
    QCOMPARE(total->text, QStringLiteral("drops column %1orders.total_cents: 20 rows have a value").arg(p));

    const ReviewFinding *login = find(r, ReviewFinding::DropColumn, QStringLiteral("last_login_at"));
    QVERIFY(login);
    QCOMPARE(login->table, p + QStringLiteral("users"));   // from the batch
    QCOMPARE(login->count, std::optional<qint64>(30));

    const ReviewFinding *email = find(r, ReviewFinding::SetNotNull, QStringLiteral("email"));
    QVERIFY(email);
    QCOMPARE(email->count, std::optional<qint64>(4));
    QCOMPARE(email->severity, ReviewFinding::Warning);

    const ReviewFinding *audit = find(r, ReviewFinding::DropTable, p + QStringLiteral("audit"));
    QVERIFY(audit);
    QCOMPARE(audit->count, std::optional<qint64>(5));
    QCOMPARE(audit->severity, ReviewFinding::DataLoss);

    const ReviewFinding *small = find(r, ReviewFinding::NarrowType, QStringLiteral("total_cents"));
    QVERIFY(small);
    QVERIFY(small->fitCounted);
    QCOMPARE(small->count, std::optional<qint64>(1));
    QCOMPARE(small->toType, QStringLiteral("SMALLINT"));

    const ReviewFinding *labels = find(r, ReviewFinding::NarrowType, QStringLiteral("last_login_at"));
    QVERIFY(labels);
    QVERIFY(labels->fitCounted);
    QCOMPARE(labels->count, std::optional<qint64>(30));

    const ReviewFinding *code = find(r, ReviewFinding::NarrowType, QStringLiteral("code"));
    QVERIFY(code);
    QVERIFY(code->fitCounted);
    QCOMPARE(code->count, std::optional<qint64>(3));
    QCOMPARE(code->toType, QStringLiteral("VARCHAR(20)"));
    QCOMPARE(code->severity, ReviewFinding::DataLoss);

    const ReviewFinding *uq = find(r, ReviewFinding::DropConstraint, QStringLiteral("uq_%1users_email").arg(p));
    QVERIFY(uq);
    QVERIFY2(uq->text.startsWith(QLatin1String("drops unique constraint")), qPrintable(uq->text));
    QVERIFY(find(r, ReviewFinding::DropIndex, QStringLiteral("ix_%1orders_code").arg(p)));
    QVERIFY(find(r, ReviewFinding::RawSql, {}));

    QCOMPARE(r.summary(), QStringLiteral("drops 2 columns holding 50 values; drops 1 table holding 5 rows; "
                                         "narrows the type of 3 columns: 34 values do not fit; "
                                         "sets NOT NULL on 1 column holding 4 NULLs; drops 1 constraint; "
                                         "drops 1 index; runs 1 SQL text not reviewed; leaves 1 step not reviewed"));
}

void tst_PlanReview::batchedCounts_data()
{
    QTest::addColumn<QString>("envVar");   // the server's URL; "" = a temp SQLite file
    QTest::newRow("sqlite") << QString();
    QTest::newRow("postgresql") << QStringLiteral("RETORT_TEST_PG_URL");
    QTest::newRow("mysql") << QStringLiteral("RETORT_TEST_MYSQL_URL");
}

// A downgrade dropping many tables and columns: on a server their counts are asked in
// one statement (PostgreSQL: with the limit's set and reset; MySQL: and the server's
// version), the findings exactly as when asked one by one. SQLite asks each (a file).
void tst_PlanReview::batchedCounts()
{
    QFETCH(QString, envVar);
    QTemporaryDir dir;
    QString url = QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("batch.db"));
    if (!envVar.isEmpty()) {
        url = qEnvironmentVariable(qPrintable(envVar));
        if (url.isEmpty())
            QSKIP(qPrintable(envVar + QStringLiteral(" not set")));
    }
    auto conn = DatabaseConnection::openUrl(url);
    QVERIFY2(conn.ok(), qPrintable(conn.error().message));
    DatabaseConnection &c = **conn;
    const QString p = QStringLiteral("rb%1_").arg(QCoreApplication::applicationPid());
    const int tables = 15;
    auto cleanUp = [&] {
        for (int i = 0; i < tables; ++i)
            (void)c.exec(QStringLiteral("DROP TABLE IF EXISTS %1t%2").arg(p).arg(i));
    };
    cleanUp();
    auto dropAll = qScopeGuard(cleanUp);
    QString downgrade;
    for (int i = 0; i < tables; ++i) {
        QVERIFY(c.exec(QStringLiteral("CREATE TABLE %1t%2 (id INTEGER, note VARCHAR(10))").arg(p).arg(i)).ok());
        for (int r = 0; r < i; ++r)
            QVERIFY(c.exec(QStringLiteral("INSERT INTO %1t%2 VALUES (%3, %4)").arg(p).arg(i).arg(r)
                               .arg(r < 2 ? QStringLiteral("'x'") : QStringLiteral("NULL"))).ok());
        downgrade += QStringLiteral("    op.drop_column('%1t%2', 'note')\n    op.drop_table('%1t%2')\n").arg(p).arg(i);
    }
    const QString path = writeScript(dir, QStringLiteral("d4"), QStringLiteral("    pass"), downgrade);
    ScriptStepBodyProvider scripts({{QStringLiteral("d4"), path}});
    MigrationPlan plan;
    plan.steps << step(MigrationStep::Downgrade, QStringLiteral("d4"));
    const int before = c.statementCount();
    const PlanReviewReport r = PlanReview(&scripts, &c).review(plan);
    const int sent = c.statementCount() - before;
    const Dialect::Kind kind = c.dialect().kind();
    QCOMPARE(sent, kind == Dialect::SQLite ? 2 * tables : kind == Dialect::PostgreSQL ? 3 : 2);
    QCOMPARE(r.findings.size(), 2 * tables);
    for (int i = 0; i < tables; ++i) {
        const QString t = QStringLiteral("%1t%2").arg(p).arg(i);
        const ReviewFinding &column = r.findings.at(2 * i);
        QCOMPARE(column.kind, ReviewFinding::DropColumn);
        QCOMPARE(column.table, t);
        QCOMPARE(column.count, std::optional<qint64>(qMin(i, 2)));
        const ReviewFinding &table = r.findings.at(2 * i + 1);
        QCOMPARE(table.kind, ReviewFinding::DropTable);
        QCOMPARE(table.count, std::optional<qint64>(i));
    }
    QCOMPARE(r.summary(), QStringLiteral("drops %1 columns holding 27 values; drops %1 tables holding 105 rows").arg(tables));
}

void tst_PlanReview::createdEarlierInRun()
{
    QTemporaryDir dir;
    auto conn = DatabaseConnection::openUrl(QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("r.db")));
    QVERIFY(conn.ok());
    QVERIFY((*conn)->exec(QStringLiteral("CREATE TABLE kept (id INTEGER, note VARCHAR(10))")).ok());
    QVERIFY((*conn)->exec(QStringLiteral("INSERT INTO kept VALUES (1, NULL)")).ok());
    const QString a = writeScript(dir, QStringLiteral("a1"),
                                  QStringLiteral("    op.create_table('fresh', sa.Column('id', sa.Integer()))\n"
                                                 "    op.add_column('kept', sa.Column('extra', sa.Integer()))"),
                                  QStringLiteral("    pass"));
    const QString b = writeScript(dir, QStringLiteral("b1"),
                                  QStringLiteral("    op.drop_table('fresh')\n    op.drop_column('kept', 'extra')\n"
                                                 "    op.drop_column('kept', 'note')\n"
                                                 "    op.rename_table('kept', 'renamed')\n"
                                                 "    op.drop_column('renamed', 'id')"),
                                  QStringLiteral("    pass"));
    ScriptStepBodyProvider scripts({{QStringLiteral("a1"), a}, {QStringLiteral("b1"), b}});
    MigrationPlan plan;
    plan.steps << step(MigrationStep::Upgrade, QStringLiteral("a1")) << step(MigrationStep::Upgrade, QStringLiteral("b1"));
    const PlanReviewReport r = PlanReview(&scripts, conn->get()).review(plan);
    const ReviewFinding *fresh = find(r, ReviewFinding::DropTable, QStringLiteral("fresh"));
    QVERIFY(fresh);
    QVERIFY(fresh->createdInRun);
    QCOMPARE(fresh->severity, ReviewFinding::Info);
    const ReviewFinding *extra = find(r, ReviewFinding::DropColumn, QStringLiteral("extra"));
    QVERIFY(extra && extra->createdInRun);
    // A column holding only NULLs loses nothing.
    const ReviewFinding *note = find(r, ReviewFinding::DropColumn, QStringLiteral("note"));
    QVERIFY(note);
    QCOMPARE(note->count, std::optional<qint64>(0));
    QCOMPARE(note->severity, ReviewFinding::Info);
    // Counted under the name the table has before the run.
    const ReviewFinding *id = find(r, ReviewFinding::DropColumn, QStringLiteral("id"));
    QVERIFY(id);
    QCOMPARE(id->table, QStringLiteral("renamed"));
    QCOMPARE(id->count, std::optional<qint64>(1));
    QVERIFY(r.losesData());
    QCOMPARE(r.summary(), QStringLiteral("drops 2 columns holding 1 value"));
}

// The scripts are read online for the connection's dialect, with the URL the caller set
// kept (the run's router sets the same, so one interpreting serves both): a condition on
// op.get_bind().engine.url is decided and the step reviewed.
void tst_PlanReview::keepsTheUrlOfTheContext()
{
    QTemporaryDir dir;
    auto conn = DatabaseConnection::openUrl(QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("u.db")));
    QVERIFY(conn.ok());
    QVERIFY((*conn)->exec(QStringLiteral("CREATE TABLE u (id INTEGER)")).ok());
    QVERIFY((*conn)->exec(QStringLiteral("INSERT INTO u VALUES (1), (2)")).ok());
    const QString a = writeScript(dir, QStringLiteral("a1"), QStringLiteral("    pass"),
                                  QStringLiteral("    if op.get_bind().engine.url.drivername:\n        op.drop_table('u')"));
    ScriptStepBodyProvider scripts({{QStringLiteral("a1"), a}});
    ScriptContext withUrl(QStringLiteral("sqlite"), ScriptContext::Offline);
    withUrl.url = QStringLiteral("sqlite:///u.db");
    withUrl.urlDrivername = QStringLiteral("sqlite");
    scripts.setScriptContext(withUrl);
    MigrationPlan plan;
    plan.steps << step(MigrationStep::Downgrade, QStringLiteral("a1"));
    const PlanReviewReport r = PlanReview(&scripts, conn->get()).review(plan);
    QCOMPARE(scripts.scriptContext().mode, ScriptContext::Online);
    QCOMPARE(scripts.scriptContext().url, withUrl.url);
    const ReviewFinding *u = find(r, ReviewFinding::DropTable, QStringLiteral("u"));
    QVERIFY2(u, qPrintable(r.summary()));
    QCOMPARE(u->count, std::optional<qint64>(2));
}

void tst_PlanReview::offlineCountsNothing()
{
    QTemporaryDir dir;
    const QString a = writeScript(dir, QStringLiteral("a1"), QStringLiteral("    pass"),
                                  QStringLiteral("    op.drop_table('t')\n    op.drop_column('u', 'c')"));
    ScriptStepBodyProvider scripts({{QStringLiteral("a1"), a}});
    MigrationPlan plan;
    plan.steps << step(MigrationStep::Downgrade, QStringLiteral("a1"));
    const PlanReviewReport r = PlanReview(&scripts, nullptr).review(plan);
    QVERIFY(!r.online);
    QCOMPARE(r.findings.size(), 2);
    for (const ReviewFinding &f : r.findings) {
        QCOMPARE(f.count, std::optional<qint64>());
        QCOMPARE(f.severity, ReviewFinding::DataLoss);   // not counted is not safe
    }
    QCOMPARE(r.summary(), QStringLiteral("drops 1 column (not counted); drops 1 table (not counted)"));
    // Without a script reader every step is "not reviewed".
    const PlanReviewReport none = PlanReview(nullptr, nullptr).review(plan);
    QCOMPARE(none.findings.size(), 1);
    QCOMPARE(none.findings.first().kind, ReviewFinding::NotReviewed);
    QVERIFY(none.hasWarnings());
    QVERIFY(!none.losesData());
}

void tst_PlanReview::summaryWording()
{
    PlanReviewReport r;
    QCOMPARE(r.summary(), QString());
    ReviewFinding f;
    f.kind = ReviewFinding::DropColumn;
    f.count = 1;
    r.findings << f;
    QCOMPARE(r.summary(), QStringLiteral("drops 1 column holding 1 value"));
    f.count.reset();
    r.findings << f;
    QCOMPARE(r.summary(), QStringLiteral("drops 2 columns holding at least 1 value"));
}

QTEST_GUILESS_MAIN(tst_PlanReview)
#include "tst_planreview.moc"
