// EffectInterpreter through ScriptInterpreter: try/except/else/finally, print(), logging
// calls and autocommit blocks become effect ops ("@try", "@print", "@log", "@raise",
// "@autocommit"); what cannot be decided statically needs Python, with reason and line.

#include "operations/opdump.h"
#include "operations/scriptinterpreter.h"

#include <QtTest>

using namespace retort;

namespace {

const char *const kHeader =
    "from alembic import op\n"
    "import sqlalchemy as sa\n"
    "\n";

// `def upgrade():` with body (its lines start at 5 + the prelude's line count).
QString script(const QString &prelude, const QString &body)
{
    QString indented;
    for (const QString &line : body.split(u'\n'))
        indented += (line.isEmpty() ? QString() : QStringLiteral("    ") + line) + u'\n';
    return QString::fromLatin1(kHeader) + prelude + QStringLiteral("def upgrade():\n") + indented;
}

} // namespace

class tst_EffectInterpreter : public QObject
{
    Q_OBJECT

private slots:
    void ops_data();
    void ops();
    void needsPython_data();
    void needsPython();
    void errors_data();
    void errors();
    void moduleName();
};

void tst_EffectInterpreter::ops_data()
{
    QTest::addColumn<QString>("prelude");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("try except else finally")
        << QString()
        << "try:\n    op.drop_index('ix')\nexcept Exception:\n    op.execute('A')\nelse:\n    pass\n"
           "finally:\n    op.execute('B')\nop.execute('C')"
        << QStringList{"5: @try()", "  6: drop_index('ix')", "7: @except('Exception')", "  8: execute('A')",
                       "9: @else()", "11: @finally()", "  12: execute('B')", "13: execute('C')"};
    QTest::newRow("classes canonical, tuple, as, bare")
        << "from sqlalchemy.exc import OperationalError\nfrom sqlalchemy import exc\nimport sqlalchemy\n"
        << "try:\n    op.drop_table('a')\nexcept (OperationalError, exc.ProgrammingError) as e:\n    pass\n"
           "except sqlalchemy.exc.IntegrityError:\n    pass\nexcept KeyError:\n    pass\nexcept:\n    raise"
        << QStringList{"8: @try()", "  9: drop_table('a')",
                       "10: @except('sa.exc.OperationalError', 'sa.exc.ProgrammingError')",
                       "12: @except('sa.exc.IntegrityError')", "14: @except('KeyError')", "16: @except()",
                       "  17: @raise()"};
    QTest::newRow("one-line suites and nesting")
        << QString()
        << "try: op.drop_table('a')\nexcept sa.exc.DBAPIError: pass\ntry:\n    try:\n        op.drop_table('b')\n"
           "    finally:\n        print('inner')\nexcept BaseException:\n    print('outer')"
        << QStringList{"5: @try()", "  5: drop_table('a')", "6: @except('sa.exc.DBAPIError')", "7: @try()",
                       "  8: @try()", "    9: drop_table('b')", "  10: @finally()", "    11: @print('inner\\n')",
                       "12: @except('BaseException')", "  13: @print('outer\\n')"};
    QTest::newRow("print")
        << "N = 3\n"
        << "print('a', 1, None, True, N)\nprint('x', 'y', sep='-', end='')\nprint()\nprint('f', flush=True)"
        << QStringList{"6: @print('a 1 None True 3\\n')", "7: @print('x-y')", "8: @print('\\n')",
                       "9: @print('f\\n')"};
    QTest::newRow("logging")
        << "import logging\nlog = logging.getLogger(__name__)\nalog = logging.getLogger('alembic.env')\n"
        << "log.info('adding %s to %s', 'c', 't')\nlogging.warning('root %d%%', 5)\nalog.error('x')\n"
           "local = logging.getLogger()\nlocal.debug('%(a)s', {'a': 1})\nlog.critical('no args %s')"
        << QStringList{"8: @log(20, 'x_py', 'adding c to t')", "9: @log(30, 'root', 'root 5%')",
                       "10: @log(40, 'alembic.env', 'x')", "12: @log(10, 'root', '1')",
                       "13: @log(50, 'x_py', 'no args %s')"};
    QTest::newRow("autocommit blocks")
        << "from alembic import context\n"
        << "with op.get_context().autocommit_block():\n    op.execute('A')\n"
           "with context.autocommit_block():\n    op.execute('B')\n"
           "with context.get_context().autocommit_block():\n    print('C')"
        << QStringList{"6: @autocommit()", "  7: execute('A')", "8: @autocommit()", "  9: execute('B')",
                       "10: @autocommit()", "  11: @print('C\\n')"};
    QTest::newRow("batch and try in autocommit")
        << QString()
        << "with op.get_context().autocommit_block():\n    try:\n        op.execute('A')\n"
           "    except Exception:\n        pass\n    with op.batch_alter_table('t') as b:\n        b.drop_column('x')"
        << QStringList{"5: @autocommit()", "  6: @try()", "    7: execute('A')", "  8: @except('Exception')",
                       "  10: batch_alter_table('t')", "    11: drop_column('x')"};
    QTest::newRow("names bound in finally stay known")
        << QString()
        << "try:\n    pass\nfinally:\n    name = 't'\nop.drop_table(name)"
        << QStringList{"5: @try()", "7: @finally()", "9: drop_table('t')"};
    QTest::newRow("import in try, unused after")
        << QString()
        << "try:\n    import json\nexcept ImportError:\n    pass\nop.drop_table('t')"
        << QStringList{"5: @try()", "7: @except('ImportError')", "9: drop_table('t')"};
}

