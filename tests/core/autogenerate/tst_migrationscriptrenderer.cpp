// Retort's autogenerate output against `alembic revision --autogenerate` (Alembic 1.8.1):
// the shop models (tests/fixtures/autogenerate/shop) against an empty SQLite database
// and against an older schema, with the default options, compare_type,
// compare_server_default and render_as_batch. Expected scripts: expected/*.py, written
// by generate_expected.sh with the reference implementation.

#include "autogeneratetestsupport.h"

#include "autogenerate/migrationscriptrenderer.h"
#include "autogenerate/modelloader.h"
#include "autogenerate/schemacomparator.h"

#include <QtTest>

using namespace retort;
using namespace retort::test;

class tst_MigrationScriptRenderer : public QObject
{
    Q_OBJECT

private slots:
    void alembicOutput_data();
    void alembicOutput();
    void noChangesRendersPass();
    void templateArguments();
    void removedTableOptions();
    void removedTablesReachedByForeignKeys_data();
    void removedTablesReachedByForeignKeys();
};

namespace {

SchemaColumn intColumn(const QString &name, bool nullable)
{
    SchemaColumn c;
    c.name = name;
    c.type = QStringLiteral("INTEGER");
    c.typeInfo.typeClass = QStringLiteral("INTEGER");
    c.typeInfo.affinity = QStringLiteral("Integer");
    c.nullable = nullable;
    c.autoincrement = SchemaColumn::Autoincrement::No;
    return c;
}

AutogenOp dropTable(const SchemaTable &t)
{
    AutogenOp op;
    op.kind = AutogenOp::DropTable;
    op.side = OpSide::Database;
    op.table = t.name;
    op.tableDef = t;
    return op;
}

} // namespace

void tst_MigrationScriptRenderer::alembicOutput_data()
{
    QTest::addColumn<QString>("project");        // <project>_models.json
    QTest::addColumn<QString>("expected");       // expected/<name>.py
    QTest::addColumn<QString>("database");       // SchemaModel JSON; "" = empty database
    QTest::addColumn<bool>("compareType");
    QTest::addColumn<bool>("compareServerDefault");
    QTest::addColumn<bool>("batch");

    QTest::newRow("empty database") << "shop" << "empty_db" << "" << false << false << false;
    QTest::newRow("older schema") << "shop" << "older_db" << "older_db.schema.json" << false << false << false;
    QTest::newRow("older schema, compare_type") << "shop" << "older_db_compare_type" << "older_db.schema.json" << true << false << false;
    QTest::newRow("older schema, compare_server_default") << "shop" << "older_db_server_default" << "older_db.schema.json" << false << true << false;
    QTest::newRow("older schema, render_as_batch") << "shop" << "older_db_batch" << "older_db.schema.json" << false << false << true;
    // Naming conventions (op.f names), changed / flipped indexes, dropped FK and unique.
    QTest::newRow("blog, empty database") << "blog" << "blog_empty_db" << "" << false << false << false;
    QTest::newRow("blog, older schema") << "blog" << "blog_older_db" << "blog_older_db.schema.json" << false << false << false;
    QTest::newRow("blog, older schema, batch") << "blog" << "blog_older_db_batch" << "blog_older_db.schema.json" << false << false << true;
}

void tst_MigrationScriptRenderer::alembicOutput()
{
    QFETCH(QString, project);
    QFETCH(QString, expected);
    QFETCH(QString, database);
    QFETCH(bool, compareType);
    QFETCH(bool, compareServerDefault);
    QFETCH(bool, batch);

    auto models = ModelLoader::parse(readText(autogenFixture(project + QStringLiteral("_models.json"))).toUtf8());
    QVERIFY2(models, qPrintable(models.error().toString()));
    SchemaModel db;
    db.dialect = QStringLiteral("sqlite");
    db.defaultSchemaName = QStringLiteral("main");
    if (!database.isEmpty()) {
        auto loaded = SchemaModel::fromJsonFile(autogenFixture(database));
        QVERIFY2(loaded, qPrintable(loaded.error().toString()));
        db = *loaded;
    }
    CompareOptions options;
    options.compareType = compareType;
    options.compareServerDefault = compareServerDefault;
    const SchemaDiff diff = SchemaComparator(models->schema, &models->hints, db, options).compare();
    ScriptRenderOptions ro;
    ro.renderAsBatch = batch;
    const RenderedMigration out = MigrationScriptRenderer(&models->hints, db.dialect, ro).render(diff.upgradeOps);

    const QString script = readText(autogenFixture(QStringLiteral("expected/%1.py").arg(expected)));
    QVERIFY(!script.isEmpty());
    for (const QString &fn : {QStringLiteral("upgrade"), QStringLiteral("downgrade")}) {
        const QString want = alembicBody(script, fn);
        QVERIFY(want.startsWith(QLatin1String("# ### commands auto generated")));
        const QString got = fn == QLatin1String("upgrade") ? out.upgrades : out.downgrades;
        const QStringList wantOps = splitOps(want);
        const QStringList gotOps = splitOps(got);
        for (int i = 0; i < std::min(wantOps.size(), gotOps.size()); ++i)
            QCOMPARE(gotOps.at(i), wantOps.at(i));
        QCOMPARE(gotOps.size(), wantOps.size());
        QCOMPARE(got, want);
    }
    QCOMPARE(out.imports, alembicImports(script));

    // The "Detected ..." lines Alembic logged while comparing (expected/<name>.log).
    QStringList wantLog;
    for (const QString &line : readText(autogenFixture(QStringLiteral("expected/%1.log").arg(expected))).split(QLatin1Char('\n')))
        if (!line.isEmpty())
            wantLog << line.section(QStringLiteral("] "), 1);
    QCOMPARE(diff.alembicLog(), wantLog);
}

