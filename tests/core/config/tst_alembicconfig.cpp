// AlembicConfig against alembic.config.Config / ScriptDirectory.from_config (values printed
// by /usr/bin/python3 for the fixture projects; error texts from `python3 -m alembic`).
#include "config/alembicconfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

QString projectDir(const char *name)
{
    return QDir::cleanPath(QStringLiteral(RETORT_FIXTURES_DIR "/projects/") + QLatin1String(name));
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

} // namespace

class tst_AlembicConfig : public QObject
{
    Q_OBJECT
private slots:
    void basicProject();
    void versionLocationsProject();
    void packageLocation();
    void resolveConfigPath();
    void flaskMigrateLayout_data();
    void flaskMigrateLayout();
    void errors_data();
    void errors();
    void splitVersionLocations_data();
    void splitVersionLocations();
    void prependSysPathSplit();
    void xArguments();
    void mainOptionDefaults();
    void badUrlDoesNotBreakScripts();
    void databaseNames_data();
    void databaseNames();
};

void tst_AlembicConfig::basicProject()
{
    const QString dir = projectDir("basic");
    auto config = AlembicConfig::load(dir + QStringLiteral("/alembic.ini"), QStringLiteral("alembic"), {}, dir);
    QVERIFY2(config.ok(), qPrintable(config.error().toString()));
    auto s = config->scriptSettings();
    QVERIFY2(s.ok(), qPrintable(s.error().toString()));
    QCOMPARE(s->scriptLocation, QStringLiteral("migrations"));
    QCOMPARE(s->scriptDirectory, dir + QStringLiteral("/migrations"));
    QVERIFY(s->versionLocations.isEmpty());
    QCOMPARE(s->fileTemplate, QStringLiteral("%(rev)s_%(slug)s"));
    QCOMPARE(s->truncateSlugLength, 40);
    QCOMPARE(s->sourceless, false);
    QCOMPARE(s->outputEncoding, QStringLiteral("utf-8"));
    QVERIFY(!s->timezone.has_value());
    QCOMPARE(s->sqlalchemyUrl.value(), QStringLiteral("sqlite:///basic.db"));
    QCOMPARE(s->prependSysPath, QStringList{QStringLiteral(".")});
    QCOMPARE(s->hookConfig, (IniFile::Items{{QStringLiteral("here"), dir}}));
    QCOMPARE(s->revisionEnvironment, false);
}

void tst_AlembicConfig::versionLocationsProject()
{
    const QString dir = projectDir("edgecases");
    auto config = AlembicConfig::load(dir + QStringLiteral("/alembic.ini"), QStringLiteral("alembic"), {}, dir);
    QVERIFY(config.ok());
    auto s = config->scriptSettings();
    QVERIFY2(s.ok(), qPrintable(s.error().toString()));
    QCOMPARE(s->versionLocations, (QStringList{dir + QStringLiteral("/scripts/versions_a"),
                                               dir + QStringLiteral("/scripts/versions_b"),
                                               dir + QStringLiteral("/scripts/missing")}));
    QCOMPARE(s->truncateSlugLength, 20);
    QCOMPARE(s->sqlalchemyUrl.value(),
             QStringLiteral("postgresql+psycopg2://scott:tiger%40x@localhost:5432/edge?sslmode=require"));
}

void tst_AlembicConfig::packageLocation()
{
    const QString dir = projectDir("pkgloc");
    auto config = AlembicConfig::load(dir + QStringLiteral("/alembic.ini"), QStringLiteral("alembic"), {}, dir);
    QVERIFY(config.ok());
    auto s = config->scriptSettings();
    QVERIFY2(s.ok(), qPrintable(s.error().toString()));
    QCOMPARE(s->scriptDirectory, dir + QStringLiteral("/mypkg/migrations"));

    // From another directory the package is not importable ("." is the CWD).
    QTemporaryDir elsewhere;
    config = AlembicConfig::load(dir + QStringLiteral("/alembic.ini"), QStringLiteral("alembic"), {},
                                 elsewhere.path());
    QVERIFY(config.ok());
    s = config->scriptSettings();
    QVERIFY(!s.ok());
    QCOMPARE(s.error().message, QStringLiteral("No module named 'mypkg'"));
}

void tst_AlembicConfig::resolveConfigPath()
{
    qunsetenv("ALEMBIC_CONFIG");
    QCOMPARE(AlembicConfig::resolveConfigPath(), QStringLiteral("alembic.ini"));
    qputenv("ALEMBIC_CONFIG", "env.ini");
    QCOMPARE(AlembicConfig::resolveConfigPath(), QStringLiteral("env.ini"));
    QCOMPARE(AlembicConfig::resolveConfigPath(QStringLiteral("cli.ini")), QStringLiteral("cli.ini"));
    qunsetenv("ALEMBIC_CONFIG");
}

// Flask-Migrate's migrations/alembic.ini has no script_location: beside an env.py, the
// ini's directory (as given) is the script directory; elsewhere Alembic's error stays.
void tst_AlembicConfig::flaskMigrateLayout_data()
{
    QTest::addColumn<bool>("withEnvPy");
    QTest::addColumn<QString>("expected");   // script location, or the error
    QTest::newRow("env.py beside the ini") << true << QStringLiteral("migrations");
    QTest::newRow("no env.py") << false << QStringLiteral("No 'script_location' key found in configuration.");
}

