// Nesting limits of the Mako subset (script.py.mako is project input): deep brackets and
// operator chains in ${...} expressions, deeply nested control lines. Just under a limit
// renders; over it, one Error naming the template and line, never a stack overflow.
#include "python/pylimits.h"
#include "template/makotemplate.h"

#include <QtTest>

using namespace retort;

namespace {

QString nested(int depth, const QString &inner)
{
    return QString(depth, u'(') + inner + QString(depth, u')');
}

QString controlLines(int depth)
{
    return QStringLiteral("% if True:\n").repeated(depth) + QStringLiteral("deep\n")
           + QStringLiteral("% endif\n").repeated(depth);
}

} // namespace

class tst_MakoLimits : public QObject
{
    Q_OBJECT
private slots:
    void limits_data();
    void limits();
};

void tst_MakoLimits::limits_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("rendered");   // or
    QTest::addColumn<QString>("message");    // the error
    const QString parens = QStringLiteral("SyntaxError: ") + QLatin1StringView(PyLimits::TooManyParentheses);
    const QString ops = QStringLiteral("SyntaxError: ") + QLatin1StringView(PyLimits::TooManyOperators);
    QTest::newRow("200 (") << "a\n${" + nested(200, "x") + "}\n" << "a\n7\n" << QString();
    QTest::newRow("201 (") << "a\n${" + nested(201, "x") + "}\n" << QString() << parens;
    QTest::newRow("200 [") << "a\n${" + QString(200, u'[') + "x" + QString(200, u']') + QString("[0]").repeated(200) + "}\n"
                           << "a\n7\n" << QString();
    QTest::newRow("201 call") << "a\n${" + nested(200, "str(x)") + "}\n" << QString() << parens;
    QTest::newRow("3000 (") << "a\n${" + nested(3000, "x") + "}\n" << QString() << parens;
    QTest::newRow("1000 -") << "a\n${" + QString(1000, u'-') + "x}\n" << "a\n7\n" << QString();
    QTest::newRow("1001 -") << "a\n${" + QString(1001, u'-') + "x}\n" << QString() << ops;
    QTest::newRow("100000 not") << "a\n${" + QString("not ").repeated(100000) + "x}\n" << QString() << ops;
    QTest::newRow("1001 if-else") << "a\n${" + QString("x if x else ").repeated(1001) + "x}\n"
                                  << QString() << ops;
    // Left-associative chains build trees as deep as the chain (evaluated and freed
    // recursively): a fuzzed 12,000-link x.x.x... crashed; they stop at the operator limit.
    QTest::newRow("500 +") << "a\n${" + QString("x + ").repeated(500) + "x}\n" << "a\n3507\n" << QString();
    QTest::newRow("5000 +") << "a\n${" + QString("x + ").repeated(5000) + "x}\n" << QString() << ops;
    QTest::newRow("12000 attributes") << "a\n${x" + QString(".x").repeated(12000) + "}\n" << QString() << ops;
    QTest::newRow("5000 or") << "a\n${" + QString("x or ").repeated(5000) + "x}\n" << QString() << ops;
    // Mako 1.2: 97 nested control lines render, the 98th is an IndentationError.
    QTest::newRow("97 control lines") << "a\n" + controlLines(97) << "a\ndeep\n" << QString();
    QTest::newRow("98 control lines") << "a\n" + controlLines(98) << QString()
                                       << QStringLiteral("IndentationError: ") + QLatin1StringView(PyLimits::TooManyIndents);
}

void tst_MakoLimits::limits()
{
    QFETCH(QString, text);
    QFETCH(QString, rendered);
    QFETCH(QString, message);
    auto tmpl = MakoTemplate::parse(text, QStringLiteral("script.py.mako"));
    if (!message.isEmpty()) {
        QVERIFY(!tmpl.ok());
        QCOMPARE(tmpl.error().file, QStringLiteral("script.py.mako"));
        QCOMPARE(tmpl.error().message, message);
        // the 98th `% if` is on line 99
        QCOMPARE(tmpl.error().line, message.startsWith(u"Indentation") ? 99 : 2);
        return;
    }
    QVERIFY2(tmpl.ok(), qPrintable(tmpl.error().toString()));
    auto out = tmpl->render({{QStringLiteral("x"), MakoValue::integer(7)}});
    QVERIFY2(out.ok(), qPrintable(out.error().toString()));
    QCOMPARE(*out, rendered);
}

QTEST_APPLESS_MAIN(tst_MakoLimits)
#include "tst_makolimits.moc"
