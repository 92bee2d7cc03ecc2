// DdlRenderer on single ops built from source text with PyExpressionParser; the
// expected statements are Alembic 1.8.1's output for the same call in --sql mode
// (MigrationContext.configure(dialect_name=..., opts={'as_sql': True, 'literal_binds': True})).

#include "ddl/ddlrenderer.h"
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
        << "postgresql" << QStringList{"ERROR No literal value renderer is available for literal value \"datetime.date(2020, 1, 2)\""};
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
    QTest::newRow("sqlite_autoincrement refused") << "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sqlite_autoincrement=True)"
        << "sqlite" << QStringList{"ERROR unsupported argument sqlite_autoincrement="};
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
