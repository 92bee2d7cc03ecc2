// Nesting limits of the script interpreter: deep brackets (refused by the lexer after 200
// levels, as Python does) and operators that nest without brackets (unary - + ~, not, **,
// chained conditional expressions; refused after PyLimits::MaxOperatorDepth levels). Just
// under a limit the body is interpreted; over it, one Error with the file and line.
#include "operations/scriptinterpreter.h"
#include "python/pylimits.h"

#include <QtTest>

using namespace retort;

namespace {

const QString kPath = QStringLiteral("/p/versions/a1_x.py");

// `expr` is assigned on line 8 and passed to op.execute() on line 9.
QString script(const QString &expr)
{
    return QStringLiteral("\"\"\"x\"\"\"\nfrom alembic import op\n\nrevision = 'a1'\n"
                          "down_revision = None\n\ndef upgrade():\n    x = %1\n"
                          "    op.execute('SELECT %s' % (x,))\n\n"
                          "def downgrade():\n    pass\n").arg(expr);
}

QString nested(int depth, const QString &inner, QChar open = u'(', QChar close = u')')
{
    return QString(depth, open) + inner + QString(depth, close);
}

} // namespace

class tst_InterpreterLimits : public QObject
{
    Q_OBJECT
private slots:
    void limits_data();
    void limits();
    void flowLimits_data();
    void flowLimits();
};

void tst_InterpreterLimits::limits_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("sql");       // the op.execute() argument, or
    QTest::addColumn<QString>("message");   // the start of the error (on line 8)
    const QString parens = QString::fromLatin1(PyLimits::TooManyParentheses);
    const QString ops = QString::fromLatin1(PyLimits::TooManyOperators);
    QTest::newRow("200 (") << nested(200, "1") << "SELECT 1" << QString();
    QTest::newRow("200 [") << nested(200, "1", u'[', u']') + QString("[0]").repeated(200)
                           << "SELECT 1" << QString();
    QTest::newRow("201 (") << nested(201, "1") << QString() << parens;
    QTest::newRow("1500 {") << nested(1500, "1", u'{', u'}') << QString() << parens;
    QTest::newRow("1000 -") << QString(1000, u'-') + "1" << "SELECT 1" << QString();
    QTest::newRow("1001 -") << QString(1001, u'-') + "1" << QString() << ops;
    QTest::newRow("1000 not") << QString("not ").repeated(1000) + "1" << "SELECT True" << QString();
    QTest::newRow("100000 not") << QString("not ").repeated(100000) + "1" << QString() << ops;
    // Short runs between brackets: only the parser sees how deep the operators nest.
    QTest::newRow("-( x 200") << QString("-(").repeated(200) + "1" + QString(200, u')')
                              << "SELECT 1" << QString();
    QTest::newRow("600-( x 2") << (QString(600, u'-') + u'(').repeated(2) + "1))" << QString() << ops;
    QTest::newRow("not( x 2") << QString(QString("not ").repeated(600) + u'(').repeated(2) + "1))"
                              << QString() << ops;
    QTest::newRow("1000 **") << QString("1 ** ").repeated(1000) + "1" << "SELECT 1" << QString();
    QTest::newRow("1001 **") << QString("1 ** ").repeated(1001) + "1" << QString() << ops;
    QTest::newRow("1000 if-else") << QString("2 if False else ").repeated(1000) + "1" << "SELECT 1"
                                  << QString();
    QTest::newRow("1001 if-else") << QString("2 if False else ").repeated(1001) + "1" << QString() << ops;
    QTest::newRow("200 op args") << "1\n    op.execute(" + nested(199, "'SELECT 2'") + ")"
                                 << "SELECT 1" << QString();
}

