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

QTEST_GUILESS_MAIN(TstMakoTemplate)
#include "tst_makotemplate.moc"
