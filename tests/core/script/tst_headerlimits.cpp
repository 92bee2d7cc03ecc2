// Nesting limits when reading a revision's header: the fast path (RevisionHeaderScan) gives
// up where the lexer would refuse the file, so that both paths agree and the error names
// the file and the line (deep brackets in a header value or in a def body, long unary
// chains, too many indentation levels).
#include "python/pylimits.h"
#include "script/revisionheaderscan.h"
#include "script/revisionscriptreader.h"

#include <QtTest>

using namespace retort;

namespace {

const QString kPath = QStringLiteral("/p/versions/a1_x.py");

// The template's shape; `depends` is the depends_on value (line 6), `body` the upgrade()
// body from line 9.
QString script(const QString &depends, const QString &body)
{
    return QStringLiteral("\"\"\"x\"\"\"\nfrom alembic import op\n\nrevision = 'a1'\n"
                          "down_revision = None\ndepends_on = %1\n\ndef upgrade():\n%2\n"
                          "def downgrade():\n    pass\n").arg(depends, body);
}

QString nested(int depth, const QString &inner)
{
    return QString(depth, u'(') + inner + QString(depth, u')');
}

QString deepIfs(int depth)
{
    QString s;
    for (int i = 1; i <= depth; ++i)
        s += QString(i * 4, u' ') + QStringLiteral("if x:\n");
    return s + QString((depth + 1) * 4, u' ') + QStringLiteral("pass\n");
}

} // namespace

class tst_HeaderLimits : public QObject
{
    Q_OBJECT
private slots:
    void limits_data();
    void limits();
};

void tst_HeaderLimits::limits_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<bool>("fastPath");     // RevisionHeaderScan answers
    QTest::addColumn<QString>("message");   // empty: reads, else the error
    QTest::addColumn<int>("line");
    const QString parens = QString::fromLatin1(PyLimits::TooManyParentheses);
    const QString ops = QString::fromLatin1(PyLimits::TooManyOperators);
    const QString pass = QStringLiteral("    pass\n");
    QTest::newRow("plain") << script("None", pass) << true << QString() << 0;
    QTest::newRow("body 200") << script("None", "    x = " + nested(200, "1") + "\n") << true
                              << QString() << 0;
    QTest::newRow("body 201") << script("None", "    x = " + nested(201, "1") + "\n") << false
                              << parens << 9;
    QTest::newRow("body 1500 [") << script("None", "    x = " + QString(1500, u'[') + QString(1500, u']') + "\n")
                                 << false << parens << 9;
    QTest::newRow("header 200") << script(nested(200, "None"), pass) << false << QString() << 0;
    QTest::newRow("header 201") << script(nested(201, "None"), pass) << false << parens << 6;
    QTest::newRow("header 3000") << script(nested(3000, "None"), pass) << false << parens << 6;
    QTest::newRow("body unary 1000") << script("None", "    x = " + QString(1000, u'-') + "1\n")
                                     << true << QString() << 0;
    QTest::newRow("body unary 1001") << script("None", "    x = " + QString(1001, u'-') + "1\n")
                                     << false << ops << 9;
    QTest::newRow("body not 100000") << script("None", "    x = " + QString("not ").repeated(100000) + "1\n")
                                     << false << ops << 9;
    QTest::newRow("header unary") << script(QString(1001, u'-') + "1", pass) << false << ops << 6;
    // Long lines: the fast path keeps what it needs of them, not every lexeme.
    QTest::newRow("long line") << script("None\nbig = [" + QString("1, ").repeated(5000) + "2]", pass)
                               << true << QString() << 0;
    QTest::newRow("long line naming a header")
        << script("None\nbig = [" + QString("1, ").repeated(5000) + "revision]", pass) << false
        << QString() << 0;
    QTest::newRow("long line ending with ':'")
        << script("None\nif [" + QString("1, ").repeated(5000) + "2]:\n    y = 1", pass)
        << false << QString() << 0;
    QTest::newRow("long header value") << script("(" + QString("'x', ").repeated(3000) + "'y')", pass)
                                       << false << QString() << 0;
    QTest::newRow("99 indents") << script("None", deepIfs(98)) << true << QString() << 0;
    QTest::newRow("100 indents") << script("None", deepIfs(99)) << false
                                 << QString::fromLatin1(PyLimits::TooManyIndents) << 108;
}

void tst_HeaderLimits::limits()
{
    QFETCH(QString, source);
    QFETCH(bool, fastPath);
    QFETCH(QString, message);
    QFETCH(int, line);
    QCOMPARE(RevisionHeaderScan::scan(source).has_value(), fastPath);
    for (bool tokenized : {false, true}) {
        auto rev = tokenized ? RevisionScriptReader::readSourceTokenized(source, kPath)
                             : RevisionScriptReader::readSource(source, kPath);
        if (message.isEmpty()) {
            QVERIFY2(rev.ok(), qPrintable(rev.error().toString()));
            QCOMPARE(rev->id, QStringLiteral("a1"));
            continue;
        }
        QVERIFY(!rev.ok());
        QCOMPARE(rev.error().toString(), QStringLiteral("%1:%2: %3").arg(kPath).arg(line).arg(message));
    }
}

QTEST_APPLESS_MAIN(tst_HeaderLimits)
#include "tst_headerlimits.moc"
