// Live inspection in the script interpreter (ScriptInspector): `sa.inspect(bind)` and
// `reflection.Inspector.from_engine(bind)` become an inspector value only with a live
// inspector in the context, for the function being run; its methods are answered by the
// inspector, which also sees the top-level ops emitted before each call (a helper's ops
// after its caller's), and can stop the interpretation; inspection inside a try suite
// needs Python. Without an inspector everything stays needs-Python, as before.

#include "operations/opdump.h"
#include "operations/scriptinspector.h"
#include "operations/scriptinterpreter.h"

#include <QtTest>

using namespace retort;

namespace {

QString script(const QString &prelude, const QString &body)
{
    QString indented;
    for (const QString &line : body.split(u'\n'))
        indented += (line.isEmpty() ? QString() : QStringLiteral("    ") + line) + u'\n';
    return QStringLiteral("from alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy.engine import reflection\n\n")
           + prelude + QStringLiteral("def upgrade():\n") + indented + QStringLiteral("\ndef downgrade():\n")
           + indented;
}

// Answers from a table list; records each call with the number of ops emitted before it.
class FakeInspector : public ScriptInspector
{
public:
    QStringList tables{"a", "b"};
    QStringList calls;
    int stopAfterOps = -1;   // Stop when more ops than this were emitted

    Status call(bool engine, int, const QString &method, const QVector<PyValue> &args, const QVector<QPair<QString, PyValue>> &,
                const QVector<MigrationOp> &emitted, PyValue *out, QString *message) override
    {
        calls << QStringLiteral("%1%2(%3) after %4").arg(engine ? QStringLiteral("engine ") : QString(), method, args.isEmpty() ? QString() : args[0].repr()).arg(emitted.size());
        if (stopAfterOps >= 0 && emitted.size() > stopAfterOps) {
            *message = QStringLiteral("stop");
            return Stop;
        }
        if (method == u"get_table_names") {
            QVector<PyValue> v;
            for (const QString &t : tables)
                v << PyValue::string(t);
            *out = PyValue::list(v);
            return Answered;
        }
        if (method == u"has_table") {
            *out = PyValue::boolean(tables.contains(args.value(0).toStr()));
            return Answered;
        }
        if (method == u"get_indexes") {
            const auto s = [](const char *t) { return PyValue::string(QString::fromLatin1(t)); };
            *out = PyValue::list({PyValue::dict({{s("name"), s("ix_a_x")}, {s("column_names"), PyValue::list({s("x")})},
                                                 {s("unique"), PyValue::integer(0)}}),
                                  PyValue::dict({{s("name"), s("ix_a_xy")}, {s("column_names"), PyValue::list({s("x"), s("y")})},
                                                 {s("unique"), PyValue::integer(1)}})});
            return Answered;
        }
        const auto s = [](const char *t) { return PyValue::string(QString::fromLatin1(t)); };
        const auto type = [](const char *t) {
            return PyValue::call(PyValue::name(QStringLiteral("sa.types.ReflectedType")), {PyValue::string(QString::fromLatin1(t))}, {});
        };
        if (method == u"reflect_table_names") {   // ScriptReflection's questions
            QVector<PyValue> v;
            for (const QString &t : tables)
                v << PyValue::string(t);
            *out = PyValue::list(v);
            return Answered;
        }
        if (method == u"reflect_table" && tables.contains(args.value(0).toStr())) {
            const auto column = [&](const char *name, const char *t) {
                return PyValue::dict({{s("name"), s(name)}, {s("type"), type(t)}});
            };
            *out = PyValue::dict({{s("columns"), PyValue::list({column("id", "INTEGER"), column("x", "VARCHAR(20)"),
                                                                column("flag", "BOOLEAN"), column("at", "DATETIME")})},
                                  {s("pk"), PyValue::dict({{s("constrained_columns"), PyValue::list({s("id")})}})}});
            return Answered;
        }
        if (method == u"reflect_table") {
            *message = QStringLiteral("no such table");
            return Stop;
        }
        *message = QStringLiteral("call to inspector.%1()").arg(method);
        return Needs;
    }
};

ScriptContext live(FakeInspector *inspector)
{
    ScriptContext c(QStringLiteral("sqlite"), ScriptContext::Online);
    c.inspector = inspector;
    c.liveFunction = QStringLiteral("upgrade");
    return c;
}

} // namespace

