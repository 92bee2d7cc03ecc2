// MakoTemplate against real Mako output: the stock Alembic script.py.mako files and a
// feature template rendered with the variables of tests/fixtures/template/generate.py.

#include "template/makotemplate.h"
#include "template/makobuiltins.h"

#include <QDir>
#include <QFile>
#include <QtTest>

using namespace retort;

namespace {

const QString kStock = QStringLiteral("/usr/lib/python3/dist-packages/alembic/templates");
const QString kFixtures = QStringLiteral(RETORT_FIXTURES_DIR "/template");

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

MakoValue commaFilter()
{
    return MakoValue::function(QStringLiteral("format_as_comma"),
                             [](const MakoArgs &a, const MakoKwargs &) { return MakoBuiltins::formatAsComma(a.value(0)); });
}

using Vars = QMap<QString, MakoValue>;

Vars base(const QString &up, const MakoValue &down, const QString &date, const QString &message,
          const QMap<QString, QString> &options = {})
{
    return {{QStringLiteral("up_revision"), MakoValue::str(up)},
            {QStringLiteral("down_revision"), down},
            {QStringLiteral("branch_labels"), MakoValue::none()},
            {QStringLiteral("depends_on"), MakoValue::none()},
            {QStringLiteral("create_date"), MakoValue::object(date, {})},
            {QStringLiteral("message"), MakoValue::str(message)},
            {QStringLiteral("config"), MakoTemplate::configObject(options)},
            {QStringLiteral("comma"), commaFilter()}};
}

MakoValue str(const char *s) { return MakoValue::str(QString::fromUtf8(s)); }

} // namespace

class TstMakoTemplate : public QObject
{
    Q_OBJECT
private slots:
    void renderMatchesMako_data();
    void renderMatchesMako();
    void errors_data();
    void errors();
    void undefinedPrintedIsError();
    void expressions_data();
    void expressions();
    void crlfKept();
};

void TstMakoTemplate::renderMatchesMako_data()
{
    QTest::addColumn<QString>("templatePath");
    QTest::addColumn<Vars>("vars");
    QTest::addColumn<QString>("expected");

    const QString date = QStringLiteral("2026-11-30 14:59:12.345678");
    QTest::newRow("generic_basic") << kStock + "/generic/script.py.mako"
        << base("ae1027a6acf", MakoValue::none(), date, "create account table") << "generic_basic";

    Vars merge = base("1a2b3c4d5e6f", MakoValue::strTuple({"ae1027a6acf", "27c6a30d7c24"}),
                      "2026-01-02 03:04:05", "it's a \"merge\"");
    merge["branch_labels"] = MakoValue::strTuple({"feature"});
    merge["depends_on"] = MakoValue::list(MakoValue::strTuple({"55af2cb1c267", "ordering"}).items());
    QTest::newRow("generic_merge") << kStock + "/generic/script.py.mako" << merge << "generic_merge";

    Vars up = base("abc", str("def"), "2026-01-02 03:04:05.000006+05:30", "empty message");
    up["depends_on"] = str("ghi");
    up["imports"] = str("import foo");
    up["upgrades"] = str("op.drop_table('x')");
    up["downgrades"] = str("");
    QTest::newRow("generic_upgrades") << kStock + "/generic/script.py.mako" << up << "generic_upgrades";

    QTest::newRow("async_basic") << kStock + "/async/script.py.mako"
        << base("ae1027a6acf", str("27c6a30d7c24"), date, "add column") << "async_basic";
    QTest::newRow("multidb_basic") << kStock + "/multidb/script.py.mako"
        << base("ae1027a6acf", MakoValue::none(), date, "initial", {{"databases", "engine1, engine2"}})
        << "multidb_basic";

    Vars multi = base("ae1027a6acf", str("x1"), "2026-11-30 14:59:12", "tables",
                      {{"databases", "one,two,  three"}});
    multi["one_upgrades"] = str("op.create_table('a')");
    multi["two_downgrades"] = str("op.drop_table('b')");
    QTest::newRow("multidb_upgrades") << kStock + "/multidb/script.py.mako" << multi << "multidb_upgrades";

    const QString custom = kFixtures + "/custom/features.mako";
    QTest::newRow("custom_features") << custom
        << base("rev1", MakoValue::strTuple({"p1", "p2"}), "2026-11-30 14:59:12", "  padded  ") << "custom_features";
    Vars labels = base("rev2", MakoValue::none(), "2026-11-30 14:59:12", "m", {{"databases", "a,b,c"}});
    labels["branch_labels"] = MakoValue::strTuple({"x", "y"});
    labels["imports"] = str("import os");
    QTest::newRow("custom_features_labels") << custom << labels << "custom_features_labels";
}

