// PyExpressionParser and PyModuleScanner. Literal expectations are Python's repr() of
// ast.literal_eval / of the executed module's attributes (generated with /usr/bin/python3).
#include "python/pyexpressionparser.h"
#include "python/pylexer.h"
#include "python/pymodulescanner.h"

#include <QtTest>

using namespace retort;

class tst_PyParser : public QObject
{
    Q_OBJECT
private slots:
    void literals_data();
    void literals();
    void callsAndNames();
    void notStatic_data();
    void notStatic();
    void module_data();
    void module();
    void unevaluable();
    void lexErrorFailsScan();
    void conditionalBindings_data();
    void conditionalBindings();
};

void tst_PyParser::literals_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("repr");
    QTest::newRow("('a', 'b')") << QStringLiteral("('a', 'b')") << QStringLiteral("('a', 'b')");
    QTest::newRow("'a', 'b',") << QStringLiteral("'a', 'b',") << QStringLiteral("('a', 'b')");
    QTest::newRow("['x']") << QStringLiteral("['x']") << QStringLiteral("['x']");
    QTest::newRow("{'a': 1, 'b': (2,)}") << QStringLiteral("{'a': 1, 'b': (2,)}") << QStringLiteral("{'a': 1, 'b': (2,)}");
    QTest::newRow("{1, 2}") << QStringLiteral("{1, 2}") << QStringLiteral("{1, 2}");
    QTest::newRow("-5") << QStringLiteral("-5") << QStringLiteral("-5");
    QTest::newRow("'ab' 'cd'") << QStringLiteral("'ab' 'cd'") << QStringLiteral("'abcd'");
    QTest::newRow("()") << QStringLiteral("()") << QStringLiteral("()");
    QTest::newRow("(1,)") << QStringLiteral("(1,)") << QStringLiteral("(1,)");
    QTest::newRow("-1.5") << QStringLiteral("-1.5") << QStringLiteral("-1.5");
    QTest::newRow("0x10") << QStringLiteral("0x10") << QStringLiteral("16");
    QTest::newRow("0o17") << QStringLiteral("0o17") << QStringLiteral("15");
    QTest::newRow("1_000") << QStringLiteral("1_000") << QStringLiteral("1000");
    QTest::newRow("None") << QStringLiteral("None") << QStringLiteral("None");
    QTest::newRow("True") << QStringLiteral("True") << QStringLiteral("True");
    QTest::newRow("[]") << QStringLiteral("[]") << QStringLiteral("[]");
    QTest::newRow("{}") << QStringLiteral("{}") << QStringLiteral("{}");
    QTest::newRow("b'x\\x00'") << QStringLiteral("b'x\\x00'") << QStringLiteral("b'x\\x00'");
    QTest::newRow("r'\\d' 'e\\n'") << QStringLiteral("r'\\d' 'e\\n'") << QStringLiteral("'\\\\de\\n'");
    QTest::newRow("('a' \n 'b', ['c',],)") << QStringLiteral("('a' \n 'b', ['c',],)") << QStringLiteral("('ab', ['c'])");
    QTest::newRow("f'plain'") << QStringLiteral("f'plain'") << QStringLiteral("'plain'");
    QTest::newRow("1e3") << QStringLiteral("1e3") << QStringLiteral("1000.0");
    QTest::newRow("u'ü'") << QStringLiteral("u'ü'") << QStringLiteral("'ü'");
}

void tst_PyParser::literals()
{
    QFETCH(QString, expression);
    QFETCH(QString, repr);
    auto v = PyExpressionParser::parseSource(expression);
    QVERIFY2(v.ok(), qPrintable(v.error().toString()));
    QCOMPARE(v->repr(), repr);
}

void tst_PyParser::callsAndNames()
{
    auto v = PyExpressionParser::parseSource(
        QStringLiteral("os.environ.get('DB_URL', \"sqlite://\")"));
    QVERIFY(v.ok());
    QCOMPARE(int(v->kind()), int(PyValue::Call));
    QCOMPARE(v->calleeName(), QStringLiteral("os.environ.get"));
    QCOMPARE(v->args().size(), 2);
    QCOMPARE(v->args().at(1).toStr(), QStringLiteral("sqlite://"));

    v = PyExpressionParser::parseSource(QStringLiteral("os.environ[\"X\"]"));
    QVERIFY(v.ok());
    QCOMPARE(int(v->kind()), int(PyValue::Subscript));
    QCOMPARE(v->target().toStr(), QStringLiteral("os.environ"));
    QCOMPARE(v->index().toStr(), QStringLiteral("X"));

    v = PyExpressionParser::parseSource(
        QStringLiteral("context.configure(url=url, target_metadata=None,\n literal_binds=True, dialect_opts={\"paramstyle\": \"named\"},)"));
    QVERIFY(v.ok());
    QCOMPARE(v->kwargs().size(), 4);
    QCOMPARE(v->kwarg(QStringLiteral("url"))->kind(), PyValue::Name);
    QVERIFY(v->kwarg(QStringLiteral("target_metadata"))->isNone());
    QCOMPARE(v->kwarg(QStringLiteral("literal_binds"))->toBool(), true);
    QCOMPARE(v->kwarg(QStringLiteral("dialect_opts"))->repr(), QStringLiteral("{'paramstyle': 'named'}"));
    QVERIFY(!v->kwarg(QStringLiteral("nope")));
}

