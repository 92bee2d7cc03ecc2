// MigrationPlanner against Alembic 1.8.1: every case in migrationplanner_cases.inc was
// produced by gen_migrationplanner_cases.py running the real `alembic upgrade |
// downgrade | stamp` (online on sqlite from given rows, or --sql start:end) and
// recording the "Running ..." lines and the statements on alembic_version.

#include "revision/migrationplanner.h"
#include "revision/revisiongraph.h"

#include <QtTest>

using namespace retort;

namespace {

struct GraphRev
{
    QString id;
    QStringList down, labels, deps;
};

struct GraphDef
{
    QString name;
    QVector<GraphRev> revs;
};

// One outcome Alembic produced; several when it depends on PYTHONHASHSEED.
struct Variant
{
    bool error = false;
    QStringList lines;
};

struct PlanCase
{
    QString graph;
    QString command;    // upgrade, downgrade, stamp, purge (= stamp --purge)
    bool offline = false;
    QStringList start;  // rows, or {start} of "start:end" when offline
    QStringList targets;
    QVector<Variant> variants;
};

const QVector<GraphDef> &graphDefs()
{
#define RETORT_PLAN_GRAPH(...) GraphDef{__VA_ARGS__},
#define RETORT_PLAN_CASE(...)
    static const QVector<GraphDef> defs = {
#include "migrationplanner_cases.inc"
    };
#undef RETORT_PLAN_GRAPH
#undef RETORT_PLAN_CASE
    return defs;
}

const QVector<PlanCase> &planCases()
{
#define RETORT_PLAN_GRAPH(...)
#define RETORT_PLAN_CASE(...) PlanCase{__VA_ARGS__},
    static const QVector<PlanCase> cases = {
#include "migrationplanner_cases.inc"
    };
#undef RETORT_PLAN_GRAPH
#undef RETORT_PLAN_CASE
    return cases;
}

RevisionGraph buildGraph(const QString &name)
{
    for (const GraphDef &def : graphDefs()) {
        if (def.name != name)
            continue;
        QVector<Revision> revs;
        for (const GraphRev &g : def.revs) {
            Revision r;
            r.id = g.id;
            r.downRevisions = g.down;
            r.branchLabels = g.labels;
            r.dependsOn = g.deps;
            r.order = revs.size();
            revs << r;
        }
        auto graph = RevisionGraph::build(revs);
        if (!graph.ok())
            qFatal("graph %s: %s", qPrintable(name), qPrintable(graph.error().message));
        return std::move(graph).value();
    }
    qFatal("no graph %s", qPrintable(name));
    return {};
}

const RevisionGraph &graphNamed(const QString &name)
{
    static QHash<QString, RevisionGraph *> cache;
    if (!cache.contains(name))
        cache.insert(name, new RevisionGraph(buildGraph(name)));
    return *cache.value(name);
}

// The plan in the generator's notation.
QStringList render(const MigrationPlan &plan)
{
    QStringList lines;
    if (plan.purge)
        lines << QStringLiteral("PURGE");
    for (const MigrationStep &step : plan.steps) {
        QString log = step.shortLog;
        while (log.endsWith(QLatin1Char(' ')))  // the generator strips line ends
            log.chop(1);
        lines << QStringLiteral("RUN ") + log;
        for (const VersionTableOp &op : step.versionOps) {
            switch (op.kind) {
            case VersionTableOp::Insert: lines << QStringLiteral("INSERT ") + op.to; break;
            case VersionTableOp::Delete: lines << QStringLiteral("DELETE ") + op.from; break;
            case VersionTableOp::Update:
                lines << QStringLiteral("UPDATE %1 %2").arg(op.from, op.to);
                break;
            }
        }
    }
    return lines;
}

Result<MigrationPlan> runCase(const PlanCase &c)
{
    const RevisionGraph &graph = graphNamed(c.graph);
    QStringList heads = c.start;
    if (c.offline) {
        auto start = MigrationPlanner::offlineStartHeads(graph, c.start.value(0));
        if (!start.ok())
            return start.error();
        heads = *start;
    }
    if (c.command == QLatin1String("upgrade"))
        return MigrationPlanner::upgrade(graph, heads, c.targets.value(0));
    if (c.command == QLatin1String("downgrade"))
        return MigrationPlanner::downgrade(graph, heads, c.targets.value(0));
    return MigrationPlanner::stamp(graph, heads, c.targets, c.command == QLatin1String("purge"));
}

bool matches(const Variant &v, const Result<MigrationPlan> &plan)
{
    if (v.error != !plan.ok())
        return false;
    if (!v.error)
        return render(*plan) == v.lines;
    const QString expected = v.lines.value(0);
    const QString actual = QStringLiteral("FAILED: ") + plan.error().message;
    // Where Alembic dies with a traceback the generator records only the exception type.
    static const QString crash = QStringLiteral("FAILED: EXCEPTION ");
    if (expected.startsWith(crash))
        return plan.error().message.startsWith(expected.mid(crash.size()));
    return actual == expected;
}

QString describe(const Result<MigrationPlan> &plan)
{
    if (!plan.ok())
        return QStringLiteral("FAILED: ") + plan.error().message;
    return render(*plan).join(QStringLiteral("\n"));
}

} // namespace

