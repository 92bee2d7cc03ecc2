// The interpreter's value helpers: canonical import paths, constant folding of operators
// and str methods, %-formatting and str.format, textwrap.dedent, getattr encoding.

#include "operations/constantfolder.h"
#include "operations/scriptscope.h"
#include "operations/scriptvalues.h"
#include "operations/stringformatter.h"
#include "python/pyexpressionparser.h"

#include <QtTest>

using namespace retort;

namespace {
PyValue parse(const QString &expr)
{
    auto v = PyExpressionParser::parseSource(expr);
    return v.ok() ? *v : PyValue::name(QStringLiteral("<parse error>"));
}
} // namespace

class tst_ScriptValues : public QObject
{
    Q_OBJECT

private slots:
    void canonicalPath_data();
    void canonicalPath();
    void valueCallee_data();
    void valueCallee();
    void binary_data();
    void binary();
    void compare_data();
    void compare();
    void percent_data();
    void percent();
    void brace_data();
    void brace();
    void dedent_data();
    void dedent();
    void attribute();
};

void tst_ScriptValues::canonicalPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("package") << "sqlalchemy" << "sa";
    QTest::newRow("top") << "sqlalchemy.Column" << "sa.Column";
    QTest::newRow("sql") << "sqlalchemy.sql.table" << "sa.table";
    QTest::newRow("expression") << "sqlalchemy.sql.expression.column" << "sa.column";
    QTest::newRow("types") << "sqlalchemy.types.JSON" << "sa.JSON";
    QTest::newRow("sqltypes") << "sqlalchemy.sql.sqltypes.NullType" << "sa.NullType";
    QTest::newRow("func") << "sqlalchemy.sql.func.now" << "sa.func.now";
    QTest::newRow("orm") << "sqlalchemy.orm.Session" << "sa.orm.Session";
    QTest::newRow("dialect module") << "sqlalchemy.dialects.postgresql" << "postgresql";
    QTest::newRow("dialect type") << "sqlalchemy.dialects.mysql.INTEGER" << "mysql.INTEGER";
    QTest::newRow("dialect impl module") << "sqlalchemy.dialects.postgresql.json.JSONB" << "postgresql.JSONB";
    QTest::newRow("dialect function") << "sqlalchemy.dialects.postgresql.insert" << "postgresql.insert";
    QTest::newRow("unknown dialect") << "sqlalchemy.dialects.firebird.X" << "sa.dialects.firebird.X";
    QTest::newRow("op") << "alembic.op" << "op";
    QTest::newRow("op attr") << "alembic.op.f" << "op.f";
    QTest::newRow("other alembic") << "alembic.context" << "alembic.context";
    QTest::newRow("foreign") << "datetime.date" << "datetime.date";
    QTest::newRow("lookalike") << "sqlalchemy_utils.UUIDType" << "sqlalchemy_utils.UUIDType";
}

void tst_ScriptValues::canonicalPath()
{
    QFETCH(QString, path);
    QFETCH(QString, canonical);
    QCOMPARE(ScriptScope::canonicalPath(path), canonical);
}

void tst_ScriptValues::valueCallee_data()
{
    QTest::addColumn<QString>("callee");
    QTest::addColumn<bool>("value");
    QTest::newRow("sa.Column") << "sa.Column" << true;
    QTest::newRow("sa.func.now") << "sa.func.now" << true;
    QTest::newRow("postgresql.JSONB") << "postgresql.JSONB" << true;
    QTest::newRow("op.f") << "op.f" << true;
    QTest::newRow("op.execute") << "op.execute" << false;
    QTest::newRow("sa.orm.Session") << "sa.orm.Session" << false;
    QTest::newRow("sa.inspect") << "sa.inspect" << false;
    QTest::newRow("sa.create_engine") << "sa.create_engine" << false;
    QTest::newRow("datetime.date") << "datetime.date" << true;
    QTest::newRow("print") << "print" << false;
    QTest::newRow("myapp.GUID") << "myapp.GUID" << false;
}

void tst_ScriptValues::valueCallee()
{
    QFETCH(QString, callee);
    QFETCH(bool, value);
    QCOMPARE(ScriptScope::isValueCallee(callee), value);
}

