// ModelLoader runs resources/python/retort_metadata.py with /usr/bin/python3 (Alembic
// 1.8.1 + SQLAlchemy 1.4) on the fixture projects: the shop models load with their
// tables and modules; each broken project fails with its diagnosis.

#include "autogeneratetestsupport.h"

#include "autogenerate/migrationscriptrenderer.h"
#include "autogenerate/modelloader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <QFileInfo>
#include <QtTest>

using namespace retort;
using namespace retort::test;

class tst_ModelLoader : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void loadsShopModels();
    void configureOptionsFromXArguments();
    void diagnoses_data();
    void diagnoses();
    void typeReprsMatchAlembic_data();
    void typeReprsMatchAlembic();
    void parseErrorObject();
    void parseGarbage();

private:
    ModelLoadOptions optionsFor(const QString &projectDir) const;
};

static const char *python = "/usr/bin/python3";

void tst_ModelLoader::initTestCase()
{
    if (!QFileInfo::exists(QString::fromLatin1(python)))
        QSKIP("needs /usr/bin/python3 with Alembic 1.8.1");
    QVERIFY(!ModelLoader::helperSource().isEmpty());
}

ModelLoadOptions tst_ModelLoader::optionsFor(const QString &projectDir) const
{
    ModelLoadOptions o;
    o.python = QString::fromLatin1(python);
    o.workingDirectory = projectDir;
    o.configFile = QStringLiteral("alembic.ini");
    o.dialect = QStringLiteral("sqlite");
    return o;
}

void tst_ModelLoader::loadsShopModels()
{
    auto loaded = ModelLoader::load(optionsFor(autogenFixture(QStringLiteral("shop"))));
    QVERIFY2(loaded, qPrintable(loaded.error().toString()));
    QCOMPARE(loaded->tableCount, 5);
    QCOMPARE(loaded->schema.dialect, QStringLiteral("sqlite"));
    QCOMPARE(loaded->schema.tableCount(), 5);
    QCOMPARE(loaded->modules.size(), 2);
    QCOMPARE(loaded->modules.at(0).module, QStringLiteral("models.catalog"));
    QCOMPARE(loaded->modules.at(0).tables, (QStringList{"products", "tags", "users"}));
    QCOMPARE(loaded->modules.at(1).module, QStringLiteral("models.orders"));
    QCOMPARE(loaded->discoverySummary(),
             QStringLiteral("Discovered 5 tables in models.catalog (products, tags, users), "
                            "models.orders (orders, order_lines)"));
    // metadata.sorted_tables order, dependencies first.
    QStringList order;
    for (const TableHint &t : loaded->hints.tables())
        order << t.name;
    QCOMPARE(order, (QStringList{"products", "tags", "users", "orders", "order_lines"}));
    const SchemaTable *users = loaded->schema.findTable(QString(), QStringLiteral("users"));
    QVERIFY(users);
    QCOMPARE(users->findColumn(QStringLiteral("name"))->type, QStringLiteral("VARCHAR(50)"));
    QCOMPARE(users->findColumn(QStringLiteral("status"))->serverDefault.value_or(QString()), QStringLiteral("'active'"));
    const TableHint *uh = loaded->hints.table(QString(), QStringLiteral("users"));
    QCOMPARE(uh->column(QStringLiteral("created_at"))->serverDefault->python,
             QStringLiteral("sa.text('(CURRENT_TIMESTAMP)')"));
    QVERIFY(uh->index(QStringLiteral("ix_users_email"))->conv);
    QVERIFY(loaded->sysPathAdded.contains(QStringLiteral(".")));
    QCOMPARE(loaded->configureFlag(QStringLiteral("compare_type"), true), false);
}

void tst_ModelLoader::configureOptionsFromXArguments()
{
    ModelLoadOptions o = optionsFor(autogenFixture(QStringLiteral("shop")));
    o.xArguments = {QStringLiteral("compare_type=1"), QStringLiteral("batch=1")};
    auto loaded = ModelLoader::load(o);
    QVERIFY2(loaded, qPrintable(loaded.error().toString()));
    QVERIFY(loaded->configureFlag(QStringLiteral("compare_type"), false));
    QVERIFY(loaded->configureFlag(QStringLiteral("render_as_batch"), false));
    QVERIFY(!loaded->configureFlag(QStringLiteral("compare_server_default"), true));
}

