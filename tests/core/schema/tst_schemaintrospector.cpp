// SchemaIntrospector against SQLAlchemy's Inspector: the fixture Alembic project
// (tests/fixtures/schema/project) is upgraded with the real Alembic on SQLite and, when
// RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set, on PostgreSQL and MariaDB/MySQL;
// Retort's model must equal what inspect_to_json.py reports through SQLAlchemy.

#include "schema/schemaintrospector.h"
#include "schematestsupport.h"

#include <QElapsedTimer>
#include <QTemporaryDir>

using namespace retort;
using namespace retort::test;

namespace {

// Per-process names so parallel runs of the suite never share a database.
QString uniqueName(const QString &base)
{
    return QStringLiteral("%1_%2").arg(base).arg(QCoreApplication::applicationPid());
}

// The URL with another database name (SQLAlchemy form, path part replaced).
QString withDatabase(const QString &url, const QString &database)
{
    const int q = url.indexOf(QLatin1Char('?'));
    const QString query = q >= 0 ? url.mid(q) : QString();
    const QString base = q >= 0 ? url.left(q) : url;
    const int slash = base.indexOf(QLatin1Char('/'), base.indexOf(QStringLiteral("//")) + 2);
    return (slash >= 0 ? base.left(slash) : base) + QLatin1Char('/') + database + query;
}

// Extras Retort reports that SQLAlchemy 1.4's Inspector does not.
void dropRetortExtras(SchemaModel &model)
{
    for (SchemaNamespace &s : model.schemas)
        for (SchemaTable &t : s.tables)
            for (SchemaIndex &ix : t.indexes)
                ix.dialectOptions.remove(QStringLiteral("mysql_length"));
}

} // namespace

class TestSchemaIntrospector : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void sqliteMatchesSqlalchemy();
    void sqliteOptions();
    void sqliteExpressionIndex();
    void sqliteManyTablesFast();
    void postgresMatchesSqlalchemy();
    void postgresManyTablesFast();
    void postgresExpressionIndex();
    void mysqlMatchesSqlalchemy();
    void cleanupTestCase();

private:
    bool m_python = false;
    QTemporaryDir m_dir;
    // Server databases created here, dropped in cleanupTestCase: (admin URL, statement).
    QVector<QPair<QString, QString>> m_cleanup;
};

void TestSchemaIntrospector::initTestCase()
{
    m_python = havePythonAlembic();
    QVERIFY(m_dir.isValid());
}

void TestSchemaIntrospector::sqliteMatchesSqlalchemy()
{
    if (!m_python)
        QSKIP("/usr/bin/python3 with alembic + sqlalchemy not available");
    const QString url = QStringLiteral("sqlite:///") + m_dir.filePath(QStringLiteral("fixture.db"));
    VoidResult up = alembicUpgrade(url);
    QVERIFY2(up.ok(), qPrintable(up.error().message));
    Result<SchemaModel> expected = sqlalchemyInspect(url);
    QVERIFY2(expected.ok(), qPrintable(expected.error().toString()));

    auto conn = openDatabase(url);
    QVERIFY2(conn.ok(), qPrintable(conn.error().message));
    Result<SchemaModel> actual = SchemaIntrospector::read(**conn);
    QVERIFY2(actual.ok(), qPrintable(actual.error().message));
    const QString diff = modelDifference(*expected, *actual);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QVERIFY(actual->findTable(QString(), QStringLiteral("item")));
    QVERIFY(!actual->findTable(QString(), QStringLiteral("alembic_version")));

    // The stored snapshot under tests/fixtures/schema is what this same run produced.
    Result<SchemaModel> stored =
        SchemaModel::fromJsonFile(QStringLiteral(RETORT_FIXTURES_DIR "/schema/expected-sqlite.json"));
    QVERIFY2(stored.ok(), qPrintable(stored.error().toString()));
    const QString storedDiff = modelDifference(*stored, *actual);
    QVERIFY2(storedDiff.isEmpty(), qPrintable(storedDiff));
}

