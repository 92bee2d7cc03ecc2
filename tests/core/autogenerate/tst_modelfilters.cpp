// env.py's include_name / include_object: the helper's answer parsed into ModelFilters,
// the decisions looked up the way the comparator asks, and end to end on SQLite with the
// filters fixture (tests/fixtures/autogenerate/filters) against Alembic's own output.

#include "autogeneratetestsupport.h"

#include "autogenerate/autogenerator.h"
#include "config/databaseurl.h"
#include "runtime/databaseconnection.h"
#include "schema/schemaintrospector.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;
using namespace retort::test;

Q_DECLARE_METATYPE(retort::FilterTarget)

class tst_ModelFilters : public QObject
{
    Q_OBJECT

private slots:
    void decisions_data();
    void decisions();
    void malformedAnswers_data();
    void malformedAnswers();
    void errorAnswerKeepsTraceback();
    void unappliedCallables();
    void loadRunsFiltersOverProvidedDatabase();
    void noFiltersNoDatabaseAsked();
    void providerErrorIsReturned();
    void callableErrorPointsAtEnvPy();
    void autogenerateMatchesAlembic();

private:
    std::unique_ptr<DatabaseConnection> filtersDatabase(const QString &dir);
    ModelLoadOptions filtersOptions() const;
};

static const char *python = "/usr/bin/python3";

// A helper answer with one of each kind of exclusion.
static const char *answer = R"({"ok": true, "filters": {
  "excluded_names": [
    {"type": "schema", "schema": "archive", "table": null, "name": "archive", "columns": [], "reflected": true},
    {"type": "table", "schema": null, "table": "legacy_audit", "name": "legacy_audit", "columns": [], "reflected": true},
    {"type": "column", "schema": null, "table": "customers", "name": "legacy_code", "columns": [], "reflected": true},
    {"type": "index", "schema": "sales", "table": "orders", "name": "ix_manual", "columns": ["ref"], "reflected": true}
  ],
  "excluded_objects": [
    {"type": "table", "schema": null, "table": "external_report", "name": "external_report", "columns": [], "reflected": false},
    {"type": "column", "schema": null, "table": "customers", "name": "notes", "columns": [], "reflected": false},
    {"type": "unique_constraint", "schema": null, "table": "orders", "name": null, "columns": ["a", "b"], "reflected": true},
    {"type": "foreign_key_constraint", "schema": null, "table": "orders", "name": "fk_x", "columns": ["c"], "reflected": false}
  ],
  "calls": {"include_name": 31, "include_object": 40}}})";

static FilterTarget target(const char *type, const char *schema, const char *table, const char *name,
                           bool reflected, QStringList columns = {})
{
    return {QString::fromLatin1(type), QString::fromLatin1(schema), QString::fromLatin1(table),
            QString::fromLatin1(name), columns, reflected};
}

void tst_ModelFilters::decisions_data()
{
    QTest::addColumn<FilterTarget>("probe");
    QTest::addColumn<bool>("byName");     // include_name's answer
    QTest::addColumn<bool>("byObject");   // include_object's answer
    QTest::newRow("excluded schema") << target("schema", "archive", "", "archive", true) << false << true;
    QTest::newRow("default schema kept") << target("schema", "", "", "", true) << true << true;
    QTest::newRow("excluded table name") << target("table", "", "legacy_audit", "legacy_audit", true) << false << true;
    QTest::newRow("same table in another schema") << target("table", "other", "legacy_audit", "legacy_audit", true)
                                                  << true << true;
    QTest::newRow("column of that table") << target("column", "", "customers", "legacy_code", true) << false << true;
    QTest::newRow("same column name elsewhere") << target("column", "", "orders", "legacy_code", true) << true << true;
    QTest::newRow("index in schema") << target("index", "sales", "orders", "ix_manual", true) << false << true;
    QTest::newRow("model table excluded") << target("table", "", "external_report", "external_report", false)
                                          << true << false;
    QTest::newRow("reflected side of that table") << target("table", "", "external_report", "external_report", true)
                                                  << true << true;
    QTest::newRow("model column excluded") << target("column", "", "customers", "notes", false) << true << false;
    QTest::newRow("unnamed unique by columns") << target("unique_constraint", "", "orders", "", true, {"a", "b"})
                                               << true << false;
    QTest::newRow("other unnamed unique") << target("unique_constraint", "", "orders", "", true, {"a"}) << true << true;
    QTest::newRow("named fk, columns not needed") << target("foreign_key_constraint", "", "orders", "fk_x", false, {"z"})
                                                  << true << false;
    QTest::newRow("type must match") << target("index", "", "orders", "fk_x", false) << true << true;
}

