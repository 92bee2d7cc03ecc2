// ProjectInitializer: `init` / `list_templates` output and errors as Alembic 1.8.1 prints
// them, and projects that real Alembic can run (history, revision, upgrade --sql, upgrade).

#include "template/projectinitializer.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool writeText(const QString &path, const QString &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text.toUtf8()) >= 0;
}

struct Capture
{
    QString text;
    MessageSink sink()
    {
        return [this](const Message &m) { text += m.plainText(); };
    }
};

bool alembicAvailable()
{
    static const bool available = [] {   // asked once: each interpreter start is slow
        QProcess p;
        p.start(kPython, {QStringLiteral("-c"), QStringLiteral("import alembic, sqlalchemy")});
        return p.waitForFinished(10000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }();
    return available;
}

// Runs several alembic command lines in one interpreter (startup dominates the cost);
// returns each command's stdout+stderr. ok is false if any of them failed.
QStringList alembic(const QString &dir, const QList<QStringList> &commands, bool *ok)
{
    QString code = QStringLiteral(
        "import sys, io, contextlib\n"
        "from alembic.config import main\n"
        "for argv in %1:\n"
        "    buf = io.StringIO()\n"
        "    try:\n"
        "        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):\n"
        "            main(argv=argv, prog='alembic')\n"
        "    except SystemExit as e:\n"
        "        buf.write('EXIT %s' % e.code)\n"
        "    sys.stdout.write(buf.getvalue() + '\\x00')\n");
    QStringList lists;
    for (const QStringList &c : commands) {
        QStringList quoted;
        for (const QString &a : c)
            quoted.append("'" + a + "'");
        lists.append("[" + quoted.join(", ") + "]");
    }
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(kPython, {QStringLiteral("-c"), code.arg("[" + lists.join(", ") + "]")});
    *ok = p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    QStringList outputs = QString::fromUtf8(p.readAllStandardOutput()).split(QChar(0));
    outputs.removeLast();
    for (const QString &o : outputs)
        if (o.contains("EXIT ") || o.contains("Traceback"))
            *ok = false;
    if (outputs.size() != commands.size())
        *ok = false;
    if (!*ok)
        outputs.append(QString::fromUtf8(p.readAllStandardError()));
    return outputs;
}

} // namespace

class TstProjectInitializer : public QObject
{
    Q_OBJECT
private slots:
    void listTemplates();
    void initMessages_data();
    void initMessages();
    void errors();
    void existingIniAndPackage();
    void alembicRunsGenericProject();
    void alembicRunsMultidbProject();
    void alembicRunsAsyncProjectOffline();
};

void TstProjectInitializer::listTemplates()
{
    // Alembic's output on this system.
    QCOMPARE(ProjectInitializer::listTemplatesText(),
             QStringLiteral("Available templates:\n\n"
                            "multidb - Rudimentary multi-database configuration.\n"
                            "generic - Generic single-database configuration.\n"
                            "async - Generic single-database configuration with an async dbapi.\n"
                            "\nTemplates are used via the 'init' command, e.g.:\n"
                            "\n  alembic init --template generic ./scripts\n"));
}

void TstProjectInitializer::initMessages_data()
{
    QTest::addColumn<QString>("directory");
    QTest::addColumn<QString>("config");
    QTest::addColumn<bool>("preCreate");
    QTest::addColumn<QString>("expected");   // <d> = temp dir
    QTest::addColumn<QString>("scriptLocation");
    QTest::newRow("relative") << "migrations" << "alembic.ini" << false
        << "Creating directory <d>/migrations ...  done\n"
           "Creating directory <d>/migrations/versions ...  done\n"
           "Generating <d>/migrations/script.py.mako ...  done\n"
           "Generating <d>/migrations/README ...  done\n"
           "Generating <d>/migrations/env.py ...  done\n"
           "Generating <d>/alembic.ini ...  done\n"
           "Please edit configuration/connection/logging settings in '<d>/alembic.ini' before proceeding.\n"
        << "migrations";
    QTest::newRow("dotted, other ini") << "./x/../y" << "other.ini" << false
        << "Creating directory <d>/y ...  done\n"
           "Creating directory <d>/y/versions ...  done\n"
           "Generating <d>/y/script.py.mako ...  done\n"
           "Generating <d>/y/README ...  done\n"
           "Generating <d>/y/env.py ...  done\n"
           "Generating <d>/other.ini ...  done\n"
           "Please edit configuration/connection/logging settings in '<d>/other.ini' before proceeding.\n"
        << "./x/../y";
    QTest::newRow("existing empty dir") << "m" << "alembic.ini" << true
        << "Creating directory <d>/m/versions ...  done\n"
           "Generating <d>/m/script.py.mako ...  done\n"
           "Generating <d>/m/README ...  done\n"
           "Generating <d>/m/env.py ...  done\n"
           "Generating <d>/alembic.ini ...  done\n"
           "Please edit configuration/connection/logging settings in '<d>/alembic.ini' before proceeding.\n"
        << "m";
}