void tst_ScriptValues::binary_data()
{
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("lhs");
    QTest::addColumn<QString>("rhs");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("repr");
    const int F = ConstantFolder::Folded, N = ConstantFolder::NotConstant, U = ConstantFolder::Unsupported;
    QTest::newRow("str+str") << "+" << "'a'" << "'b'" << F << "'ab'";
    QTest::newRow("list+list") << "+" << "[sa.Column('a')]" << "[1]" << F << "[sa.Column('a'), 1]";
    QTest::newRow("tuple*int") << "*" << "(1,)" << "3" << F << "(1, 1, 1)";
    QTest::newRow("int*str") << "*" << "2" << "'ab'" << F << "'abab'";
    QTest::newRow("floor mod") << "%" << "7" << "-3" << F << "-2";
    QTest::newRow("floor div") << "//" << "-7" << "2" << F << "-4";
    QTest::newRow("true div") << "/" << "1" << "4" << F << "0.25";
    QTest::newRow("negative pow") << "**" << "2" << "-1" << F << "0.5";
    QTest::newRow("float floordiv") << "//" << "7.5" << "2" << F << "3.0";
    QTest::newRow("shift") << "<<" << "1" << "4" << F << "16";
    QTest::newRow("div by zero") << "/" << "1" << "0" << U << "";
    QTest::newRow("str-str") << "-" << "'a'" << "'b'" << U << "";
    QTest::newRow("column+1") << "+" << "sa.column('a')" << "1" << N << "";
    QTest::newRow("format") << "%" << "'%s=%d'" << "('a', 1)" << F << "'a=1'";
    QTest::newRow("format non-constant") << "%" << "'%s'" << "sa.column('a')" << N << "";
    QTest::newRow("format arity") << "%" << "'%s'" << "(1, 2)" << U << "";
}

void tst_ScriptValues::binary()
{
    QFETCH(QString, op);
    QFETCH(QString, lhs);
    QFETCH(QString, rhs);
    QFETCH(int, status);
    QFETCH(QString, repr);
    PyValue out;
    QCOMPARE(int(ConstantFolder::binary(op, parse(lhs), parse(rhs), &out)), status);
    if (status == ConstantFolder::Folded)
        QCOMPARE(out.repr(), repr);
}

void tst_ScriptValues::compare_data()
{
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("lhs");
    QTest::addColumn<QString>("rhs");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("result");
    const int F = ConstantFolder::Folded, N = ConstantFolder::NotConstant, U = ConstantFolder::Unsupported;
    QTest::newRow("int == float") << "==" << "3" << "3.0" << F << true;
    QTest::newRow("str <") << "<" << "'ab'" << "'b'" << F << true;
    QTest::newRow("in str") << "in" << "'a'" << "'cat'" << F << true;
    QTest::newRow("not in tuple") << "not in" << "3" << "(1, 2)" << F << true;
    QTest::newRow("in dict") << "in" << "'k'" << "{'k': 1}" << F << true;
    QTest::newRow("is None") << "is" << "None" << "None" << F << true;
    QTest::newRow("is not") << "is not" << "None" << "False" << F << true;
    QTest::newRow("is on str") << "is" << "'a'" << "'a'" << U << false;
    QTest::newRow("str < int") << "<" << "'a'" << "1" << U << false;
    QTest::newRow("column") << "==" << "sa.column('a')" << "1" << N << false;
}

void tst_ScriptValues::compare()
{
    QFETCH(QString, op);
    QFETCH(QString, lhs);
    QFETCH(QString, rhs);
    QFETCH(int, status);
    QFETCH(bool, result);
    PyValue out;
    QCOMPARE(int(ConstantFolder::compare(op, parse(lhs), parse(rhs), &out)), status);
    if (status == ConstantFolder::Folded)
        QCOMPARE(out.toBool(), result);
}