class tst_ScriptInspection : public QObject
{
    Q_OBJECT

private slots:
    void answered_data();
    void answered();
    void withoutInspectorNeedsPython();
    void emittedOpsSeen();
    void stopFailsTheInterpretation();
    void insideTryNeedsPython();
    void otherFunctionsNotInspected();
    void engineInspectorSaysSo();
    void attributesNeedPython();
    void unansweredMethodNeedsPython();
    void comprehensions_data();
    void comprehensions();
    void engineUrl_data();
    void engineUrl();
    void reflection_data();
    void reflection();
    void reflectionNeedsPython_data();
    void reflectionNeedsPython();
};

void tst_ScriptInspection::answered_data()
{
    QTest::addColumn<QString>("prelude");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("table names guard") << QString()
        << "tables = sa.inspect(op.get_bind()).get_table_names()\n"
           "if 'a' in tables:\n    op.drop_table('a')\nif 'c' not in tables:\n    op.create_table('c', sa.Column('id', sa.Integer()))"
        << QStringList{"8: drop_table('a')", "10: create_table('c', sa.Column('id', sa.Integer()))"};
    QTest::newRow("engine, has_table") << QString()
        << "engine = op.get_bind().engine\ninsp = sa.inspect(engine)\nif not insp.has_table('z'):\n    op.drop_table('b')"
        << QStringList{"9: drop_table('b')"};
    QTest::newRow("from_engine, index loop") << QString()
        << "inspector = reflection.Inspector.from_engine(op.get_bind())\n"
           "for index in inspector.get_indexes('a'):\n"
           "    if index['column_names'] == ['x'] and index['unique'] is not True:\n"
           "        op.drop_index(index['name'], table_name='a')\n"
           "    if index['unique'] is False:\n"   // SQLite's 0 is not False
           "        op.drop_table('never')"
        << QStringList{"9: drop_index('ix_a_x', table_name='a')"};
    QTest::newRow("helper with early return") << QString(
           "def add_if_exists(table):\n"
           "    if table not in sa.inspect(op.get_bind().engine).get_table_names():\n"
           "        return\n"
           "    op.add_column(table, sa.Column('s', sa.Integer()))\n\n")
        << "for t in ('a', 'c', 'b'):\n    add_if_exists(t)"
        << QStringList{"8: add_column('a', sa.Column('s', sa.Integer()))", "8: add_column('b', sa.Column('s', sa.Integer()))"};
}

void tst_ScriptInspection::answered()
{
    QFETCH(QString, prelude);
    QFETCH(QString, body);
    QFETCH(QStringList, expected);
    FakeInspector inspector;
    auto program = ScriptInterpreter::interpret(script(prelude, body), QStringLiteral("x.py"), live(&inspector));
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QVERIFY2(!program->needsPython.contains("upgrade"), qPrintable(program->needsPython.value("upgrade").reason));
    QCOMPARE(OpDump::dump(program->functions.value("upgrade")), expected);
}

void tst_ScriptInspection::withoutInspectorNeedsPython()
{
    auto program = ScriptInterpreter::interpret(
        script({}, "if 'a' in sa.inspect(op.get_bind()).get_table_names():\n    op.drop_table('a')"),
        QStringLiteral("x.py"), ScriptContext(QStringLiteral("sqlite"), ScriptContext::Online));
    QVERIFY(program.ok());
    QVERIFY(program->needsPython.contains("upgrade"));
    QCOMPARE(program->needsPython.value("upgrade").reason, QStringLiteral("call to sa.inspect()"));
}

void tst_ScriptInspection::emittedOpsSeen()
{
    FakeInspector inspector;
    auto program = ScriptInterpreter::interpret(
        script("def helper():\n    op.drop_table('h')\n    return sa.inspect(op.get_bind()).has_table('a')\n\n",
               "op.drop_table('x')\ninsp = sa.inspect(op.get_bind())\ninsp.get_table_names()\n"
               "op.drop_table('y')\nwith op.batch_alter_table('a') as b:\n    b.drop_column('c')\n"
               "    insp.has_table('a')\nhelper()"),
        QStringLiteral("x.py"), live(&inspector));
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QVERIFY(!program->needsPython.contains("upgrade"));
    // A batch's ops are not emitted before its block ends (Alembic flushes it then); a
    // helper's follow its caller's.
    QCOMPARE(inspector.calls, (QStringList{"get_table_names() after 1", "has_table('a') after 2",
                                           "has_table('a') after 4"}));
}

