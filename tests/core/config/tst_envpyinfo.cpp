// EnvPyInfo: the env.py written by `python3 -m alembic init` (fixture projects/basic) and
// variants with literal configure() options and URL overrides.
#include "config/envpyinfo.h"

#include <QtTest>

using namespace retort;

class tst_EnvPyInfo : public QObject
{
    Q_OBJECT
private slots:
    void templates_data();
    void templates();
    void generatedEnvPy();
    void configureLiterals();
    void urlOverride_data();
    void urlOverride();
    void notes();
    void dynamicParts_data();
    void dynamicParts();
};

// env.py of every `alembic init -t <template>`; expected calls are what Python's ast finds:
// context.configure(...) call lines and their keyword names.
void tst_EnvPyInfo::templates_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<QList<int>>("lines");
    QTest::addColumn<QList<QStringList>>("keywords");
    QTest::newRow("generic") << QStringLiteral("basic") << QList<int>{42, 67}
        << QList<QStringList>{{"url", "target_metadata", "literal_binds", "dialect_opts"},
                              {"connection", "target_metadata"}};
    QTest::newRow("async") << QStringLiteral("asyncenv") << QList<int>{45, 57}
        << QList<QStringList>{{"url", "target_metadata", "literal_binds", "dialect_opts"},
                              {"connection", "target_metadata"}};
    QTest::newRow("multidb") << QStringLiteral("multidbenv") << QList<int>{71, 114}
        << QList<QStringList>{{"url", "output_buffer", "target_metadata", "literal_binds", "dialect_opts"},
                              {"connection", "upgrade_token", "downgrade_token", "target_metadata"}};
}

void tst_EnvPyInfo::templates()
{
    QFETCH(QString, project);
    QFETCH(QList<int>, lines);
    QFETCH(QList<QStringList>, keywords);
    auto info = EnvPyInfo::read(QStringLiteral(RETORT_FIXTURES_DIR "/projects/") + project
                                + QStringLiteral("/migrations/env.py"));
    QVERIFY2(info.ok(), qPrintable(info.error().toString()));
    QCOMPARE(info->configureCalls().size(), lines.size());
    for (int i = 0; i < lines.size(); ++i) {
        const ConfigureCall &call = info->configureCalls().at(i);
        QCOMPARE(call.line, lines.at(i));
        QStringList names = call.unreadable;
        for (const auto &kw : call.keywords)
            names.append(kw.first);
        names.sort();
        QStringList expected = keywords.at(i);
        expected.sort();
        QCOMPARE(names, expected);
    }
}

void tst_EnvPyInfo::generatedEnvPy()
{
    auto info = EnvPyInfo::read(QStringLiteral(RETORT_FIXTURES_DIR "/projects/basic/migrations/env.py"));
    QVERIFY2(info.ok(), qPrintable(info.error().toString()));
    QCOMPARE(info->configureCalls().size(), 2);
    const ConfigureCall &offline = info->configureCalls().at(0);
    QCOMPARE(offline.line, 42);
    QStringList keys;
    for (const auto &kw : offline.keywords)
        keys.append(kw.first);
    QCOMPARE(keys, (QStringList{"url", "target_metadata", "literal_binds", "dialect_opts"}));
    QCOMPARE(info->configureFlag(QStringLiteral("literal_binds"), false), true);
    QCOMPARE(info->configureOption(QStringLiteral("dialect_opts"))->repr(), QStringLiteral("{'paramstyle': 'named'}"));
    // target_metadata=target_metadata resolves to the module-level None.
    QVERIFY(info->configureOption(QStringLiteral("target_metadata"))->isNone());
    QVERIFY(!info->configureOption(QStringLiteral("url")).has_value());   // a local variable
    QCOMPARE(info->targetMetadataIsNone(), std::optional<bool>(true));
    QVERIFY(!info->urlOverride().has_value());
    QVERIFY(!info->configureOption(QStringLiteral("version_table")).has_value());
}

