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
};

void tst_ScriptInterpreter::ops_data()
{
    QTest::addColumn<QString>("prelude");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("create_table")
        << QString()
        << "op.create_table('t', sa.Column('id', sa.Integer(), nullable=False),\n"
           "    sa.PrimaryKeyConstraint('id'))"
        << QStringList{"4: create_table('t', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))"};
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

    QTest::newRow("get_bind") << QString() << "conn = op.get_bind()" << "call to op.get_bind()" << 4;
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

QTEST_GUILESS_MAIN(tst_ScriptInterpreter)
#include "tst_scriptinterpreter.moc"
