// PythonInterpreterLocator: the precedence of the interpreter choices, which folders count
// as the project's virtualenv (pyvenv.cfg + an executable bin/python), how far up the
// search goes, and that a found virtualenv counts only when it can import alembic. The
// "interpreters" are shell scripts: one prints a version (imports alembic), one fails.

#include "services/poetryenvironment.h"
#include "services/pythoninterpreterlocator.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QProcess>
#include <QtTest>

using namespace retort;

class TestPythonInterpreterLocator : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void locate_data();
    void locate();
    void searchDirectories_data();
    void searchDirectories();
    void alembicVersion();
    void alembicVersionWithoutImporting();

private:
    // Makes <root>/<rel> a virtualenv: "!rel" bin/python only (no pyvenv.cfg); "-rel" one
    // whose python cannot import alembic.
    void makeVenv(QString rel);
    void write(const QString &rel, const QByteArray &text);
    std::unique_ptr<QTemporaryDir> m_root;
    QByteArray m_home, m_path;
};

void TestPythonInterpreterLocator::initTestCase()
{
    m_home = qgetenv("HOME");
    m_path = qgetenv("PATH");
}

void TestPythonInterpreterLocator::init()
{
    m_root = std::make_unique<QTemporaryDir>();
    for (const char *name : {"RETORT_PYTHON", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "POETRY_VIRTUALENVS_PATH",
                             "POETRY_CACHE_DIR"})
        qunsetenv(name);
    QVERIFY(QDir(m_root->path()).mkpath(QStringLiteral("proj/migrations")));
    QVERIFY(QDir(m_root->path()).mkpath(QStringLiteral("bin")));
    qputenv("PATH", m_root->filePath(QStringLiteral("bin")).toUtf8());   // no real poetry
    qputenv("XDG_CACHE_HOME", m_root->filePath(QStringLiteral("cache")).toUtf8());
}

void TestPythonInterpreterLocator::cleanup()
{
    qputenv("HOME", m_home);
    qputenv("PATH", m_path);
    qunsetenv("XDG_CACHE_HOME");
}