void tst_EnvPyInfo::configureLiterals()
{
    auto info = EnvPyInfo::fromSource(QStringLiteral(
        "from alembic import context\nfrom myapp import Base\ntarget_metadata = Base.metadata\n"
        "def run():\n    with connectable.connect() as connection:\n"
        "        context.configure(\n            connection=connection,\n"
        "            version_table='my_version', version_table_schema=\"audit\",\n"
        "            transaction_per_migration=True, render_as_batch=True,\n"
        "            compare_type=False, include_schemas=True,  # trailing comment\n"
        "        )\n"));
    QVERIFY2(info.ok(), qPrintable(info.error().toString()));
    QCOMPARE(info->configureOption(QStringLiteral("version_table"))->toStr(), QStringLiteral("my_version"));
    QCOMPARE(info->configureOption(QStringLiteral("version_table_schema"))->toStr(), QStringLiteral("audit"));
    QCOMPARE(info->configureFlag(QStringLiteral("transaction_per_migration"), false), true);
    QCOMPARE(info->configureFlag(QStringLiteral("render_as_batch"), false), true);
    QCOMPARE(info->configureFlag(QStringLiteral("compare_type"), true), false);
    QCOMPARE(info->configureFlag(QStringLiteral("include_schemas"), false), true);
    QCOMPARE(info->configureFlag(QStringLiteral("absent"), true), true);
    QCOMPARE(info->targetMetadataIsNone(), std::optional<bool>(false));
    QVERIFY(info->notes().isEmpty());
}

void tst_EnvPyInfo::urlOverride_data()
{
    QTest::addColumn<QString>("statement");
    QTest::addColumn<int>("source");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("envVar");
    QTest::addColumn<QString>("envDefault");   // null: none
    QTest::newRow("literal") << QStringLiteral("config.set_main_option(\"sqlalchemy.url\", \"sqlite:///x.db\")")
                             << int(UrlOverride::Literal) << QStringLiteral("sqlite:///x.db") << QString() << QString();
    QTest::newRow("environ") << QStringLiteral("config.set_main_option('sqlalchemy.url', os.environ['DB_URL'])")
                             << int(UrlOverride::Environ) << QString() << QStringLiteral("DB_URL") << QString();
    QTest::newRow("environ.get") << QStringLiteral("config.set_main_option('sqlalchemy.url', os.environ.get('DB_URL', 'sqlite://'))")
                                 << int(UrlOverride::EnvironGet) << QString() << QStringLiteral("DB_URL") << QStringLiteral("sqlite://");
    QTest::newRow("getenv") << QStringLiteral("config.set_main_option(\n    'sqlalchemy.url',\n    os.getenv('X_URL'),\n)")
                            << int(UrlOverride::EnvironGet) << QString() << QStringLiteral("X_URL") << QString();
    QTest::newRow("context.config") << QStringLiteral("context.config.set_main_option('sqlalchemy.url', URL)")
                                    << int(UrlOverride::Literal) << QStringLiteral("mysql://h/d") << QString() << QString();
    QTest::newRow("section option") << QStringLiteral("config.set_section_option(config.config_ini_section, 'sqlalchemy.url', URL)")
                                    << int(UrlOverride::Literal) << QStringLiteral("mysql://h/d") << QString() << QString();
}

void tst_EnvPyInfo::urlOverride()
{
    QFETCH(QString, statement);
    QFETCH(int, source);
    QFETCH(QString, value);
    QFETCH(QString, envVar);
    QFETCH(QString, envDefault);
    auto info = EnvPyInfo::fromSource(QStringLiteral("import os\nURL = 'mysql://h/d'\nconfig = context.config\n")
                                      + statement + u'\n');
    QVERIFY2(info.ok(), qPrintable(info.error().toString()));
    QVERIFY(info->urlOverride().has_value());
    const UrlOverride url = *info->urlOverride();
    QCOMPARE(int(url.source), source);
    QCOMPARE(url.value, value);
    QCOMPARE(url.envVar, envVar);
    QCOMPARE(url.envDefault.has_value(), !envDefault.isNull());
    if (!envDefault.isNull())
        QCOMPARE(*url.envDefault, envDefault);
    QCOMPARE(url.line, 4);
}

