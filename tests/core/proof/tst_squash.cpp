// `retort squash --until REV` in core: SquashPlan's refusals on synthetic graphs, the
// database check, and Squasher on a copy of the `squash` fixture (SQLite): the baseline
// keeps REV's id without a down_revision, the old scripts go to the archive, a database
// past REV keeps working, and a fresh database through the baseline ends with the schema
// of one upgraded through the old chain.

#include "proof/squasher.h"
#include "revision/migrationplanner.h"
#include "revision/revisiongraph.h"
#include "schema/schemaintrospector.h"
#include "services/migrationenvironment.h"
#include "services/migrationexecutor.h"
#include "services/migrationlogsink.h"
#include "services/project.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

class QuietSink : public MigrationLogSink
{
public:
    QStringList lines;
    void info(const QString &, const QString &message) override { lines << message; }
};

// "id<down1,down2|depends|label"
Revision rev(const QString &spec)
{
    Revision r;
    QString rest = spec;
    auto take = [&rest](QChar sep) {
        const int i = rest.lastIndexOf(sep);
        if (i < 0)
            return QString();
        const QString part = rest.mid(i + 1);
        rest = rest.left(i);
        return part;
    };
    const QString label = take(QLatin1Char('#'));
    const QString depends = take(QLatin1Char('|'));
    const QString down = take(QLatin1Char('<'));
    r.id = rest;
    if (!down.isEmpty())
        r.downRevisions = down.split(QLatin1Char(','));
    if (!depends.isEmpty())
        r.dependsOn = {depends};
    if (!label.isEmpty())
        r.branchLabels = {label};
    r.path = QStringLiteral("/p/%1.py").arg(r.id);
    r.longDoc = QStringLiteral("msg %1").arg(r.id);
    return r;
}

RevisionGraph graphOf(const QStringList &specs)
{
    QVector<Revision> revs;
    for (const QString &s : specs)
        revs.append(rev(s));
    auto g = RevisionGraph::build(revs);
    if (!g)
        qFatal("graph: %s", qPrintable(g.error().message));
    return *g;
}

bool copyTree(const QString &from, const QString &dest)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        if (src.contains(QLatin1String("__pycache__")) || src.endsWith(QLatin1String(".db")))
            continue;
        const QString target = dest + QLatin1Char('/') + QDir(from).relativeFilePath(src);
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(src, target))
            return false;
    }
    return true;
}

// upgrade/downgrade `url` to `target` with the project's current scripts.
QString migrate(const QString &ini, const QString &url, const QString &target, bool up)
{
    Project project(ini);
    QuietSink log;
    MigrationEnvironment env(project, log, url);
    if (auto ok = env.load(); !ok)
        return ok.error().message;
    if (auto ok = env.connect(); !ok)
        return ok.error().message;
    auto heads = env.currentHeads();
    auto graph = project.graph();
    if (!heads || !graph)
        return QStringLiteral("heads/graph");
    auto plan = up ? MigrationPlanner::upgrade(**graph, *heads, target)
                   : MigrationPlanner::downgrade(**graph, *heads, target);
    if (!plan)
        return plan.error().message;
    MigrationExecutor executor(project, env, log, url);
    if (auto ok = executor.exec(*plan); !ok)
        return ok.error().message;
    return QString();
}

QStringList heads(const QString &url)
{
    auto conn = DatabaseConnection::openUrl(url);
    QStringList out;
    if (!conn)
        return {QStringLiteral("error")};
    auto q = (*conn)->exec(QStringLiteral("SELECT version_num FROM alembic_version"));
    while (q && q->next())
        out << q->value(0).toString();
    return out;
}

QByteArray schemaJson(const QString &url)
{
    auto conn = DatabaseConnection::openUrl(url);
    if (!conn)
        return QByteArray("error");
    auto model = SchemaIntrospector::read(**conn);
    if (!model)
        return QByteArray("error");
    model->serverVersion.clear();
    return model->toJson();
}

} // namespace

class TestSquash : public QObject
{
    Q_OBJECT

private slots:
    void planLinear();
    void planRefusals_data();
    void planRefusals();
    void checkDatabase_data();
    void checkDatabase();
    void squashProject();
    void dryRunAndRefusedArchive();
    void labelAndViewsReported();
    void baselineThatDoesNotRecreateIsUndone();
    void branchesAboveRevisionKeepTheirHeads();

private:
    QString copyFixture(QTemporaryDir &dir)
    {
        const QString root = dir.filePath(QStringLiteral("project"));
        if (!copyTree(QStringLiteral(RETORT_FIXTURES_DIR "/projects/squash"), root))
            return QString();
        return root;
    }
};