void TestSchemaIntrospector::sqliteOptions()
{
    const QString path = m_dir.filePath(QStringLiteral("options.db"));
    const QString other = m_dir.filePath(QStringLiteral("other.db"));
    auto conn = openDatabase(QStringLiteral("sqlite:///") + path);
    QVERIFY(conn.ok());
    DatabaseConnection &c = **conn;
    for (const QString &sql : {
             QStringLiteral("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"),
             QStringLiteral("CREATE TABLE keep_me (id INTEGER PRIMARY KEY, v \"weird type\"(3, 4), "
                            "w weird type(3,4))"),
             QStringLiteral("CREATE TABLE skip_me (id INTEGER)"),
             QStringLiteral("CREATE VIEW a_view AS SELECT id FROM keep_me"),
             QStringLiteral("ATTACH DATABASE '%1' AS aux").arg(other),
             QStringLiteral("CREATE TABLE aux.remote (id INTEGER PRIMARY KEY, "
                            "k INTEGER REFERENCES remote)")}) {
        QVERIFY2(c.exec(sql).ok(), qPrintable(sql));
    }
    IntrospectOptions o;
    o.tableFilter = [](const QString &, const QString &t) { return t != QLatin1String("skip_me"); };
    Result<SchemaModel> m = SchemaIntrospector::read(c, o);
    QVERIFY2(m.ok(), qPrintable(m.error().message));
    QCOMPARE(m->schemas.size(), 1);
    QCOMPARE(m->schemas.at(0).views, QStringList{QStringLiteral("a_view")});
    QCOMPARE(m->tableCount(), 1);
    const SchemaTable *keep = m->findTable(QString(), QStringLiteral("keep_me"));
    QVERIFY(keep);
    // An unknown type name falls to NUMERIC affinity, with its integer arguments (SQLite
    // drops the arguments of a quoted type name, so v has none).
    QCOMPARE(keep->columns.at(1).type, QStringLiteral("NUMERIC"));
    QCOMPARE(keep->columns.at(2).type, QStringLiteral("NUMERIC(3, 4)"));
    QCOMPARE(keep->columns.at(2).typeInfo.scale, std::optional<int>(4));

    o.skipVersionTable = false;
    o.includeSchemas = true;
    m = SchemaIntrospector::read(c, o);
    QVERIFY2(m.ok(), qPrintable(m.error().message));
    QCOMPARE(m->schemas.size(), 2);
    QVERIFY(m->findTable(QString(), QStringLiteral("alembic_version")));
    const SchemaTable *remote = m->findTable(QStringLiteral("aux"), QStringLiteral("remote"));
    QVERIFY(remote);
    QCOMPARE(remote->foreignKeys.size(), 1);
    QCOMPARE(remote->foreignKeys.at(0).referredSchema, QStringLiteral("aux"));
    QCOMPARE(remote->foreignKeys.at(0).referredColumns, QStringList{QStringLiteral("id")});

    o.includeSchemas = false;
    o.schemas = {QStringLiteral("nope")};
    m = SchemaIntrospector::read(c, o);
    QVERIFY(!m.ok());
    QVERIFY(m.error().message.contains(QStringLiteral("nope")));
}

void TestSchemaIntrospector::sqliteExpressionIndex()
{
    auto conn = openDatabase(QStringLiteral("sqlite://"));
    QVERIFY(conn.ok());
    QVERIFY((*conn)->exec(QStringLiteral("CREATE TABLE t (a TEXT, b INTEGER)")).ok());
    QVERIFY((*conn)->exec(QStringLiteral("CREATE INDEX ix_t ON t (lower(a), b) WHERE b > 1")).ok());
    Result<SchemaModel> m = SchemaIntrospector::read(**conn);
    QVERIFY2(m.ok(), qPrintable(m.error().message));
    const SchemaTable *t = m->findTable(QString(), QStringLiteral("t"));
    QVERIFY(t);
    QCOMPARE(t->indexes.size(), 1);
    QCOMPARE(t->indexes.at(0).columns, (QStringList{QStringLiteral("lower(a)"), QStringLiteral("b")}));
    QCOMPARE(t->indexes.at(0).isExpression, (QVector<bool>{true, false}));
    QCOMPARE(t->indexes.at(0).where, std::optional<QString>(QStringLiteral("b > 1")));
}