void tst_EnvPyInfo::notes()
{
    qputenv("RETORT_TEST_URL", "sqlite:///from_env.db");
    auto info = EnvPyInfo::fromSource(QStringLiteral(
        "config.set_main_option('sqlalchemy.url', os.environ['RETORT_TEST_URL'])\n"
        "context.configure(url=build_url() + '?x', **extra)\n"
        "config.set_main_option('sqlalchemy.url', 'a' + 'b')\n"), QStringLiteral("env.py"));
    QVERIFY(info.ok());
    QCOMPARE(info->resolvedUrlOverride().value(), QStringLiteral("sqlite:///from_env.db"));
    QCOMPARE(info->notes(), (QStringList{
        "env.py:2: context.configure(): value of 'url' cannot be read statically",
        "env.py:2: context.configure(): ** arguments are not read",
        "env.py:3: sqlalchemy.url is set from an expression that cannot be read statically"}));
    QCOMPARE(info->configureCalls().first().unreadable, QStringList{"url"});
    QVERIFY(!info->targetMetadataIsNone().has_value());
    qunsetenv("RETORT_TEST_URL");
}

// What only running env.py settles: "line:u" (the URL), "line:c" (configure() options),
// "line:uc" (both); the stock templates have none.
void tst_EnvPyInfo::dynamicParts_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("settledWithUrl");   // nothing left once --url gives the URL
    const QString head = QStringLiteral("import os\nfrom alembic import context\nconfig = context.config\n");
    for (const char *project : {"basic", "asyncenv", "multidbenv"}) {
        QFile f(QStringLiteral(RETORT_FIXTURES_DIR "/projects/") + QLatin1String(project)
                + QStringLiteral("/migrations/env.py"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QTest::newRow(project) << QString::fromUtf8(f.readAll()) << QStringList() << true;
    }
    QTest::newRow("literal and environ URL")
        << head + QStringLiteral("config.set_main_option('sqlalchemy.url', os.environ['DB'])\n"
                                 "context.configure(url='sqlite://', version_table='v', transactional_ddl=False)\n")
        << QStringList() << true;
    QTest::newRow("settings module")
        << head + QStringLiteral("from settings import DATABASE_URL\n"
                                 "config.set_main_option('sqlalchemy.url', DATABASE_URL)\n")
        << QStringList{"5:u"} << true;
    QTest::newRow("environ expression")
        << head + QStringLiteral("config.set_main_option('sqlalchemy.url', 'sqlite:///' + os.environ['D'])\n")
        << QStringList{"4:u"} << true;
    QTest::newRow("environ default expression")
        << head + QStringLiteral("config.set_main_option('sqlalchemy.url', os.environ.get('DB', default_url()))\n")
        << QStringList{"4:u"} << true;
    QTest::newRow("x argument and own engine")
        << head + QStringLiteral("def run():\n"
                                 "    url = context.get_x_argument(as_dictionary=True)['db']\n"
                                 "    engine = create_engine(url)\n"
                                 "    engine2 = engine_from_config(config.get_section('other'), prefix='sqlalchemy.')\n")
        << QStringList{"5:u", "6:u"} << true;
    QTest::newRow("flask-migrate")
        << head + QStringLiteral("from flask import current_app\n"
                                 "context.configure(connection=c, **current_app.extensions['migrate'].configure_args)\n")
        << QStringList{"4:uc", "5:c"} << false;
    QTest::newRow("configure keywords")
        << head + QStringLiteral("VT = 'versions'\n"
                                 "context.configure(connection=c, version_table=VT, target_metadata=md,\n"
                                 "                  version_table_schema=settings.SCHEMA,\n"
                                 "                  transaction_per_migration=flag())\n")
        << QStringList{"6:c", "7:c"} << false;
}

void tst_EnvPyInfo::dynamicParts()
{
    QFETCH(QString, source);
    QFETCH(QStringList, expected);
    QFETCH(bool, settledWithUrl);
    auto info = EnvPyInfo::fromSource(source, QStringLiteral("env.py"));
    QVERIFY2(info.ok(), qPrintable(info.error().toString()));
    QStringList got;
    for (const DynamicPart &d : info->dynamicParts())
        got << QStringLiteral("%1:%2%3").arg(d.line).arg(d.url ? "u" : "").arg(d.configure ? "c" : "");
    QCOMPARE(got, expected);
    QCOMPARE(info->firstDynamicPart(false) != nullptr, !expected.isEmpty());
    QCOMPARE(info->firstDynamicPart(true) == nullptr, settledWithUrl);
}

QTEST_APPLESS_MAIN(tst_EnvPyInfo)
#include "tst_envpyinfo.moc"