void tst_MigrationScriptRenderer::noChangesRendersPass()
{
    // Models identical to the database: Alembic writes "pass" inside the markers.
    auto models = ModelLoader::parse(readText(autogenFixture(QStringLiteral("shop_models.json"))).toUtf8());
    QVERIFY(models);
    SchemaModel db = models->schema;
    db.defaultSchemaName = QStringLiteral("main");
    const SchemaDiff diff = SchemaComparator(models->schema, &models->hints, db).compare();
    QVERIFY2(diff.isEmpty(), qPrintable(diff.isEmpty() ? QString() : diff.upgradeOps.first().describe()));
    const RenderedMigration out = MigrationScriptRenderer(&models->hints, db.dialect).render(diff.upgradeOps);
    const QString pass = QStringLiteral("# ### commands auto generated by Alembic - please adjust! ###\n"
                                        "    pass\n"
                                        "    # ### end Alembic commands ###");
    QCOMPARE(out.upgrades, pass);
    QCOMPARE(out.downgrades, pass);
    QCOMPARE(out.imports, QString());
}

void tst_MigrationScriptRenderer::templateArguments()
{
    RenderedMigration r{QStringLiteral("up"), QStringLiteral("down"), QString()};
    QMap<QString, MakoValue> args;
    r.addTo(args);
    QCOMPARE(args.value(QStringLiteral("upgrades")).toStr(), QStringLiteral("up"));
    QCOMPARE(args.value(QStringLiteral("downgrades")).toStr(), QStringLiteral("down"));
    QVERIFY(!args.value(QStringLiteral("imports")).truthy());
}

void tst_MigrationScriptRenderer::removedTableOptions()
{
    // MariaDB's reflected table options, as Alembic re-creates the table in downgrade().
    SchemaTable t;
    t.name = QStringLiteral("old_stuff");
    t.columns << intColumn(QStringLiteral("id"), false);
    t.primaryKey.columns << QStringLiteral("id");
    t.dialectOptions.insert(QStringLiteral("mysql_engine"), QStringLiteral("InnoDB"));
    t.dialectOptions.insert(QStringLiteral("mysql_default charset"), QStringLiteral("utf8mb4"));
    t.dialectOptions.insert(QStringLiteral("mysql_collate"), QStringLiteral("utf8mb4_general_ci"));
    const RenderedMigration out = MigrationScriptRenderer(nullptr, QStringLiteral("mysql")).render({dropTable(t)});
    QVERIFY2(out.downgrades.contains(QStringLiteral(
                 "sa.PrimaryKeyConstraint('id'),\n"
                 "    mysql_collate='utf8mb4_general_ci',\n"
                 "    mysql_default_charset='utf8mb4',\n"
                 "    mysql_engine='InnoDB'\n"
                 "    )")),
             qPrintable(out.downgrades));
}

void tst_MigrationScriptRenderer::removedTablesReachedByForeignKeys_data()
{
    QTest::addColumn<bool>("childFirst");
    QTest::newRow("child dropped first") << true;
    QTest::newRow("parent dropped first") << false;
}

// Alembic reflects removed tables in set order; a table first loaded as a foreign key's
// target skips PostgresqlImpl's column_reflect hook (its SERIAL default stays) and
// carries the referring table's postgresql_ignore_search_path (seen with
// PYTHONHASHSEED=0 vs 1 on a child -> parent pair).
void tst_MigrationScriptRenderer::removedTablesReachedByForeignKeys()
{
    QFETCH(bool, childFirst);
    SchemaTable parent;
    parent.name = QStringLiteral("parent");
    SchemaColumn id = intColumn(QStringLiteral("id"), false);
    id.serverDefault = QStringLiteral("nextval('parent_id_seq'::regclass)");
    id.autoincrement = SchemaColumn::Autoincrement::Yes;
    parent.columns << id;
    SchemaTable child;
    child.name = QStringLiteral("child");
    child.columns << intColumn(QStringLiteral("pid"), true);
    SchemaForeignKey fk;
    fk.columns << QStringLiteral("pid");
    fk.referredTable = QStringLiteral("parent");
    fk.referredColumns << QStringLiteral("id");
    child.foreignKeys << fk;
    const AutogenOps ops = childFirst ? AutogenOps{dropTable(child), dropTable(parent)}
                                      : AutogenOps{dropTable(parent), dropTable(child)};
    const RenderedMigration out = MigrationScriptRenderer(nullptr, QStringLiteral("postgresql")).render(ops);
    const QString hooked = QStringLiteral("sa.Column('id', sa.INTEGER(), autoincrement=True, nullable=False)");
    const QString unhooked = QStringLiteral(
        "sa.Column('id', sa.INTEGER(), server_default=sa.text(\"nextval('parent_id_seq'::regclass)\"), "
        "autoincrement=True, nullable=False)");
    QCOMPARE(out.downgrades.contains(unhooked), childFirst);
    QCOMPARE(out.downgrades.contains(hooked), !childFirst);
    QCOMPARE(out.downgrades.contains(QStringLiteral("postgresql_ignore_search_path=False")), childFirst);
}

QTEST_GUILESS_MAIN(tst_MigrationScriptRenderer)
#include "tst_migrationscriptrenderer.moc"
