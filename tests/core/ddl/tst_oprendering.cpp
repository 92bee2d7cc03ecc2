// DdlRenderer on single ops built from source text with PyExpressionParser; the
// expected statements are Alembic 1.8.1's output for the same call in --sql mode
// (MigrationContext.configure(dialect_name=..., opts={'as_sql': True, 'literal_binds': True})).

#include "ddl/ddlrenderer.h"
#include "operations/scriptinterpreter.h"
#include "python/pyexpressionparser.h"

#include <QtTest>

using namespace retort;

namespace {

Result<MigrationOp> parseOp(const QString &source)
{
    auto v = PyExpressionParser::parseSource(source);
    if (!v)
        return v.error();
    MigrationOp op;
    op.name = v->calleeName().mid(3);   // after "op."
    op.args = v->args();
    op.kwargs = v->kwargs();
    op.line = 7;
    return op;
}

QString normalized(const QString &sql)
{
    return QString(sql).replace(QLatin1Char('\t'), QStringLiteral("    ")).trimmed();
}

} // namespace

class TstOpRendering : public QObject
{
    Q_OBJECT

private slots:
    void render_data();
    void render();
    void interpreted_data();
    void interpreted();
    void onlineBulkInsert();
    void onlinePostgresStrings();
};

void TstOpRendering::render_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QStringList>("expected");   // or {"ERROR <message end>"}

    const QString uncalledType = "op.create_table('a', sa.Column('id', sa.Integer, primary_key=True), "
                                 "sa.Column('n', sa.String(10), nullable=False, default='x'))";
    QTest::newRow("uncalled type, client default: sqlite") << uncalledType << "sqlite"
        << QStringList{"CREATE TABLE a (\n    id INTEGER NOT NULL, \n    n VARCHAR(10) NOT NULL, \n    PRIMARY KEY (id)\n)"};
    QTest::newRow("uncalled type: postgresql") << uncalledType << "postgresql"
        << QStringList{"CREATE TABLE a (\n    id SERIAL NOT NULL, \n    n VARCHAR(10) NOT NULL, \n    PRIMARY KEY (id)\n)"};
    QTest::newRow("uncalled type: mysql") << uncalledType << "mysql"
        << QStringList{"CREATE TABLE a (\n    id INTEGER NOT NULL AUTO_INCREMENT, \n    n VARCHAR(10) NOT NULL, \n    PRIMARY KEY (id)\n)"};

    const QString addUnique = "op.add_column('a', sa.Column('u', sa.String(5), unique=True))";
    QTest::newRow("add unique column: sqlite refuses the constraint") << addUnique << "sqlite"
        << QStringList{"ERROR using a copy-and-move strategy."};
    QTest::newRow("add unique column: postgresql") << addUnique << "postgresql"
        << QStringList{"ALTER TABLE a ADD COLUMN u VARCHAR(5)", "ALTER TABLE a ADD UNIQUE (u)"};

    const QString addNow = "op.add_column('a', sa.Column('d', sa.DateTime(), server_default=sa.func.now(), nullable=False))";
    QTest::newRow("func default: sqlite") << addNow << "sqlite"
        << QStringList{"ALTER TABLE a ADD COLUMN d DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL"};
    QTest::newRow("func default: postgresql") << addNow << "postgresql"
        << QStringList{"ALTER TABLE a ADD COLUMN d TIMESTAMP WITHOUT TIME ZONE DEFAULT now() NOT NULL"};
    QTest::newRow("func default: mysql") << addNow << "mysql"
        << QStringList{"ALTER TABLE a ADD COLUMN d DATETIME NOT NULL DEFAULT now()"};

    const QString smallPk = "op.create_table('c', sa.Column('id', sa.SmallInteger(), primary_key=True), "
                            "sa.Column('e', sa.Enum('x', 'y', name='ce', native_enum=False)))";
    QTest::newRow("smallserial") << smallPk << "postgresql"
        << QStringList{"CREATE TABLE c (\n    id SMALLSERIAL NOT NULL, \n    e VARCHAR(1), \n    PRIMARY KEY (id)\n)"};
    QTest::newRow("no autoincrement=False") << "op.create_table('b', sa.Column('id', sa.BigInteger(), primary_key=True, autoincrement=False), sa.Column('t', sa.Text(), server_default=''))"
        << "mysql" << QStringList{"CREATE TABLE b (\n    id BIGINT NOT NULL, \n    t TEXT DEFAULT '', \n    PRIMARY KEY (id)\n)"};

    const QString alterType = "op.alter_column('a', 'n', type_=sa.Text(), existing_type=sa.String(10), "
                              "existing_nullable=False, existing_server_default=sa.text(\"'q'\"))";
    QTest::newRow("alter type: sqlite") << alterType << "sqlite" << QStringList{"ALTER TABLE a ALTER COLUMN n TYPE TEXT"};
    QTest::newRow("alter type: mysql restates") << alterType << "mysql"
        << QStringList{"ALTER TABLE a MODIFY n TEXT NOT NULL DEFAULT 'q'"};
    QTest::newRow("datetime uses CHANGE on mysql") << "op.alter_column('a', 'd', existing_type=sa.DateTime(), nullable=True)"
        << "mysql" << QStringList{"ALTER TABLE a CHANGE d d DATETIME NULL"};
    QTest::newRow("mysql needs existing_type") << "op.alter_column('t', 'c', nullable=False)" << "mysql"
        << QStringList{"ERROR All MySQL CHANGE/MODIFY COLUMN operations require the existing type."};

    const QString partial = "op.create_index('ix_a_n', 'a', ['n'], unique=True, sqlite_where=sa.text('n > 0'), "
                            "postgresql_where=sa.text('n > 0'))";
    QTest::newRow("partial index: sqlite") << partial << "sqlite" << QStringList{"CREATE UNIQUE INDEX ix_a_n ON a (n) WHERE n > 0"};
    QTest::newRow("partial index: mysql ignores") << partial << "mysql" << QStringList{"CREATE UNIQUE INDEX ix_a_n ON a (n)"};

    const QString fk = "op.create_foreign_key('fk_a_b', 'a', 'b', ['bid'], ['id'], source_schema='s1', "
                       "referent_schema='s2', match='FULL', initially='IMMEDIATE', deferrable=True)";
    QTest::newRow("fk options: postgresql") << fk << "postgresql"
        << QStringList{"ALTER TABLE s1.a ADD CONSTRAINT fk_a_b FOREIGN KEY(bid) REFERENCES s2.b (id) MATCH FULL DEFERRABLE INITIALLY IMMEDIATE"};
    QTest::newRow("fk match: mysql refuses") << fk << "mysql"
        << QStringList{"ERROR causes ON UPDATE/ON DELETE clauses to be ignored."};

    const QString insert = "op.bulk_insert(sa.table('a', sa.column('id', sa.Integer), sa.column('n', sa.String), schema='s'), "
                           "[{'id': 1, 'n': 'a\\nb'}, {'id': 2.7, 'n': 'it\\'s'}])";
    QTest::newRow("bulk_insert: newline, int(), quote") << insert << "postgresql"
        << QStringList{"INSERT INTO s.a (id, n) VALUES (1, 'a\nb')", "INSERT INTO s.a (id, n) VALUES (2, 'it''s')"};
    QTest::newRow("bulk_insert date refused") << "op.bulk_insert(sa.table('a', sa.column('d', sa.Date)), [{'d': datetime.date(2020, 1, 2)}])"
        << "postgresql" << QStringList{"ERROR No literal value renderer is available for literal value \"datetime.date(2020, 1, 2)\" with datatype DATE"};
    QTest::newRow("bulk_insert bool into Integer") << "op.bulk_insert(sa.table('a', sa.column('i', sa.Integer)), [{'i': True}])"
        << "postgresql" << QStringList{"INSERT INTO a (i) VALUES (1)"};
    QTest::newRow("enum schema") << "op.create_table('t', sa.Column('e', sa.Enum('a', name='e1', schema='o')), schema='s')"
        << "postgresql" << QStringList{"CREATE TYPE o.e1 AS ENUM ('a')", "CREATE TABLE s.t (\n    e o.e1\n)"};
    QTest::newRow("bulk_insert date: sqlite") << "op.bulk_insert(sa.table('a', sa.column('d', sa.DateTime)), [{'d': datetime.datetime(2020, 1, 2, 3, 4)}])"
        << "sqlite" << QStringList{"INSERT INTO a (d) VALUES ('2020-01-02 03:04:00.000000')"};
    QTest::newRow("rename_table in schema: mysql") << "op.rename_table('a', 'b', schema='s')" << "mysql"
        << QStringList{"ALTER TABLE s.a RENAME TO s.b"};
    QTest::newRow("rename_table in schema: sqlite") << "op.rename_table('a', 'b', schema='s')" << "sqlite"
        << QStringList{"ALTER TABLE s.a RENAME TO b"};
    QTest::newRow("drop_table in schema") << "op.drop_table('a', schema='s')" << "postgresql" << QStringList{"DROP TABLE s.a"};
    QTest::newRow("execute") << "op.execute('SELECT 1')" << "mysql" << QStringList{"SELECT 1"};
    QTest::newRow("unknown Column argument") << "op.add_column('a', sa.Column('x', sa.Integer(), sa.FetchedValue()))" << "postgresql"
        << QStringList{"ERROR unsupported Column argument sa.FetchedValue()"};
    QTest::newRow("unknown index option refused") << "op.create_index('ix', 't', ['a'], postgresql_nulls_not_distinct=True)"
        << "postgresql" << QStringList{"ERROR unsupported argument postgresql_nulls_not_distinct="};
    QTest::newRow("other dialect's index option ignored") << "op.create_index('ix', 't', ['a'], postgresql_include=['b'])"
        << "sqlite" << QStringList{"CREATE INDEX ix ON t (a)"};
    QTest::newRow("sqlite_autoincrement") << "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sqlite_autoincrement=True)"
        << "sqlite" << QStringList{"CREATE TABLE t (\n    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT\n)"};
    QTest::newRow("a MetaData among create_table's items is ignored") << "op.create_table('t', sa.MetaData(), sa.Column('id', sa.Integer(), primary_key=True), sa.Column('s', sa.String(5), index=True))"
        << "postgresql" << QStringList{"CREATE TABLE t (\n    id SERIAL NOT NULL, \n    s VARCHAR(5), \n    PRIMARY KEY (id)\n)", "CREATE INDEX ix_t_s ON t (s)"};
    QTest::newRow("int server_default refused") << "op.add_column('a', sa.Column('x', sa.Integer(), server_default=0))" << "postgresql"
        << QStringList{"ERROR server_default must be a string or SQL expression, not 0"};

    // Unnamed objects (issue 11 item 4): Alembic's output for the same calls.
    const QString rule = "_create_rule=<sqlalchemy.util.langhelpers.portable_instancemethod>";
    QTest::newRow("drop unnamed constraint: postgresql") << "op.drop_constraint(None, 'tracks')" << "postgresql"
        << QStringList{"ERROR Can't emit DROP CONSTRAINT for constraint Constraint(" + rule + "); it has no name"};
    QTest::newRow("drop unnamed unique: postgresql") << "op.drop_constraint(None, 'tracks', type_='unique')"
        << "postgresql" << QStringList{"ERROR Can't emit DROP CONSTRAINT for constraint UniqueConstraint(); it has no name"};
    QTest::newRow("drop unnamed primary key: postgresql") << "op.drop_constraint(None, 'tracks', type_='primary')"
        << "postgresql" << QStringList{"ERROR Can't emit DROP CONSTRAINT for constraint PrimaryKeyConstraint(); it has no name"};
    QTest::newRow("drop unnamed check: postgresql") << "op.drop_constraint(None, 'tracks', type_='check', schema='ev')"
        << "postgresql" << QStringList{"ERROR Can't emit DROP CONSTRAINT for constraint CheckConstraint(<sqlalchemy.sql.elements.TextClause>, "
                                       "table=Table('tracks', MetaData(), schema='ev'), " + rule + "); it has no name"};
    QTest::newRow("drop unnamed foreign key: postgresql") << "op.drop_constraint(None, 'tracks', type_='foreignkey')"
        << "postgresql" << QStringList{"ERROR Can't emit DROP CONSTRAINT for constraint ForeignKeyConstraint(<sqlalchemy.sql.base.DedupeColumnCollection>, "
                                       "None, table=Table('tracks', MetaData(), schema=None)); it has no name"};
    QTest::newRow("drop unnamed constraint: mysql") << "op.drop_constraint(None, 'tracks')" << "mysql"
        << QStringList{"ERROR No generic 'DROP CONSTRAINT' in MySQL - please specify constraint type"};
    QTest::newRow("drop unnamed unique: mariadb") << "op.drop_constraint(None, 'tracks', type_='unique')" << "mariadb"
        << QStringList{"ERROR object of type 'NoneType' has no len()"};
    QTest::newRow("drop unnamed primary key: mysql") << "op.drop_constraint(None, 'tracks', type_='primary', schema='ev')"
        << "mysql" << QStringList{"ALTER TABLE ev.tracks DROP PRIMARY KEY"};
    QTest::newRow("drop unnamed unique: sqlite") << "op.drop_constraint(None, 'tracks', type_='unique')" << "sqlite"
        << QStringList{"ERROR using a copy-and-move strategy."};
    QTest::newRow("unnamed index, quoted names") << "op.create_index(None, 'Tracks', ['Name'])" << "postgresql"
        << QStringList{"CREATE INDEX \"ix_Tracks_Name\" ON \"Tracks\" (\"Name\")"};
    QTest::newRow("unnamed index, dotted schema") << "op.create_index(None, 'tracks', ['a'], schema='my.sch')"
        << "postgresql" << QStringList{"CREATE INDEX ix_my_sch_tracks_a ON \"my.sch\".tracks (a)"};
    QTest::newRow("unnamed sa.Index on text() only") << "op.create_table('t7', sa.Column('id', sa.Integer(), nullable=False), "
                                                        "sa.Column('x', sa.String()), sa.Index(None, sa.text('lower(x)')))"
        << "postgresql" << QStringList{"CREATE TABLE t7 (\n    id INTEGER NOT NULL, \n    x VARCHAR\n)",
                                       "CREATE INDEX ix_ ON t7 (lower(x))"};
    QTest::newRow("primary_key=True, nullable=True") << "op.create_table('t3', sa.Column('tag_id', sa.Integer(), nullable=True, primary_key=True))"
        << "mysql" << QStringList{"CREATE TABLE t3 (\n    tag_id INTEGER AUTO_INCREMENT, \n    PRIMARY KEY (tag_id)\n)"};
    QTest::newRow("autoincrement=True beats a foreign key") << "op.create_table('t5', sa.Column('id', sa.Integer(), sa.ForeignKey('b.id'), "
                                                               "primary_key=True, autoincrement=True))"
        << "postgresql" << QStringList{"CREATE TABLE t5 (\n    id SERIAL NOT NULL, \n    PRIMARY KEY (id), \n    FOREIGN KEY(id) REFERENCES b (id)\n)"};
}