void TestSchemaIntrospector::sqliteManyTablesFast()
{
    auto conn = openDatabase(QStringLiteral("sqlite:///") + m_dir.filePath(QStringLiteral("many.db")));
    QVERIFY(conn.ok());
    DatabaseConnection &c = **conn;
    QVERIFY(c.begin().ok());
    for (int i = 1; i <= 1000; ++i) {
        const QString sql = QStringLiteral(
            "CREATE TABLE t%1 (id INTEGER NOT NULL, name VARCHAR(40) DEFAULT 'x' NOT NULL, "
            "parent_id INTEGER, amount NUMERIC(10, 2), PRIMARY KEY (id), "
            "CONSTRAINT fk_t%1 FOREIGN KEY(parent_id) REFERENCES t%1 (id) ON DELETE CASCADE, "
            "CONSTRAINT uq_t%1 UNIQUE (name, amount), CONSTRAINT ck_t%1 CHECK (amount > 0))")
                                .arg(i);
        QVERIFY(c.exec(sql).ok());
        QVERIFY(c.exec(QStringLiteral("CREATE INDEX ix_t%1 ON t%1 (parent_id)").arg(i)).ok());
    }
    QVERIFY(c.commit().ok());
    QElapsedTimer timer;
    timer.start();
    Result<SchemaModel> m = SchemaIntrospector::read(c);
    const qint64 ms = timer.elapsed();
    QVERIFY2(m.ok(), qPrintable(m.error().message));
    QCOMPARE(m->tableCount(), 1000);
    const SchemaTable *t = m->findTable(QString(), QStringLiteral("t500"));
    QVERIFY(t);
    QCOMPARE(t->foreignKeys.size(), 1);
    QCOMPARE(t->foreignKeys.at(0).name, QStringLiteral("fk_t500"));
    QCOMPARE(t->uniqueConstraints.size(), 1);
    QCOMPARE(t->checkConstraints.size(), 1);
    QCOMPARE(t->indexes.size(), 1);
    qInfo("1,000 SQLite tables introspected in %lld ms", ms);
}

void TestSchemaIntrospector::postgresMatchesSqlalchemy()
{
    const QString admin = qEnvironmentVariable("RETORT_TEST_PG_URL");
    if (admin.isEmpty())
        QSKIP("RETORT_TEST_PG_URL not set");
    if (!m_python)
        QSKIP("/usr/bin/python3 with alembic + sqlalchemy not available");
    const QString db = uniqueName(QStringLiteral("retort_schema_pg"));
    auto adminConn = openDatabase(admin);
    QVERIFY2(adminConn.ok(), qPrintable(adminConn.error().message));
    (void)(*adminConn)->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(db));
    QVERIFY((*adminConn)->exec(QStringLiteral("CREATE DATABASE %1").arg(db)).ok());
    m_cleanup << qMakePair(admin, QStringLiteral("DROP DATABASE IF EXISTS %1").arg(db));
    const QString url = withDatabase(admin, db);
    {
        auto conn = openDatabase(url);
        QVERIFY2(conn.ok(), qPrintable(conn.error().message));
        QVERIFY((*conn)->exec(QStringLiteral("CREATE SCHEMA other")).ok());
    }
    VoidResult up = alembicUpgrade(url, QStringLiteral("other"));
    QVERIFY2(up.ok(), qPrintable(up.error().message));
    Result<SchemaModel> expected = sqlalchemyInspect(url, {QStringLiteral("other")});
    QVERIFY2(expected.ok(), qPrintable(expected.error().toString()));

    auto conn = openDatabase(url);
    QVERIFY(conn.ok());
    IntrospectOptions o;
    o.schemas = {QStringLiteral("other")};
    Result<SchemaModel> actual = SchemaIntrospector::read(**conn, o);
    QVERIFY2(actual.ok(), qPrintable(actual.error().message));
    const QString diff = modelDifference(*expected, *actual);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QVERIFY(actual->findTable(QStringLiteral("other"), QStringLiteral("remote_thing")));

    o.schemas.clear();
    o.includeSchemas = true;
    actual = SchemaIntrospector::read(**conn, o);
    QVERIFY2(actual.ok(), qPrintable(actual.error().message));
    QCOMPARE(actual->schemas.size(), 2);

    // The version table named with the default schema's own name is still skipped;
    // kept when asked.
    o.includeSchemas = false;
    o.versionTableSchema = QStringLiteral("public");
    actual = SchemaIntrospector::read(**conn, o);
    QVERIFY(actual.ok());
    QVERIFY(!actual->findTable(QString(), QStringLiteral("alembic_version")));
    o.skipVersionTable = false;
    actual = SchemaIntrospector::read(**conn, o);
    QVERIFY(actual.ok());
    QVERIFY(actual->findTable(QString(), QStringLiteral("alembic_version")));

    o.schemas = {QStringLiteral("no_such_schema")};
    actual = SchemaIntrospector::read(**conn, o);
    QVERIFY(!actual.ok());
    QVERIFY(actual.error().message.contains(QStringLiteral("no_such_schema")));
}