void TstMakoTemplate::renderMatchesMako()
{
    QFETCH(QString, templatePath);
    QFETCH(Vars, vars);
    QFETCH(QString, expected);
    if (!QFile::exists(templatePath))
        QSKIP("Alembic's templates are not installed");
    Result<MakoTemplate> t = MakoTemplate::fromFile(templatePath);
    QVERIFY2(t.ok(), qPrintable(t.error().toString()));
    Result<QString> out = t->render(vars);
    QVERIFY2(out.ok(), qPrintable(out.error().toString()));
    QCOMPARE(*out, readText(kFixtures + "/expected/" + expected + ".py.txt"));
}

void TstMakoTemplate::errors_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("unknown control") << "a\n% while x:\nb\n% endwhile\n" << 2 << "while";
    QTest::newRow("unterminated if") << "a\n% if x:\nb\n" << 3 << "Unterminated";
    QTest::newRow("unclosed expr") << "line1\n${foo\n" << 2 << "Expected";
    QTest::newRow("tag") << "x\n<%def name='f()'>y</%def>\n" << 2 << "unsupported Mako tag";
    QTest::newRow("lambda") << "\n\n${(lambda: 1)()}" << 3 << "lambda";
    QTest::newRow("statement") << "<%\n  x = 1\n  def f(): pass\n%>" << 3 << "unsupported Python statement";
    QTest::newRow("bad import") << "<%!\nimport os\n%>${1}" << 2 << "No module named 'os'";
    QTest::newRow("bad call") << "a\nb ${len(5)}" << 2 << "has no len()";
    // Mako turns ${a, b} into str(a, b): a bare tuple never renders.
    QTest::newRow("bare tuple") << "\n${1, 2}" << 2 << "tuple";
}

void TstMakoTemplate::errors()
{
    QFETCH(QString, source);
    QFETCH(int, line);
    QFETCH(QString, messagePart);
    Result<MakoTemplate> t = MakoTemplate::parse(source, QStringLiteral("t.mako"));
    Error e;
    if (t.ok()) {
        Result<QString> out = t->render({{QStringLiteral("x"), MakoValue::boolean(true)}});
        QVERIFY(!out.ok());
        e = out.error();
    } else {
        e = t.error();
    }
    QCOMPARE(e.file, QStringLiteral("t.mako"));
    QCOMPARE(e.line, line);
    QVERIFY2(e.message.contains(messagePart), qPrintable(e.message));
}

void TstMakoTemplate::undefinedPrintedIsError()
{
    // Mako: a missing variable is falsy in a condition but fails when written out.
    Result<MakoTemplate> t = MakoTemplate::parse(QStringLiteral("${'yes' if nothing else 'no'}"));
    QVERIFY(t.ok());
    QCOMPARE(*t->render({}), QStringLiteral("no"));
    t = MakoTemplate::parse(QStringLiteral("${nothing}"));
    QVERIFY(t.ok());
    QVERIFY(!t->render({}).ok());
}