void TestSquash::planLinear()
{
    const RevisionGraph g = graphOf({QStringLiteral("r1#main"), QStringLiteral("r2<r1"), QStringLiteral("r3<r2"),
                                     QStringLiteral("r4<r3"), QStringLiteral("r5<r3")});
    auto plan = SquashPlan::make(g, QStringLiteral("r3"));
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().message));
    QCOMPARE(plan->revision, QStringLiteral("r3"));
    QCOMPARE(plan->squashed, (QStringList{QStringLiteral("r1"), QStringLiteral("r2")}));
    QCOMPARE(plan->chainPaths(), (QStringList{QStringLiteral("/p/r1.py"), QStringLiteral("/p/r2.py"),
                                              QStringLiteral("/p/r3.py")}));
    QCOMPARE(plan->branchLabel, QStringLiteral("main"));
    QStringList above = plan->above;
    above.sort();
    QCOMPARE(above, (QStringList{QStringLiteral("r4"), QStringLiteral("r5")}));
    // A partial id resolves like everywhere else.
    auto partial = SquashPlan::make(graphOf({QStringLiteral("abc1"), QStringLiteral("abc2<abc1")}), QStringLiteral("abc2"));
    QVERIFY(partial);
    QCOMPARE(partial->squashed, QStringList{QStringLiteral("abc1")});
}

void TestSquash::planRefusals_data()
{
    QTest::addColumn<QStringList>("specs");
    QTest::addColumn<QString>("until");
    QTest::addColumn<QString>("message");
    QTest::newRow("merge below") << QStringList{"r1", "r2a<r1", "r2b<r1", "r3<r2a,r2b", "r4<r3"} << "r4"
                                 << "Cannot squash: r3 is a merge point (of r2a, r2b)";
    QTest::newRow("merge at REV") << QStringList{"r1", "r2a<r1", "r2b<r1", "r3<r2a,r2b"} << "r3"
                                  << "r3 is a merge point";
    QTest::newRow("branch below") << QStringList{"r1", "r2<r1", "r3<r2", "x<r1"} << "r3"
                                  << "Cannot squash: r1 (below r3) is a branch point: x also builds on it";
    QTest::newRow("dependent below") << QStringList{"r1", "r2<r1", "r3<r2", "y|r2"} << "r3"
                                     << "r2 (below r3) is a branch point: y also builds on it";
    QTest::newRow("depends_on in chain") << QStringList{"o1", "r1", "r2<r1|o1", "r3<r2"} << "r3"
                                         << "Cannot squash: r2 has depends_on (o1)";
    QTest::newRow("already base") << QStringList{"r1", "r2<r1"} << "r1" << "Nothing to squash: r1 is already a base";
    QTest::newRow("two labels") << QStringList{"r1#a", "r2<r1#b", "r3<r2"} << "r3" << "several branch labels";
    QTest::newRow("unknown") << QStringList{"r1", "r2<r1"} << "zz" << "Can't locate revision identified by 'zz'";
    QTest::newRow("heads") << QStringList{"r1", "r2<r1"} << "base" << "squash --until needs one revision";
}

void TestSquash::planRefusals()
{
    QFETCH(QStringList, specs);
    QFETCH(QString, until);
    QFETCH(QString, message);
    auto plan = SquashPlan::make(graphOf(specs), until);
    QVERIFY(!plan);
    QVERIFY2(plan.error().message.contains(message), qPrintable(plan.error().message));
}

void TestSquash::checkDatabase_data()
{
    QTest::addColumn<QStringList>("heads");
    QTest::addColumn<bool>("force");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("text");
    QTest::newRow("fresh") << QStringList() << false << true << "no revision yet";
    QTest::newRow("at REV") << QStringList{"r3"} << false << true << "at r3, not below r3: it keeps working";
    QTest::newRow("above") << QStringList{"r4"} << false << true << "keeps working";
    QTest::newRow("below") << QStringList{"r2"} << false << false << "is at r2, below r3";
    QTest::newRow("below, forced") << QStringList{"r2"} << true << true << "(--force: squashed anyway)";
}