void TestSchemaIntrospector::postgresManyTablesFast()
{
    const QString admin = qEnvironmentVariable("RETORT_TEST_PG_URL");
    if (admin.isEmpty())
        QSKIP("RETORT_TEST_PG_URL not set");
    const QString schema = uniqueName(QStringLiteral("retort_schema_many"));
    auto conn = openDatabase(admin);
    QVERIFY2(conn.ok(), qPrintable(conn.error().message));
    DatabaseConnection &c = **conn;
    (void)c.exec(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(schema));
    QVERIFY(c.exec(QStringLiteral("CREATE SCHEMA %1").arg(schema)).ok());
    m_cleanup << qMakePair(admin, QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(schema));
    const QString create = QStringLiteral(
        "DO $$ BEGIN FOR i IN 1..1000 LOOP EXECUTE format("
        "'CREATE TABLE %1.t%s (id serial PRIMARY KEY, name varchar(40) NOT NULL DEFAULT ''x'', "
        "parent_id integer REFERENCES %1.t%s (id) ON DELETE CASCADE, "
        "amount numeric(10, 2) CHECK (amount > 0), UNIQUE (name, amount))', i, i); "
        "EXECUTE format('CREATE INDEX ix_t%s_parent ON %1.t%s (parent_id)', i, i); "
        "END LOOP; END $$").arg(schema);
    Result<QSqlQuery> made = c.exec(create);
    QVERIFY2(made.ok(), qPrintable(made.error().message));

    IntrospectOptions o;
    o.schemas = {schema};
    QElapsedTimer timer;
    timer.start();
    Result<SchemaModel> m = SchemaIntrospector::read(c, o);
    const qint64 ms = timer.elapsed();
    QVERIFY2(m.ok(), qPrintable(m.error().message));
    const SchemaNamespace *ns = m->findSchema(schema);
    QVERIFY(ns);
    QCOMPARE(ns->tables.size(), 1000);
    const SchemaTable *t = ns->findTable(QStringLiteral("t500"));
    QVERIFY(t);
    QCOMPARE(t->columns.size(), 4);
    QCOMPARE(t->foreignKeys.size(), 1);
    QCOMPARE(t->indexes.size(), 2);   // ix_t500_parent and the unique constraint's index
    qInfo("1,000 PostgreSQL tables introspected in %lld ms", ms);
    // Well under a second locally; the bound leaves room for a loaded CI machine.
}

