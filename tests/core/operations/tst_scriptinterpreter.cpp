// ScriptInterpreter on inline snippets: import normalisation, value shapes, substitution,
// folding, NeedsPython reasons/lines and syntax errors.

#include "operations/opdump.h"
#include "operations/scriptinterpreter.h"

#include <QtTest>

using namespace retort;

namespace {

const char *const kHeader =
    "from alembic import op\n"
    "import sqlalchemy as sa\n"
    "\n";

// Wraps statements into `def upgrade():` (lines 4.. of the script).
QString script(const QString &prelude, const QString &body)
{
    QString indented;
    for (const QString &line : body.split(u'\n'))
        indented += (line.isEmpty() ? QString() : QStringLiteral("    ") + line) + u'\n';
    return QString::fromLatin1(kHeader) + prelude + QStringLiteral("def upgrade():\n") + indented;
}

} // namespace

class tst_ScriptInterpreter : public QObject
{
    Q_OBJECT

private slots:
    void ops_data();
    void ops();
    void needsPython_data();
    void needsPython();
    void errors_data();
    void errors();
    void program_data();
    void program();
    void missingFile();
};

void tst_ScriptInterpreter::ops_data()
{
    QTest::addColumn<QString>("prelude");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("expected");

    // Body lines start at line 5 (three header lines, then `def upgrade():`), after prelude.
    QTest::newRow("create_table")
        << QString()
        << "op.create_table('t', sa.Column('id', sa.Integer(), nullable=False),\n"
           "    sa.PrimaryKeyConstraint('id'))"
        << QStringList{"5: create_table('t', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))"};
    QTest::newRow("pass and docstring")
        << QString() << "\"\"\"Nothing.\"\"\"\npass\n...\n# comment" << QStringList();
    QTest::newRow("from-imports normalised")
        << "from sqlalchemy import Column, Integer as Int\nfrom sqlalchemy.sql import table, column\n"
           "from sqlalchemy.dialects import postgresql\nfrom sqlalchemy.dialects.postgresql import JSONB\n"
           "import sqlalchemy.dialects.mysql as mysql\nfrom sqlalchemy.types import Text\n"
           "from sqlalchemy.sql.expression import text\nfrom sqlalchemy.dialects.postgresql.json import JSON as PGJSON\n"
        << "op.add_column('t', Column('a', Int, server_default=text('0')))\n"
           "op.add_column('t', Column('b', JSONB(astext_type=Text())))\n"
           "op.add_column('t', Column('c', postgresql.ARRAY(mysql.INTEGER(display_width=11))))\n"
           "op.add_column('t', Column('d', PGJSON))\n"
           "op.execute(table('x', column('y')).delete())"
        << QStringList{"13: add_column('t', sa.Column('a', sa.Integer, server_default=sa.text('0')))",
                       "14: add_column('t', sa.Column('b', postgresql.JSONB(astext_type=sa.Text())))",
                       "15: add_column('t', sa.Column('c', postgresql.ARRAY(mysql.INTEGER(display_width=11))))",
                       "16: add_column('t', sa.Column('d', postgresql.JSON))",
                       "17: execute(getattr(sa.table('x', sa.column('y')), 'delete')())"};
    QTest::newRow("module imports normalised")
        << "import sqlalchemy\nimport alembic\nimport sqlalchemy.dialects.postgresql\nfrom alembic import op as o\n"
        << "alembic.op.drop_table('a')\no.drop_table('b')\n"
           "op.add_column('t', sqlalchemy.Column('x', sqlalchemy.dialects.postgresql.UUID(as_uuid=True)))\n"
           "op.add_column('t', sa.Column('y', sa.types.String(length=5), server_default=sa.func.now()))\n"
           "op.add_column('t', sa.Column('z', sa.dialects.sqlite.JSON(), sa.sql.expression.literal_column('1')))"
        << QStringList{"9: drop_table('a')", "10: drop_table('b')",
                       "11: add_column('t', sa.Column('x', postgresql.UUID(as_uuid=True)))",
                       "12: add_column('t', sa.Column('y', sa.String(length=5), server_default=sa.func.now()))",
                       "13: add_column('t', sa.Column('z', sqlite.JSON(), sa.literal_column('1')))"};
    QTest::newRow("op.f and kwargs order")
        << QString()
        << "op.create_index(op.f('ix_t_a'), 't', ['a', 'b'], unique=False, postgresql_where=sa.text('a > 0'))"
        << QStringList{"5: create_index(op.f('ix_t_a'), 't', ['a', 'b'], unique=False, postgresql_where=sa.text('a > 0'))"};
    QTest::newRow("local substitution")
        << QString()
        << "accounts = sa.table('accounts', sa.column('id', sa.Integer), sa.column('name', sa.String))\n"
           "rows: list = [{'id': 1, 'name': 'a'}, {'id': 2, 'name': 'b'}]\n"
           "op.bulk_insert(accounts, rows)\n"
           "name = col = 'name'\n"
           "op.alter_column('accounts', col, new_column_name=name + '_new')"
        << QStringList{"7: bulk_insert(sa.table('accounts', sa.column('id', sa.Integer), sa.column('name', sa.String)), "
                       "[{'id': 1, 'name': 'a'}, {'id': 2, 'name': 'b'}])",
                       "9: alter_column('accounts', 'name', new_column_name='name_new')"};
    QTest::newRow("module constants")
        << "TABLE = 'users'\nCOLS = ['a', 'b']\nusers = sa.table(TABLE, sa.column('a'))\n"
        << "op.create_index('ix_' + TABLE, TABLE, COLS)\nop.execute(users.update().where(users.c.a == 5).values(a=6))"
        << QStringList{"8: create_index('ix_users', 'users', ['a', 'b'])",
                       "9: execute(getattr(getattr(getattr(sa.table('users', sa.column('a')), 'update')(), 'where')("
                       "operator.eq(getattr(getattr(sa.table('users', sa.column('a')), 'c'), 'a'), 5)), 'values')(a=6))"};
    QTest::newRow("batch")
        << QString()
        << "with op.batch_alter_table('t', schema=None) as batch_op:\n"
           "    batch_op.add_column(sa.Column('x', sa.Boolean(), nullable=True))\n"
           "    op.execute('SELECT 1')\n"
           "    batch_op.drop_index('ix_old')\n"
           "    batch_op.execute('SELECT 2')\n"
           "    x = 'y'\n"
           "    batch_op.create_index(batch_op.f('ix_' + x), [x])\n"
           "op.drop_table('z')"
        << QStringList{"7: execute('SELECT 1')", "9: execute('SELECT 2')",
                       "5: batch_alter_table('t', schema=None)",
                       "  6: add_column(sa.Column('x', sa.Boolean(), nullable=True))",
                       "  8: drop_index('ix_old')", "  11: create_index(op.f('ix_y'), ['y'])",
                       "12: drop_table('z')"};
    QTest::newRow("batch one-line and recreate")
        << QString()
        << "with op.batch_alter_table('t', recreate='always', table_args=(sa.UniqueConstraint('a'),)) as b: b.drop_column('x'); b.drop_column('y')"
        << QStringList{"5: batch_alter_table('t', recreate='always', table_args=(sa.UniqueConstraint('a'),))",
                       "  5: drop_column('x')", "  5: drop_column('y')"};
    QTest::newRow("folding")
        << "N = 60 * 60\n"
        << "op.execute('UPDATE t SET a = %d WHERE b = %s' % (N, \"'x'\"))\n"
           "op.execute(\"{} {!r}\".format('DROP', 'y'))\n"
           "op.execute(' '.join(['A', 'B']).lower())\n"
           "op.execute('x' * 3 + 'y' if False else 'no')\n"
           "op.execute(-N // 7)\n"
           "op.execute(2 ** 10 == 1024)\n"
           "op.execute(f'plain {{}}')\n"
           "op.execute('%(a)s-%(b)05.1f' % {'a': 'q', 'b': 2.25})"
        << QStringList{"6: execute(\"UPDATE t SET a = 3600 WHERE b = 'x'\")",
                       "7: execute(\"DROP 'y'\")", "8: execute('a b')", "9: execute('no')",
                       "10: execute(-515)", "11: execute(True)", "12: execute('plain {}')",
                       "13: execute('q-002.2')"};
    QTest::newRow("textwrap and implicit concat")
        << "import textwrap\n"
        << "op.execute(textwrap.dedent('''\n"
           "        CREATE VIEW v AS\n"
           "          SELECT 1\n"
           "    '''))\n"
           "op.execute('a' 'b'\n"
           "           \"c\")"
        << QStringList{"6: execute('\\nCREATE VIEW v AS\\n  SELECT 1\\n')", "10: execute('abc')"};
    QTest::newRow("operators on columns")
        << "from sqlalchemy.sql import column\n"
        << "op.create_check_constraint('ck', 't', (column('a') > 0) & ~column('b').is_(None))\n"
           "op.execute(sa.select(column('a')).where(column('b').in_([1, 2])))"
        << QStringList{"6: create_check_constraint('ck', 't', operator.and_(operator.gt(sa.column('a'), 0), "
                       "operator.invert(getattr(sa.column('b'), 'is_')(None))))",
                       "7: execute(getattr(sa.select(sa.column('a')), 'where')(getattr(sa.column('b'), 'in_')([1, 2])))"};
    QTest::newRow("starred and dict unpacking")
        << "COLS = [sa.Column('id', sa.Integer(), primary_key=True)]\nKW = {'mysql_engine': 'InnoDB'}\n"
        << "op.create_table('t', *COLS, sa.Column('x', sa.Text()), **KW)"
        << QStringList{"7: create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('x', sa.Text()), mysql_engine='InnoDB')"};
    QTest::newRow("import in function and return")
        << QString()
        << "from sqlalchemy.dialects import postgresql as pg\n"
           "op.add_column('t', sa.Column('j', pg.JSONB()))\n"
           "return\n"
           "op.drop_table('never')"
        << QStringList{"6: add_column('t', sa.Column('j', postgresql.JSONB()))"};
    QTest::newRow("datetime values")
        << "import datetime\nfrom decimal import Decimal\n"
        << "op.bulk_insert(sa.table('t'), [{'d': datetime.date(2020, 1, 2), 'p': Decimal('1.5')}], multiinsert=False)"
        << QStringList{"7: bulk_insert(sa.table('t'), [{'d': datetime.date(2020, 1, 2), 'p': decimal.Decimal('1.5')}], multiinsert=False)"};
    QTest::newRow("column copy and chained call")
        << QString()
        << "op.add_column('t', sa.Column('a', sa.Integer()).copy())\n"
           "op.alter_column('t', 'b', type_=sa.String(length=10), existing_type=sa.VARCHAR(5), "
           "existing_nullable=True, server_default=sa.text(\"'x'\"), comment=None)"
        << QStringList{"5: add_column('t', getattr(sa.Column('a', sa.Integer()), 'copy')())",
                       "6: alter_column('t', 'b', type_=sa.String(length=10), existing_type=sa.VARCHAR(5), "
                       "existing_nullable=True, server_default=sa.text(\"'x'\"), comment=None)"};
    QTest::newRow("subscripts fold")
        << "D = {'a': 'x'}\nT: tuple = ('p', 'q',)\n"
        << "op.execute(D['a'] + T[-1] + 'abc'[1])\nop.execute(sa.table('t').c['id'])"
        << QStringList{"7: execute('xqb')", "8: execute(getattr(sa.table('t'), 'c')['id'])"};
    QTest::newRow("annotated locals")
        << QString() << "n: int = 3\nm: 'str'\nop.execute('x' * n)"
        << QStringList{"7: execute('xxx')"};
    QTest::newRow("create_table result")
        << QString()
        << "accounts = op.create_table('account',\n"
           "    sa.Column('id', sa.Integer, primary_key=True), schema='s')\n"
           "op.bulk_insert(accounts, [{'id': 1}])"
        << QStringList{"5: create_table('account', sa.Column('id', sa.Integer, primary_key=True), schema='s')",
                       "7: bulk_insert(sa.Table('account', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True), "
                       "schema='s'), [{'id': 1}])"};
    QTest::newRow("comparisons")
        << QString()
        << "op.execute(1 < 2 < 3)\nop.execute(3 > 2 > 2)\nop.execute('a' not in ('b',))\n"
           "op.execute(sa.column('a') != None)\nop.execute(sa.column('a') in sa.column('b'))"
        << QStringList{"5: execute(True)", "6: execute(False)", "7: execute(True)",
                       "8: execute(operator.ne(sa.column('a'), None))",
                       "9: execute(operator.contains(sa.column('b'), sa.column('a')))"};
    QTest::newRow("tuple unpacking")
        << QString() << "t, c, = 'users', 'email'\n[x, y] = (1, 2)\nop.drop_column(t, c, x=x, y=y)"
        << QStringList{"7: drop_column('users', 'email', x=1, y=2)"};
    QTest::newRow("semicolons")
        << QString() << "op.drop_table('a'); op.drop_table('b');"
        << QStringList{"5: drop_table('a')", "5: drop_table('b')"};
}