void TestSquash::checkDatabase()
{
    QFETCH(QStringList, heads);
    QFETCH(bool, force);
    QFETCH(bool, ok);
    QFETCH(QString, text);
    auto plan = SquashPlan::make(graphOf({"r1", "r2<r1", "r3<r2", "r4<r3"}), QStringLiteral("r3"));
    QVERIFY(plan);
    auto note = Squasher::checkDatabase(*plan, heads, force);
    QCOMPARE(bool(note), ok);
    const QString said = note ? *note : note.error().message;
    QVERIFY2(said.contains(text), qPrintable(said));
}

void TestSquash::squashProject()
{
    QTemporaryDir dir;
    const QString root = copyFixture(dir);
    QVERIFY(!root.isEmpty());
    const QString ini = root + QStringLiteral("/alembic.ini");
    const QString oldHead = QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("old_head.db"));
    const QString pastRev = QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("past.db"));
    QCOMPARE(migrate(ini, oldHead, QStringLiteral("head"), true), QString());
    QCOMPARE(migrate(ini, pastRev, QStringLiteral("d4000000000d"), true), QString());
    const QByteArray reference = schemaJson(oldHead);
    QVERIFY2(reference.contains("uq_accounts_email") && reference.contains("ix_orders_account_id"), reference.constData());

    Project project(ini);
    QuietSink log;
    Squasher squasher(project, log);
    SquashOptions options;
    options.until = QStringLiteral("c3000000000c");
    options.databaseHeads = QStringList{QStringLiteral("d4000000000d")};
    auto report = squasher.run(options);
    QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
    QCOMPARE(report->tables, 2);
    QCOMPARE(report->scratch, QStringLiteral("a temporary SQLite file"));
    QVERIFY(report->databaseNote.contains(QLatin1String("keeps working")));
    QCOMPARE(report->verifiedOn, QStringLiteral("a temporary SQLite file"));
    QCOMPARE(report->dataRevisions,
             (QStringList{QStringLiteral("a1000000000a (a1000000000a_accounts.py): bulk_insert"),
                          QStringLiteral("c3000000000c (c3000000000c_account_email.py): op.execute")}));

    // The archive holds the three old scripts (and says what they were); the versions
    // folder the baseline and the two revisions above it.
    const QString archive = root + QStringLiteral("/migrations/archive/squashed_c3000000000c");
    QCOMPARE(report->archiveDir, archive);
    QStringList archived = QDir(archive).entryList(QDir::Files, QDir::Name);
    QCOMPARE(archived, (QStringList{QStringLiteral("SQUASHED.txt"), QStringLiteral("a1000000000a_accounts.py"),
                                    QStringLiteral("b2000000000b_orders.py"),
                                    QStringLiteral("c3000000000c_account_email.py")}));
    QStringList versions = QDir(root + QStringLiteral("/migrations/versions")).entryList({"*.py"}, QDir::Files, QDir::Name);
    QCOMPARE(versions, (QStringList{QStringLiteral("c3000000000c_baseline_account_email.py"),
                                    QStringLiteral("d4000000000d_tags.py"), QStringLiteral("e5000000000e_orders_index.py")}));
    QFile baseline(report->baselinePath);
    QVERIFY(baseline.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(baseline.readAll());
    QVERIFY(text.contains(QLatin1String("revision = 'c3000000000c'\ndown_revision = None\n")));
    QVERIFY(text.contains(QLatin1String("# ### commands auto generated by Alembic - please adjust! ###")));
    QVERIFY2(text.contains(QLatin1String("op.create_table('orders',")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("op.create_index('ix_accounts_name', 'accounts', ['name'], unique=True)")));
    QVERIFY(text.contains(QLatin1String("sa.UniqueConstraint('email', name='uq_accounts_email')")));
    QVERIFY(!text.contains(QLatin1String("tags")));   // created above REV
    QVERIFY(text.contains(QLatin1String("op.drop_table('accounts')")));
    // Dropping the tables drops their indexes (MySQL refuses to drop one a foreign key needs).
    QVERIFY(!text.contains(QLatin1String("drop_index")));

    Project after(ini);
    auto graph = after.graph();
    QVERIFY(graph);
    QCOMPARE((*graph)->size(), 3);
    QCOMPARE((*graph)->heads(), QStringList{QStringLiteral("e5000000000e")});
    QVERIFY((*graph)->node(QStringLiteral("c3000000000c"))->isBase());
    QVERIFY(!(*graph)->node(QStringLiteral("b2000000000b")));

    // A fresh database runs the baseline, then the rest: the old chain's schema.
    const QString fresh = QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("fresh.db"));
    QCOMPARE(migrate(ini, fresh, QStringLiteral("head"), true), QString());
    QCOMPARE(heads(fresh), QStringList{QStringLiteral("e5000000000e")});
    QCOMPARE(schemaJson(fresh), reference);
    // A database past REV before the squash: upgrade, downgrade to REV and back.
    QCOMPARE(migrate(ini, pastRev, QStringLiteral("head"), true), QString());
    QCOMPARE(heads(pastRev), QStringList{QStringLiteral("e5000000000e")});
    QCOMPARE(schemaJson(pastRev), reference);
    QCOMPARE(migrate(ini, pastRev, QStringLiteral("c3000000000c"), false), QString());
    QCOMPARE(heads(pastRev), QStringList{QStringLiteral("c3000000000c")});
    QCOMPARE(migrate(ini, pastRev, QStringLiteral("head"), true), QString());
    QCOMPARE(schemaJson(pastRev), reference);
    // The baseline's downgrade drops everything it created.
    QCOMPARE(migrate(ini, fresh, QStringLiteral("base"), false), QString());
    QCOMPARE(heads(fresh), QStringList());
    auto conn = DatabaseConnection::openUrl(fresh);
    QVERIFY(conn);
    auto model = SchemaIntrospector::read(**conn);
    QVERIFY(model);
    QCOMPARE(model->tableCount(), 0);
}

