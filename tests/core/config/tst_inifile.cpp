// IniFile against Python's configparser.ConfigParser({'here': '/h'}).read_string(text,
// source='t.ini'): rows are "section|key=value" from cp.items(section), or str(exception).
#include "config/inifile.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

class tst_IniFile : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void getAndOptions();
    void missingFileIsNotAnError();
    void setOverrides();
    void interpolationErrorLine();
};

void tst_IniFile::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("rows");
    QTest::addColumn<QString>("error");
    QTest::newRow("basic") << QStringLiteral("[alembic]\nscript_location = %(here)s/migrations\nKey: Value\n\n[other]\na=1\n") << QStringList{QStringLiteral("alembic|here=/h"), QStringLiteral("alembic|script_location=/h/migrations"), QStringLiteral("alembic|key=Value"), QStringLiteral("other|here=/h"), QStringLiteral("other|a=1")} << QStringLiteral("");
    QTest::newRow("continuation") << QStringLiteral("[s]\nmulti = first\n    second\n\n    third\n\n\nnext = x\n") << QStringList{QStringLiteral("s|here=/h"), QStringLiteral("s|multi=first\nsecond\n\nthird"), QStringLiteral("s|next=x")} << QStringLiteral("");
    QTest::newRow("comments") << QStringLiteral("# top\n[s]\n; semi\na = 1 # not inline\n  # indented comment\nb = 2\n") << QStringList{QStringLiteral("s|here=/h"), QStringLiteral("s|a=1 # not inline"), QStringLiteral("s|b=2")} << QStringLiteral("");
    QTest::newRow("default section") << QStringLiteral("[DEFAULT]\nshared = d\nhere = overridden\n[s]\na = %(shared)s-%(here)s\n") << QStringList{QStringLiteral("s|here=overridden"), QStringLiteral("s|shared=d"), QStringLiteral("s|a=d-overridden")} << QStringLiteral("");
    QTest::newRow("percent escapes") << QStringLiteral("[s]\nfile_template = %%(rev)s_%%(slug)s\nb = 100%%\n") << QStringList{QStringLiteral("s|here=/h"), QStringLiteral("s|file_template=%(rev)s_%(slug)s"), QStringLiteral("s|b=100%")} << QStringLiteral("");
    QTest::newRow("recursive") << QStringLiteral("[s]\na = %(b)s!\nb = %(c)s?\nc = end\n") << QStringList{QStringLiteral("s|here=/h"), QStringLiteral("s|a=end?!"), QStringLiteral("s|b=end?"), QStringLiteral("s|c=end")} << QStringLiteral("");
    QTest::newRow("empty value") << QStringLiteral("[s]\nempty =\nspaced =    padded value   \ncolon:x:y\n") << QStringList{QStringLiteral("s|here=/h"), QStringLiteral("s|empty="), QStringLiteral("s|spaced=padded value"), QStringLiteral("s|colon=x:y")} << QStringLiteral("");
    QTest::newRow("header junk") << QStringLiteral("[s] trailing\na = 1\n") << QStringList{QStringLiteral("s|here=/h"), QStringLiteral("s|a=1")} << QStringLiteral("");
    QTest::newRow("indented key") << QStringLiteral("[s]\n  a = 1\n  b = 2\n") << QStringList{QStringLiteral("s|here=/h"), QStringLiteral("s|a=1"), QStringLiteral("s|b=2")} << QStringLiteral("");
    QTest::newRow("missing key") << QStringLiteral("[s]\na = %(nope)s\n") << QStringList{} << QStringLiteral("Bad value substitution: option 'a' in section 's' contains an interpolation key 'nope' which is not a valid option name. Raw value: '%(nope)s'");
    QTest::newRow("bad syntax") << QStringLiteral("[s]\na = %foo\n") << QStringList{} << QStringLiteral("'%' must be followed by '%' or '(', found: '%foo'");
    QTest::newRow("bad reference") << QStringLiteral("[s]\na = %(foo\n") << QStringList{} << QStringLiteral("bad interpolation variable reference '%(foo'");
    QTest::newRow("depth") << QStringLiteral("[s]\na = %(a)s\n") << QStringList{} << QStringLiteral("Recursion limit exceeded in value substitution: option 'a' in section 's' contains an interpolation key which cannot be substituted in 10 steps. Raw value: '%(a)s'");
    QTest::newRow("duplicate section") << QStringLiteral("[s]\na = 1\n[s]\nb = 2\n") << QStringList{} << QStringLiteral("While reading from 't.ini' [line  3]: section 's' already exists");
    QTest::newRow("duplicate option") << QStringLiteral("[s]\na = 1\nA = 2\n") << QStringList{} << QStringLiteral("While reading from 't.ini' [line  3]: option 'a' in section 's' already exists");
    QTest::newRow("no header") << QStringLiteral("a = 1\n[s]\n") << QStringList{} << QStringLiteral("File contains no section headers.\nfile: 't.ini', line: 1\n'a = 1\\n'");
    QTest::newRow("parsing error") << QStringLiteral("[s]\na = 1\njunk\nmore junk\n") << QStringList{} << QStringLiteral("Source contains parsing errors: 't.ini'\n\t[line  3]: 'junk\\n'\n\t[line  4]: 'more junk\\n'");
}