void tst_InterpreterLimits::limits()
{
    QFETCH(QString, expr);
    QFETCH(QString, sql);
    QFETCH(QString, message);
    auto program = ScriptInterpreter::interpret(script(expr), kPath);
    if (!message.isEmpty()) {
        QVERIFY(!program.ok());
        QCOMPARE(program.error().file, kPath);
        QCOMPARE(program.error().line, 8);
        QVERIFY2(program.error().message.startsWith(message), qPrintable(program.error().message));
        return;
    }
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QVERIFY2(program->needsPython.isEmpty(),
             qPrintable(program->needsPython.value(QStringLiteral("upgrade")).reason));
    const auto ops = program->functions.value(QStringLiteral("upgrade"));
    QVERIFY(!ops.isEmpty());
    QCOMPARE(ops.last().name, QStringLiteral("execute"));
    QCOMPARE(ops.last().args.value(0).toStr(), sql);
}

// Loops and helper calls the interpreter runs itself: PyLimits::MaxCallDepth nested calls
// and PyLimits::MaxStatements statements run natively, one more needs Python (no Error:
// Python has its own limits and says so). Deep blocks in deep recursion must not crash.
void tst_InterpreterLimits::flowLimits_data()
{
    QTest::addColumn<QString>("module");    // after the imports, before upgrade()
    QTest::addColumn<QString>("body");      // upgrade()'s body, indented by 4
    QTest::addColumn<int>("ops");           // ops when native, or
    QTest::addColumn<QString>("reason");    // the NeedsPython reason

    const QString recurse = "def f(n):\n    if n > 0:\n        f(n - 1)\n    else:\n        op.execute('x')\n";
    const int depth = PyLimits::MaxCallDepth;
    QTest::newRow("MaxCallDepth calls") << recurse << QStringLiteral("f(%1)").arg(depth - 1) << 1 << QString();
    QTest::newRow("one call more") << recurse << QStringLiteral("f(%1)").arg(depth) << 0
                                   << QStringLiteral("helper calls nested deeper than %1").arg(depth);
    // 95 nested blocks in each of the nested calls.
    QString deep = "def g(n):\n";
    for (int i = 1; i <= 95; ++i)
        deep += QString(4 * i, u' ') + "if True:\n";
    deep += QString(4 * 96, u' ') + "if n > 0:\n" + QString(4 * 97, u' ') + "g(n - 1)\n";
    QTest::newRow("deep blocks in deep calls") << deep << QStringLiteral("g(%1)\nop.execute('y')").arg(depth - 1)
                                               << 1 << QString();
    // Each iteration's body statement counts once; straight-line statements do not count
    // (the source's size bounds them).
    const int n = PyLimits::MaxStatements;
    QTest::newRow("MaxStatements statements") << QString()
        << QStringLiteral("for i in range(%1):\n    pass\npass\npass").arg(n) << 0 << QString();
    QTest::newRow("one statement more") << QString() << QStringLiteral("for i in range(%1):\n    pass\n    pass").arg(n / 2 + 1)
                                        << 0 << QStringLiteral("runs more than %1 statements").arg(PyLimits::MaxStatements);
}

void tst_InterpreterLimits::flowLimits()
{
    QFETCH(QString, module);
    QFETCH(QString, body);
    QFETCH(int, ops);
    QFETCH(QString, reason);
    QString indented;
    for (const QString &line : body.split(u'\n'))
        indented += QStringLiteral("    ") + line + u'\n';
    const QString source = QStringLiteral("from alembic import op\n\nrevision = 'a1'\ndown_revision = None\n\n")
                           + module + QStringLiteral("\ndef upgrade():\n") + indented;
    auto program = ScriptInterpreter::interpret(source, kPath);
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QCOMPARE(program->needsPython.value(QStringLiteral("upgrade")).reason, reason);
    if (reason.isEmpty())
        QCOMPARE(program->functions.value(QStringLiteral("upgrade")).size(), ops);
}

QTEST_APPLESS_MAIN(tst_InterpreterLimits)
#include "tst_interpreterlimits.moc"