void tst_ModelFilters::decisions()
{
    QFETCH(FilterTarget, probe);
    QFETCH(bool, byName);
    QFETCH(bool, byObject);
    LoadedModels m;
    auto parsed = ModelLoader::parseFilters(answer, m);
    QVERIFY2(parsed, qPrintable(parsed.error().toString()));
    QVERIFY(m.filtersApplied);
    QCOMPARE(m.filters.excludedNames().size(), 4);
    QCOMPARE(m.filters.excludedObjects().size(), 4);
    QCOMPARE(m.filters.includeNameCalls(), 31);
    QCOMPARE(m.filters.includeObjectCalls(), 40);
    QCOMPARE(m.filters.includeName(probe), byName);
    QCOMPARE(m.filters.includeObject(probe), byObject);
    // The comparator sees them through the options env.py's configure() implies.
    const CompareOptions co = Autogenerator::compareOptionsFrom(m, {});
    QVERIFY(co.includeName && co.includeObject);
    QCOMPARE(co.includeName(probe), byName);
    QCOMPARE(co.includeObject(probe), byObject);
}

void tst_ModelFilters::malformedAnswers_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("not json") << QByteArray("Traceback") << "printed no JSON";
    QTest::newRow("no filters") << QByteArray(R"({"ok": true})") << "has no filters";
    QTest::newRow("names not a list") << QByteArray(R"({"ok": true, "filters": {"excluded_names": {}}})")
                                      << "excluded_names is not a list";
    QTest::newRow("entry without type")
        << QByteArray(R"({"ok": true, "filters": {"excluded_objects": [{"name": "t"}]}})")
        << "excluded_objects has an entry without a type";
}

void tst_ModelFilters::malformedAnswers()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    LoadedModels m;
    auto r = ModelLoader::parseFilters(json, m);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
    QVERIFY(!m.filtersApplied);
}

void tst_ModelFilters::errorAnswerKeepsTraceback()
{
    const QByteArray json = R"({"ok": false, "error": {"kind": "filter-error",
        "message": "include_object raised KeyError: 'x'", "diagnosis": "fix the callable",
        "traceback": "Traceback (most recent call last):\n  File \"/p/env.py\", line 12\nKeyError: 'x'\n",
        "file": "/p/env.py", "line": 12}})";
    LoadedModels m;
    ModelLoadFailure f;
    auto r = ModelLoader::parseFilters(json, m, {}, &f);
    QVERIFY(!r);
    QCOMPARE(f.kind, QStringLiteral("filter-error"));
    QCOMPARE(r.error().file, QStringLiteral("/p/env.py"));
    QCOMPARE(r.error().line, 12);
    QVERIFY(r.error().message.startsWith(QStringLiteral("include_object raised KeyError")));
    QVERIFY(r.error().message.contains(QStringLiteral("File \"/p/env.py\", line 12")));
    QVERIFY(r.error().message.endsWith(QStringLiteral("fix the callable")));
    QVERIFY(!m.filtersApplied);
}

void tst_ModelFilters::unappliedCallables()
{
    LoadedModels m;
    m.configureCallables = {QStringLiteral("include_name"), QStringLiteral("include_object"),
                            QStringLiteral("process_revision_directives")};
    QCOMPARE(m.unappliedCallables(), m.configureCallables);
    QVERIFY(ModelLoader::parseFilters(answer, m));
    QCOMPARE(m.unappliedCallables(), QStringList{QStringLiteral("process_revision_directives")});
}