class TestMigrationPlanner : public QObject
{
    Q_OBJECT

private slots:
    void alembicCases_data();
    void alembicCases();
    void shortLogKeepsAlembicSpacing();
    void stepFieldsOmitDependencies();
    void purgeStartsFromNoRows();
    void downgradeFromSeveralHeadsWarns();
    void offlineStartHeads_data();
    void offlineStartHeads();
    void headsBeforeEachStep();
};

void TestMigrationPlanner::alembicCases_data()
{
    QTest::addColumn<int>("index");
    const QVector<PlanCase> &cases = planCases();
    QVERIFY(cases.size() > 150);
    for (int i = 0; i < cases.size(); ++i) {
        const PlanCase &c = cases.at(i);
        const QString name = QStringLiteral("%1 %2 %3[%4] %5 #%6")
                                 .arg(c.graph, c.command, c.offline ? QStringLiteral("sql:") : QString(),
                                      c.start.join(QLatin1Char(',')),
                                      c.targets.join(QLatin1Char(' ')))
                                 .arg(i);
        QTest::newRow(qPrintable(name)) << i;
    }
}

void TestMigrationPlanner::alembicCases()
{
    QFETCH(int, index);
    const PlanCase &c = planCases().at(index);
    const Result<MigrationPlan> plan = runCase(c);
    for (const Variant &v : c.variants)
        if (matches(v, plan))
            return;
    QStringList expected;
    for (const Variant &v : c.variants)
        expected << v.lines.join(QStringLiteral("\n"));
    QFAIL(qPrintable(QStringLiteral("got:\n%1\nexpected one of:\n%2")
                         .arg(describe(plan), expected.join(QStringLiteral("\n--\n")))));
}

void TestMigrationPlanner::shortLogKeepsAlembicSpacing()
{
    // Alembic: "%s %s -> %s" % (name, format_as_comma(from), format_as_comma(to))
    const RevisionGraph &graph = graphNamed(QStringLiteral("fork"));
    auto up = MigrationPlanner::upgrade(graph, {}, QStringLiteral("r100"));
    QVERIFY(up.ok());
    QCOMPARE(up->steps.size(), 1);
    QCOMPARE(up->steps.first().shortLog, QStringLiteral("upgrade  -> r100"));
    auto down = MigrationPlanner::downgrade(graph, {QStringLiteral("r100")}, QStringLiteral("base"));
    QVERIFY(down.ok());
    QCOMPARE(down->steps.first().shortLog, QStringLiteral("downgrade r100 -> "));
    QCOMPARE(down->steps.first().kind, MigrationStep::Downgrade);
    QVERIFY(down->endHeads.isEmpty());
}

void TestMigrationPlanner::stepFieldsOmitDependencies()
{
    // e001 has no down_revision but depends on d002: the row is updated from d002,
    // while the step's from_revisions_no_deps stay empty.
    const RevisionGraph &graph = graphNamed(QStringLiteral("crossdep"));
    auto plan = MigrationPlanner::upgrade(graph, {QStringLiteral("d002")}, QStringLiteral("e001"));
    QVERIFY(plan.ok());
    QCOMPARE(plan->steps.size(), 1);
    const MigrationStep &step = plan->steps.first();
    QCOMPARE(step.revision, QStringLiteral("e001"));
    QVERIFY(step.fromRevisions.isEmpty());
    QCOMPARE(step.toRevisions, QStringList{QStringLiteral("e001")});
    QCOMPARE(step.versionOps.size(), 1);
    QCOMPARE(step.versionOps.first(),
             (VersionTableOp{VersionTableOp::Update, QStringLiteral("d002"), QStringLiteral("e001")}));
    QCOMPARE(plan->startHeads, QStringList{QStringLiteral("d002")});
    QCOMPARE(plan->endHeads, QStringList{QStringLiteral("e001")});
}