void tst_AlembicConfig::flaskMigrateLayout()
{
    QFETCH(bool, withEnvPy);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("migrations/versions")));
    writeFile(dir.filePath(QStringLiteral("migrations/alembic.ini")), "[alembic]\n\n[loggers]\nkeys = root\n");
    if (withEnvPy)
        writeFile(dir.filePath(QStringLiteral("migrations/env.py")), "from alembic import context\n");
    auto config = AlembicConfig::load(QStringLiteral("migrations/alembic.ini"), QStringLiteral("alembic"), {}, dir.path());
    QVERIFY2(config.ok(), qPrintable(config.error().toString()));
    auto s = config->scriptSettings();
    if (!withEnvPy) {
        QVERIFY(!s.ok());
        QCOMPARE(s.error().message, expected);
        return;
    }
    QVERIFY2(s.ok(), qPrintable(s.error().toString()));
    QCOMPARE(s->scriptLocation, expected);
    QCOMPARE(s->scriptDirectory, QDir(dir.path()).filePath(QStringLiteral("migrations")));
}

void tst_AlembicConfig::errors_data()
{
    QTest::addColumn<QString>("iniName");
    QTest::addColumn<QByteArray>("content");   // empty: no file written
    QTest::addColumn<QString>("section");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing file") << QStringLiteral("alembic.ini") << QByteArray() << QStringLiteral("alembic")
                                  << QStringLiteral("No config file 'alembic.ini' found, or file has no '[alembic]' section");
    QTest::newRow("missing section") << QStringLiteral("s.ini") << QByteArray("[other]\nx = 1\n") << QStringLiteral("alembic")
                                     << QStringLiteral("No config file 's.ini' found, or file has no '[alembic]' section");
    QTest::newRow("-n section") << QStringLiteral("s.ini") << QByteArray("[alembic]\nscript_location = x\n") << QStringLiteral("tenant")
                                << QStringLiteral("No config file 's.ini' found, or file has no '[tenant]' section");
    QTest::newRow("no script_location") << QStringLiteral("n.ini") << QByteArray("[alembic]\nx = 1\n") << QStringLiteral("alembic")
                                        << QStringLiteral("No 'script_location' key found in configuration.");
    QTest::newRow("template separator comment")
        << QStringLiteral("v.ini")
        << QByteArray("[alembic]\nscript_location = s\nversion_locations = a:b\n"
                      "version_path_separator = os  # Use os.pathsep. Default configuration used for new projects.\n")
        << QStringLiteral("alembic")
        << QStringLiteral("'os  # Use os.pathsep. Default configuration used for new projects.' is not a valid value "
                          "for version_path_separator; expected 'space', 'os', ':', ';'");
    QTest::newRow("bad truncate") << QStringLiteral("t.ini") << QByteArray("[alembic]\nscript_location = s\ntruncate_slug_length = ten\n")
                                  << QStringLiteral("alembic") << QStringLiteral("invalid literal for int() with base 10: 'ten'");
}

void tst_AlembicConfig::errors()
{
    QFETCH(QString, iniName);
    QFETCH(QByteArray, content);
    QFETCH(QString, section);
    QFETCH(QString, message);
    QTemporaryDir dir;
    if (!content.isEmpty())
        writeFile(dir.filePath(iniName), content);
    const QString oldCwd = QDir::currentPath();
    QDir::setCurrent(dir.path());   // messages name the file as given on the command line
    auto config = AlembicConfig::load(iniName, section);
    QDir::setCurrent(oldCwd);
    QVERIFY2(config.ok(), qPrintable(config.error().toString()));
    auto s = config->scriptSettings();
    QVERIFY(!s.ok());
    QCOMPARE(s.error().message, message);
}

void tst_AlembicConfig::splitVersionLocations_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("separator");   // null: not configured (legacy)
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("legacy") << QStringLiteral("a, b  c,d") << QString() << QStringList{"a", "b", "c", "d"};
    QTest::newRow("legacy leading space") << QStringLiteral(" a,b") << QString() << QStringList{"", "a", "b"};
    QTest::newRow("os") << QStringLiteral("a b:c::d") << QStringLiteral("os") << QStringList{"a b", "c", "d"};
    QTest::newRow("space") << QStringLiteral("a  b:c") << QStringLiteral("space") << QStringList{"a", "b:c"};
    QTest::newRow("semicolon") << QStringLiteral("a;b c") << QStringLiteral(";") << QStringList{"a", "b c"};
}

void tst_AlembicConfig::splitVersionLocations()
{
    QFETCH(QString, value);
    QFETCH(QString, separator);
    QFETCH(QStringList, expected);
    auto split = AlembicConfig::splitVersionLocations(
        value, separator.isNull() ? std::nullopt : std::optional<QString>(separator));
    QVERIFY(split.ok());
    QCOMPARE(*split, expected);
}