void tst_IniFile::parse()
{
    QFETCH(QString, text);
    QFETCH(QStringList, rows);
    QFETCH(QString, error);
    auto ini = IniFile::parse(text, QStringLiteral("t.ini"), {{QStringLiteral("here"), QStringLiteral("/h")}});
    QStringList actual;
    QString actualError;
    if (!ini.ok()) {
        actualError = ini.error().message;
    } else {
        for (const QString &section : ini->sections()) {
            auto items = ini->items(section);
            if (!items.ok()) {
                actualError = items.error().message;
                actual.clear();
                break;
            }
            for (const auto &kv : *items)
                actual.append(QStringLiteral("%1|%2=%3").arg(section, kv.first, kv.second));
        }
    }
    QCOMPARE(actualError, error);
    QCOMPARE(actual, rows);
}

void tst_IniFile::getAndOptions()
{
    auto ini = IniFile::parse(QStringLiteral("[a]\nX = %(here)s/x\n[b]\ny = 2\n"), QStringLiteral("t.ini"),
                              {{QStringLiteral("here"), QStringLiteral("/h")}});
    QVERIFY(ini.ok());
    QCOMPARE(ini->sections(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QVERIFY(ini->hasOption(QStringLiteral("a"), QStringLiteral("x")));
    QVERIFY(ini->hasOption(QStringLiteral("a"), QStringLiteral("HERE")));   // defaults count
    QVERIFY(!ini->hasOption(QStringLiteral("a"), QStringLiteral("y")));
    QVERIFY(!ini->hasSection(QStringLiteral("DEFAULT")));
    auto v = ini->get(QStringLiteral("a"), QStringLiteral("x"));
    QVERIFY(v.ok());
    QCOMPARE(v->value(), QStringLiteral("/h/x"));
    QCOMPARE(ini->raw(QStringLiteral("a"), QStringLiteral("x")).value(), QStringLiteral("%(here)s/x"));
    auto missing = ini->get(QStringLiteral("a"), QStringLiteral("nope"));
    QVERIFY(missing.ok());
    QVERIFY(!missing->has_value());
    QCOMPARE(ini->options(QStringLiteral("b")), (QStringList{QStringLiteral("y"), QStringLiteral("here")}));
}

void tst_IniFile::missingFileIsNotAnError()
{
    QTemporaryDir dir;
    auto ini = IniFile::load(dir.filePath(QStringLiteral("absent.ini")));
    QVERIFY(ini.ok());
    QVERIFY(!ini->fileWasRead());
    QVERIFY(ini->sections().isEmpty());
}

void tst_IniFile::setOverrides()
{
    auto ini = IniFile::parse(QStringLiteral("[a]\nx = 1\n"));
    QVERIFY(ini.ok());
    ini->set(QStringLiteral("a"), QStringLiteral("X"), QStringLiteral("2"));
    ini->set(QStringLiteral("new"), QStringLiteral("k"), QStringLiteral("%%v"));
    QCOMPARE(ini->get(QStringLiteral("a"), QStringLiteral("x"))->value(), QStringLiteral("2"));
    QCOMPARE(ini->get(QStringLiteral("new"), QStringLiteral("k"))->value(), QStringLiteral("%v"));
    ini->removeOption(QStringLiteral("a"), QStringLiteral("x"));
    QVERIFY(!ini->hasOption(QStringLiteral("a"), QStringLiteral("x")));
}

void tst_IniFile::interpolationErrorLine()
{
    auto ini = IniFile::parse(QStringLiteral("[s]\na = 1\n\nb = %(nope)s\n"), QStringLiteral("t.ini"));
    QVERIFY(ini.ok());
    auto v = ini->get(QStringLiteral("s"), QStringLiteral("b"));
    QVERIFY(!v.ok());
    QCOMPARE(v.error().file, QStringLiteral("t.ini"));
    QCOMPARE(v.error().line, 4);
}

QTEST_APPLESS_MAIN(tst_IniFile)
#include "tst_inifile.moc"