void tst_ScriptInspection::stopFailsTheInterpretation()
{
    FakeInspector inspector;
    inspector.stopAfterOps = 0;
    auto program = ScriptInterpreter::interpret(
        script({}, "insp = sa.inspect(op.get_bind())\ninsp.has_table('a')\nop.drop_table('x')\ninsp.has_table('b')"),
        QStringLiteral("x.py"), live(&inspector));
    QVERIFY(!program.ok());
    QCOMPARE(inspector.calls, (QStringList{"has_table('a') after 0", "has_table('b') after 1"}));
}

void tst_ScriptInspection::insideTryNeedsPython()
{
    FakeInspector inspector;
    auto program = ScriptInterpreter::interpret(
        script({}, "try:\n    op.drop_table('x')\n    sa.inspect(op.get_bind()).has_table('a')\nexcept Exception:\n    pass"),
        QStringLiteral("x.py"), live(&inspector));
    QVERIFY(program.ok());
    QCOMPARE(program->needsPython.value("upgrade").reason,
             QStringLiteral("inspects the database inside a try statement or autocommit block"));
    QVERIFY(inspector.calls.isEmpty());
}

void tst_ScriptInspection::otherFunctionsNotInspected()
{
    FakeInspector inspector;
    auto program = ScriptInterpreter::interpret(script({}, "sa.inspect(op.get_bind()).has_table('a')"),
                                                QStringLiteral("x.py"), live(&inspector));
    QVERIFY(program.ok());
    QVERIFY(program->functions.contains("upgrade"));
    QVERIFY(program->needsPython.contains("downgrade"));   // same body, not the live function
    QCOMPARE(inspector.calls.size(), 1);
}

void tst_ScriptInspection::engineInspectorSaysSo()
{
    FakeInspector inspector;
    auto program = ScriptInterpreter::interpret(
        script({}, "sa.inspect(op.get_bind().engine).has_table('a')\nsa.inspect(op.get_bind()).has_table('b')"),
        QStringLiteral("x.py"), live(&inspector));
    QVERIFY(program.ok());
    QVERIFY(program->functions.contains("upgrade"));
    QCOMPARE(inspector.calls, (QStringList{"engine has_table('a') after 0", "has_table('b') after 0"}));
}

void tst_ScriptInspection::attributesNeedPython()
{
    FakeInspector inspector;
    auto program = ScriptInterpreter::interpret(
        script({}, "insp = sa.inspect(op.get_bind())\nop.drop_table(insp.default_schema_name)"),
        QStringLiteral("x.py"), live(&inspector));
    QVERIFY(program.ok());
    QCOMPARE(program->needsPython.value("upgrade").reason, QStringLiteral("uses inspector.default_schema_name"));
}

void tst_ScriptInspection::unansweredMethodNeedsPython()
{
    FakeInspector inspector;
    auto program = ScriptInterpreter::interpret(
        script({}, "insp = sa.inspect(op.get_bind())\nif insp.get_check_constraints('a'):\n    op.drop_table('a')"),
        QStringLiteral("x.py"), live(&inspector));
    QVERIFY(program.ok());
    QCOMPARE(program->needsPython.value("upgrade").reason, QStringLiteral("call to inspector.get_check_constraints()"));
}