void TestMigrationPlanner::purgeStartsFromNoRows()
{
    const RevisionGraph &graph = graphNamed(QStringLiteral("fork"));
    auto plan = MigrationPlanner::stamp(graph, {QStringLiteral("zzzz")}, {QStringLiteral("r200")}, true);
    QVERIFY(plan.ok());
    QVERIFY(plan->purge);
    QVERIFY(plan->startHeads.isEmpty());
    QCOMPARE(plan->steps.size(), 1);
    QCOMPARE(plan->steps.first().kind, MigrationStep::Stamp);
    QVERIFY(plan->steps.first().revision.isEmpty());
    QCOMPARE(plan->endHeads, QStringList{QStringLiteral("r200")});
    // without --purge the unknown row is an error
    auto noPurge = MigrationPlanner::stamp(graph, {QStringLiteral("zzzz")}, {QStringLiteral("r200")});
    QVERIFY(!noPurge.ok());
    QCOMPARE(noPurge.error().message, QStringLiteral("Can't locate revision identified by 'zzzz'"));
}

void TestMigrationPlanner::downgradeFromSeveralHeadsWarns()
{
    // revision.py _parse_downgrade_target: util.warn(...) for "-1" with several heads
    const RevisionGraph &graph = graphNamed(QStringLiteral("fork"));
    auto plan = MigrationPlanner::downgrade(graph, {QStringLiteral("r4aa"), QStringLiteral("r3bb")},
                                            QStringLiteral("-1"));
    QVERIFY(plan.ok());
    QCOMPARE(plan->warnings,
             QStringList{QStringLiteral("downgrade -1 from multiple heads is ambiguous; this usage "
                                        "will be disallowed in a future release.")});
    auto single = MigrationPlanner::downgrade(graph, {QStringLiteral("r600")}, QStringLiteral("-1"));
    QVERIFY(single.ok());
    QVERIFY(single->warnings.isEmpty());
}

void TestMigrationPlanner::offlineStartHeads_data()
{
    QTest::addColumn<QString>("start");
    QTest::addColumn<QString>("expected");  // heads joined by ',' or "FAILED: ..."
    QTest::newRow("none") << QString() << QString();
    QTest::newRow("base") << QStringLiteral("base") << QString();
    QTest::newRow("partial") << QStringLiteral("r2") << QStringLiteral("r200");
    QTest::newRow("label head") << QStringLiteral("left@head") << QStringLiteral("r600");
    QTest::newRow("unknown") << QStringLiteral("nope")
                             << QStringLiteral("FAILED: Can't locate revision identified by 'nope'");
}

void TestMigrationPlanner::offlineStartHeads()
{
    QFETCH(QString, start);
    QFETCH(QString, expected);
    auto heads = MigrationPlanner::offlineStartHeads(graphNamed(QStringLiteral("fork")), start);
    const QString actual = heads.ok() ? heads->join(QLatin1Char(','))
                                      : QStringLiteral("FAILED: ") + heads.error().message;
    QCOMPARE(actual, expected);
}

void TestMigrationPlanner::headsBeforeEachStep()
{
    // alembic upgrade --sql r3aa:head emits "upgrade r200 -> r3bb" with INSERT r3bb,
    // then r4aa, the merge r500 (DELETE r4aa, UPDATE r3bb -> r500) and r600.
    const RevisionGraph &graph = graphNamed(QStringLiteral("fork"));
    auto plan = MigrationPlanner::upgrade(graph, {QStringLiteral("r3aa")}, QStringLiteral("head"));
    QVERIFY(plan.ok());
    QCOMPARE(plan->steps.size(), 4);
    QCOMPARE(plan->headsBefore(0), QStringList{QStringLiteral("r3aa")});
    QCOMPARE(plan->headsBefore(1), (QStringList{QStringLiteral("r3aa"), QStringLiteral("r3bb")}));
    QCOMPARE(plan->headsBefore(2), (QStringList{QStringLiteral("r3bb"), QStringLiteral("r4aa")}));
    QCOMPARE(plan->headsBefore(3), QStringList{QStringLiteral("r500")});
    QCOMPARE(plan->headsBefore(4), plan->endHeads);
    QCOMPARE(plan->endHeads, QStringList{QStringLiteral("r600")});

    auto down = MigrationPlanner::downgrade(graph, {QStringLiteral("r200")}, QStringLiteral("base"));
    QVERIFY(down.ok());
    QCOMPARE(down->headsBefore(1), QStringList{QStringLiteral("r100")});
    QVERIFY(down->headsBefore(2).isEmpty());
    QVERIFY(down->endHeads.isEmpty());
}

QTEST_GUILESS_MAIN(TestMigrationPlanner)
#include "tst_migrationplanner.moc"
