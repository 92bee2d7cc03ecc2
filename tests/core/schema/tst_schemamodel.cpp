// SchemaModel: JSON round trip (the contract with the Python model dumper and
// `retort schema dump`), stable ordering, lookups, and errors for bad documents.

#include "schema/schemamodel.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

SchemaModel sample()
{
    SchemaModel m;
    m.dialect = QStringLiteral("postgresql");
    m.defaultSchemaName = QStringLiteral("public");
    m.serverVersion = QStringLiteral("15.4");

    SchemaTable owner;
    owner.name = QStringLiteral("owner");
    owner.comment = QStringLiteral("people");
    SchemaColumn id;
    id.name = QStringLiteral("id");
    id.type = QStringLiteral("BIGINT");
    id.typeInfo.typeClass = QStringLiteral("BIGINT");
    id.typeInfo.affinity = QStringLiteral("Integer");
    id.nullable = false;
    id.autoincrement = SchemaColumn::Autoincrement::Yes;
    SchemaIdentity identity;
    identity.start = 10;
    identity.increment = 5;
    identity.maxValue = std::numeric_limits<qint64>::max();   // must survive JSON exactly
    identity.cycle = false;
    id.identity = identity;
    SchemaColumn name;
    name.name = QStringLiteral("name");
    name.type = QStringLiteral("VARCHAR(50)");
    name.typeInfo.typeClass = QStringLiteral("VARCHAR");
    name.typeInfo.affinity = QStringLiteral("String");
    name.typeInfo.length = 50;
    name.typeInfo.collation = QStringLiteral("C");
    name.serverDefault = QStringLiteral("''::character varying");   // empty string literal
    name.comment = QString();                                          // empty, not absent
    SchemaColumn total;
    total.name = QStringLiteral("total");
    total.type = QStringLiteral("NUMERIC(10, 2)");
    total.typeInfo.typeClass = QStringLiteral("NUMERIC");
    total.typeInfo.affinity = QStringLiteral("Numeric");
    total.typeInfo.precision = 10;
    total.typeInfo.scale = 2;
    total.autoincrement = SchemaColumn::Autoincrement::No;
    total.computed = SchemaComputed{QStringLiteral("price * qty"), true};
    owner.columns = {id, name, total};
    owner.primaryKey = SchemaPrimaryKey{QStringLiteral("pk_owner"), {QStringLiteral("id")}};
    SchemaIndex ixB;
    ixB.name = QStringLiteral("ix_b");
    ixB.columns = {QStringLiteral("lower(name)"), QStringLiteral("id")};
    ixB.isExpression = {true, false};
    ixB.where = QStringLiteral("(id > 0)");
    ixB.dialectOptions.insert(QStringLiteral("postgresql_using"), QStringLiteral("gin"));
    SchemaIndex ixA;
    ixA.name = QStringLiteral("ix_a");
    ixA.unique = true;
    ixA.columns = {QStringLiteral("name")};
    ixA.isExpression = {false};
    ixA.duplicatesConstraint = QStringLiteral("ix_a");
    owner.indexes = {ixB, ixA};   // out of order on purpose
    owner.uniqueConstraints = {SchemaUniqueConstraint{QStringLiteral("ix_a"), {QStringLiteral("name")}, {}}};
    owner.checkConstraints = {SchemaCheckConstraint{QString(), QStringLiteral("id > 0")},
                              SchemaCheckConstraint{QStringLiteral("ck_z"), QStringLiteral("1 = 1")}};

    SchemaTable item;
    item.name = QStringLiteral("item");
    SchemaColumn ownerId;
    ownerId.name = QStringLiteral("owner_id");
    ownerId.type = QStringLiteral("INTEGER");
    item.columns = {ownerId};
    SchemaForeignKey fk;
    fk.columns = {QStringLiteral("owner_id")};
    fk.referredSchema = QStringLiteral("other");
    fk.referredTable = QStringLiteral("owner");
    fk.referredColumns = {QStringLiteral("id")};
    fk.onDelete = QStringLiteral("CASCADE");
    fk.deferrable = true;
    fk.initially = QStringLiteral("DEFERRED");
    fk.match = QStringLiteral("FULL");
    item.foreignKeys = {fk};

    SchemaNamespace other;
    other.name = QStringLiteral("other");
    other.tables = {owner};
    other.enums = {SchemaEnum{QStringLiteral("mood"), QStringLiteral("other"),
                              {QStringLiteral("sad"), QStringLiteral("happy")}}};
    SchemaNamespace def;
    def.tables = {owner, item};
    def.views = {QStringLiteral("v2"), QStringLiteral("v1")};
    m.schemas = {other, def};   // default schema second on purpose
    return m;
}

} // namespace