// Ops whose arguments need the script interpreter's shapes (methods of values:
// t.update().where(...), type.with_variant(...)): one op in an upgrade() body.
void TstOpRendering::interpreted_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QStringList>("expected");
    // Statements built in the script (SQLAlchemy 1.4's literal_binds compilation).
    const QString t = "sa.table('t', sa.column('id', sa.Integer), sa.column('s', sa.String), sa.column('b', sa.Boolean), schema='sc')";
    QTest::newRow("execute: not in") << "op.execute(" + t + ".update().where(~" + t + ".c.id.in_([1, 2])).values(s='x'))"
        << "postgresql" << QStringList{"UPDATE sc.t SET s='x' WHERE (sc.t.id NOT IN (1, 2))"};
    QTest::newRow("execute: not_ of and_") << "op.execute(" + t + ".delete().where(~sa.and_(" + t + ".c.id == 1, " + t + ".c.s == 'a')))"
        << "mysql" << QStringList{"DELETE FROM sc.t WHERE NOT (sc.t.id = 1 AND sc.t.s = 'a')"};
    QTest::newRow("execute: boolean column, sqlite") << "op.execute(" + t + ".delete().where(sa.and_(" + t + ".c.b, sa.or_(" + t + ".c.id == 1, " + t + ".c.id == 2))))"
        << "sqlite" << QStringList{"DELETE FROM sc.t WHERE sc.t.b = 1 AND (sc.t.id = 1 OR sc.t.id = 2)"};
    QTest::newRow("execute: boolean column, postgresql") << "op.execute(" + t + ".delete().where(sa.not_(" + t + ".c.b)))"
        << "postgresql" << QStringList{"DELETE FROM sc.t WHERE NOT sc.t.b"};
    QTest::newRow("execute: arithmetic and func") << "op.execute(" + t + ".update().values(s=sa.func.lower(" + t + ".c.s), id=" + t + ".c.id * 2 + 1))"
        << "sqlite" << QStringList{"UPDATE sc.t SET id=(sc.t.id * 2 + 1), s=lower(sc.t.s)"};
    QTest::newRow("execute: multi-row insert") << "op.execute(" + t + ".insert().values([{'id': 1, 's': 'a'}, {'id': 2, 's': 'b'}]))"
        << "mysql" << QStringList{"INSERT INTO sc.t (id, s) VALUES (1, 'a'), (2, 'b')"};
    QTest::newRow("execute: reflected comparison, between") << "op.execute(" + t + ".delete().where(sa.and_(5 < " + t + ".c.id, " + t + ".c.id.between(1, 9))))"
        << "postgresql" << QStringList{"DELETE FROM sc.t WHERE sc.t.id > 5 AND sc.t.id BETWEEN 1 AND 9"};
    QTest::newRow("execute: unknown column") << "op.execute(" + t + ".insert().values(nope=1))"
        << "postgresql" << QStringList{"ERROR Unconsumed column names: nope"};
    QTest::newRow("execute: untyped column value") << "op.execute(sa.table('t', sa.column('x')).update().values(x='n'))"
        << "sqlite" << QStringList{"ERROR No literal value renderer is available for literal value \"'n'\" with datatype NULL"};
    QTest::newRow("execute: text bindparams") << "op.execute(sa.text('UPDATE t SET a = :a WHERE b = :b').bindparams(sa.bindparam('a', True), b='x'))"
        << "sqlite" << QStringList{"UPDATE t SET a = 1 WHERE b = 'x'"};
    QTest::newRow("execute: unknown bindparam") << "op.execute(sa.text('SELECT :a').bindparams(c=1))"
        << "sqlite" << QStringList{"ERROR This text() construct doesn't define a bound parameter named 'c'"};
    // bool() of ==/!= of a column and a literal (SQLAlchemy: hashes compared) in and/or;
    // case() with grouped conditions (pgadmin4's pattern, our own script).
    QTest::newRow("execute: case of and'ed comparisons") << "op.execute(" + t + ".update().values(id=sa.case((" + t + ".c.s != 'NULL' and " + t + ".c.s != '', 1), else_=0)))"
        << "postgresql" << QStringList{"UPDATE sc.t SET id=CASE WHEN (sc.t.s != '') THEN 1 ELSE 0 END"};
    QTest::newRow("execute: or of comparisons") << "op.execute(" + t + ".delete().where(" + t + ".c.id == 1 or " + t + ".c.s == 'a'))"
        << "mysql" << QStringList{"DELETE FROM sc.t WHERE sc.t.s = 'a'"};
    QTest::newRow("execute: case list, column result, no else") << "op.execute(" + t + ".update().values(s=sa.case([(" + t + ".c.id > 2, " + t + ".c.s), (sa.and_(" + t + ".c.b, " + t + ".c.id == 1), 'one')], else_=None)))"
        << "sqlite" << QStringList{"UPDATE sc.t SET s=CASE WHEN (sc.t.id > 2) THEN sc.t.s WHEN (sc.t.b = 1 AND sc.t.id = 1) THEN 'one' END"};
    // The bind's execute() of a plain string (lemur, redash): what op.execute() runs.
    QTest::newRow("bind execute of a plain string") << "op.get_bind().execute(\"UPDATE t SET d = details::jsonb || '{\\\"a\\\": 1}' WHERE 1=1\")"
        << "postgresql" << QStringList{"UPDATE t SET d = details::jsonb || '{\"a\": 1}' WHERE 1=1"};
    QTest::newRow("with_variant") << "op.add_column('a', sa.Column('x', sa.String(20).with_variant(postgresql.JSONB(), 'postgresql')))"
        << "postgresql" << QStringList{"ALTER TABLE a ADD COLUMN x JSONB"};
    QTest::newRow("with_variant: other dialect") << "op.add_column('a', sa.Column('x', sa.String(20).with_variant(postgresql.JSONB(), 'postgresql')))"
        << "mysql" << QStringList{"ALTER TABLE a ADD COLUMN x VARCHAR(20)"};
    // neutron: sa.String(length=db_const.UUID_FIELD_SIZE) -- the value lives in the project.
    QTest::newRow("project constant as a type argument refused")
        << "from neutron_lib.db import constants as db_const; op.add_column('a', sa.Column('x', sa.String(length=db_const.UUID_FIELD_SIZE)))"
        << "postgresql" << QStringList{"ERROR unsupported type argument neutron_lib.db.constants.UUID_FIELD_SIZE (a name from the project)"};
    QTest::newRow("with_variant of an Enum refused") << "op.add_column('a', sa.Column('x', sa.Enum('a', name='e').with_variant(sa.String(5), 'mysql')))"
        << "postgresql" << QStringList{"ERROR with_variant() of an Enum or constrained Boolean type is not supported"};
}