// List and set comprehensions (one for clause, if clauses), over answers and constants.
void tst_ScriptInspection::comprehensions_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("result");   // the dumped ops, or "needs: <reason>"

    QTest::newRow("names of indexes") <<
        "names = [i['name'] for i in sa.inspect(op.get_bind()).get_indexes('a') if i['unique'] == 0]\n"
        "op.drop_index(names[0], table_name='a')\nop.drop_table(str(len(names)))"
        << "7: drop_index('ix_a_x', table_name='a')\n8: drop_table('1')";
    QTest::newRow("set of table names") <<
        "tables = {t for t in sa.inspect(op.get_bind()).get_table_names()}\nif 'b' in tables:\n    op.drop_table('b')"
        << "8: drop_table('b')";
    QTest::newRow("tuple target, filter") <<
        "cols = [c for n, c in [('a', 'x'), ('b', 'y'), ('c', 'z')] if n != 'b']\nop.drop_table(cols[1])"
        << "7: drop_table('z')";
    QTest::newRow("target does not leak") << "x = 'outer'\nys = [x for x in ['inner']]\nop.drop_table(x)"
        << "8: drop_table('outer')";
    QTest::newRow("nested for") << "op.drop_table(str([i for i in [1] for j in [2]]))" << "needs: comprehension";
    QTest::newRow("dict comprehension") << "op.drop_table(str({i: 1 for i in [1]}))" << "needs: dict comprehension";
    QTest::newRow("unknown iterable") << "op.drop_table(str([i for i in op.get_bind().engine]))"
        << "needs: comprehension over a value only Python knows";
}

void tst_ScriptInspection::comprehensions()
{
    QFETCH(QString, body);
    QFETCH(QString, result);
    FakeInspector inspector;
    auto program = ScriptInterpreter::interpret(script({}, body), QStringLiteral("x.py"), live(&inspector));
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    if (result.startsWith(QLatin1String("needs: ")))
        QCOMPARE(program->needsPython.value("upgrade").reason, result.mid(7));
    else
        QCOMPARE(OpDump::dump(program->functions.value("upgrade")).join(u'\n'), result);
}

void tst_ScriptInspection::engineUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("result");   // the dumped ops, or "needs: <reason>"

    const QString branches = "url = str(op.get_bind().engine.url)\n"
                             "if url.startswith('mysql'):\n    op.drop_table('m')\n"
                             "elif url.startswith('postgres'):\n    op.drop_table('p')\n";
    QTest::newRow("postgresql") << "postgresql://u:pw@h:5432/db" << branches << "10: drop_table('p')";
    QTest::newRow("mysql") << "mysql+pymysql://u@h/db" << branches << "8: drop_table('m')";
    QTest::newRow("sqlite") << "sqlite:///db/x.db" << branches << "";
    QTest::newRow("unknown url") << "" << branches << "needs: uses op.get_bind().engine.url";
    QTest::newRow("drivername") << "postgresql+psycopg2://h/db"
        << "bind = op.get_bind()\nif bind.engine.url.drivername == 'postgresql+psycopg2':\n    op.drop_table(bind.engine.url.database)"
        << "8: drop_table('db')";
    QTest::newRow("other attribute") << "postgresql://h/db" << "op.drop_table(op.get_bind().engine.url.host)"
        << "needs: uses op.get_bind().engine.url.host";
    QTest::newRow("url itself is not a string") << "postgresql://h/db"
        << "if op.get_bind().engine.url.startswith('p'):\n    op.drop_table('p')"
        << "needs: uses op.get_bind().engine.url.startswith";
}

void tst_ScriptInspection::engineUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, body);
    QFETCH(QString, result);
    ScriptContext c(QStringLiteral("postgresql"), ScriptContext::Offline);
    c.url = url;
    c.urlDrivername = url.section(QStringLiteral("://"), 0, 0);
    c.urlDatabase = url.section(u'/', -1);
    auto program = ScriptInterpreter::interpret(script({}, body), QStringLiteral("x.py"), c);
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    if (result.startsWith(QLatin1String("needs: ")))
        QCOMPARE(program->needsPython.value("upgrade").reason, result.mid(7));
    else
        QCOMPARE(OpDump::dump(program->functions.value("upgrade")).join(u'\n'), result);
}