std::unique_ptr<DatabaseConnection> tst_ModelFilters::filtersDatabase(const QString &dir)
{
    auto url = DatabaseUrl::parse(QStringLiteral("sqlite:///%1/filters.db").arg(dir));
    if (!url)
        return nullptr;
    auto conn = DatabaseConnection::open(*url);
    if (!conn)
        return nullptr;
    for (QString stmt : readText(autogenFixture(QStringLiteral("filters/database.sql"))).split(QLatin1Char(';'))) {
        QStringList lines;
        for (const QString &l : stmt.split(QLatin1Char('\n')))
            if (!l.trimmed().startsWith(QLatin1String("--")))
                lines << l;
        stmt = lines.join(QLatin1Char('\n')).trimmed();
        if (!stmt.isEmpty() && !(*conn)->exec(stmt))
            return nullptr;
    }
    return std::move(*conn);
}

ModelLoadOptions tst_ModelFilters::filtersOptions() const
{
    ModelLoadOptions o;
    o.python = QString::fromLatin1(python);
    o.workingDirectory = autogenFixture(QStringLiteral("filters"));
    o.dialect = QStringLiteral("sqlite");
    return o;
}

void tst_ModelFilters::loadRunsFiltersOverProvidedDatabase()
{
    if (!QFileInfo::exists(QString::fromLatin1(python)))
        QSKIP("needs /usr/bin/python3 with Alembic 1.8.1");
    QTemporaryDir tmp;
    auto conn = filtersDatabase(tmp.path());
    QVERIFY(conn);
    int asked = 0;
    auto loaded = ModelLoader::load(filtersOptions(), nullptr, [&](const LoadedModels &m) -> Result<SchemaModel> {
        ++asked;
        if (m.tableCount != 5)   // the models are known before the database is asked for
            return Error(QStringLiteral("asked before the models were loaded"));
        return SchemaIntrospector::read(*conn, {});
    });
    QVERIFY2(loaded, qPrintable(loaded.error().toString()));
    QCOMPARE(asked, 1);
    QVERIFY(loaded->filtersApplied);
    QVERIFY(loaded->unappliedCallables().isEmpty());
    const ModelFilters &f = loaded->filters;
    QVERIFY(!f.includeName(target("table", "", "legacy_audit", "legacy_audit", true)));
    QVERIFY(!f.includeName(target("column", "", "customers", "legacy_code", true)));
    QVERIFY(!f.includeName(target("index", "", "customers", "ix_manual_customers_status", true)));
    QVERIFY(f.includeName(target("table", "", "old_stuff", "old_stuff", true)));
    QVERIFY(!f.includeObject(target("table", "", "external_report", "external_report", false)));
    QVERIFY(!f.includeObject(target("column", "", "customers", "notes", false)));
    QVERIFY(!f.includeObject(target("column", "", "customers", "balance", true)));    // reflected Numeric
    QVERIFY(f.includeObject(target("column", "", "customers", "fax", true)));
    QVERIFY(!f.includeObject(target("column", "", "customers", "status", false)));    // compare_to VARCHAR(10)
    QVERIFY(!f.includeObject(target("index", "", "orders", "keep_orders_ref", true)));
    QVERIFY(!f.includeObject(target("unique_constraint", "", "orders", "uq_orders_ref", false)));
    QVERIFY(!f.includeObject(target("foreign_key_constraint", "", "orders", "fk_orders_legacy", true)));
    QVERIFY(!f.includeObject(target("foreign_key_constraint", "", "orders", "fk_orders_customer", false)));
    QVERIFY(f.includeObject(target("foreign_key_constraint", "", "orders", "fk_orders_shipper", false)));
    QVERIFY(f.includeNameCalls() > 0 && f.includeObjectCalls() > 0);
}