void TstOpRendering::interpreted()
{
    QFETCH(QString, source);
    QFETCH(QString, dialect);
    QFETCH(QStringList, expected);
    const QString script = "from alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql\n\n\n"
                           "def upgrade():\n    " + source + "\n";
    auto program = ScriptInterpreter::interpret(script, QStringLiteral("t.py"));
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QVERIFY2(!program->needsPython.contains(QStringLiteral("upgrade")),
             qPrintable(program->needsPython.value(QStringLiteral("upgrade")).reason));
    const QVector<MigrationOp> ops = program->functions.value(QStringLiteral("upgrade"));
    QCOMPARE(ops.size(), 1);
    auto r = DdlRenderer::render(ops.first(), *Dialect::fromName(dialect));
    if (expected.size() == 1 && expected.first().startsWith(QLatin1String("ERROR "))) {
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.endsWith(expected.first().mid(6)), qPrintable(r.error().message));
        QCOMPARE(r.error().line, 7);   // the op's line in the script
        return;
    }
    QVERIFY2(r.ok(), qPrintable(r.error().toString()));
    QCOMPARE(*r, expected);
}

void TstOpRendering::onlineBulkInsert()
{
    // Online, multiinsert=True is one executemany with the first row's columns (Alembic).
    auto op = parseOp("op.bulk_insert(sa.table('a', sa.column('i', sa.Integer), sa.column('s', sa.String)), "
                      "[{'i': 1}, {'i': 2, 's': 'x'}, {'s': 'y'}])");
    QVERIFY(op.ok());
    RenderOptions online;
    online.online = true;
    auto r = DdlRenderer::render(*op, Dialect(Dialect::SQLite), online);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.endsWith("A value is required for bind parameter 'i', in parameter group 2"),
             qPrintable(r.error().message));
    op->args[1] = PyValue::list({op->args[1].items().at(0), op->args[1].items().at(1)});
    r = DdlRenderer::render(*op, Dialect(Dialect::SQLite), online);
    QVERIFY2(r.ok(), qPrintable(r.error().toString()));
    QCOMPARE(*r, (QStringList{"INSERT INTO a (i) VALUES (1)", "INSERT INTO a (i) VALUES (2)"}));
    r = DdlRenderer::render(*op, Dialect(Dialect::SQLite));   // --sql: each row as it is
    QVERIFY(r.ok());
    QCOMPARE(*r, (QStringList{"INSERT INTO a (i) VALUES (1)", "INSERT INTO a (i, s) VALUES (2, 'x')"}));
}

