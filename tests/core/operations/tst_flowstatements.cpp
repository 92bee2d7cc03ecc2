// Control flow of the script interpreter (FlowStatements, ScriptKnownValues, f-strings,
// BuiltinFolder): what runs natively with Python's meaning for a given dialect and mode,
// and what still needs Python (and why).

#include "operations/opdump.h"
#include "operations/scriptinterpreter.h"

#include <QtTest>

using namespace retort;

namespace {

const char *const kHeader =
    "from alembic import op, context\n"
    "import sqlalchemy as sa\n"
    "\n";

// Wraps statements into `def upgrade():` (lines 4.. of the script, after the prelude).
QString script(const QString &prelude, const QString &body)
{
    QString indented;
    for (const QString &line : body.split(u'\n'))
        indented += (line.isEmpty() ? QString() : QStringLiteral("    ") + line) + u'\n';
    return QString::fromLatin1(kHeader) + prelude + QStringLiteral("def upgrade():\n") + indented;
}

ScriptContext context(const QString &dialect, int mode)
{
    return ScriptContext(dialect, ScriptContext::Mode(mode));
}

const int Unknown = ScriptContext::UnknownMode, Online = ScriptContext::Online, Offline = ScriptContext::Offline;

} // namespace

class tst_FlowStatements : public QObject
{
    Q_OBJECT

private slots:
    void native_data();
    void native();
    void needsPython_data();
    void needsPython();
    void errors_data();
    void errors();
};

