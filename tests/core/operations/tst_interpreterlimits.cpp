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

QTEST_APPLESS_MAIN(tst_InterpreterLimits)
#include "tst_interpreterlimits.moc"