void tst_ScriptInterpreter::ops()
{
    QFETCH(QString, prelude);
    QFETCH(QString, body);
    QFETCH(QStringList, expected);
    auto program = ScriptInterpreter::interpret(script(prelude, body), QStringLiteral("x.py"));
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QVERIFY2(!program->needsPython.contains("upgrade"),
             qPrintable(program->needsPython.value("upgrade").reason));
    QCOMPARE(OpDump::dump(program->functions.value("upgrade")), expected);
}

void tst_ScriptInterpreter::needsPython_data()
{
    QTest::addColumn<QString>("prelude");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("line");

    QTest::newRow("get_bind used") << QString() << "conn = op.get_bind()\nop.execute(conn.scalar('x'))"
                              << "call to op.get_bind().scalar()" << 6;
    QTest::newRow("get_bind in args") << QString()
        << "op.drop_table('a')\nop.execute(\n    'x' if op.get_context() else 'y')"
        << "conditional expression" << 7;
    QTest::newRow("for loop") << QString() << "op.drop_table('a')\nfor t in {'a', 'b'}:\n    op.drop_table(t)"
                              << "for loop" << 6;
    QTest::newRow("if") << QString() << "if sa.column('a'):\n    pass" << "if statement" << 5;
    QTest::newRow("while") << QString() << "while False:\n    pass" << "while loop" << 5;
    QTest::newRow("try naming a driver error") << "import psycopg2\n"
        << "try:\n    op.drop_table('a')\nexcept psycopg2.Error:\n    pass" << "except clause naming psycopg2.Error" << 8;
    QTest::newRow("decorator") << QString() << "@staticmethod\ndef f():\n    pass" << "decorated nested def" << 5;
    QTest::newRow("class") << QString() << "class A:\n    pass" << "class definition" << 5;
    QTest::newRow("helper call") << "def helper():\n    print('x', file=None)\n" << "helper()" << "print(file=...)" << 5;
    QTest::newRow("helper as value") << "def f():\n    pass\n"
        << "op.add_column('t', sa.Column('a', sa.Integer(), default=f))" << "uses module-level function f" << 7;
    QTest::newRow("print to a file") << "import sys\n" << "print('hello', file=sys.stderr)" << "print(file=...)" << 6;
    QTest::newRow("Session") << "from sqlalchemy.orm import Session\n"
        << "session = Session(bind=None)" << "call to Session()" << 6;
    QTest::newRow("bind then Session") << "from sqlalchemy import orm\n"
        << "bind = op.get_bind()\nsession = orm.Session(bind=bind)" << "call to orm.Session()" << 7;
    QTest::newRow("comprehension") << QString()
        << "op.bulk_insert(sa.table('t'), [{'id': i} for i in range(3) for j in range(2)])" << "comprehension" << 5;
    QTest::newRow("generator arg") << QString()
        << "op.execute(';'.join(s for s in ['a']))" << "comprehension" << 5;
    QTest::newRow("lambda") << QString()
        << "op.add_column('t', sa.Column('a', sa.Integer(), default=lambda: 1))" << "lambda" << 5;
    QTest::newRow("f-string of a column") << QString()
        << "name = sa.column('x')\nop.execute(f'DROP TABLE {name}')" << "f-string" << 6;
    QTest::newRow("augmented") << QString() << "x = sa.column('a')\nx += 'b'" << "augmented assignment" << 6;
    QTest::newRow("tuple unpacking length") << QString() << "a, b = 1, 2, 3" << "tuple unpacking assignment" << 5;
    QTest::newRow("tuple unpacking starred") << QString() << "a, *b = 1, 2" << "tuple unpacking assignment" << 5;
    QTest::newRow("tuple unpacking unknown") << QString() << "a, b = sa.column('x')"
                                             << "tuple unpacking assignment" << 5;
    QTest::newRow("attribute assignment") << QString() << "t = sa.table('t')\nt.name = 'x'"
                                          << "attribute assignment" << 6;
    QTest::newRow("annotated attribute") << QString() << "t = sa.table('t')\nt.x: int = 1"
                                         << "attribute assignment" << 6;
    QTest::newRow("subscript assignment") << QString() << "d = {}\nd['a'] = 1"
                                          << "subscript assignment" << 6;
    QTest::newRow("missing key") << QString() << "op.execute({'a': 1}['b'])" << "subscript" << 5;
    QTest::newRow("chained comparison") << QString() << "op.execute(sa.column('a') < 2 < 3)"
                                        << "chained comparison" << 5;
    QTest::newRow("undefined name") << QString() << "op.add_column('t', Column('a'))"
                                    << "undefined name Column" << 5;
    // SQLAlchemy 2.0's names: Alembic 1.8 on 1.4 fails there, the project's Python decides.
    QTest::newRow("sa.UUID") << QString() << "op.alter_column('t', 'c', existing_type=sa.UUID(), nullable=False)"
                             << "uses sa.UUID (SQLAlchemy 2.0)" << 5;
    QTest::newRow("sa.types.Double") << QString() << "op.add_column('t', sa.Column('a', sa.types.Double()))"
                                     << "uses sa.Double (SQLAlchemy 2.0)" << 5;
    QTest::newRow("builtin as statement") << QString() << "str" << "expression statement" << 5;
    QTest::newRow("del") << QString() << "x = [1]\ndel x[0]" << "del statement" << 6;
    QTest::newRow("raise") << QString() << "raise NotImplementedError()" << "raise statement" << 5;
    QTest::newRow("assert") << QString() << "assert True" << "assert statement" << 5;
    QTest::newRow("global") << QString() << "global X" << "global statement" << 5;
    QTest::newRow("other with") << QString() << "with open('x') as f:\n    pass" << "with statement" << 5;
    QTest::newRow("nested batch") << QString()
        << "with op.batch_alter_table('a') as b:\n    with op.batch_alter_table('c') as d:\n        pass"
        << "nested batch_alter_table" << 6;
    QTest::newRow("batch without with") << QString() << "op.batch_alter_table('a')"
        << "op.batch_alter_table() outside a with statement" << 5;
    QTest::newRow("batch alias after block") << QString()
        << "with op.batch_alter_table('a') as b:\n    pass\nb.drop_column('x')"
        << "uses b outside a batch operation call" << 7;
    QTest::newRow("expression statement") << QString() << "sa.table('t')" << "expression statement" << 5;
    QTest::newRow("method on bind") << QString()
        << "op.drop_table('a')\nop.get_bind().execute('SELECT 100 % 7')" << "call to op.get_bind().execute()" << 6;
    QTest::newRow("opaque module name") << "if True:\n    X = 1\n" << "op.execute(X)"
                                        << "uses module-level name X" << 7;
    QTest::newRow("module name from call") << "import os\nSCHEMA = os.environ.get('S')\n"
        << "op.create_table('t', schema=SCHEMA)" << "uses module-level name SCHEMA" << 7;
    QTest::newRow("foreign type") << "import sqlalchemy_utils\n"
        << "op.add_column('t', sa.Column('u', sqlalchemy_utils.types.uuid.UUIDType(binary=False)))"
        << "call to sqlalchemy_utils.types.uuid.UUIDType()" << 6;
    QTest::newRow("op result as value") << QString() << "x = op.execute('SELECT 1')"
                                        << "op.execute() used as a value" << 5;
    QTest::newRow("boolean operator on columns") << QString()
        << "op.execute(sa.column('a') and sa.column('b'))" << "boolean operator" << 5;
    QTest::newRow("format of non-constant") << QString()
        << "op.execute('x %s' % sa.column('a'))" << "string formatting" << 5;
    QTest::newRow("slice") << QString() << "op.execute('abc'[1:])" << "slice" << 5;
}