void tst_FlowStatements::native_data()
{
    QTest::addColumn<QString>("prelude");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QStringList>("expected");

    const QString dialectIf = "if op.get_bind().dialect.name == 'postgresql':\n"
                              "    op.drop_table('pg')\n"
                              "elif op.get_context().dialect.name in ('mysql', 'mariadb'):\n"
                              "    op.drop_table('my')\n"
                              "else:\n"
                              "    op.drop_table('other')";
    QTest::newRow("if postgresql") << QString() << dialectIf << "postgresql" << Unknown
                                   << QStringList{"6: drop_table('pg')"};
    QTest::newRow("elif mysql") << QString() << dialectIf << "mysql" << Unknown << QStringList{"8: drop_table('my')"};
    QTest::newRow("else sqlite") << QString() << dialectIf << "sqlite" << Unknown
                                 << QStringList{"10: drop_table('other')"};
    QTest::newRow("bind variable") << QString()
        << "bind = op.get_bind()\nif bind.dialect.name != 'sqlite':\n    op.drop_table('a')\nop.drop_table('b')"
        << "sqlite" << Unknown << QStringList{"8: drop_table('b')"};
    QTest::newRow("engine name and context bind") << QString()
        << "conn = op.get_context().bind\nif conn.engine.name == 'mysql':\n    op.drop_table('a')"
        << "mysql" << Unknown << QStringList{"7: drop_table('a')"};
    QTest::newRow("is_offline_mode offline") << QString()
        << "if context.is_offline_mode():\n    op.execute('-- offline')\nelse:\n    op.execute('SELECT 1')"
        << QString() << Offline << QStringList{"6: execute('-- offline')"};
    QTest::newRow("is_offline_mode online") << QString()
        << "if not context.is_offline_mode():\n    op.execute('SELECT 1')" << QString() << Online
        << QStringList{"6: execute('SELECT 1')"};
    QTest::newRow("as_sql") << QString() << "if op.get_context().as_sql:\n    op.execute('x')" << QString()
                            << Online << QStringList();
    QTest::newRow("sa version") << QString()
        << "if sa.__version__.startswith('1.'):\n    op.execute('one')\nif sa.__version__ >= '2':\n    op.execute('two')"
        << QString() << Unknown << QStringList{"6: execute('one')"};
    QTest::newRow("truthiness and boolean operators") << "FLAGS = []\nNAMES = ['a']\n"
        << "if not FLAGS and NAMES or None:\n    op.drop_table(NAMES[0])\nif FLAGS:\n    pass\nelif 0:\n    pass"
        << QString() << Unknown << QStringList{"8: drop_table('a')"};
    QTest::newRow("one-line if") << QString() << "if 1 < 2: op.drop_table('a'); op.drop_table('b')\nelse: op.drop_table('c')"
                                 << QString() << Unknown << QStringList{"5: drop_table('a')", "5: drop_table('b')"};
    QTest::newRow("for over list") << QString()
        << "for t in ['a', 'b']:\n    op.drop_table(t)" << QString() << Unknown
        << QStringList{"6: drop_table('a')", "6: drop_table('b')"};
    QTest::newRow("for over dict items with unpacking") << "TABLES = {'a': 'x', 'b': 'y'}\n"
        << "for table, (col) in TABLES.items():\n    op.drop_column(table, col)" << QString() << Unknown
        << QStringList{"7: drop_column('a', 'x')", "7: drop_column('b', 'y')"};
    QTest::newRow("for over keys values dict") << "D = {'a': 1}\n"
        << "for k in D:\n    op.drop_table(k)\nfor k in D.keys():\n    op.drop_table(k)\nfor v in D.values():\n    op.execute(str(v))"
        << QString() << Unknown << QStringList{"7: drop_table('a')", "9: drop_table('a')", "11: execute('1')"};
    QTest::newRow("range break continue else") << QString()
        << "for i in range(5):\n    if i == 1:\n        continue\n    if i == 3:\n        break\n    op.execute('%d' % i)\nelse:\n    op.execute('no break')"
        << QString() << Unknown << QStringList{"10: execute('0')", "10: execute('2')"};
    QTest::newRow("for else without break") << QString()
        << "for i in range(1, 7, 3):\n    op.execute(str(i))\nelse:\n    op.execute('done')" << QString() << Unknown
        << QStringList{"6: execute('1')", "6: execute('4')", "8: execute('done')"};
    QTest::newRow("nested tuple targets, enumerate, zip") << QString()
        << "for i, (a, b) in enumerate(zip(['x', 'y'], [1, 2]), 1):\n    op.execute(f'{i}:{a}={b}')"
        << QString() << Unknown << QStringList{"6: execute('1:x=1')", "6: execute('2:y=2')"};
    QTest::newRow("helper with params, defaults and return") << "def make(name, kind=sa.Integer, *, nullable=True):\n"
                                                                "    return sa.Column(name, kind(), nullable=nullable)\n"
        << "op.add_column('t', make('a'))\nop.add_column('t', make('b', sa.String, nullable=False))" << QString() << Unknown
        << QStringList{"7: add_column('t', sa.Column('a', sa.Integer(), nullable=True))",
                       "8: add_column('t', sa.Column('b', sa.String(), nullable=False))"};
    QTest::newRow("helper ops and condition") << "def is_postgres():\n"
                                                 "    return op.get_context().dialect.name == 'postgresql'\n"
                                                 "def drop(*names, **kw):\n"
                                                 "    for n in names:\n"
                                                 "        op.drop_table(n, **kw)\n"
        << "if is_postgres():\n    drop('a', 'b', schema='s')\nelse:\n    drop('c')" << "postgresql" << Unknown
        << QStringList{"8: drop_table('a', schema='s')", "8: drop_table('b', schema='s')"};
    QTest::newRow("nested def and recursion") << QString()
        << "def countdown(n):\n    if n == 0:\n        return\n    op.execute('n=%d' % n)\n    countdown(n - 1)\ncountdown(2)"
        << QString() << Unknown << QStringList{"8: execute('n=2')", "8: execute('n=1')"};
    QTest::newRow("nested def sees enclosing locals") << QString()
        << "prefix = 'ix_'\ndef name(col):\n    return prefix + col\nop.create_index(name('a'), 't', ['a'])"
        << QString() << Unknown << QStringList{"8: create_index('ix_a', 't', ['a'])"};
    QTest::newRow("return in loop in helper") << "def first(items):\n    for i in items:\n        if i > 1:\n            return i\n"
        << "op.execute(str(first([1, 5, 7])))\nop.execute(str(first([])))" << QString() << Unknown
        << QStringList{"9: execute('5')", "10: execute('None')"};
    QTest::newRow("f-strings") << "SCHEMA = 'app'\n"
        << "n = 7\nx = 2.5\nop.execute(f\"SELECT {n:03d}, {x:.2f}, {SCHEMA!r}, {'a' + 'b':>4}, {{}} {n * 2}\" f'!')"
        << QString() << Unknown << QStringList{"8: execute(\"SELECT 007, 2.50, 'app',   ab, {} 14!\")"};
    QTest::newRow("format and percent") << QString()
        << "t = 'users'\nop.execute('DROP {} {t}'.format('TABLE', t=t))\nop.execute('%s-%05.1f' % (t, 3.14159))"
        << QString() << Unknown << QStringList{"6: execute('DROP TABLE users')", "7: execute('users-003.1')"};
    QTest::newRow("augmented assignment") << QString()
        << "sql = 'A'\nsql += 'B'\nn = 1\nn *= 3\ncols = [sa.Column('a', sa.Integer())]\ncols += [sa.Column('b', sa.Integer())]\nop.create_table(sql, *cols, info={'n': n})"
        << QString() << Unknown
        << QStringList{"11: create_table('AB', sa.Column('a', sa.Integer()), sa.Column('b', sa.Integer()), info={'n': 3})"};
    QTest::newRow("del and pass and bare return") << QString()
        << "x = 1\ndel x\npass\nop.drop_table('a')\nreturn\nop.drop_table('b')" << QString() << Unknown
        << QStringList{"8: drop_table('a')"};
    QTest::newRow("return with value in upgrade") << QString() << "op.drop_table('a')\nreturn 1" << QString() << Unknown
                                                  << QStringList{"5: drop_table('a')"};
    QTest::newRow("bind execute text") << "from sqlalchemy import text\n"
        << "conn = op.get_bind()\nconn.execute(text('UPDATE t SET a = 1'))" << QString() << Unknown
        << QStringList{"7: execute(sa.text('UPDATE t SET a = 1'))"};
    QTest::newRow("get_bind().execute text") << QString()
        << "op.get_bind().execute(sa.text('DELETE FROM t'))" << QString() << Unknown
        << QStringList{"5: execute(sa.text('DELETE FROM t'))"};
    QTest::newRow("builtins") << "NAMES = ('b', 'a')\n"
        << "for n in sorted(NAMES):\n    op.drop_table(n)\nop.execute(str(len(NAMES) + max(3, 4) + int('2')))\nfor n in reversed(list(NAMES)):\n    op.drop_table(n)"
        << QString() << Unknown
        << QStringList{"7: drop_table('a')", "7: drop_table('b')", "8: execute('8')", "10: drop_table('a')", "10: drop_table('b')"};
    QTest::newRow("module constant loop of tuples") << "COLS = [('a', sa.Integer), ('b', sa.Text)]\n"
        << "for name, kind in COLS:\n    op.add_column('t', sa.Column(name, kind()))" << QString() << Unknown
        << QStringList{"7: add_column('t', sa.Column('a', sa.Integer()))", "7: add_column('t', sa.Column('b', sa.Text()))"};
    QTest::newRow("helper called inside batch") << "def col(name):\n    return sa.Column(name, sa.Integer())\n"
        << "with op.batch_alter_table('t') as b:\n    b.add_column(col('x'))\n    for c in ['y']:\n        b.drop_column(c)"
        << QString() << Unknown
        << QStringList{"7: batch_alter_table('t')", "  8: add_column(sa.Column('x', sa.Integer()))", "  10: drop_column('y')"};
    QTest::newRow("is None, in dict, not in, conditional expression") << "OPTS = {'a': 1}\nNOTHING = None\n"
        << "if NOTHING is None and 'a' in OPTS and 'b' not in OPTS:\n    op.drop_table('x')\n"
           "op.execute('SERIAL' if op.get_bind().dialect.name == 'postgresql' else 'INTEGER')"
        << "mysql" << Unknown << QStringList{"8: drop_table('x')", "9: execute('INTEGER')"};
    QTest::newRow("one-line for and nested blocks") << QString()
        << "for t in ('a',): op.drop_table(t)\nfor i in range(2):\n    for j in range(2):\n        if i == j:\n            op.execute('%d%d' % (i, j))"
        << QString() << Unknown << QStringList{"5: drop_table('a')", "9: execute('00')", "9: execute('11')"};
    QTest::newRow("loop variable after the loop") << QString()
        << "for name in ['a', 'b']:\n    pass\nop.drop_table(name)" << QString() << Unknown
        << QStringList{"7: drop_table('b')"};
    QTest::newRow("helper keyword arguments and **kwargs") << "def f(a, b=2, **kw):\n    op.execute('%s %s %s' % (a, b, sorted(kw)))\n"
        << "f(b=3, a=1, z=0, y=9)" << QString() << Unknown << QStringList{"5: execute(\"1 3 ['y', 'z']\")"};
}

