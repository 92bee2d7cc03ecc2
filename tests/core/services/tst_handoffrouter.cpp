// HandoffRouter::onlineOnlyReason: which needs-Python scripts Alembic's offline mode can
// render for Retort to run (no reason) and which must run online in Alembic (a reason).
// route(): the run's dialect and mode decide dialect and offline-mode branches natively.

#include "ddl/scriptstepbodyprovider.h"
#include "services/handoffrouter.h"

#include <QTemporaryDir>

#include <QtTest>

using namespace retort;

class TestHandoffRouter : public QObject
{
    Q_OBJECT

private slots:
    void onlineOnlyReason_data();
    void onlineOnlyReason();
    void routeDecidesContextBranches_data();
    void routeDecidesContextBranches();
    void routesLiveInspection_data();
    void routesLiveInspection();
    void firstNeedsPythonCalledOnce();
};

void TestHandoffRouter::onlineOnlyReason_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("reason");   // empty: rendered offline

    QTest::newRow("for loop") << "for t in ('a', 'b'):\n    op.drop_table(t)\n" << "";
    QTest::newRow("dialect of the bind") << "if op.get_bind().dialect.name == 'sqlite':\n    pass\n" << "";
    // Tried offline: the worker's mock bind fails the rendering when a result is read.
    QTest::newRow("bind used") << "conn = op.get_bind()\nconn.execute(sa.text('x'))\n" << "";
    QTest::newRow("context connection") << "c = op.get_context().connection\n" << "";
    QTest::newRow("server version") << "if op.get_bind().dialect.server_version_info < (10,):\n    pass\n"
                                    << "asks the server's version";
    QTest::newRow("offline test") << "if context.is_offline_mode():\n    pass\n" << "tests context.is_offline_mode()";
    QTest::newRow("inspector") << "insp = sa.inspect(op.get_context().bind)\n" << "inspects the database";
    QTest::newRow("reflection") << "t = sa.Table('x', sa.MetaData(), autoload_with=bind)\n" << "inspects the database";
    QTest::newRow("orm session") << "s = Session(bind=bind)\n" << "uses an ORM session";
    QTest::newRow("autocommit") << "with op.get_context().autocommit_block():\n    pass\n"
                                << "uses an autocommit block";
    QTest::newRow("version table") << "op.execute('DELETE FROM alembic_version')\n"
                                   << "names the version table alembic_version";
    QTest::newRow("try, ImportError only") << "try:\n    import x\nexcept ImportError:\n    x = None\n" << "";
    QTest::newRow("try, two harmless") << "try:\n    y = d['k']\nexcept (KeyError, AttributeError) as e:\n    y = 1\n"
                                       << "";
    QTest::newRow("try, Exception") << "try:\n    op.drop_index('ix')\nexcept Exception:\n    pass\n"
                                    << "catches exceptions that a database error raises (try: ... except)";
    QTest::newRow("try, bare") << "try:\n    op.drop_index('ix')\nexcept:\n    pass\n"
                               << "catches exceptions that a database error raises (try: ... except)";
    QTest::newRow("try, sqlalchemy") << "try:\n    op.drop_index('ix')\nexcept sa.exc.OperationalError:\n    pass\n"
                                     << "catches exceptions that a database error raises (try: ... except)";
    QTest::newRow("commented out") << "# conn = op.get_bind(); conn.execute(x)\nop.drop_table('t')\n" << "";
}

void TestHandoffRouter::onlineOnlyReason()
{
    QFETCH(QString, body);
    QFETCH(QString, reason);
    const QString script = QStringLiteral("from alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n")
        + body.split(QLatin1Char('\n')).replaceInStrings(QRegularExpression(QStringLiteral("^(.+)$")),
                                                           QStringLiteral("    \\1")).join(QLatin1Char('\n'));
    const auto got = HandoffRouter::onlineOnlyReason(script);
    QCOMPARE(got.value_or(QString()), reason);
}