void tst_ScriptInterpreter::needsPython()
{
    QFETCH(QString, prelude);
    QFETCH(QString, body);
    QFETCH(QString, reason);
    QFETCH(int, line);
    auto program = ScriptInterpreter::interpret(script(prelude, body), QStringLiteral("x.py"));
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QVERIFY(!program->functions.contains("upgrade"));
    QVERIFY(program->needsPython.contains("upgrade"));
    QCOMPARE(program->needsPython["upgrade"].reason, reason);
    QCOMPARE(program->needsPython["upgrade"].line, line);
}

void tst_ScriptInterpreter::errors_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");

    QTest::newRow("no upgrade") << "from alembic import op\ndef downgrade():\n    pass\n" << 0
                                << "no upgrade() function";
    QTest::newRow("unbalanced") << "def upgrade():\n    op.drop_table('a'\n\ndef downgrade():\n    pass\n"
                                << 2 << "never closed";
    QTest::newRow("unterminated string") << "def upgrade():\n    op.execute('abc)\n" << 2 << "";
    QTest::newRow("bad dedent") << "def upgrade():\n        pass\n    pass\n" << 3 << "unindent";
    QTest::newRow("unexpected indent") << "def upgrade():\n    pass\n        pass\n" << 3 << "unexpected indent";
    QTest::newRow("module indent") << "x = 1\n    y = 2\ndef upgrade():\n    pass\n" << 2
                                   << "unexpected indent";
    QTest::newRow("no block") << "def upgrade():\npass\n" << 2 << "expected an indented block";
    QTest::newRow("no colon") << "def upgrade()\n    pass\n" << 1 << "expected ':'";
    QTest::newRow("missing comma") << "from alembic import op\ndef upgrade():\n    op.add_column('t' 'x', 1 2)\n"
                                   << 3 << "invalid syntax";
    QTest::newRow("kw repeated") << "from alembic import op\ndef upgrade():\n    op.f(a=1, a=2)\n" << 3
                                 << "keyword argument repeated";
    QTest::newRow("positional after kw") << "import alembic.op as op\ndef upgrade():\n    op.drop_table(a=1,\n        'x')\n" << 4
                                         << "positional argument follows keyword argument";
    QTest::newRow("bad import") << "from alembic import\ndef upgrade():\n    pass\n" << 1 << "invalid import";
    QTest::newRow("with no colon") << "def upgrade():\n    with op.batch_alter_table('t') as b\n        pass\n"
                                   << 2 << "expected ':'";
    QTest::newRow("break outside loop") << "def upgrade():\n    break\n" << 2 << "outside loop";
    QTest::newRow("bad module expression") << "X = (1 +)\ndef upgrade():\n    pass\n" << 1 << "";
}