class TestSchemaModel : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip();
    void normalizeOrders();
    void stableBytes();
    void lookups();
    void fileRoundTrip();
    void minimalDocument();
    void badDocuments_data();
    void badDocuments();
    void storedSnapshotReads();
};

void TestSchemaModel::roundTrip()
{
    SchemaModel m = sample();
    Result<SchemaModel> back = SchemaModel::fromJson(m.toJson());
    QVERIFY2(back.ok(), qPrintable(back.error().toString()));
    m.normalize();
    QVERIFY(*back == m);
    const SchemaColumn *id = back->findTable(QString(), QStringLiteral("owner"))->findColumn(QStringLiteral("id"));
    QVERIFY(id && id->identity);
    QCOMPARE(*id->identity->maxValue, std::numeric_limits<qint64>::max());
    const SchemaColumn *name = back->findTable(QString(), QStringLiteral("owner"))->findColumn(QStringLiteral("name"));
    QVERIFY(name->comment.has_value());
    QVERIFY(name->comment->isEmpty());
    QCOMPARE(*name->serverDefault, QStringLiteral("''::character varying"));
}

void TestSchemaModel::normalizeOrders()
{
    SchemaModel m = sample();
    m.normalize();
    QCOMPARE(m.schemas.at(0).name, QString());   // default schema first
    QCOMPARE(m.schemas.at(1).name, QStringLiteral("other"));
    QCOMPARE(m.schemas.at(0).tables.at(0).name, QStringLiteral("item"));
    QCOMPARE(m.schemas.at(0).views, (QStringList{QStringLiteral("v1"), QStringLiteral("v2")}));
    const SchemaTable *owner = m.findTable(QString(), QStringLiteral("owner"));
    QCOMPARE(owner->indexes.at(0).name, QStringLiteral("ix_a"));
    QCOMPARE(owner->checkConstraints.at(0).name, QStringLiteral("ck_z"));   // unnamed last
    QCOMPARE(owner->columns.at(0).name, QStringLiteral("id"));               // ordinal order kept
    QCOMPARE(owner->columns.at(2).name, QStringLiteral("total"));
}

void TestSchemaModel::stableBytes()
{
    SchemaModel a = sample();
    SchemaModel b = sample();
    std::reverse(b.schemas.begin(), b.schemas.end());
    std::reverse(b.schemas[0].tables.begin(), b.schemas[0].tables.end());
    QCOMPARE(a.toJson(), b.toJson());
    // The document names its format.
    const QJsonObject o = a.toJsonObject();
    QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("retort-schema"));
    QCOMPARE(o.value(QStringLiteral("format_version")).toInt(), SchemaModel::formatVersion);
    const QJsonObject defaultSchema = o.value(QStringLiteral("schemas")).toArray().at(0).toObject();
    QVERIFY(defaultSchema.value(QStringLiteral("name")).isNull());
}

void TestSchemaModel::lookups()
{
    SchemaModel m = sample();
    QCOMPARE(m.tableCount(), 3);
    QVERIFY(m.findSchema(QStringLiteral("other")));
    QVERIFY(!m.findSchema(QStringLiteral("nope")));
    QVERIFY(!m.findTable(QStringLiteral("other"), QStringLiteral("item")));
    SchemaNamespace &added = m.schema(QStringLiteral("new"));
    QCOMPARE(added.name, QStringLiteral("new"));
    QCOMPARE(m.schemas.size(), 3);
    QCOMPARE(&m.schema(QStringLiteral("new")), m.findSchema(QStringLiteral("new")));

    // Writing through a lookup changes this model only, never a copy sharing its data.
    const SchemaModel before = m;
    SchemaModel copy = m;
    copy.findSchema(QStringLiteral("other"))->name = QStringLiteral("renamed");
    copy.findSchema(QString())->findTable(QStringLiteral("item"))->name = QStringLiteral("thing");
    copy.findSchema(QString())->findTable(QStringLiteral("owner"))->findColumn(QStringLiteral("id"))->type
        = QStringLiteral("TEXT");
    QVERIFY(m == before);
    QVERIFY(m.findSchema(QStringLiteral("other")));
    QVERIFY(m.findTable(QString(), QStringLiteral("item")));
    QVERIFY(copy.findSchema(QStringLiteral("renamed")));
}

void TestSchemaModel::fileRoundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("snap.json"));
    SchemaModel m = sample();
    VoidResult w = m.toJsonFile(path);
    QVERIFY2(w.ok(), qPrintable(w.error().toString()));
    Result<SchemaModel> r = SchemaModel::fromJsonFile(path);
    QVERIFY2(r.ok(), qPrintable(r.error().toString()));
    m.normalize();
    QVERIFY(*r == m);

    Result<SchemaModel> missing = SchemaModel::fromJsonFile(dir.filePath(QStringLiteral("none.json")));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().file, dir.filePath(QStringLiteral("none.json")));
    VoidResult unwritable = m.toJsonFile(dir.filePath(QStringLiteral("no/such/dir/x.json")));
    QVERIFY(!unwritable.ok());
}