void tst_ModelLoader::diagnoses_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("inMessage");
    QTest::addColumn<QString>("inDiagnosis");
    QTest::addColumn<QString>("fileEndsWith");

    QTest::newRow("env.py missing") << "no_env_py" << "no-env-py" << "Can't find Python file"
                                    << "env.py was not found" << "";
    QTest::newRow("target_metadata = None") << "metadata_none" << "metadata-none"
        << "does not provide a MetaData object" << "target_metadata=None" << "";
    QTest::newRow("package imports no models") << "no_tables" << "no-tables" << "no tables"
        << "contains 0 tables" << "";
    QTest::newRow("models not on sys.path") << "not_on_path" << "module-not-on-path"
        << "No module named 'models'" << "prepend_sys_path = ." << "migrations/env.py";
    QTest::newRow("__init__ imports a sibling absolutely") << "absolute_sibling" << "relative-import"
        << "No module named 'base'" << "from .base import" << "models/__init__.py";
    QTest::newRow("__init__ loaded without its package") << "relative_toplevel" << "relative-import"
        << "attempted relative import with no known parent package" << "from models import Base"
        << "models/__init__.py";
}

void tst_ModelLoader::diagnoses()
{
    QFETCH(QString, project);
    QFETCH(QString, kind);
    QFETCH(QString, inMessage);
    QFETCH(QString, inDiagnosis);
    QFETCH(QString, fileEndsWith);

    ModelLoadFailure failure;
    auto loaded = ModelLoader::load(optionsFor(autogenFixture(QStringLiteral("broken/") + project)), &failure);
    QVERIFY(!loaded);
    QCOMPARE(failure.kind, kind);
    QVERIFY2(failure.message.contains(inMessage), qPrintable(failure.message));
    QVERIFY2(failure.diagnosis.contains(inDiagnosis), qPrintable(failure.diagnosis));
    QVERIFY(loaded.error().message.contains(failure.diagnosis));
    if (!fileEndsWith.isEmpty()) {
        QVERIFY2(loaded.error().file.endsWith(fileEndsWith), qPrintable(loaded.error().file));
        QVERIFY(loaded.error().line > 0);
        QVERIFY(!failure.traceback.isEmpty());
    }
}

void tst_ModelLoader::typeReprsMatchAlembic_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::newRow("sqlite") << "sqlite";
    QTest::newRow("postgresql") << "postgresql";
}

// Every column type of the `types` fixture as the helper renders it, against
// render._repr_type (expected/type_reprs.json, written by expected_type_reprs.py),
// and the imports the renderer collects from it.
void tst_ModelLoader::typeReprsMatchAlembic()
{
    QFETCH(QString, dialect);
    ModelLoadOptions o = optionsFor(autogenFixture(QStringLiteral("types")));
    o.dialect = dialect;
    auto loaded = ModelLoader::load(o);
    QVERIFY2(loaded, qPrintable(loaded.error().toString()));
    const QJsonObject expected = QJsonDocument::fromJson(
        readText(autogenFixture(QStringLiteral("expected/type_reprs.json"))).toUtf8()).object().value(dialect).toObject();
    QVERIFY(expected.size() > 20);
    const TableHint *t = loaded->hints.table(QString(), QStringLiteral("everything"));
    QVERIFY(t);
    const SchemaTable *table = loaded->schema.findTable(QString(), QStringLiteral("everything"));
    MigrationScriptRenderer renderer(&loaded->hints, dialect);
    for (auto it = expected.constBegin(); it != expected.constEnd(); ++it) {
        const ColumnHint *c = t->column(it.key());
        QVERIFY2(c, qPrintable(it.key()));
        QCOMPARE(c->pythonType, it.value().toObject().value(QStringLiteral("python")).toString());
        AutogenOp add;
        add.kind = AutogenOp::AddColumn;
        add.table = QStringLiteral("everything");
        add.column = ColumnRef{OpSide::Model, QString(), add.table, *table->findColumn(it.key())};
        QSet<QString> imports;
        renderer.renderOp(add, false, &imports);
        QStringList want;
        for (const QJsonValue &v : it.value().toObject().value(QStringLiteral("imports")).toArray())
            want << v.toString();
        QStringList got(imports.begin(), imports.end());
        got.sort();
        QCOMPARE(got, want);
    }
}

void tst_ModelLoader::parseErrorObject()
{
    const QByteArray json = R"({"ok": false, "error": {"kind": "env-error", "message": "NameError: x",
        "diagnosis": "env.py raised NameError", "traceback": "Traceback...", "file": "/p/env.py", "line": 7}})";
    ModelLoadFailure f;
    auto r = ModelLoader::parse(json, {}, &f);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(), QStringLiteral("/p/env.py:7: NameError: x\nenv.py raised NameError"));
    QCOMPARE(f.kind, QStringLiteral("env-error"));
}

void tst_ModelLoader::parseGarbage()
{
    auto r = ModelLoader::parse("Traceback (most recent call last):");
    QVERIFY(!r);
    QVERIFY(r.error().message.startsWith(QStringLiteral("the metadata helper printed no JSON")));
}

QTEST_GUILESS_MAIN(tst_ModelLoader)
#include "tst_modelloader.moc"