void tst_EffectInterpreter::ops()
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

void tst_EffectInterpreter::needsPython_data()
{
    QTest::addColumn<QString>("prelude");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("line");

    QTest::newRow("exception used") << QString()
        << "try:\n    op.drop_table('a')\nexcept Exception as e:\n    print(e)" << "uses module-level name e" << 8;
    QTest::newRow("name from try used after") << QString()
        << "try:\n    t = 'a'\nexcept Exception:\n    t = 'b'\nop.drop_table(t)" << "uses module-level name t" << 9;
    QTest::newRow("name from try used in handler") << QString()
        << "t = 'x'\ntry:\n    t = 'a'\n    op.drop_table(t)\nexcept Exception:\n    op.drop_table(t)"
        << "uses module-level name t" << 10;
    QTest::newRow("unknown class") << "from myproject.errors import Oops\n"
        << "try:\n    pass\nexcept Oops:\n    pass" << "except clause naming myproject.errors.Oops" << 8;
    QTest::newRow("class expression") << QString()
        << "try:\n    pass\nexcept (lambda: Exception)():\n    pass" << "except clause with an expression" << 7;
    QTest::newRow("return in try") << QString()
        << "try:\n    return\nfinally:\n    op.drop_table('a')" << "return inside a try statement or autocommit block" << 5;
    QTest::newRow("raise outside handler") << QString()
        << "try:\n    raise\nexcept Exception:\n    pass" << "raise statement" << 6;
    QTest::newRow("raise with a value in handler") << QString()
        << "try:\n    pass\nexcept Exception:\n    raise ValueError('x')" << "raise statement" << 8;
    QTest::newRow("try in batch") << QString()
        << "with op.batch_alter_table('t') as b:\n    try:\n        b.drop_column('x')\n    except Exception:\n"
           "        pass" << "try statement inside batch_alter_table" << 6;
    QTest::newRow("except star") << QString()
        << "try:\n    pass\nexcept* Exception:\n    pass" << "except* clause" << 7;
    QTest::newRow("logging.exception") << "import logging\n"
        << "logging.exception('x')" << "logging.exception() (logs a traceback)" << 6;
    QTest::newRow("logging kwargs") << "import logging\n"
        << "logging.info('x', exc_info=True)" << "logging call with these arguments" << 6;
    QTest::newRow("print of a column") << QString()
        << "print(sa.column('x'))" << "print() of a value known only when the script runs" << 5;
    QTest::newRow("autocommit via a local") << QString()
        << "ctx = op.get_context()\nwith ctx.autocommit_block():\n    pass" << "with statement" << 6;
    QTest::newRow("autocommit with as") << QString()
        << "with op.get_context().autocommit_block() as x:\n    pass" << "with statement" << 5;
}

void tst_EffectInterpreter::needsPython()
{
    QFETCH(QString, prelude);
    QFETCH(QString, body);
    QFETCH(QString, reason);
    QFETCH(int, line);
    auto program = ScriptInterpreter::interpret(script(prelude, body), QStringLiteral("x.py"));
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QVERIFY2(program->needsPython.contains("upgrade"),
             qPrintable(OpDump::dump(program->functions.value("upgrade")).join(u'\n')));
    QCOMPARE(program->needsPython.value("upgrade").reason, reason);
    QCOMPARE(program->needsPython.value("upgrade").line, line);
}

void tst_EffectInterpreter::errors_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");

    QTest::newRow("try alone") << "try:\n    pass\nop.drop_table('a')" << "expected 'except' or 'finally' block" << 5;
    QTest::newRow("bare except not last") << "try:\n    pass\nexcept:\n    pass\nexcept Exception:\n    pass"
                                          << "default 'except:' must be last" << 9;
    QTest::newRow("unparenthesized tuple") << "try:\n    pass\nexcept KeyError, ValueError:\n    pass"
                                           << "multiple exception types must be parenthesized" << 7;
    QTest::newRow("else without except") << "try:\n    pass\nelse:\n    pass" << "expected 'except' or 'finally' block" << 5;
}

void tst_EffectInterpreter::errors()
{
    QFETCH(QString, body);
    QFETCH(QString, message);
    QFETCH(int, line);
    auto program = ScriptInterpreter::interpret(script(QString(), body), QStringLiteral("x.py"));
    QVERIFY(!program.ok());
    QCOMPARE(program.error().message, message);
    QCOMPARE(program.error().line, line);
}

void tst_EffectInterpreter::moduleName()
{
    // Alembic loads versions/1a2b_add-col.py as module "1a2b_add_col_py".
    auto program = ScriptInterpreter::interpret(
        QStringLiteral("import logging\nlog = logging.getLogger(__name__)\ndef upgrade():\n    log.warning('w')\n"),
        QStringLiteral("/p/versions/1a2b_add-col.py"));
    QVERIFY(program.ok());
    QCOMPARE(OpDump::dump(program->functions.value("upgrade")),
             QStringList{"4: @log(30, '1a2b_add_col_py', 'w')"});
}

QTEST_GUILESS_MAIN(tst_EffectInterpreter)
#include "tst_effectinterpreter.moc"