void TestSchemaIntrospector::postgresExpressionIndex()
{
    // SQLAlchemy 1.4 skips expression indexes; Retort reports them with their text.
    const QString admin = qEnvironmentVariable("RETORT_TEST_PG_URL");
    if (admin.isEmpty())
        QSKIP("RETORT_TEST_PG_URL not set");
    const QString schema = uniqueName(QStringLiteral("retort_schema_expr"));
    auto conn = openDatabase(admin);
    QVERIFY2(conn.ok(), qPrintable(conn.error().message));
    DatabaseConnection &c = **conn;
    (void)c.exec(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(schema));
    m_cleanup << qMakePair(admin, QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(schema));
    for (const QString &sql : {
             QStringLiteral("CREATE SCHEMA %1").arg(schema),
             QStringLiteral("CREATE TABLE %1.t (a text, b int, \"Odd Col\" int)").arg(schema),
             QStringLiteral("CREATE UNIQUE INDEX ix_t_expr ON %1.t (lower(a), b) "
                            "INCLUDE (\"Odd Col\") WHERE b > 1").arg(schema)}) {
        Result<QSqlQuery> r = c.exec(sql);
        QVERIFY2(r.ok(), qPrintable(r.error().message));
    }
    IntrospectOptions o;
    o.schemas = {schema};
    Result<SchemaModel> m = SchemaIntrospector::read(c, o);
    QVERIFY2(m.ok(), qPrintable(m.error().message));
    const SchemaTable *t = m->findTable(schema, QStringLiteral("t"));
    QVERIFY(t);
    QCOMPARE(t->indexes.size(), 1);
    const SchemaIndex &ix = t->indexes.at(0);
    QCOMPARE(ix.columns, (QStringList{QStringLiteral("lower(a)"), QStringLiteral("b")}));
    QCOMPARE(ix.isExpression, (QVector<bool>{true, false}));
    QVERIFY(ix.unique);
    QCOMPARE(ix.where, std::optional<QString>(QStringLiteral("(b > 1)")));
    QCOMPARE(ix.dialectOptions.value(QStringLiteral("postgresql_include")).toArray(),
             QJsonArray{QStringLiteral("Odd Col")});
}

void TestSchemaIntrospector::mysqlMatchesSqlalchemy()
{
    const QString admin = qEnvironmentVariable("RETORT_TEST_MYSQL_URL");
    if (admin.isEmpty())
        QSKIP("RETORT_TEST_MYSQL_URL not set");
    if (!m_python)
        QSKIP("/usr/bin/python3 with alembic + sqlalchemy not available");
    const QString db = uniqueName(QStringLiteral("retort_schema_my"));
    const QString other = db + QStringLiteral("_other");
    auto adminConn = openDatabase(admin);
    QVERIFY2(adminConn.ok(), qPrintable(adminConn.error().message));
    for (const QString &name : {db, other}) {
        (void)(*adminConn)->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(name));
        QVERIFY((*adminConn)->exec(QStringLiteral("CREATE DATABASE %1").arg(name)).ok());
        m_cleanup << qMakePair(admin, QStringLiteral("DROP DATABASE IF EXISTS %1").arg(name));
    }
    const QString url = withDatabase(admin, db);
    VoidResult up = alembicUpgrade(url, other);
    QVERIFY2(up.ok(), qPrintable(up.error().message));
    Result<SchemaModel> expected = sqlalchemyInspect(url, {other});
    QVERIFY2(expected.ok(), qPrintable(expected.error().toString()));

    auto conn = openDatabase(url);
    QVERIFY(conn.ok());
    IntrospectOptions o;
    o.schemas = {other};
    Result<SchemaModel> actual = SchemaIntrospector::read(**conn, o);
    QVERIFY2(actual.ok(), qPrintable(actual.error().message));
    const SchemaTable *item = actual->findTable(QString(), QStringLiteral("item"));
    QVERIFY(item);
    bool sawLength = false;
    for (const SchemaIndex &ix : item->indexes)
        sawLength = sawLength || ix.dialectOptions.contains(QStringLiteral("mysql_length"));
    QVERIFY2(sawLength, "mysql_length of ix_item_title not reported");
    dropRetortExtras(*actual);
    const QString diff = modelDifference(*expected, *actual);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));

    o.schemas = {QStringLiteral("no_such_schema_h1")};
    actual = SchemaIntrospector::read(**conn, o);
    QVERIFY(!actual.ok());
    QVERIFY(actual.error().message.contains(QStringLiteral("no_such_schema_h1")));
}

void TestSchemaIntrospector::cleanupTestCase()
{
    // Newest first: the second MySQL database refers to the first.
    for (auto it = m_cleanup.crbegin(); it != m_cleanup.crend(); ++it) {
        const auto &step = *it;
        auto conn = openDatabase(step.first);
        if (conn.ok())
            (void)(*conn)->exec(step.second);
    }
}

QTEST_GUILESS_MAIN(TestSchemaIntrospector)
#include "tst_schemaintrospector.moc"