void tst_AlembicConfig::prependSysPathSplit()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("a.ini")),
              "[alembic]\nscript_location = .\nprepend_sys_path = .:lib, src  x\n");
    auto config = AlembicConfig::load(dir.filePath(QStringLiteral("a.ini")), QStringLiteral("alembic"), {}, dir.path());
    QVERIFY(config.ok());
    auto s = config->scriptSettings();
    QVERIFY(s.ok());
    QCOMPARE(s->prependSysPath, (QStringList{".", "lib", "src", "x"}));
}

void tst_AlembicConfig::xArguments()
{
    auto config = AlembicConfig::load(QString(), QStringLiteral("alembic"),
                                      {QStringLiteral("tenant=acme"), QStringLiteral("url=a=b")});
    QVERIFY(config.ok());
    QCOMPARE(config->xArgumentMap().value(QStringLiteral("url")), QStringLiteral("a=b"));
    QCOMPARE(config->xArgumentMap().value(QStringLiteral("tenant")), QStringLiteral("acme"));
    // Config() without a file has an empty main section.
    QVERIFY(config->checkSection(QStringLiteral("alembic")).ok());
}

void tst_AlembicConfig::mainOptionDefaults()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("a.ini")),
              "[alembic]\nscript_location = %(here)s/m\nfile_template = %%(year)d_%%(rev)s\n"
              "sourceless = True\nrevision_environment = yes\ntimezone = UTC\n");
    auto config = AlembicConfig::load(dir.filePath(QStringLiteral("a.ini")));
    QVERIFY(config.ok());
    auto s = config->scriptSettings();
    QVERIFY(s.ok());
    QCOMPARE(s->scriptDirectory, QDir::cleanPath(dir.path() + QStringLiteral("/m")));
    QCOMPARE(s->fileTemplate, QStringLiteral("%(year)d_%(rev)s"));
    QCOMPARE(s->sourceless, false);   // only the exact string "true" counts
    QCOMPARE(s->revisionEnvironment, true);
    QCOMPARE(s->timezone.value(), QStringLiteral("UTC"));
    auto missing = config->mainOptionOr(QStringLiteral("nope"), QStringLiteral("dflt"));
    QVERIFY(missing.ok());
    QCOMPARE(*missing, QStringLiteral("dflt"));
    config->setMainOption(QStringLiteral("sqlalchemy.url"), QStringLiteral("sqlite://"));
    QCOMPARE(config->mainOption(QStringLiteral("sqlalchemy.url"))->value(), QStringLiteral("sqlite://"));
}

// `alembic history` works with an unescaped '%' in sqlalchemy.url (from_config never reads it);
// reading the option itself fails with configparser's error.
void tst_AlembicConfig::badUrlDoesNotBreakScripts()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("a.ini")),
              "[alembic]\nscript_location = m\nsqlalchemy.url = postgresql://u:p%40ss@h/db\n");
    auto config = AlembicConfig::load(dir.filePath(QStringLiteral("a.ini")), QStringLiteral("alembic"), {}, dir.path());
    QVERIFY(config.ok());
    auto s = config->scriptSettings();
    QVERIFY2(s.ok(), qPrintable(s.error().toString()));
    QVERIFY(!s->sqlalchemyUrl.has_value());
    auto url = config->mainOption(QStringLiteral("sqlalchemy.url"));
    QVERIFY(!url.ok());
    QCOMPARE(url.error().message, QStringLiteral("'%' must be followed by '%' or '(', found: '%40ss@h/db'"));
}

// The multidb template's `databases`, split as its env.py does: re.split(r",\s*", value)
// (values printed by /usr/bin/python3; configparser strips the value's ends).
void tst_AlembicConfig::databaseNames_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QStringList>("names");
    QTest::newRow("absent") << QByteArray() << QStringList();
    QTest::newRow("blank") << QByteArray("databases =\n") << QStringList();
    QTest::newRow("template") << QByteArray("databases = engine1, engine2\n")
                              << QStringList{QStringLiteral("engine1"), QStringLiteral("engine2")};
    QTest::newRow("no space, three") << QByteArray("databases = a,b,  c\n")
                                     << QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
    // re.split keeps the space before a comma and an empty last name.
    QTest::newRow("space before comma") << QByteArray("databases = a ,b,\n")
                                        << QStringList{QStringLiteral("a "), QStringLiteral("b"), QString()};
    QTest::newRow("one") << QByteArray("databases = main\n") << QStringList{QStringLiteral("main")};
}

void tst_AlembicConfig::databaseNames()
{
    QFETCH(QByteArray, line);
    QFETCH(QStringList, names);
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("a.ini")), "[alembic]\nscript_location = m\n" + line);
    auto config = AlembicConfig::load(dir.filePath(QStringLiteral("a.ini")));
    QVERIFY(config.ok());
    auto got = config->databaseNames();
    QVERIFY2(got.ok(), qPrintable(got.error().toString()));
    QCOMPARE(*got, names);
}

QTEST_APPLESS_MAIN(tst_AlembicConfig)
#include "tst_alembicconfig.moc"