void TstProjectInitializer::initMessages()
{
    QFETCH(QString, directory);
    QFETCH(QString, config);
    QFETCH(bool, preCreate);
    QFETCH(QString, expected);
    QFETCH(QString, scriptLocation);
    QTemporaryDir tmp;
    if (preCreate)
        QDir(tmp.path()).mkdir(directory);
    InitRequest r;
    r.directory = directory;
    r.configFile = config;
    r.workingDirectory = tmp.path();
    Capture out;
    Result<void> ok = ProjectInitializer::init(r, out.sink());
    QVERIFY2(ok.ok(), qPrintable(ok.error().message));
    QCOMPARE(out.text, QString(expected).replace("<d>", tmp.path()));
    const QString ini = readText(tmp.path() + "/" + config);
    QVERIFY(ini.contains("\nscript_location = " + scriptLocation + "\n"));
    QVERIFY(ini.contains("\n# file_template = %%(year)d_%%(month).2d"));   // `%%` mid-line stays doubled
    const QString dir = QDir::cleanPath(tmp.path() + "/" + directory);
    QCOMPARE(readText(dir + "/env.py"), readText(":/retort/templates/generic/env.py"));
    QVERIFY(QFileInfo(dir + "/versions").isDir());
}

void TstProjectInitializer::errors()
{
    QTemporaryDir tmp;
    QDir(tmp.path()).mkpath("full/sub");
    InitRequest r;
    r.workingDirectory = tmp.path();
    r.directory = "full";
    Capture out;
    Result<void> e = ProjectInitializer::init(r, out.sink());
    QVERIFY(!e.ok());
    QCOMPARE(e.error().message, QStringLiteral("Directory full already exists and is not empty"));
    r.directory = "new";
    r.templateName = "nope";
    e = ProjectInitializer::init(r, out.sink());
    QVERIFY(!e.ok());
    QCOMPARE(e.error().message, QStringLiteral("No such template 'nope'"));
    QVERIFY(out.text.isEmpty());
    QVERIFY(!QFileInfo::exists(tmp.path() + "/new"));

    // checkRequest() gives init's errors without writing (the studio validates with it).
    QCOMPARE(ProjectInitializer::checkRequest(r).error().message, QStringLiteral("No such template 'nope'"));
    r.templateName = "generic";
    QVERIFY(ProjectInitializer::checkRequest(r).ok());
    r.directory = "full";
    QCOMPARE(ProjectInitializer::checkRequest(r).error().message,
             QStringLiteral("Directory full already exists and is not empty"));
    QVERIFY(!QFileInfo::exists(tmp.path() + "/new"));
}

void TstProjectInitializer::existingIniAndPackage()
{
    QTemporaryDir tmp;
    QVERIFY(writeText(tmp.path() + "/alembic.ini", "[alembic]\n"));
    InitRequest r;
    r.workingDirectory = tmp.path();
    r.directory = "pk";
    r.package = true;
    Capture out;
    QVERIFY(ProjectInitializer::init(r, out.sink()).ok());
    const QString d = tmp.path();
    QCOMPARE(out.text, "Creating directory " + d + "/pk ...  done\n"
                       "Creating directory " + d + "/pk/versions ...  done\n"
                       "Generating " + d + "/pk/script.py.mako ...  done\n"
                       "Generating " + d + "/pk/README ...  done\n"
                       "Generating " + d + "/pk/env.py ...  done\n"
                       "File " + d + "/alembic.ini already exists, skipping\n"
                       "Adding " + d + "/pk/__init__.py ...  done\n"
                       "Adding " + d + "/pk/versions/__init__.py ...  done\n"
                       "Please edit configuration/connection/logging settings in '" + d + "/alembic.ini' before proceeding.\n");
    QCOMPARE(readText(tmp.path() + "/alembic.ini"), QStringLiteral("[alembic]\n"));
    QVERIFY(QFileInfo::exists(tmp.path() + "/pk/versions/__init__.py"));
}