void TestSquash::dryRunAndRefusedArchive()
{
    QTemporaryDir dir;
    const QString root = copyFixture(dir);
    const QString ini = root + QStringLiteral("/alembic.ini");
    const QStringList before = QDir(root + QStringLiteral("/migrations/versions")).entryList(QDir::Files, QDir::Name);
    Project project(ini);
    QuietSink log;
    Squasher squasher(project, log);
    SquashOptions options;
    options.until = QStringLiteral("b2000000000b");
    options.dryRun = true;
    auto report = squasher.run(options);
    QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
    QVERIFY(report->baselineText.contains(QLatin1String("revision = 'b2000000000b'")));
    QVERIFY(report->baselinePath.isEmpty());
    QCOMPARE(QDir(root + QStringLiteral("/migrations/versions")).entryList(QDir::Files, QDir::Name), before);
    QVERIFY(!QFileInfo::exists(root + QStringLiteral("/migrations/archive")));

    // A database below REV is refused before anything is built.
    options.dryRun = false;
    options.databaseHeads = QStringList{QStringLiteral("a1000000000a")};
    auto below = squasher.run(options);
    QVERIFY(!below);
    QVERIFY2(below.error().message.contains(QLatin1String("below b2000000000b")), qPrintable(below.error().message));
    QCOMPARE(QDir(root + QStringLiteral("/migrations/versions")).entryList(QDir::Files, QDir::Name), before);

    // An archive folder of that name already there: refused, nothing moved.
    options.databaseHeads.reset();
    QVERIFY(QDir().mkpath(Squasher::archiveDir(root + QStringLiteral("/migrations"), QStringLiteral("b2000000000b"))));
    auto refused = squasher.run(options);
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(QLatin1String("already exists")), qPrintable(refused.error().message));
    QCOMPARE(QDir(root + QStringLiteral("/migrations/versions")).entryList(QDir::Files, QDir::Name), before);
}

void TestSquash::labelAndViewsReported()
{
    QTemporaryDir dir;
    const QString root = copyFixture(dir);
    const QString versions = root + QStringLiteral("/migrations/versions/");
    auto edit = [](const QString &path, const QString &from, const QString &to) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return false;
        QString text = QString::fromUtf8(f.readAll());
        f.close();
        if (!text.contains(from))
            return false;
        text.replace(from, to);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text.toUtf8()) > 0;
    };
    QVERIFY(edit(versions + QStringLiteral("a1000000000a_accounts.py"), QStringLiteral("branch_labels = None"),
                 QStringLiteral("branch_labels = ('main',)")));
    // A commented-out call is no data migration; downgrade()'s are not either.
    QVERIFY(edit(versions + QStringLiteral("e5000000000e_orders_index.py"), QStringLiteral("def upgrade() -> None:\n"),
                 QStringLiteral("def upgrade() -> None:\n    # op.execute('DELETE FROM orders')\n")));
    QVERIFY(edit(versions + QStringLiteral("b2000000000b_orders.py"), QStringLiteral("                    sa.Column('note', sa.Text()))"),
                 QStringLiteral("                    sa.Column('note', sa.Text()))\n"
                                "    op.execute('CREATE VIEW order_totals AS SELECT id, total FROM orders')")));
    Project project(root + QStringLiteral("/alembic.ini"));
    QuietSink log;
    Squasher squasher(project, log);
    SquashOptions options;
    options.until = QStringLiteral("e5000000000e");
    options.dryRun = true;
    auto report = squasher.run(options);
    QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
    QCOMPARE(report->dataRevisions.size(), 3);   // a1, b2, c3: not e5's comment
    options.until = QStringLiteral("c3000000000c");
    report = squasher.run(options);
    QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
    QVERIFY2(report->baselineText.contains(QLatin1String("branch_labels = ('main',)")), qPrintable(report->baselineText));
    QCOMPARE(report->views, QStringList{QStringLiteral("order_totals")});
    QVERIFY(report->dataRevisions.value(1).startsWith(QLatin1String("b2000000000b (b2000000000b_orders.py): op.execute")));
}