void TestHandoffRouter::routeDecidesContextBranches_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<bool>("offline");
    QTest::addColumn<QStringList>("statements");

    QTest::newRow("sqlite online") << "sqlite" << false << QStringList{"DROP TABLE lite", "SELECT 'online'"};
    QTest::newRow("sqlite offline") << "sqlite" << true << QStringList{"DROP TABLE lite", "SELECT 'offline'"};
    QTest::newRow("postgresql online") << "postgresql" << false << QStringList{"DROP TABLE other", "SELECT 'online'"};
    QTest::newRow("mysql offline") << "mysql" << true << QStringList{"DROP TABLE other", "SELECT 'offline'"};
}

void TestHandoffRouter::routeDecidesContextBranches()
{
    QFETCH(QString, dialect);
    QFETCH(bool, offline);
    QFETCH(QStringList, statements);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("a1_x.py"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("from alembic import op, context\n"
            "revision = 'a1'\ndown_revision = None\n\n"
            "def upgrade():\n"
            "    if op.get_bind().dialect.name == 'sqlite':\n"
            "        op.drop_table('lite')\n"
            "    else:\n"
            "        op.drop_table('other')\n"
            "    op.execute(\"SELECT 'offline'\" if context.is_offline_mode() else \"SELECT 'online'\")\n\n"
            "def downgrade():\n    pass\n");
    f.close();
    ScriptStepBodyProvider bodies({{QStringLiteral("a1"), path}});
    MigrationPlan plan;
    MigrationStep step;
    step.kind = MigrationStep::Upgrade;
    step.revision = QStringLiteral("a1");
    plan.steps << step;
    // Routed once for the other mode first: the provider's cache must not answer for this one.
    (void)HandoffRouter(bodies, *Dialect::fromName(dialect), !offline).route(plan);
    const QVector<StepRoute> routes = HandoffRouter(bodies, *Dialect::fromName(dialect), offline).route(plan);
    QCOMPARE(routes.size(), 1);
    QCOMPARE(int(routes[0].kind), int(StepRoute::Native));
    QCOMPARE(routes[0].body.statements(), statements);
    QCOMPARE(bodies.statements(step, *Dialect::fromName(dialect)).value(), statements);
}

// Live inspection (ScriptStepBodyProvider::runsLive): Deferred online when an inspector is
// set and the function reads natively ahead; its body runs the function as it goes.
void TestHandoffRouter::routesLiveInspection_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<bool>("offline");
    QTest::addColumn<bool>("inspector");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QStringList>("statements");   // Deferred: what its chunks run

    const QString guard = "    tables = sa.inspect(op.get_bind()).get_table_names()\n"
                          "    for t in ('a', 'b'):\n"
                          "        if t in tables:\n"
                          "            op.drop_table(t)\n";
    QTest::newRow("live") << guard << false << true << int(StepRoute::Deferred) << QStringList{"DROP TABLE a"};
    QTest::newRow("offline") << guard << true << true << int(StepRoute::Render) << QStringList();
    QTest::newRow("no inspector") << guard << false << false << int(StepRoute::Online) << QStringList();
    QTest::newRow("session elsewhere")
        << guard + "    if not tables:\n        sa.orm.Session(bind=op.get_bind()).commit()\n"
        << false << true << int(StepRoute::Online) << QStringList();
    QTest::newRow("comprehension")
        << "    names = [c['name'] for c in sa.inspect(op.get_bind()).get_columns('a')]\n"
           "    if 'x' not in names:\n        op.drop_table('a')\n"
        << false << true << int(StepRoute::Deferred) << QStringList{"DROP TABLE a"};
    QTest::newRow("nested comprehension")
        << "    names = [c['name'] for t in ('a', 'b') for c in sa.inspect(op.get_bind()).get_columns(t)]\n"
        << false << true << int(StepRoute::Online) << QStringList();
    QTest::newRow("statement before inspection")
        << "    op.create_table('c', sa.Column('id', sa.Integer()))\n" + guard
        << false << true << int(StepRoute::Deferred)
        << QStringList{"CREATE TABLE c (\n\tid INTEGER\n)", "DROP TABLE a"};
}