void TestPythonInterpreterLocator::write(const QString &rel, const QByteArray &text)
{
    const QString path = m_root->filePath(rel);
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

void TestPythonInterpreterLocator::makeVenv(QString rel)
{
    const bool marked = !rel.startsWith(QLatin1Char('!'));
    const bool alembic = !rel.startsWith(QLatin1Char('-'));
    if (!marked || !alembic)
        rel.remove(0, 1);
    rel.replace(QLatin1Char('%'), PoetryEnvironment::envName(QStringLiteral("app"), m_root->filePath(QStringLiteral("proj"))));
    write(rel + QStringLiteral("/bin/python"), alembic ? "#!/bin/sh\nprintf 1.8.1\n" : "#!/bin/sh\nexit 1\n");
    QFile python(m_root->filePath(rel + QStringLiteral("/bin/python")));
    python.setPermissions(python.permissions() | QFileDevice::ExeOwner);
    if (marked)
        write(rel + QStringLiteral("/pyvenv.cfg"), "home = /usr/bin\n");
}

// venvs: folders (relative to the temp root) made virtualenvs (see makeVenv; "%" is
// Poetry's env name for proj); files: made empty (".git", "pyproject.toml" = Poetry's).
void TestPythonInterpreterLocator::locate_data()
{
    QTest::addColumn<QString>("retortPython");
    QTest::addColumn<QString>("configured");
    QTest::addColumn<QString>("virtualEnv");
    QTest::addColumn<QString>("uvEnv");
    QTest::addColumn<QStringList>("venvs");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QString>("iniDir");
    QTest::addColumn<QString>("path");      // relative to the temp root unless absolute
    QTest::addColumn<QString>("origin");
    QTest::addColumn<QStringList>("rejected");

    const QString ini = QStringLiteral("proj");
    const QString mig = QStringLiteral("proj/migrations");
    const QString none;
    const QStringList no;
    const QString fb = QStringLiteral("/fallback");
    const QString dflt = QStringLiteral("default");
    const QString project = QStringLiteral("project virtualenv");
    const QStringList git{QStringLiteral("proj/.git")};
    auto L = [](std::initializer_list<const char *> items) {
        QStringList out;
        for (const char *i : items)
            out << QString::fromLatin1(i);
        return out;
    };

    QTest::newRow("nothing: fallback") << none << none << none << none << no << no << ini << fb << dflt << no;
    QTest::newRow(".venv next to alembic.ini") << none << none << none << none << L({"proj/.venv"}) << no << ini
                                               << QStringLiteral("proj/.venv/bin/python") << project << no;
    QTest::newRow("venv one level up (Flask-Migrate)") << none << none << none << none << L({"proj/venv"}) << no << mig
                                                       << QStringLiteral("proj/venv/bin/python") << project << no;
    QTest::newRow(".venv before venv") << none << none << none << none << L({"proj/venv", "proj/.venv"}) << no << ini
                                       << QStringLiteral("proj/.venv/bin/python") << project << no;
    QTest::newRow("nearest folder first") << none << none << none << none << L({"proj/.venv", "proj/migrations/env"})
                                          << no << mig << QStringLiteral("proj/migrations/env/bin/python") << project << no;
    QTest::newRow("env without pyvenv.cfg is no virtualenv") << none << none << none << none << L({"!proj/env"}) << no
                                                             << ini << fb << dflt << no;
    QTest::newRow("one that cannot import alembic is passed over")
        << none << none << none << none << L({"-proj/.venv", "proj/venv"}) << no << ini
        << QStringLiteral("proj/venv/bin/python") << project << L({"proj/.venv/bin/python"});
    QTest::newRow("none can import alembic: fallback")
        << none << none << none << none << L({"-proj/migrations/.venv", "-proj/env"}) << no << mig << fb << dflt
        << L({"proj/migrations/.venv/bin/python", "proj/env/bin/python"});
    QTest::newRow("parents up to the repository root") << none << none << none << none << L({"proj/.venv"}) << git
                                                        << QStringLiteral("proj/migrations/db/alembic")
                                                        << QStringLiteral("proj/.venv/bin/python") << project << no;
    QTest::newRow("not beyond the repository root") << none << none << none << none << L({".venv"}) << git << mig << fb
                                                    << dflt << no;
    QTest::newRow("parents without a repository") << none << none << none << none << L({".venv"}) << no << mig
                                                  << QStringLiteral(".venv/bin/python") << project << no;
    QTest::newRow("not in $HOME") << none << none << none << none << L({"home/.venv"}) << no
                                  << QStringLiteral("home/proj/migrations") << fb << dflt << no;
    QTest::newRow("$UV_PROJECT_ENVIRONMENT, relative to the project")
        << none << none << none << QStringLiteral("envs/uv") << L({"proj/.venv", "proj/envs/uv"})
        << L({"proj/pyproject.toml"}) << mig << QStringLiteral("proj/envs/uv/bin/python")
        << QStringLiteral("$UV_PROJECT_ENVIRONMENT") << no;
    QTest::newRow("$UV_PROJECT_ENVIRONMENT needs a pyproject.toml")
        << none << none << none << QStringLiteral("envs/uv") << L({"proj/envs/uv"}) << no << ini << fb << dflt << no;
    QTest::newRow("$UV_PROJECT_ENVIRONMENT without alembic: .venv")
        << none << none << none << QStringLiteral("uvenv") << L({"-proj/uvenv", "proj/.venv"})
        << L({"proj/pyproject.toml"}) << ini << QStringLiteral("proj/.venv/bin/python") << project
        << L({"proj/uvenv/bin/python"});
    QTest::newRow("Poetry's cache") << none << none << none << none
                                    << L({"cache/pypoetry/virtualenvs/%-py3.11"}) << L({"proj/pyproject.toml"}) << mig
                                    << QStringLiteral("cache/pypoetry/virtualenvs/%-py3.11/bin/python")
                                    << QStringLiteral("Poetry environment") << no;
    QTest::newRow("in-project .venv before Poetry's cache")
        << none << none << none << none << L({"cache/pypoetry/virtualenvs/%-py3.11", "proj/.venv"})
        << L({"proj/pyproject.toml"}) << mig << QStringLiteral("proj/.venv/bin/python") << project << no;
    QTest::newRow("Poetry's env without alembic") << none << none << none << none
                                                  << L({"-cache/pypoetry/virtualenvs/%-py3.11"})
                                                  << L({"proj/pyproject.toml"}) << mig << fb << dflt
                                                  << L({"cache/pypoetry/virtualenvs/%-py3.11/bin/python"});
    QTest::newRow("$VIRTUAL_ENV before the project's") << none << none << QStringLiteral("active") << none
                                                       << L({"active", "proj/.venv"}) << no << ini
                                                       << QStringLiteral("active/bin/python")
                                                       << QStringLiteral("$VIRTUAL_ENV") << no;
    QTest::newRow("$VIRTUAL_ENV taken as it is") << none << none << QStringLiteral("active") << none
                                                 << L({"-active", "proj/.venv"}) << no << ini
                                                 << QStringLiteral("active/bin/python") << QStringLiteral("$VIRTUAL_ENV")
                                                 << no;
    QTest::newRow("retort_python before any virtualenv")
        << none << QStringLiteral("/opt/py/bin/python3") << QStringLiteral("active") << QStringLiteral("uv")
        << L({"active", "proj/.venv", "proj/uv"}) << L({"proj/pyproject.toml"}) << ini
        << QStringLiteral("/opt/py/bin/python3") << QStringLiteral("retort_python") << no;
    QTest::newRow("$RETORT_PYTHON first") << QStringLiteral("/usr/bin/python3") << QStringLiteral("/opt/py/bin/python3")
                                          << none << none << L({"proj/.venv"}) << no << ini
                                          << QStringLiteral("/usr/bin/python3") << QStringLiteral("$RETORT_PYTHON") << no;
}

void TestPythonInterpreterLocator::locate()
{
    QFETCH(QString, retortPython);
    QFETCH(QString, configured);
    QFETCH(QString, virtualEnv);
    QFETCH(QString, uvEnv);
    QFETCH(QStringList, venvs);
    QFETCH(QStringList, files);
    QFETCH(QString, iniDir);
    QFETCH(QString, path);
    QFETCH(QString, origin);
    QFETCH(QStringList, rejected);
    for (const QString &v : venvs)
        makeVenv(v);
    for (const QString &f : files)
        write(f, f.endsWith(QLatin1String("pyproject.toml")) ? "[tool.poetry]\nname = \"app\"\n" : "");
    QVERIFY(QDir(m_root->path()).mkpath(iniDir));
    qputenv("HOME", m_root->filePath(QStringLiteral("home")).toUtf8());
    if (!retortPython.isEmpty())
        qputenv("RETORT_PYTHON", retortPython.toUtf8());
    if (!virtualEnv.isEmpty())
        qputenv("VIRTUAL_ENV", m_root->filePath(virtualEnv).toUtf8());
    if (!uvEnv.isEmpty())
        qputenv("UV_PROJECT_ENVIRONMENT", uvEnv.toUtf8());
    const QString env = PoetryEnvironment::envName(QStringLiteral("app"), m_root->filePath(QStringLiteral("proj")));
    auto full = [&](QString p) {
        p.replace(QLatin1Char('%'), env);
        return p.startsWith(QLatin1Char('/')) ? p : m_root->filePath(p);
    };
    const PythonInterpreter found =
        PythonInterpreterLocator::locate(configured, m_root->filePath(iniDir), QStringLiteral("/fallback"));
    QCOMPARE(found.path, full(path));
    QCOMPARE(found.origin, origin);
    // Only the guessed rungs are checked, and report the version they import.
    const bool checked = QStringList{QStringLiteral("$UV_PROJECT_ENVIRONMENT"), QStringLiteral("project virtualenv"),
                                     QStringLiteral("Poetry environment")}
                             .contains(origin);
    QCOMPARE(found.alembicVersion, checked ? QStringLiteral("1.8.1") : QString());
    QStringList want;
    for (const QString &r : rejected)
        want << full(r);
    QCOMPARE(found.rejected, want);
}

void TestPythonInterpreterLocator::searchDirectories_data()
{
    QTest::addColumn<QString>("iniDir");
    QTest::addColumn<QString>("marker");    // a file made in the temp root ("" none)
    QTest::addColumn<QStringList>("dirs");  // relative to the temp root; "/" = the root itself
    QTest::newRow("repository root included")
        << QStringLiteral("a/b/c") << QStringLiteral("a/.git")
        << QStringList{QStringLiteral("a/b/c"), QStringLiteral("a/b"), QStringLiteral("a")};
    QTest::newRow("worktree .git file, hg") << QStringLiteral("a/b") << QStringLiteral("a/b/.hg")
                                            << QStringList{QStringLiteral("a/b")};
    QTest::newRow("$HOME excluded") << QStringLiteral("home/p/m") << QString()
                                    << QStringList{QStringLiteral("home/p/m"), QStringLiteral("home/p")};
    QTest::newRow("alembic.ini in $HOME itself") << QStringLiteral("home") << QString()
                                                 << QStringList{QStringLiteral("home")};
}

void TestPythonInterpreterLocator::searchDirectories()
{
    QFETCH(QString, iniDir);
    QFETCH(QString, marker);
    QFETCH(QStringList, dirs);
    QVERIFY(QDir(m_root->path()).mkpath(iniDir));
    if (!marker.isEmpty())
        write(marker, "");
    qputenv("HOME", m_root->filePath(QStringLiteral("home")).toUtf8());
    QStringList want;
    for (const QString &d : dirs)
        want << m_root->filePath(d);
    QCOMPARE(PythonInterpreterLocator::searchDirectories(m_root->filePath(iniDir)), want);
    // Without a repository or $HOME: every parent but /.
    qputenv("HOME", "/nonexistent-home");
    const QStringList all = PythonInterpreterLocator::searchDirectories(QStringLiteral("/usr/share/doc"));
    QCOMPARE(all, (QStringList{QStringLiteral("/usr/share/doc"), QStringLiteral("/usr/share"), QStringLiteral("/usr")}));
}

void TestPythonInterpreterLocator::alembicVersion()
{
    makeVenv(QStringLiteral("ok"));
    makeVenv(QStringLiteral("-bad"));
    QCOMPARE(PythonInterpreterLocator::alembicVersion(m_root->filePath(QStringLiteral("ok/bin/python"))),
             QStringLiteral("1.8.1"));
    QCOMPARE(PythonInterpreterLocator::alembicVersion(m_root->filePath(QStringLiteral("bad/bin/python"))), QString());
    QCOMPARE(PythonInterpreterLocator::alembicVersion(m_root->filePath(QStringLiteral("missing/bin/python"))),
             QString());
    // The real thing, when the Debian interpreter with Alembic is there.
    if (QFileInfo::exists(QStringLiteral("/usr/bin/python3")))
        QVERIFY(!PythonInterpreterLocator::alembicVersion(QStringLiteral("/usr/bin/python3")).isEmpty());
}

// The check reads the package's version without importing it (an import takes as long as
// the worker's own start-up, which followed it): a package that would fail to import still
// gives its version; a folder named alembic without a version (a project's migrations
// folder in the working directory) is imported as before, and does not count.
void TestPythonInterpreterLocator::alembicVersionWithoutImporting()
{
    write(QStringLiteral("site/alembic/__init__.py"),
          "__version__ = \"9.9.1\"\nraise RuntimeError('imported')\n");
    qputenv("PYTHONPATH", m_root->filePath(QStringLiteral("site")).toUtf8());
    QCOMPARE(PythonInterpreterLocator::alembicVersion(QStringLiteral("/usr/bin/python3")), QStringLiteral("9.9.1"));
    qunsetenv("PYTHONPATH");
    QVERIFY(QDir(m_root->path()).mkpath(QStringLiteral("work/alembic")));
    const QString cwd = QDir::currentPath();
    QVERIFY(QDir::setCurrent(m_root->filePath(QStringLiteral("work"))));
    const QString venv = m_root->filePath(QStringLiteral("bare"));
    QCOMPARE(QProcess::execute(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-m"), QStringLiteral("venv"),
                                                                   QStringLiteral("--without-pip"), venv}),
             0);
    const QString version = PythonInterpreterLocator::alembicVersion(venv + QStringLiteral("/bin/python"));
    QVERIFY(QDir::setCurrent(cwd));
    QCOMPARE(version, QString());
}

QTEST_GUILESS_MAIN(TestPythonInterpreterLocator)
#include "tst_pythoninterpreterlocator.moc"