void TstProjectInitializer::alembicRunsGenericProject()
{
    if (!alembicAvailable())
        QSKIP("/usr/bin/python3 with alembic is not available");
    QTemporaryDir tmp;
    InitRequest r;
    r.workingDirectory = tmp.path();
    r.directory = "migrations";
    Capture out;
    QVERIFY(ProjectInitializer::init(r, out.sink()).ok());
    const QString ini = tmp.path() + "/alembic.ini";
    QVERIFY(writeText(ini, readText(ini).replace("driver://user:pass@localhost/dbname",
                                                 "sqlite:///" + tmp.path() + "/app.db")));
    bool ok = false;
    const QStringList o = alembic(tmp.path(), {{"revision", "-m", "first one", "--rev-id", "aaa111"},
                                               {"history"}, {"upgrade", "head", "--sql"}, {"upgrade", "head"}},
                                  &ok);
    QVERIFY2(ok, qPrintable(o.join("\n----\n")));
    QVERIFY(QFileInfo::exists(tmp.path() + "/migrations/versions/aaa111_first_one.py"));
    QCOMPARE(o.at(1), QStringLiteral("<base> -> aaa111 (head), first one\n"));
    QVERIFY2(o.at(2).contains("INSERT INTO alembic_version (version_num) VALUES ('aaa111');"), qPrintable(o.at(2)));
    QVERIFY2(o.at(3).contains("Running upgrade  -> aaa111, first one"), qPrintable(o.at(3)));
    QVERIFY(QFileInfo(tmp.path() + "/app.db").size() > 0);
}

void TstProjectInitializer::alembicRunsMultidbProject()
{
    if (!alembicAvailable())
        QSKIP("/usr/bin/python3 with alembic is not available");
    QTemporaryDir tmp;
    InitRequest r;
    r.workingDirectory = tmp.path();
    r.directory = "migrations";
    r.templateName = "multidb";
    Capture out;
    QVERIFY(ProjectInitializer::init(r, out.sink()).ok());
    const QString ini = tmp.path() + "/alembic.ini";
    QString text = readText(ini);
    text.replace("driver://user:pass@localhost/dbname2", "sqlite:///" + tmp.path() + "/two.db");
    text.replace("driver://user:pass@localhost/dbname", "sqlite:///" + tmp.path() + "/one.db");
    QVERIFY(writeText(ini, text));
    bool ok = false;
    const QStringList o = alembic(tmp.path(), {{"revision", "-m", "tables", "--rev-id", "bbb222"},
                                               {"upgrade", "head", "--sql"}, {"upgrade", "head"}}, &ok);
    QVERIFY2(ok, qPrintable(o.join("\n----\n")));
    const QString script = readText(tmp.path() + "/migrations/versions/bbb222_tables.py");
    QVERIFY(script.contains("def upgrade_engine1() -> None:\n    pass\n"));
    QVERIFY(script.contains("def downgrade_engine2() -> None:\n    pass\n"));
    QVERIFY(readText(tmp.path() + "/engine2.sql").contains("INSERT INTO alembic_version (version_num) VALUES ('bbb222');"));
    QVERIFY2(o.at(2).contains("Migrating database engine1") && o.at(2).contains("Migrating database engine2"),
             qPrintable(o.at(2)));
    QVERIFY(QFileInfo(tmp.path() + "/two.db").size() > 0);
}

void TstProjectInitializer::alembicRunsAsyncProjectOffline()
{
    if (!alembicAvailable())
        QSKIP("/usr/bin/python3 with alembic is not available");
    QTemporaryDir tmp;
    InitRequest r;
    r.workingDirectory = tmp.path();
    r.directory = "migrations";
    r.templateName = "async";
    Capture out;
    QVERIFY(ProjectInitializer::init(r, out.sink()).ok());
    const QString ini = tmp.path() + "/alembic.ini";
    QVERIFY(writeText(ini, readText(ini).replace("driver://user:pass@localhost/dbname",
                                                 "sqlite+aiosqlite:///" + tmp.path() + "/app.db")));
    bool ok = false;
    const QStringList o = alembic(tmp.path(), {{"revision", "-m", "one", "--rev-id", "ccc333"},
                                               {"upgrade", "head", "--sql"}}, &ok);
    QVERIFY2(ok, qPrintable(o.join("\n----\n")));
    QVERIFY2(o.at(1).contains("INSERT INTO alembic_version (version_num) VALUES ('ccc333');"), qPrintable(o.at(1)));
}

QTEST_GUILESS_MAIN(TstProjectInitializer)
#include "tst_projectinitializer.moc"