void tst_FlowStatements::native()
{
    QFETCH(QString, prelude);
    QFETCH(QString, body);
    QFETCH(QString, dialect);
    QFETCH(int, mode);
    QFETCH(QStringList, expected);
    auto program = ScriptInterpreter::interpret(script(prelude, body), QStringLiteral("x.py"), context(dialect, mode));
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QVERIFY2(!program->needsPython.contains("upgrade"),
             qPrintable(program->needsPython.value("upgrade").reason + QStringLiteral(" at line %1").arg(
                 program->needsPython.value("upgrade").line)));
    QCOMPARE(OpDump::dump(program->functions.value("upgrade")), expected);
}

void tst_FlowStatements::needsPython_data()
{
    QTest::addColumn<QString>("prelude");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("line");

    QTest::newRow("unknown dialect") << QString() << "op.drop_table('a')\nif op.get_bind().dialect.name == 'sqlite':\n    pass"
                                     << QString() << Online << "condition depends on the dialect" << 6;
    QTest::newRow("unknown dialect in helper") << "def is_pg():\n    return op.get_context().dialect.name == 'postgresql'\n"
        << "if is_pg():\n    pass" << QString() << Online << "condition depends on the dialect" << 5;
    QTest::newRow("unknown mode") << QString() << "if context.is_offline_mode():\n    pass" << "sqlite" << Unknown
                                  << "condition depends on offline mode (--sql)" << 5;
    QTest::newRow("project helper in condition") << "from myapp.util import skip_based_on_legacy_engine_version\n"
        << "if skip_based_on_legacy_engine_version(op, __name__):\n    return" << "sqlite" << Online
        << "call to skip_based_on_legacy_engine_version()" << 6;
    QTest::newRow("result used") << QString() << "conn = op.get_bind()\nrows = conn.execute(sa.text('SELECT 1')).fetchall()"
                                 << "sqlite" << Online << "call to op.get_bind().execute()" << 6;
    QTest::newRow("execute with parameters") << QString()
        << "conn = op.get_bind()\nconn.execute(sa.text('UPDATE t SET a = :a'), {'a': 1})" << "sqlite" << Online
        << "call to conn.execute()" << 6;
    // A plain string is op.execute() (FunctionInterpreter::isPlainSqlString); one that
    // text() would read differently (a :name bind) is not.
    QTest::newRow("get_bind().execute with a str") << QString() << "op.get_bind().execute('DELETE FROM t WHERE a = :a')"
        << "sqlite" << Online << "call to op.get_bind().execute()" << 5;
    QTest::newRow("inspect bind") << QString() << "insp = sa.inspect(op.get_bind())" << "sqlite" << Online
                                  << "call to sa.inspect()" << 5;
    QTest::newRow("bind passed to a value") << QString() << "m = sa.MetaData(bind=op.get_bind())" << "sqlite" << Online
                                            << "passes op.get_bind() or op.get_context() to sa.MetaData()" << 5;
    QTest::newRow("server version") << QString()
        << "if op.get_bind().dialect.server_version_info < (10,):\n    pass" << "postgresql" << Online
        << "uses op.get_bind().dialect.server_version_info" << 5;
    QTest::newRow("for over a set") << QString() << "for t in {'a', 'b'}:\n    pass" << QString() << Unknown << "for loop" << 5;
    QTest::newRow("for over a column") << QString() << "for t in sa.column('a'):\n    pass" << QString() << Unknown
                                       << "for loop" << 5;
    QTest::newRow("while") << QString() << "while False:\n    pass" << QString() << Unknown << "while loop" << 5;
    QTest::newRow("condition on SQL expression") << QString() << "if sa.column('a') == 1:\n    pass" << QString()
                                                 << Unknown << "if statement" << 5;
    QTest::newRow("deep recursion") << "def f(n):\n    f(n + 1)\n" << "f(0)" << QString() << Unknown
                                    << "helper calls nested deeper than 32" << 5;
    QTest::newRow("huge range") << QString() << "for i in range(10 ** 9):\n    pass" << QString() << Unknown
                                << "call to range()" << 5;
    QTest::newRow("too many statements") << QString() << "for i in range(60000):\n    pass\n    pass" << QString()
                                         << Unknown << "runs more than 100000 statements" << 6;
    QTest::newRow("growing string") << QString() << "s = 'x'\nfor i in range(40):\n    s += s" << QString() << Unknown
                                    << "augmented assignment" << 7;
    QTest::newRow("missing argument") << "def f(a):\n    pass\n" << "f()" << QString() << Unknown
                                      << "call to f() with arguments it does not take" << 7;
    QTest::newRow("decorated helper") << "import functools\n@functools.lru_cache()\ndef f():\n    pass\n" << "f()"
                                      << QString() << Unknown << "call to decorated function f()" << 9;
    QTest::newRow("augmented on module name") << "X = 1\n" << "X += 1" << QString() << Unknown
                                              << "augmented assignment" << 6;
    QTest::newRow("del of module name") << "X = 1\n" << "del X" << QString() << Unknown << "del statement" << 6;
    QTest::newRow("use after del") << QString() << "x = 1\ndel x\nop.execute(x)" << QString() << Unknown
                                   << "uses module-level name x" << 7;
    QTest::newRow("self-documenting f-string") << QString() << "x = 1\nop.execute(f'{x=}')" << QString() << Unknown
                                               << "f-string" << 6;
    QTest::newRow("f-string spec with nested field") << QString() << "x = 1\nop.execute(f'{x:{x}}')" << QString()
                                                     << Unknown << "f-string" << 6;
    QTest::newRow("global in helper") << "def f():\n    global X\n" << "f()" << QString() << Unknown
                                      << "global statement" << 5;
}

