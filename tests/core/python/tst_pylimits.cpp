// Nesting limits of the Python readers (PyLimits): just under a limit parses, at or over it
// is one Error with the file and the line Python would name, never a stack overflow.
// Python 3.11 for reference: 200 nested brackets parse, the 201st is "too many nested
// parentheses"; 99 indentation levels parse, the 100th is "too many levels of indentation".
#include "python/pyexpressionparser.h"
#include "python/pylexer.h"
#include "python/pylimits.h"
#include "python/pymodulescanner.h"

#include <QtTest>

using namespace retort;

namespace {

QString nested(int depth, QChar open, QChar close, const QString &inner = QStringLiteral("1"))
{
    return QString(depth, open) + inner + QString(depth, close);
}

// `depth` nested compound statements, one level of indentation each.
QString indented(int depth)
{
    QString s;
    for (int i = 0; i < depth; ++i)
        s += QString(i * 4, u' ') + QStringLiteral("if x:\n");
    return s + QString(depth * 4, u' ') + QStringLiteral("pass\n");
}

} // namespace

class tst_PyLimits : public QObject
{
    Q_OBJECT
private slots:
    void lexer_data();
    void lexer();
    void expression_data();
    void expression();
    void moduleScan_data();
    void moduleScan();
    void chunked_data();
    void chunked();
};

void tst_PyLimits::lexer_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("message");   // empty: tokenizes
    QTest::addColumn<int>("line");
    const QString parens = QString::fromLatin1(PyLimits::TooManyParentheses);
    const QString ops = QString::fromLatin1(PyLimits::TooManyOperators);
    const QString indents = QString::fromLatin1(PyLimits::TooManyIndents);
    QTest::newRow("200 (") << "x = " + nested(200, u'(', u')') + "\n" << QString() << 0;
    QTest::newRow("201 (") << "x = " + nested(201, u'(', u')') + "\n" << parens << 1;
    QTest::newRow("201 [") << "y = 2\nx = " + nested(201, u'[', u']') + "\n" << parens << 2;
    QTest::newRow("201 {") << "x = " + nested(201, u'{', u'}') + "\n" << parens << 1;
    QTest::newRow("100000 (") << "x = " + nested(100000, u'(', u')') + "\n" << parens << 1;
    // Python names the line of the bracket that goes over the limit.
    QTest::newRow("201 over lines") << "x = " + QString(150, u'(') + "\n\n" + QString(51, u'[')
                                           + "1" + QString(51, u']') + QString(150, u')') + "\n"
                                    << parens << 3;
    QTest::newRow("sequential 200s") << "x = [" + nested(200, u'(', u')') + ", "
                                            + nested(199, u'(', u')') + "]\n"
                                     << parens << 1;
    QTest::newRow("siblings at 200") << "x = " + nested(199, u'(', u')', "[1], [2]") + "\n"
                                     << QString() << 0;
    QTest::newRow("1000 -") << "x = 1\ny = " + QString(1000, u'-') + "1\n" << QString() << 0;
    QTest::newRow("1001 -") << "x = 1\ny = " + QString(1001, u'-') + "1\n" << ops << 2;
    QTest::newRow("1001 mixed") << "y = " + QString(500, u'~') + QString(501, u'+') + "1\n" << ops << 1;
    QTest::newRow("1000 not") << "y = " + QString("not ").repeated(1000) + "1\n" << QString() << 0;
    QTest::newRow("1001 not") << "\ny = " + QString("not ").repeated(1001) + "1\n" << ops << 2;
    QTest::newRow("100000 -") << "y = " + QString(100000, u'-') + "1\n" << ops << 1;
    QTest::newRow("- runs per line") << ("y = " + QString(600, u'-') + "1\n").repeated(3)
                                     << QString() << 0;
    QTest::newRow("run in brackets") << "y = (" + QString(600, u'-') + "\n" + QString(401, u'-') + "1)\n"
                                     << ops << 2;
    QTest::newRow("notes are names") << "y = " + QString("note ").repeated(1001) + "\n"
                                     << QString() << 0;
    QTest::newRow("99 indents") << indented(99) << QString() << 0;
    QTest::newRow("100 indents") << indented(100) << indents << 101;
}