void tst_PyParser::notStatic_data()
{
    QTest::addColumn<QString>("expression");
    QTest::newRow("binop") << QStringLiteral("'a' + 'b'");
    QTest::newRow("lambda") << QStringLiteral("lambda: 1");
    QTest::newRow("conditional") << QStringLiteral("1 if x else 2");
    QTest::newRow("comprehension") << QStringLiteral("[x for x in y]");
    QTest::newRow("fstring") << QStringLiteral("f'{x}'");
    QTest::newRow("starred") << QStringLiteral("f(*a)");
    QTest::newRow("slice") << QStringLiteral("a[1:2]");
    QTest::newRow("not") << QStringLiteral("not x");
    QTest::newRow("mixed bytes") << QStringLiteral("b'a' 'b'");
}

void tst_PyParser::notStatic()
{
    QFETCH(QString, expression);
    QVERIFY(!PyExpressionParser::parseSource(expression).ok());
}

void tst_PyParser::module_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("doc");
    QTest::addColumn<QStringList>("values");
    QTest::newRow("basic") << QStringLiteral("\"\"\"Doc line\n\nmore\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = \"abc\"\ndown_revision = None\n") << QStringLiteral("Doc line\n\nmore") << QStringList{QStringLiteral("revision='abc'"), QStringLiteral("down_revision=None")};
    QTest::newRow("annotated") << QStringLiteral("from typing import Union, Sequence\nrevision: str = 'r1'\ndown_revision: Union[str, None] = 'r0'\nbranch_labels: Union[str, Sequence[str], None] = ('a', 'b')\n") << QString() << QStringList{QStringLiteral("revision='r1'"), QStringLiteral("down_revision='r0'"), QStringLiteral("branch_labels=('a', 'b')")};
    QTest::newRow("later wins") << QStringLiteral("revision = 'a'\ndown_revision = ('x', 'y')\nrevision = 'b'\n") << QString() << QStringList{QStringLiteral("revision='b'"), QStringLiteral("down_revision=('x', 'y')")};
    QTest::newRow("name ref") << QStringLiteral("BASE = 'r0'\ndown_revision = BASE\ndeps = [BASE, 'q']\n") << QString() << QStringList{QStringLiteral("down_revision='r0'"), QStringLiteral("deps=['r0', 'q']")};
    QTest::newRow("chained") << QStringLiteral("a = b = 'x'\nc, d = 1, 2\n") << QString() << QStringList{QStringLiteral("a='x'"), QStringLiteral("b='x'"), QStringLiteral("c=1"), QStringLiteral("d=2")};
    QTest::newRow("semicolons") << QStringLiteral("x = 1; y = 'two'\n") << QString() << QStringList{QStringLiteral("x=1"), QStringLiteral("y='two'")};
    QTest::newRow("inside def ignored") << QStringLiteral("x = 1\ndef f():\n    x = 2\n    return x\nclass K:\n    y = 3\n") << QString() << QStringList{QStringLiteral("x=1")};
    QTest::newRow("continued") << QStringLiteral("down_revision = (\n    'a',  # first\n    'b',\n)\nrevision = \\\n  'z'\n") << QString() << QStringList{QStringLiteral("down_revision=('a', 'b')"), QStringLiteral("revision='z'")};
    QTest::newRow("concat") << QStringLiteral("x = ('ab'\n     'cd')\n") << QString() << QStringList{QStringLiteral("x='abcd'")};
    QTest::newRow("dict") << QStringLiteral("x = {'a': 1, 'b': [True, None, -2.5]}\n") << QString() << QStringList{QStringLiteral("x={'a': 1, 'b': [True, None, -2.5]}")};
    QTest::newRow("docstring concat") << QStringLiteral("'a' 'b'\nx = 1\n") << QStringLiteral("ab") << QStringList{QStringLiteral("x=1")};
}