void tst_FlowStatements::needsPython()
{
    QFETCH(QString, prelude);
    QFETCH(QString, body);
    QFETCH(QString, dialect);
    QFETCH(int, mode);
    QFETCH(QString, reason);
    QFETCH(int, line);
    auto program = ScriptInterpreter::interpret(script(prelude, body), QStringLiteral("x.py"), context(dialect, mode));
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QVERIFY(!program->functions.contains("upgrade"));
    QCOMPARE(program->needsPython.value("upgrade").reason, reason);
    QCOMPARE(program->needsPython.value("upgrade").line, line);
}

void tst_FlowStatements::errors_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");

    QTest::newRow("break outside loop") << "if True:\n    break" << "'break' outside loop" << 6;
    QTest::newRow("if without colon") << "if True\n    pass" << "expected ':'" << 5;
    QTest::newRow("for without in") << "for x:\n    pass" << "invalid syntax" << 5;
    QTest::newRow("bad f-string") << "op.execute(f'{}')" << "f-string: empty expression not allowed" << 5;
    QTest::newRow("bad conversion") << "op.execute(f'{1!x}')" << "f-string: invalid conversion character" << 5;
}

void tst_FlowStatements::errors()
{
    QFETCH(QString, body);
    QFETCH(QString, message);
    QFETCH(int, line);
    auto program = ScriptInterpreter::interpret(script(QString(), body), QStringLiteral("x.py"));
    QVERIFY(!program.ok());
    QVERIFY2(program.error().message.startsWith(message), qPrintable(program.error().message));
    QCOMPARE(program.error().line, line);
}

QTEST_GUILESS_MAIN(tst_FlowStatements)
#include "tst_flowstatements.moc"