void tst_ModelFilters::noFiltersNoDatabaseAsked()
{
    if (!QFileInfo::exists(QString::fromLatin1(python)))
        QSKIP("needs /usr/bin/python3 with Alembic 1.8.1");
    ModelLoadOptions o = filtersOptions();
    o.workingDirectory = autogenFixture(QStringLiteral("shop"));   // env.py without callables
    bool asked = false;
    auto loaded = ModelLoader::load(o, nullptr, [&](const LoadedModels &) -> Result<SchemaModel> {
        asked = true;
        return SchemaModel();
    });
    QVERIFY2(loaded, qPrintable(loaded.error().toString()));
    QVERIFY(!asked);
    QVERIFY(!loaded->filtersApplied);
    // Without a provider the callables are reported as not applied.
    auto plain = ModelLoader::load(filtersOptions());
    QVERIFY2(plain, qPrintable(plain.error().toString()));
    QVERIFY(!plain->filtersApplied);
    QCOMPARE(plain->unappliedCallables(), (QStringList{QStringLiteral("include_name"), QStringLiteral("include_object")}));
}

void tst_ModelFilters::providerErrorIsReturned()
{
    if (!QFileInfo::exists(QString::fromLatin1(python)))
        QSKIP("needs /usr/bin/python3 with Alembic 1.8.1");
    auto loaded = ModelLoader::load(filtersOptions(), nullptr, [](const LoadedModels &) -> Result<SchemaModel> {
        return Error(QStringLiteral("database unreachable"));
    });
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().message, QStringLiteral("database unreachable"));
}

void tst_ModelFilters::callableErrorPointsAtEnvPy()
{
    if (!QFileInfo::exists(QString::fromLatin1(python)))
        QSKIP("needs /usr/bin/python3 with Alembic 1.8.1");
    QTemporaryDir tmp;
    auto conn = filtersDatabase(tmp.path());
    QVERIFY(conn);
    ModelLoadOptions o = filtersOptions();
    o.xArguments = {QStringLiteral("filter_error=1")};
    ModelLoadFailure failure;
    auto loaded = ModelLoader::load(o, &failure, [&](const LoadedModels &) { return SchemaIntrospector::read(*conn, {}); });
    QVERIFY(!loaded);
    QCOMPARE(failure.kind, QStringLiteral("filter-error"));
    const QString envPy = autogenFixture(QStringLiteral("filters/migrations/env.py"));
    QCOMPARE(QFileInfo(loaded.error().file).canonicalFilePath(), QFileInfo(envPy).canonicalFilePath());
    const QStringList lines = readText(envPy).split(QLatin1Char('\n'));
    int raiseLine = 0;
    for (int i = 0; i < lines.size() && !raiseLine; ++i)
        if (lines.at(i).contains(QLatin1String("raise ValueError(\"cannot decide")))
            raiseLine = i + 1;
    QCOMPARE(loaded.error().line, raiseLine);
    QVERIFY(loaded.error().message.startsWith(QStringLiteral("include_object raised ValueError: cannot decide about")));
    QVERIFY(!failure.traceback.contains(QLatin1String("retort_filters.py")));   // the user's frames only
}

void tst_ModelFilters::autogenerateMatchesAlembic()
{
    if (!QFileInfo::exists(QString::fromLatin1(python)))
        QSKIP("needs /usr/bin/python3 with Alembic 1.8.1");
    QTemporaryDir tmp;
    auto conn = filtersDatabase(tmp.path());
    QVERIFY(conn);
    AutogenerateRequest req;
    req.models = filtersOptions();
    req.models.dialect.clear();
    auto r = Autogenerator::run(*conn, req);
    QVERIFY2(r, qPrintable(r.error().toString()));
    QVERIFY(r->models.filtersApplied);
    const QString script = readText(autogenFixture(QStringLiteral("expected/filters_db.py")));
    QCOMPARE(r->rendered.upgrades, alembicBody(script, QStringLiteral("upgrade")));
    QCOMPARE(r->rendered.downgrades, alembicBody(script, QStringLiteral("downgrade")));
    QStringList log;
    for (const QString &l : readText(autogenFixture(QStringLiteral("expected/filters_db.log"))).split(QLatin1Char('\n')))
        if (!l.isEmpty())
            log << l.section(QStringLiteral("] "), 1);
    QCOMPARE(r->diff.alembicLog(), log);
}

QTEST_GUILESS_MAIN(tst_ModelFilters)
#include "tst_modelfilters.moc"