void tst_PyParser::module()
{
    QFETCH(QString, source);
    QFETCH(QString, doc);
    QFETCH(QStringList, values);
    auto m = PyModuleScanner::scan(source);
    QVERIFY2(m.ok(), qPrintable(m.error().toString()));
    QCOMPARE(m->hasDocstring(), !doc.isNull());
    QCOMPARE(m->docstring(), doc.isNull() ? QString() : doc);
    for (const QString &expected : values) {
        const QString name = expected.section(u'=', 0, 0);
        const PyValue *v = m->value(name);
        QVERIFY2(v, qPrintable(name));
        QCOMPARE(name + u'=' + v->repr(), expected);
    }
}

void tst_PyParser::unevaluable()
{
    auto m = PyModuleScanner::scan(QStringLiteral(
        "import os\nfrom x import y as z\nrev = os.urandom(4).hex()\ndown = z\nlater = 'a'\nlater += 'b'\n"
        "def later2(): pass\n"));
    QVERIFY(m.ok());
    QVERIFY(m->has(QStringLiteral("os")));
    QVERIFY(m->has(QStringLiteral("z")));
    QVERIFY(!m->has(QStringLiteral("y")));
    QVERIFY(m->has(QStringLiteral("rev")));
    QVERIFY(!m->value(QStringLiteral("rev")));
    QCOMPARE(m->binding(QStringLiteral("rev"))->line, 3);
    QVERIFY(!m->value(QStringLiteral("down")));
    QVERIFY(m->binding(QStringLiteral("down"))->reason.contains(QStringLiteral("import")));
    QVERIFY(!m->value(QStringLiteral("later")));
    QVERIFY(m->has(QStringLiteral("later2")));
    QVERIFY(!m->hasDocstring());
}

void tst_PyParser::lexErrorFailsScan()
{
    auto m = PyModuleScanner::scan(QStringLiteral("x = 1\nrevision = 'abc\n"), QStringLiteral("v.py"));
    QVERIFY(!m.ok());
    QCOMPARE(m.error().line, 2);
    QCOMPARE(m.error().file, QStringLiteral("v.py"));
}

// Module-level if/try/with/for bodies may run, so what they bind is unknown statically;
// def/class bodies never bind module names. Both lexer modes must agree.
void tst_PyParser::conditionalBindings_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("full") << int(PyLexer::Full);
    QTest::newRow("top-level only") << int(PyLexer::TopLevelOnly);
}

void tst_PyParser::conditionalBindings()
{
    QFETCH(int, mode);
    const QString source = QStringLiteral(
        "revision = 'a'\nif X:\n    revision = 'b'\nelse:\n    pass\n"
        "down_revision = None\ntry:\n    import foo\nexcept ImportError as err:\n    foo = None\n"
        "def f():\n    down_revision = 'x'\n    if y:\n        depends_on = 'q'\n"
        "class K:\n    branch_labels = 'no'\n    def m(self):\n        pass\n"
        "async def g():\n    branch_labels = 'no'\n"
        "for i in range(3): pass\nwith open(p) as fh:\n    data = fh.read()\n"
        "if Y: one_liner = 1\nlate = 'x'\nif Z:\n    if W:\n        late = 'y'\nlate = 'z'\n"
        "if TYPE_CHECKING:\n    late = 'typing only'\nif False: late = 'dead'\n");
    auto tokens = PyLexer::tokenize(source, {}, PyLexer::Mode(mode));
    QVERIFY(tokens.ok());
    auto m = PyModuleScanner::scanTokens(*tokens);
    QVERIFY(m.ok());
    QVERIFY(m->has(QStringLiteral("revision")));
    QVERIFY(!m->value(QStringLiteral("revision")));
    QVERIFY(m->value(QStringLiteral("down_revision")) && m->value(QStringLiteral("down_revision"))->isNone());
    QVERIFY(!m->has(QStringLiteral("depends_on")));
    QVERIFY(!m->has(QStringLiteral("branch_labels")));
    for (const char *name : {"foo", "err", "i", "fh", "data", "one_liner"}) {
        QVERIFY2(m->has(QLatin1String(name)), name);
        QVERIFY2(!m->value(QLatin1String(name)), name);
    }
    QCOMPARE(m->value(QStringLiteral("late"))->toStr(), QStringLiteral("z"));
    QVERIFY(m->has(QStringLiteral("K")) && m->has(QStringLiteral("g")));
}

QTEST_APPLESS_MAIN(tst_PyParser)
#include "tst_pyparser.moc"