void tst_PyLimits::lexer()
{
    QFETCH(QString, source);
    QFETCH(QString, message);
    QFETCH(int, line);
    for (const auto mode : {PyLexer::Full, PyLexer::TopLevelOnly}) {
        auto tokens = PyLexer::tokenize(source, QStringLiteral("f.py"), mode);
        if (message.isEmpty()) {
            QVERIFY2(tokens.ok(), qPrintable(tokens.error().toString()));
            continue;
        }
        QVERIFY(!tokens.ok());
        QCOMPARE(tokens.error().message, message);
        QCOMPARE(tokens.error().line, line);
        QCOMPARE(tokens.error().file, QStringLiteral("f.py"));
    }
}

void tst_PyLimits::expression_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("repr");      // expected value
    QTest::addColumn<QString>("message");   // or expected error
    QTest::newRow("200 (") << nested(200, u'(', u')') << "1" << QString();
    QTest::newRow("200 [") << nested(200, u'[', u']', QString()) << QString(200, u'[') + QString(200, u']')
                           << QString();
    QTest::newRow("200 call") << nested(199, u'(', u')', "f(2)") << "f(2)" << QString();
    QTest::newRow("201 (") << nested(201, u'(', u')') << QString()
                           << QString::fromLatin1(PyLimits::TooManyParentheses);
    QTest::newRow("1000 -") << QString(1000, u'-') + "1" << "1" << QString();
    QTest::newRow("999 -") << QString(999, u'-') + "1" << "-1" << QString();
    QTest::newRow("1001 -") << QString(1001, u'-') + "1" << QString()
                            << QString::fromLatin1(PyLimits::TooManyOperators);
    // Within each bracket the lexer's run is short, but the nesting adds up in the parser.
    QTest::newRow("-( x 200") << QString("-(").repeated(200) + "1" + QString(200, u')') << "1" << QString();
    QTest::newRow("600- ( x 2") << (QString(600, u'-') + "(").repeated(2) + "1))" << QString()
                                << QString::fromLatin1(PyLimits::TooManyOperators);
}

void tst_PyLimits::expression()
{
    QFETCH(QString, expression);
    QFETCH(QString, repr);
    QFETCH(QString, message);
    auto v = PyExpressionParser::parseSource(expression);
    if (message.isEmpty()) {
        QVERIFY2(v.ok(), qPrintable(v.error().toString()));
        QCOMPARE(v->repr(), repr);
    } else {
        QVERIFY(!v.ok());
        QVERIFY2(v.error().message.startsWith(message), qPrintable(v.error().message));
        QCOMPARE(v.error().line, 1);
    }
}

void tst_PyLimits::moduleScan_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("message");   // empty: scans, `x` evaluable
    QTest::addColumn<int>("line");
    QTest::newRow("200") << "a = 1\nx = " + nested(200, u'(', u')') + "\n" << QString() << 0;
    QTest::newRow("201") << "a = 1\nx = " + nested(201, u'(', u')') + "\n"
                         << QString::fromLatin1(PyLimits::TooManyParentheses) << 2;
    QTest::newRow("3000 in header value")
        << "\"\"\"doc\"\"\"\nrevision = 'a'\ndown_revision = None\ndepends_on = "
               + nested(3000, u'(', u')', "None") + "\n"
        << QString::fromLatin1(PyLimits::TooManyParentheses) << 4;
    QTest::newRow("1500 in a def body")
        << "x = 1\n\ndef upgrade():\n    y = " + nested(1500, u'[', u']') + "\n"
        << QString::fromLatin1(PyLimits::TooManyParentheses) << 4;
    QTest::newRow("unary in a def body")
        << "x = 1\n\ndef upgrade():\n    y = " + QString("not ").repeated(5000) + "1\n"
        << QString::fromLatin1(PyLimits::TooManyOperators) << 4;
}