void tst_ScriptInterpreter::errors()
{
    QFETCH(QString, source);
    QFETCH(int, line);
    QFETCH(QString, message);
    auto program = ScriptInterpreter::interpret(source, QStringLiteral("bad.py"));
    QVERIFY(!program.ok());
    QCOMPARE(program.error().file, QStringLiteral("bad.py"));
    QCOMPARE(program.error().line, line);
    QVERIFY2(program.error().message.contains(message), qPrintable(program.error().message));
}

// Module-level behaviour, checked on the whole OpDump::program() text.
void tst_ScriptInterpreter::program_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("class methods are not module names")
        << "from alembic import op\ndef upgrade():\n    op.drop_table('a')\n"
           "class Model:\n    def upgrade(self):\n        downgrade = 1\n"
        << QStringList{"[upgrade]", "  3: drop_table('a')", "note: class definition (line 4)"};
    QTest::newRow("one-line dispatch")
        << "def upgrade(engine_name): globals()['upgrade_%s' % engine_name]()\n"
           "def upgrade_a(): pass\n"
        << QStringList{"[upgrade] dispatch: upgrade_%s", "[upgrade_a]"};
    QTest::newRow("not quite dispatch")
        << "def upgrade(engine_name):\n    globals()['upgrade_%s' % engine_name]()\n    pass\n"
        << QStringList{"[upgrade] needs Python: call to globals() (line 2)"};
    QTest::newRow("last def wins")
        << "from alembic import op\ndef upgrade():\n    op.drop_table('a')\n"
           "def upgrade():\n    op.drop_table('b')\n"
        << QStringList{"[upgrade]", "  5: drop_table('b')"};
    QTest::newRow("module value evaluated at its line")
        << "from alembic import op\nT = 'a'\nU = T + '_x'\nT = 'b'\n"
           "def upgrade():\n    op.drop_table(U)\n    op.drop_table(T)\n"
        << QStringList{"[upgrade]", "  6: drop_table('a_x')", "  7: drop_table('b')"};
    QTest::newRow("helper functions are not interpreted")
        << "from alembic import op\ndef helper():\n    for x in y:\n        pass\n"
           "def upgrade():\n    pass\n"
        << QStringList{"[upgrade]"};
}

void tst_ScriptInterpreter::program()
{
    QFETCH(QString, source);
    QFETCH(QStringList, expected);
    auto program = ScriptInterpreter::interpret(source, QStringLiteral("m.py"));
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QCOMPARE(OpDump::program(*program), expected);
}

void tst_ScriptInterpreter::missingFile()
{
    auto program = ScriptInterpreter::interpretFile(QStringLiteral("/nonexistent/dir/x.py"));
    QVERIFY(!program.ok());
    QVERIFY(program.error().toString().contains(QStringLiteral("x.py")));
}

QTEST_GUILESS_MAIN(tst_ScriptInterpreter)
#include "tst_scriptinterpreter.moc"
