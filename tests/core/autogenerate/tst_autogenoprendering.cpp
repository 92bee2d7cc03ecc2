// MigrationScriptRenderer::renderOp for operations the SQLite fixtures do not produce
// (schemas, comments, FK options, expression indexes), against Alembic 1.8.1's
// render_op_text for the same operations (expected/op_renders.json, written by
// tests/fixtures/autogenerate/expected_op_renders.py).

#include "autogeneratetestsupport.h"

#include "autogenerate/migrationscriptrenderer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace retort;
using namespace retort::test;

class tst_AutogenOpRendering : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void render_data();
    void render();

private:
    QJsonObject m_expected;
    QMap<QString, AutogenOp> m_ops;
};

static SchemaColumn col(const QString &name, const QString &cls, bool nullable = true)
{
    SchemaColumn c;
    c.name = name;
    c.typeInfo.typeClass = cls;
    c.nullable = nullable;
    return c;
}

void tst_AutogenOpRendering::initTestCase()
{
    m_expected = QJsonDocument::fromJson(readText(autogenFixture(QStringLiteral("expected/op_renders.json"))).toUtf8()).object();
    QVERIFY(!m_expected.isEmpty());

    SchemaTable t;
    t.name = QStringLiteral("t");
    t.comment = QStringLiteral("tbl");
    SchemaColumn id = col(QStringLiteral("id"), QStringLiteral("INTEGER"), false);
    id.autoincrement = SchemaColumn::Autoincrement::No;
    SchemaColumn v = col(QStringLiteral("v"), QStringLiteral("NUMERIC"));
    v.typeInfo.precision = 10;
    v.typeInfo.scale = 2;
    v.serverDefault = QStringLiteral("0");
    v.comment = QStringLiteral("value");
    SchemaColumn at = col(QStringLiteral("at"), QStringLiteral("TIMESTAMP"), false);
    at.typeInfo.timezone = true;
    t.columns = {id, v, at};
    t.primaryKey.columns = {QStringLiteral("id")};
    SchemaForeignKey fk1;
    fk1.name = QStringLiteral("fk_t_other");
    fk1.columns = {QStringLiteral("id")};
    fk1.referredSchema = QStringLiteral("s2");
    fk1.referredTable = QStringLiteral("other");
    fk1.referredColumns = {QStringLiteral("id")};
    fk1.onDelete = QStringLiteral("CASCADE");
    SchemaForeignKey fk2 = fk1;
    fk2.name = QStringLiteral("fk_v");
    fk2.columns = {QStringLiteral("v")};
    fk2.onUpdate = QStringLiteral("SET NULL");
    fk2.initially = QStringLiteral("DEFERRED");
    fk2.deferrable = true;
    t.foreignKeys = {fk1, fk2};
    SchemaUniqueConstraint uq1{QStringLiteral("uq_t_v"), {QStringLiteral("v")}, {}};
    SchemaUniqueConstraint uq2{QStringLiteral("uq_t_v_at"), {QStringLiteral("v"), QStringLiteral("at")}, {}};
    t.uniqueConstraints = {uq1, uq2};
    t.checkConstraints = {SchemaCheckConstraint{QStringLiteral("ck_v"), QStringLiteral("v > 0")}};

    auto base = [](AutogenOp::Kind kind, const QString &schema = QStringLiteral("s")) {
        AutogenOp op;
        op.kind = kind;
        op.schema = schema;
        op.table = QStringLiteral("t");
        op.side = OpSide::Database;
        return op;
    };
    AutogenOp create = base(AutogenOp::CreateTable);
    create.tableDef = t;
    m_ops.insert(QStringLiteral("create_table_schema_comment"), create);
    AutogenOp drop = create;
    drop.kind = AutogenOp::DropTable;
    m_ops.insert(QStringLiteral("drop_table_schema"), drop);

    AutogenOp cc = base(AutogenOp::CreateTableComment);
    cc.comment = QStringLiteral("new");
    cc.existingComment = QStringLiteral("old");
    m_ops.insert(QStringLiteral("table_comment_create"), cc);
    AutogenOp dc = base(AutogenOp::DropTableComment, QString());
    dc.existingComment = QStringLiteral("old");
    m_ops.insert(QStringLiteral("table_comment_drop"), dc);

    SchemaColumn varchar = col(QStringLiteral("v"), QStringLiteral("VARCHAR"));
    varchar.typeInfo.length = 20;
    AutogenOp ac = base(AutogenOp::AlterColumn);
    ac.columnName = QStringLiteral("v");
    ac.existingType = ColumnRef{OpSide::Database, QStringLiteral("s"), QStringLiteral("t"), varchar};
    ac.modifiesComment = true;
    ac.modifyComment = QStringLiteral("new");
    ac.existingComment = QStringLiteral("old");
    ac.existingNullable = true;
    m_ops.insert(QStringLiteral("alter_comment"), ac);
    AutogenOp ad = base(AutogenOp::AlterColumn, QString());
    ad.columnName = QStringLiteral("v");
    SchemaColumn withDefault = varchar;
    withDefault.serverDefault = QStringLiteral("'x'");
    ad.existingType = ColumnRef{OpSide::Database, QString(), QStringLiteral("t"), varchar};
    ad.modifiesServerDefault = true;
    ad.existingServerDefault = ColumnRef{OpSide::Database, QString(), QStringLiteral("t"), withDefault};
    ad.existingNullable = false;
    m_ops.insert(QStringLiteral("alter_server_default_removed"), ad);

    AutogenOp addc = base(AutogenOp::AddColumn);
    SchemaColumn c = col(QStringLiteral("c"), QStringLiteral("INTEGER"));
    c.comment = QStringLiteral("hi");
    addc.column = ColumnRef{OpSide::Database, QStringLiteral("s"), QStringLiteral("t"), c};
    m_ops.insert(QStringLiteral("add_column_schema"), addc);
    AutogenOp dropc = addc;
    dropc.kind = AutogenOp::DropColumn;
    m_ops.insert(QStringLiteral("drop_column_schema"), dropc);

    AutogenOp ci = base(AutogenOp::CreateIndex);
    ci.name = OpName{QStringLiteral("ix_t_lower"), false};
    ci.index.name = ci.name.name;
    ci.index.columns = {QStringLiteral("lower(v)")};
    ci.index.isExpression = {true};
    m_ops.insert(QStringLiteral("create_index_expression"), ci);
    AutogenOp di = ci;
    di.kind = AutogenOp::DropIndex;
    m_ops.insert(QStringLiteral("drop_index_schema"), di);

    AutogenOp au = base(AutogenOp::AddUniqueConstraint);
    au.name = OpName{uq2.name, false};
    au.unique = uq2;
    m_ops.insert(QStringLiteral("create_unique_schema"), au);
    AutogenOp du = au;
    du.kind = AutogenOp::DropUniqueConstraint;
    m_ops.insert(QStringLiteral("drop_unique_schema"), du);

    AutogenOp cf = base(AutogenOp::CreateForeignKey);
    cf.name = OpName{fk2.name, false};
    cf.foreignKey = fk2;
    m_ops.insert(QStringLiteral("create_fk_options"), cf);
    AutogenOp df = cf;
    df.kind = AutogenOp::DropForeignKey;
    m_ops.insert(QStringLiteral("drop_fk_schema"), df);
}

void tst_AutogenOpRendering::render_data()
{
    QTest::addColumn<QString>("name");
    for (const QString &k : m_expected.keys())
        QTest::newRow(qPrintable(k)) << k;
}

void tst_AutogenOpRendering::render()
{
    QFETCH(QString, name);
    QVERIFY2(m_ops.contains(name), "no C++ counterpart for this expected op");
    MigrationScriptRenderer renderer(nullptr, QStringLiteral("postgresql"));
    QSet<QString> imports;
    QCOMPARE(renderer.renderOp(m_ops.value(name), false, &imports).join(QLatin1Char('\n')),
             m_expected.value(name).toString());
}

QTEST_GUILESS_MAIN(tst_AutogenOpRendering)
#include "tst_autogenoprendering.moc"