void tst_PyLimits::moduleScan()
{
    QFETCH(QString, source);
    QFETCH(QString, message);
    QFETCH(int, line);
    auto module = PyModuleScanner::scan(source, QStringLiteral("m.py"));
    if (message.isEmpty()) {
        QVERIFY2(module.ok(), qPrintable(module.error().toString()));
        QVERIFY(module->binding(QStringLiteral("x")));
        QVERIFY(module->binding(QStringLiteral("x"))->evaluable);
        return;
    }
    QVERIFY(!module.ok());
    QCOMPARE(module.error().toString(), QStringLiteral("m.py:%1: %2").arg(line).arg(message));
}

// Big modules are lexed in chunks of whole logical lines (PyLexer::tokenizeChunked) and
// scanned as a stream: the tokens and the module read must be those of the one-shot path.
void tst_PyLimits::chunked_data()
{
    QTest::addColumn<QString>("source");
    QString big = QStringLiteral("\"\"\"doc\"\"\"\nimport os\n");
    for (int i = 0; i < 3000; ++i) {
        big += QStringLiteral("x%1 = (%1,\n  'a' 'b')  # c\n").arg(i % 97);
        if (i % 100 == 0)
            big += QStringLiteral("def f%1(a):\n    y = [1,\n 2]\n    return a\n\n").arg(i);
        if (i % 333 == 0)
            big += QStringLiteral("if os:\n    z%1 = 1\nelse:\n    z%1 = 2\n").arg(i);
    }
    big += QStringLiteral("last = x5\n");
    QTest::newRow("mixed module") << big;
    QTest::newRow("small") << QStringLiteral("a = 1\nb = a\n");
    QTest::newRow("no final newline") << QStringLiteral("a = 1\nclass C:\n  pass");
}

void tst_PyLimits::chunked()
{
    QFETCH(QString, source);
    for (const auto mode : {PyLexer::Full, PyLexer::TopLevelOnly, PyLexer::Significant}) {
        auto all = PyLexer::tokenize(source, QStringLiteral("f.py"), mode);
        QVERIFY(all.ok());
        for (int chunkSize : {1, 7, 4096}) {
            QVector<PyToken> joined;
            int chunks = 0;
            auto r = PyLexer::tokenizeChunked(source, QStringLiteral("f.py"), mode, chunkSize,
                                              [&](const QVector<PyToken> &chunk) {
                                                  joined += chunk;
                                                  ++chunks;
                                                  return VoidResult();
                                              });
            QVERIFY(r.ok());
            QVERIFY(chunks > (chunkSize == 1 && source.size() > 20 ? 2 : 0));
            QCOMPARE(joined.size(), all->size());
            for (int i = 0; i < joined.size(); ++i) {
                QCOMPARE(joined[i].type, all->at(i).type);
                QCOMPARE(joined[i].text, all->at(i).text);
                QCOMPARE(joined[i].line, all->at(i).line);
            }
        }
    }
    auto full = PyModuleScanner::scan(source, QStringLiteral("f.py"));
    auto streamed = PyModuleScanner::scanStreaming(source, QStringLiteral("f.py"), PyLexer::TopLevelOnly);
    QVERIFY(full.ok() && streamed.ok());
    QCOMPARE(streamed->hasDocstring(), full->hasDocstring());
    QCOMPARE(streamed->docstring(), full->docstring());
    QCOMPARE(streamed->imports(), full->imports());
    QCOMPARE(streamed->bindings().size(), full->bindings().size());
    for (int i = 0; i < full->bindings().size(); ++i) {
        const PyBinding &a = full->bindings()[i], &b = streamed->bindings()[i];
        QCOMPARE(b.name, a.name);
        QCOMPARE(b.evaluable, a.evaluable);
        QCOMPARE(b.value, a.value);
        QCOMPARE(b.reason, a.reason);
        QCOMPARE(b.line, a.line);
    }
}

QTEST_APPLESS_MAIN(tst_PyLimits)
#include "tst_pylimits.moc"