void tst_ScriptValues::percent_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("args");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("result");
    QTest::newRow("flags") << "%-5s|%5d|%+d|%x|%o|%r|%%" << "('ab', 42, 7, 255, 8, 'q')" << true
                           << "ab   |   42|+7|ff|10|'q'|%";
    QTest::newRow("str of constants") << "%s %s %s" << "(None, True, [1, 'a'])" << true
                                      << "None True [1, 'a']";
    QTest::newRow("precision") << "%.2s %03d %i" << "('abcdef', -5, 3.9)" << true << "ab -05 3";
    QTest::newRow("single") << "x=%s" << "'y'" << true << "x=y";
    QTest::newRow("mapping") << "%(a)s/%(b)r" << "{'a': 1, 'b': 'c'}" << true << "1/'c'";
    QTest::newRow("missing arg") << "%s %s" << "('a',)" << false << "";
    QTest::newRow("unknown key") << "%(z)s" << "{'a': 1}" << false << "";
    QTest::newRow("number for str") << "%d" << "'a'" << false << "";
    // Found by the fuzzer: int overflow reading the width (a MemoryError in Python).
    QTest::newRow("huge width") << "%9999999999999999s" << "'a'" << false << "";
    QTest::newRow("huge precision") << "%.99999999999999999f" << "1.5" << false << "";
}

void tst_ScriptValues::percent()
{
    QFETCH(QString, format);
    QFETCH(QString, args);
    QFETCH(bool, ok);
    QFETCH(QString, result);
    QString out;
    QCOMPARE(StringFormatter::percent(format, parse(args), &out), ok);
    if (ok)
        QCOMPARE(out, result);
}

void tst_ScriptValues::brace_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("call");   // f(args...) supplying args/kwargs
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("result");
    QTest::newRow("indexed") << "{0}{1}{0}" << "f('a', 'b')" << true << "aba";
    QTest::newRow("named and repr") << "{x}-{y!r}" << "f(x=1, y='z')" << true << "1-'z'";
    QTest::newRow("auto and escapes") << "{{{}}}" << "f(5)" << true << "{5}";
    QTest::newRow("format spec") << "{:>4}" << "f(5)" << false << "";
    QTest::newRow("missing") << "{2}" << "f(5)" << false << "";
    QTest::newRow("stray brace") << "a}" << "f()" << false << "";
}

void tst_ScriptValues::brace()
{
    QFETCH(QString, format);
    QFETCH(QString, call);
    QFETCH(bool, ok);
    QFETCH(QString, result);
    const PyValue c = parse(call);
    QString out;
    QCOMPARE(StringFormatter::brace(format, c.args(), c.kwargs(), &out), ok);
    if (ok)
        QCOMPARE(out, result);
}

void tst_ScriptValues::dedent_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("result");
    QTest::newRow("common margin") << "\n    a\n      b\n  \n" << "\na\n  b\n\n";
    QTest::newRow("no margin") << "a\n  b" << "a\n  b";
    QTest::newRow("tabs vs spaces") << "\ta\n    b" << "\ta\n    b";
    QTest::newRow("whitespace lines ignored") << "    a\n\n        \n    b" << "a\n\n\nb";
}

void tst_ScriptValues::dedent()
{
    QFETCH(QString, text);
    QFETCH(QString, result);
    QCOMPARE(ConstantFolder::dedent(text), result);
}

void tst_ScriptValues::attribute()
{
    const PyValue table = parse("sa.table('t')");
    const PyValue insert = ScriptValues::attribute(table, QStringLiteral("insert"));
    QCOMPARE(insert.repr(), QStringLiteral("getattr(sa.table('t'), 'insert')"));
    PyValue receiver;
    QString attr;
    QVERIFY(ScriptValues::isAttribute(insert, &receiver, &attr));
    QCOMPARE(receiver, table);
    QCOMPARE(attr, QStringLiteral("insert"));
    const PyValue call = PyValue::call(insert, {}, {});
    QVERIFY(ScriptValues::isMethodCall(call, &receiver, &attr));
    QVERIFY(!ScriptValues::isMethodCall(table));
    QVERIFY(!ScriptValues::isAttribute(parse("getattr(x, 'a', None)")));
    const PyValue eq = ScriptValues::operatorCall(QStringLiteral("eq"), {table, PyValue::integer(1)});
    QCOMPARE(ScriptValues::operatorName(eq), QStringLiteral("eq"));
    QCOMPARE(ScriptValues::operatorName(table), QString());
}

QTEST_GUILESS_MAIN(tst_ScriptValues)
#include "tst_scriptvalues.moc"