void TestHandoffRouter::routesLiveInspection()
{
    QFETCH(QString, body);
    QFETCH(bool, offline);
    QFETCH(bool, inspector);
    QFETCH(int, kind);
    QFETCH(QStringList, statements);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("a1_x.py"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(("from alembic import op\nimport sqlalchemy as sa\nrevision = 'a1'\ndown_revision = None\n\n"
             "def upgrade():\n" + body + "\ndef downgrade():\n    pass\n").toUtf8());
    f.close();
    ScriptStepBodyProvider bodies({{QStringLiteral("a1"), path}});
    QStringList asked;
    if (!offline) {
        RenderOptions options;
        options.online = true;
        if (inspector)
            options.inspector = [&asked](bool, const QString &method, const QVector<PyValue> &,
                                         const QVector<QPair<QString, PyValue>> &) -> Result<PyValue> {
                asked << method;
                if (method == u"get_table_names")
                    return PyValue::list({PyValue::string(QStringLiteral("a"))});
                return PyValue::list({});
            };
        bodies.setRenderOptions(options);
    }
    MigrationPlan plan;
    MigrationStep step;
    step.kind = MigrationStep::Upgrade;
    step.revision = QStringLiteral("a1");
    plan.steps << step;
    const Dialect sqlite = *Dialect::fromName(QStringLiteral("sqlite"));
    const QVector<StepRoute> routes = HandoffRouter(bodies, sqlite, offline).route(plan);
    QCOMPARE(routes.size(), 1);
    QCOMPARE(int(routes[0].kind), kind);
    if (kind != int(StepRoute::Deferred))
        return;
    auto live = bodies.body(step, sqlite);
    QVERIFY2(live.ok(), qPrintable(live.error().message));
    QCOMPARE(live->items.size(), 1);
    QStringList ran;
    for (bool done = false; !done;) {
        auto chunk = live->items[0].next(&done);
        QVERIFY2(chunk.ok(), qPrintable(chunk.error().message));
        for (const StepItem &i : *chunk)
            ran << i.text;
    }
    QCOMPARE(ran, statements);
}

// The caller starts Python when routing meets the first needs-Python step (its imports
// overlap the routing of the rest): called once, with that step's route known, not before.
void TestHandoffRouter::firstNeedsPythonCalledOnce()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const char *const bodies[] = {"    op.drop_table('a')\n", "    while True:\n        break\n",
                                  "    op.drop_table('c')\n", "    while True:\n        break\n"};
    QHash<QString, QString> paths;
    MigrationPlan plan;
    for (int i = 0; i < 4; ++i) {
        const QString rev = QStringLiteral("a%1").arg(i);
        const QString path = dir.filePath(rev + QStringLiteral("_x.py"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("from alembic import op\nrevision = '%1'\ndown_revision = None\n\n"
                               "def upgrade():\n").arg(rev).toUtf8()
                + bodies[i] + "\ndef downgrade():\n    pass\n");
        f.close();
        paths.insert(rev, path);
        MigrationStep step;
        step.kind = MigrationStep::Upgrade;
        step.revision = rev;
        plan.steps << step;
    }
    ScriptStepBodyProvider provider(paths);
    HandoffRouter router(provider, *Dialect::fromName(QStringLiteral("sqlite")), false);
    int calls = 0;
    router.setOnFirstNeedsPython([&calls] { ++calls; });
    const QVector<StepRoute> routes = router.route(plan);
    QCOMPARE(routes.size(), 4);
    QVERIFY(!routes[0].needsPython());
    QVERIFY(routes[1].needsPython());
    QVERIFY(routes[3].needsPython());
    QCOMPARE(calls, 1);

    // A plan without needs-Python steps never starts Python.
    MigrationPlan native;
    native.steps << plan.steps[0] << plan.steps[2];
    HandoffRouter nativeRouter(provider, *Dialect::fromName(QStringLiteral("sqlite")), false);
    nativeRouter.setOnFirstNeedsPython([&calls] { ++calls; });
    (void)nativeRouter.route(native);
    QCOMPARE(calls, 1);
}

QTEST_GUILESS_MAIN(TestHandoffRouter)
#include "tst_handoffrouter.moc"