void TstMakoTemplate::expressions_data()
{
    // Expected values: Mako's output for "${<expression>}" rendered with x=None.
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("expected");
    QTest::newRow("0") << "'%s|%5s|%-5s|%.2s' % ('a', 'b', 'c', 'defg')" << "a|    b|c    |de";
    QTest::newRow("1") << "'%d %i %5d %-5d| %05d %+d % d' % (1, 2.9, 3, 4, -5, 6, 7)" << "1 2     3 4    | -0005 +6  7";
    QTest::newRow("2") << "'%x %X %o %#x %c %%' % (255, 255, 8, 255, 65)" << "ff FF 10 0xff A %";
    QTest::newRow("3") << "'%.3f %e %g %10.2f' % (3.14159, 12345.678, 0.0001, -2.5)" << "3.142 1.234568e+04 0.0001      -2.50";
    QTest::newRow("4") << "'%s and %r' % (None, 'q')" << "None and 'q'";
    QTest::newRow("5") << "'%s' % ('x',)" << "x";
    QTest::newRow("6") << "'%s' % [1, 2]" << "[1, 2]";
    QTest::newRow("7") << "1 + 2 * 3 - 4 // 3" << "6";
    QTest::newRow("8") << "(-7 // 2, -7 % 3, 7 / 2)" << "(-4, 2, 3.5)";
    QTest::newRow("9") << "'ab' * 3 + 'c'" << "abababc";
    QTest::newRow("10") << "(1, 2) + (3,)" << "(1, 2, 3)";
    QTest::newRow("11") << "[1] * 2" << "[1, 1]";
    QTest::newRow("12") << "(1 < 2 < 3, 1 < 3 < 2, 'a' < 'b')" << "(True, False, True)";
    QTest::newRow("13") << "(None or 'x', 0 and 'y', '' or [] or 'z')" << "('x', 0, 'z')";
    QTest::newRow("14") << "(not None, not 'a')" << "(True, False)";
    QTest::newRow("15") << "'abc'[1:] if True else 'x'" << "bc";
    QTest::newRow("16") << "('a,b,,c'.split(','), ' a  b '.split(), 'a b c'.split(None, 1))" << "(['a', 'b', '', 'c'], ['a', 'b'], ['a', 'b c'])";
    QTest::newRow("17") << "('-'.join(['x', 'y']), '  pad '.strip(), 'xxhixx'.strip('x'), ' l'.lstrip(), 'r '.rstrip())" << "('x-y', 'pad', 'hi', 'l', 'r')";
    QTest::newRow("18") << "('Hello World'.lower(), 'hello world'.title(), 'hELLO'.capitalize(), 'abc'.replace('b', 'B'))" << "('hello world', 'Hello World', 'Hello', 'aBc')";
    QTest::newRow("19") << "('abc'.startswith('a'), 'abc'.endswith(('x', 'c')))" << "(True, True)";
    QTest::newRow("20") << "(len('héllo'), len((1, 2)), str(1.5), repr(1.0), repr(1e20), repr(0.1), int('42') + 1)" << "(5, 2, '1.5', '1.0', '1e+20', '0.1', 43)";
    QTest::newRow("21") << "repr('\\x00\\x7f\\u00e9\\u2028')" << "'\\x00\\x7fé\\u2028'";
    QTest::newRow("22") << "repr(('a', None, True, 3, [1, ('b',)]))" << "('a', None, True, 3, [1, ('b',)])";
    QTest::newRow("23") << "(sorted(['b', 'a', 'c']), list('ab'), tuple([1]))" << "(['a', 'b', 'c'], ['a', 'b'], (1,))";
    QTest::newRow("24") << "('x' in ('x', 'y'), 3 not in [1, 2], 'b' in 'abc')" << "(True, True, True)";
    QTest::newRow("25") << "r'\\d+' + '\\t|'" << "\\d+\t|";
    QTest::newRow("26") << "'adj' 'acent'" << "adjacent";
    QTest::newRow("27") << "\"\"\"tri'ple\"\"\"" << "tri'ple";
    QTest::newRow("28") << "(True + 1, 2 * False)" << "(2, 0)";
    QTest::newRow("29") << "(1,)[0] if x is None else 'no'" << "1";
    QTest::newRow("30") << "'%(a)s' if not x else 'lit'" << "%(a)s";
}

void TstMakoTemplate::expressions()
{
    QFETCH(QString, expression);
    QFETCH(QString, expected);
    Result<MakoTemplate> t = MakoTemplate::parse("${" + expression + "}");
    QVERIFY2(t.ok(), qPrintable(t.error().toString()));
    Result<QString> out = t->render({{QStringLiteral("x"), MakoValue::none()}});
    QVERIFY2(out.ok(), qPrintable(out.error().toString()));
    QCOMPARE(*out, expected);
}

void TstMakoTemplate::crlfKept()
{
    // Mako's output for the same source: CRLF line ends survive, control lines and the
    // escaped newline still work.
    Result<MakoTemplate> t = MakoTemplate::parse(
        QStringLiteral("a\r\n% if x:\r\nb ${1}\r\n% endif\r\nc \\\r\nd\r\n<%\r\n  y = 2\r\n%>${y}\r\n"));
    QVERIFY2(t.ok(), qPrintable(t.error().toString()));
    Result<QString> out = t->render({{QStringLiteral("x"), MakoValue::boolean(true)}});
    QVERIFY2(out.ok(), qPrintable(out.error().toString()));
    QCOMPARE(*out, QStringLiteral("a\r\nb 1\r\nc d\r\n2\r\n"));
}

QTEST_GUILESS_MAIN(TstMakoTemplate)
#include "tst_makotemplate.moc"