// A script.py.mako that drops the rendered ops writes a baseline creating nothing: the
// check after writing runs it, sees the difference and puts everything back.
void TestSquash::baselineThatDoesNotRecreateIsUndone()
{
    QTemporaryDir dir;
    const QString root = copyFixture(dir);
    const QString mako = root + QStringLiteral("/migrations/script.py.mako");
    QFile f(mako);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(f.readAll());
    f.close();
    QVERIFY(text.contains(QLatin1String("${upgrades if upgrades else \"pass\"}")));
    text.replace(QLatin1String("${upgrades if upgrades else \"pass\"}"), QLatin1String("pass"));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text.toUtf8());
    f.close();
    const QStringList before = QDir(root + QStringLiteral("/migrations/versions")).entryList(QDir::Files, QDir::Name);

    Project project(root + QStringLiteral("/alembic.ini"));
    QuietSink log;
    Squasher squasher(project, log);
    SquashOptions options;
    options.until = QStringLiteral("c3000000000c");
    auto report = squasher.run(options);
    QVERIFY(!report);
    QVERIFY2(report.error().message.startsWith(QLatin1String("Squash undone, nothing was changed: The baseline does not "
                                                              "recreate the schema at c3000000000c")),
             qPrintable(report.error().message));
    QVERIFY2(report.error().message.contains(QLatin1String("add_table")), qPrintable(report.error().message));
    QCOMPARE(QDir(root + QStringLiteral("/migrations/versions")).entryList(QDir::Files, QDir::Name), before);
    QVERIFY(!QFileInfo::exists(root + QStringLiteral("/migrations/archive")));
    auto graph = project.graph();
    QVERIFY(graph);
    QCOMPARE((*graph)->size(), 5);
}

// Two branches above REV (REV is a branch point): both heads stay, both still build on REV.
void TestSquash::branchesAboveRevisionKeepTheirHeads()
{
    QTemporaryDir dir;
    const QString root = copyFixture(dir);
    QFile side(root + QStringLiteral("/migrations/versions/f6000000000f_side.py"));
    QVERIFY(side.open(QIODevice::WriteOnly));
    side.write("\"\"\"side\n\nRevision ID: f6000000000f\nRevises: c3000000000c\nCreate Date: 2026-12-01 10:00:00\n\n\"\"\"\n"
               "from alembic import op\nimport sqlalchemy as sa\n\n"
               "revision = 'f6000000000f'\ndown_revision = 'c3000000000c'\nbranch_labels = None\ndepends_on = None\n\n\n"
               "def upgrade() -> None:\n    op.create_table('side', sa.Column('id', sa.Integer(), primary_key=True))\n\n\n"
               "def downgrade() -> None:\n    op.drop_table('side')\n");
    side.close();
    Project project(root + QStringLiteral("/alembic.ini"));
    QuietSink log;
    Squasher squasher(project, log);
    SquashOptions options;
    options.until = QStringLiteral("c3000000000c");
    auto report = squasher.run(options);
    QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
    QStringList above = report->plan.above;
    above.sort();
    QCOMPARE(above, (QStringList{QStringLiteral("d4000000000d"), QStringLiteral("f6000000000f")}));
    Project after(root + QStringLiteral("/alembic.ini"));
    auto graph = after.graph();
    QVERIFY(graph);
    QStringList heads = (*graph)->heads();
    heads.sort();
    QCOMPARE(heads, (QStringList{QStringLiteral("e5000000000e"), QStringLiteral("f6000000000f")}));
    QCOMPARE((*graph)->node(QStringLiteral("f6000000000f"))->downRevisions(), QStringList{QStringLiteral("c3000000000c")});
}

QTEST_GUILESS_MAIN(TestSquash)
#include "tst_squash.moc"