void TestSchemaModel::minimalDocument()
{
    // What a hand-written or older producer may emit: absent keys take defaults.
    Result<SchemaModel> m = SchemaModel::fromJson(
        R"({"dialect": "sqlite", "schemas": [{"name": null, "tables": [
              {"name": "t", "columns": [{"name": "a", "type": "INTEGER", "autoincrement": true}],
               "foreign_keys": [{"columns": ["a"], "referred_table": "u", "referred_columns": ["id"]}],
               "indexes": [{"name": "ix", "columns": ["a"]}]}]}]})");
    QVERIFY2(m.ok(), qPrintable(m.error().toString()));
    const SchemaTable *t = m->findTable(QString(), QStringLiteral("t"));
    QVERIFY(t);
    QVERIFY(t->columns.at(0).nullable);
    QCOMPARE(t->columns.at(0).autoincrement, SchemaColumn::Autoincrement::Yes);
    QVERIFY(!t->columns.at(0).serverDefault);
    QCOMPARE(t->indexes.at(0).isExpression, QVector<bool>{false});
    QVERIFY(t->primaryKey.isEmpty());
    QCOMPARE(t->foreignKeys.at(0).referredSchema, QString());
}

void TestSchemaModel::badDocuments_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    QTest::newRow("syntax") << QByteArray("{\n\"schemas\": [\n,]}") << QStringLiteral("invalid JSON") << 3;
    QTest::newRow("not object") << QByteArray("[]") << QStringLiteral("must be a JSON object") << 0;
    QTest::newRow("other format") << QByteArray(R"({"format": "something"})")
                                  << QStringLiteral("not a retort schema document") << 0;
    QTest::newRow("newer") << QByteArray(R"({"format_version": 99})")
                           << QStringLiteral("newer than this Retort reads") << 0;
    QTest::newRow("table name") << QByteArray(R"({"schemas": [{"tables": [{"columns": []}]}]})")
                                << QStringLiteral("schemas[0].tables[0]: 'name' is required") << 0;
    QTest::newRow("column type") << QByteArray(R"({"schemas": [{"tables": [{"name": "t",
        "columns": [{"name": "a"}, {"name": "b", "nullable": "yes"}]}]}]})")
                                 << QStringLiteral("schemas[0].tables[0].columns[1]: 'nullable' must be a boolean")
                                 << 0;
    QTest::newRow("autoincrement") << QByteArray(R"({"schemas": [{"tables": [{"name": "t",
        "columns": [{"name": "a", "autoincrement": "sometimes"}]}]}]})")
                                   << QStringLiteral("'autoincrement' must be true, false or \"auto\"") << 0;
    QTest::newRow("fk table") << QByteArray(R"({"schemas": [{"tables": [{"name": "t",
        "foreign_keys": [{"columns": ["a"]}]}]}]})")
                              << QStringLiteral("foreign_keys[0]: 'referred_table' is required") << 0;
    QTest::newRow("string list") << QByteArray(R"({"schemas": [{"views": [1]}]})")
                                 << QStringLiteral("schemas[0]: 'views' must hold strings") << 0;
}

void TestSchemaModel::badDocuments()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    QFETCH(int, line);
    Result<SchemaModel> m = SchemaModel::fromJson(json, QStringLiteral("snap.json"));
    QVERIFY(!m.ok());
    QVERIFY2(m.error().message.contains(message), qPrintable(m.error().message));
    QCOMPARE(m.error().file, QStringLiteral("snap.json"));
    QCOMPARE(m.error().line, line);
}

void TestSchemaModel::storedSnapshotReads()
{
    // The SQLAlchemy-generated fixtures parse and re-serialize without loss.
    for (const char *name : {"expected-sqlite.json", "expected-postgresql.json", "expected-mysql.json"}) {
        const QString path = QStringLiteral(RETORT_FIXTURES_DIR "/schema/") + QLatin1String(name);
        Result<SchemaModel> m = SchemaModel::fromJsonFile(path);
        QVERIFY2(m.ok(), qPrintable(m.error().toString()));
        QVERIFY(m->tableCount() > 3);
        Result<SchemaModel> again = SchemaModel::fromJson(m->toJson());
        QVERIFY(again.ok());
        m->normalize();
        QVERIFY(*again == *m);
    }
}

QTEST_GUILESS_MAIN(TestSchemaModel)
#include "tst_schemamodel.moc"