// MetaData.reflect(bind) / Table(autoload_with=bind) with a live inspector: the reflected
// table is an sa.Table value with the inspector's columns (types as the DML renderer
// binds literals: INTEGER -> Integer, VARCHAR -> String, BOOLEAN -> Boolean, others kept)
// and primary key; statements on it are op.execute() ops, the bind's execute() too.
void tst_ScriptInspection::reflection_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QStringList>("calls");

    const QString table = QStringLiteral(
        "sa.Table('a', sa.MetaData(), sa.Column('id', sa.Integer(), primary_key=True), sa.Column('x', sa.String()), "
        "sa.Column('flag', sa.Boolean()), sa.Column('at', sa.types.ReflectedType('DATETIME')))");
    QTest::newRow("reflect only, Table(name, meta)")
        << "op.drop_table('z')\nmeta = sa.MetaData()\nmeta.reflect(op.get_bind(), only=('a',), resolve_fks=False)\n"
           "t = sa.Table('a', meta)\nop.execute(t.update().values(x='y'))"
        << QStringList{"6: drop_table('z')", "10: execute(getattr(getattr(" + table + ", 'update')(), 'values')(x='y'))"}
        << QStringList{"reflect_table_names() after 1", "reflect_table('a') after 1"};
    QTest::newRow("reflect all, tables[], bind execute")
        << "conn = op.get_bind()\nmeta = sa.MetaData()\nmeta.reflect(conn)\nt = meta.tables['a']\n"
           "conn.execute(sa.delete(t).where(t.c.x == 'q'))"
        << QStringList{"10: execute(getattr(sa.delete(" + table + "), 'where')(operator.eq(getattr(getattr(" + table
                       + ", 'c'), 'x'), 'q')))"}
        << QStringList{"reflect_table_names() after 0", "reflect_table('a') after 0", "reflect_table('b') after 0"};
    QTest::newRow("autoload_with, then the same name again")
        << "t = sa.Table('a', sa.MetaData(), autoload_with=op.get_bind())\n"
           "u = sa.Table('a', sa.MetaData())\nop.execute(u.insert().values(id=1))"
        << QStringList{"8: execute(getattr(getattr(" + table + ", 'insert')(), 'values')(id=1))"}
        << QStringList{"reflect_table('a') after 0"};
}

void tst_ScriptInspection::reflection()
{
    QFETCH(QString, body);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, calls);
    FakeInspector inspector;
    auto program = ScriptInterpreter::interpret(script({}, body), QStringLiteral("x.py"), live(&inspector));
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QVERIFY2(!program->needsPython.contains("upgrade"), qPrintable(program->needsPython.value("upgrade").reason));
    QCOMPARE(OpDump::dump(program->functions.value("upgrade")), expected);
    QCOMPARE(inspector.calls, calls);
    // Without a live inspector (--sql, or before routing) it stays Python's.
    auto offline = ScriptInterpreter::interpret(script({}, body), QStringLiteral("x.py"),
                                                ScriptContext(QStringLiteral("sqlite"), ScriptContext::Online));
    QVERIFY(offline.ok());
    QVERIFY(offline->needsPython.contains("upgrade"));
}

void tst_ScriptInspection::reflectionNeedsPython_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("reason");   // empty: the interpretation fails (Python would raise)

    QTest::newRow("a table not reflected")
        << "meta = sa.MetaData()\nmeta.reflect(op.get_bind(), only=['a'])\nop.execute(meta.tables['b'].delete())"
        << "MetaData.tables['b']: a table not reflected";
    QTest::newRow("only names a missing table")
        << "meta = sa.MetaData()\nmeta.reflect(op.get_bind(), only=['a', 'nope'])" << QString();
    QTest::newRow("views") << "meta = sa.MetaData()\nmeta.reflect(op.get_bind(), views=True)"
                           << "reflect() with views=";
    QTest::newRow("inside try")
        << "meta = sa.MetaData()\ntry:\n    meta.reflect(op.get_bind())\nexcept Exception:\n    pass"
        << "reflects the database inside a try statement or autocommit block";
    QTest::newRow("bound MetaData") << "meta = sa.MetaData(bind=op.get_bind())\nmeta.reflect()"
                                    << "passes op.get_bind() or op.get_context() to sa.MetaData()";
}

void tst_ScriptInspection::reflectionNeedsPython()
{
    QFETCH(QString, body);
    QFETCH(QString, reason);
    FakeInspector inspector;
    auto program = ScriptInterpreter::interpret(script({}, body), QStringLiteral("x.py"), live(&inspector));
    if (reason.isEmpty()) {
        QVERIFY(!program.ok());
        return;
    }
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QCOMPARE(program->needsPython.value("upgrade").reason, reason);
}

QTEST_GUILESS_MAIN(tst_ScriptInspection)
#include "tst_scriptinspection.moc"