void TstOpRendering::onlinePostgresStrings()
{
    // An online PostgreSQL connection has standard_conforming_strings: backslashes stay.
    Dialect d(Dialect::PostgreSQL);
    QCOMPARE(d.stringLiteral(QStringLiteral("a\\b'c")), QStringLiteral("'a\\\\b''c'"));
    d.setBackslashEscapes(false);
    QCOMPARE(d.stringLiteral(QStringLiteral("a\\b'c")), QStringLiteral("'a\\b''c'"));
}

void TstOpRendering::render()
{
    QFETCH(QString, source);
    QFETCH(QString, dialect);
    QFETCH(QStringList, expected);
    auto op = parseOp(source);
    QVERIFY2(op.ok(), qPrintable(op.error().toString()));
    auto r = DdlRenderer::render(*op, *Dialect::fromName(dialect));
    if (expected.size() == 1 && expected.first().startsWith(QLatin1String("ERROR "))) {
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.endsWith(expected.first().mid(6)), qPrintable(r.error().message));
        QVERIFY2(r.error().message.startsWith(QStringLiteral("op.%1(): ").arg(op->name)), qPrintable(r.error().message));
        QCOMPARE(r.error().line, 7);
        return;
    }
    QVERIFY2(r.ok(), qPrintable(r.error().toString()));
    QStringList got;
    for (const QString &s : *r)
        got << normalized(s);
    QCOMPARE(got, expected);
}

QTEST_GUILESS_MAIN(TstOpRendering)
#include "tst_oprendering.moc"
