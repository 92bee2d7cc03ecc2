// PoetryEnvironment: the package name read from pyproject.toml, Poetry's env name (the
// expected values computed with Poetry's algorithm in Python), and the environments found
// through `poetry env info -p` or in the cache layout.

#include "services/poetryenvironment.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

class TestPoetryEnvironment : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void packageName_data();
    void packageName();
    void envName_data();
    void envName();
    void virtualenvsPath();
    void cacheLayout_data();
    void cacheLayout();
    void poetryCommand();
    void notPoetry();

private:
    void write(const QString &rel, const QByteArray &text, bool executable = false);
    std::unique_ptr<QTemporaryDir> m_root;
    QByteArray m_path;
};

void TestPoetryEnvironment::initTestCase()
{
    m_path = qgetenv("PATH");
}

void TestPoetryEnvironment::init()
{
    m_root = std::make_unique<QTemporaryDir>();
    for (const char *name : {"POETRY_VIRTUALENVS_PATH", "POETRY_CACHE_DIR", "XDG_CACHE_HOME"})
        qunsetenv(name);
    // No real poetry: an empty PATH folder unless a test puts a fake one there.
    QVERIFY(QDir(m_root->path()).mkpath(QStringLiteral("bin")));
    qputenv("PATH", m_root->filePath(QStringLiteral("bin")).toUtf8());
}

void TestPoetryEnvironment::cleanup()
{
    qputenv("PATH", m_path);
}

void TestPoetryEnvironment::write(const QString &rel, const QByteArray &text, bool executable)
{
    const QString path = m_root->filePath(rel);
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
    f.close();
    if (executable)
        f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
}

void TestPoetryEnvironment::packageName_data()
{
    QTest::addColumn<QString>("toml");
    QTest::addColumn<QString>("name");
    QTest::newRow("poetry 1") << QStringLiteral("[tool.poetry]\nname = \"My_App\"\nversion = \"0.1\"\n")
                              << QStringLiteral("my-app");
    QTest::newRow("single quotes, comment") << QStringLiteral("[ tool.poetry ] # x\nname = 'web.api'  # y\n")
                                            << QStringLiteral("web-api");
    QTest::newRow("poetry 2: [project] first")
        << QStringLiteral("[project]\nname = \"shop\"\n\n[tool.poetry]\npackage-mode = false\n") << QStringLiteral("shop");
    QTest::newRow("poetry subtable only") << QStringLiteral("[project]\nname = \"a\"\n[tool.poetry.dependencies]\n")
                                          << QStringLiteral("a");
    QTest::newRow("source array's name is not the package's")
        << QStringLiteral("[tool.poetry]\nname = \"app\"\n[[tool.poetry.source]]\nname = \"mirror\"\n")
        << QStringLiteral("app");
    QTest::newRow("not poetry (uv/setuptools)") << QStringLiteral("[project]\nname = \"x\"\n[tool.uv]\n") << QString();
    QTest::newRow("name of another table") << QStringLiteral("[tool.black]\nname = \"x\"\n[tool.poetry]\n") << QString();
}

void TestPoetryEnvironment::packageName()
{
    QFETCH(QString, toml);
    QFETCH(QString, name);
    QCOMPARE(PoetryEnvironment::packageName(toml), name);
}

void TestPoetryEnvironment::envName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("dir");
    QTest::addColumn<QString>("expected");
    // python3: Poetry's generate_env_name(name, dir)
    QTest::newRow("plain") << QStringLiteral("my-app") << QStringLiteral("/srv/projects/my-app")
                           << QStringLiteral("my-app-lOFU8nR1");
    QTest::newRow("unsafe characters") << QStringLiteral("a$b c!d") << QStringLiteral("/x")
                                       << QStringLiteral("a_b_c_d-s9HbMYZx");
    QTest::newRow("42 characters, urlsafe hash") << QString(50, QLatin1Char('x')) << QStringLiteral("/home/u/p")
                                                 << QString(42, QLatin1Char('x')) + QStringLiteral("-YK1wb-Uz");
}

void TestPoetryEnvironment::envName()
{
    QFETCH(QString, name);
    QFETCH(QString, dir);
    QFETCH(QString, expected);
    QCOMPARE(PoetryEnvironment::envName(name, dir), expected);
}

void TestPoetryEnvironment::virtualenvsPath()
{
    const QString home = QDir::homePath();
    QCOMPARE(PoetryEnvironment::virtualenvsPath(), home + QStringLiteral("/.cache/pypoetry/virtualenvs"));
    qputenv("XDG_CACHE_HOME", "/xdg");
    QCOMPARE(PoetryEnvironment::virtualenvsPath(), QStringLiteral("/xdg/pypoetry/virtualenvs"));
    qputenv("POETRY_CACHE_DIR", "/pc");
    QCOMPARE(PoetryEnvironment::virtualenvsPath(), QStringLiteral("/pc/virtualenvs"));
    qputenv("POETRY_VIRTUALENVS_PATH", "/pv");
    QCOMPARE(PoetryEnvironment::virtualenvsPath(), QStringLiteral("/pv"));
}

// folders: made under the cache's virtualenvs folder ("%" = this project's env name).
void TestPoetryEnvironment::cacheLayout_data()
{
    QTest::addColumn<QStringList>("folders");
    QTest::addColumn<QByteArray>("envsToml");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("one") << QStringList{QStringLiteral("%-py3.11")} << QByteArray()
                         << QStringList{QStringLiteral("%-py3.11")};
    QTest::newRow("another project's env is never taken")
        << QStringList{QStringLiteral("app-AAAAAAAA-py3.11"), QStringLiteral("app2-py3.11")} << QByteArray()
        << QStringList();
    QTest::newRow("newest Python first") << QStringList{QStringLiteral("%-py3.9"), QStringLiteral("%-py3.11")}
                                         << QByteArray() << QStringList{QStringLiteral("%-py3.11"), QStringLiteral("%-py3.9")};
    QTest::newRow("envs.toml's choice first") << QStringList{QStringLiteral("%-py3.9"), QStringLiteral("%-py3.11")}
                                              << QByteArray("[%]\nminor = \"3.9\"\npatch = \"3.9.18\"\n")
                                              << QStringList{QStringLiteral("%-py3.9"), QStringLiteral("%-py3.11")};
    QTest::newRow("odd suffix ignored") << QStringList{QStringLiteral("%-pyx"), QStringLiteral("%-py3.12")}
                                        << QByteArray() << QStringList{QStringLiteral("%-py3.12")};
}

void TestPoetryEnvironment::cacheLayout()
{
    QFETCH(QStringList, folders);
    QFETCH(QByteArray, envsToml);
    QFETCH(QStringList, expected);
    write(QStringLiteral("proj/pyproject.toml"), "[tool.poetry]\nname = \"app\"\n");
    const QString project = m_root->filePath(QStringLiteral("proj"));
    const QString env = PoetryEnvironment::envName(QStringLiteral("app"), project);
    qputenv("XDG_CACHE_HOME", m_root->filePath(QStringLiteral("cache")).toUtf8());
    const QString venvs = m_root->filePath(QStringLiteral("cache/pypoetry/virtualenvs"));
    QCOMPARE(PoetryEnvironment::virtualenvsPath(), venvs);
    for (QString f : folders)
        QVERIFY(QDir().mkpath(venvs + QLatin1Char('/') + f.replace(QLatin1Char('%'), env)));
    if (!envsToml.isEmpty())
        write(QStringLiteral("cache/pypoetry/virtualenvs/envs.toml"), envsToml.replace('%', env.toUtf8()));
    QStringList want;
    for (QString f : expected)
        want << venvs + QLatin1Char('/') + f.replace(QLatin1Char('%'), env);
    QCOMPARE(PoetryEnvironment::candidates(project), want);
}

void TestPoetryEnvironment::poetryCommand()
{
    write(QStringLiteral("proj/pyproject.toml"), "[tool.poetry]\nname = \"app\"\n");
    QVERIFY(QDir(m_root->path()).mkpath(QStringLiteral("elsewhere/env")));
    // A fake poetry: answers `env info -p` from the project folder only.
    write(QStringLiteral("bin/poetry"),
          "#!/bin/sh\n[ \"$*\" = \"env info -p\" ] && [ -f pyproject.toml ] || exit 3\n"
          "echo 'Some warning'\necho \"${PWD%/*}/elsewhere/env\"\n",
          true);
    QCOMPARE(PoetryEnvironment::candidates(m_root->filePath(QStringLiteral("proj"))),
             QStringList{m_root->filePath(QStringLiteral("elsewhere/env"))});
    // Poetry knows no environment: the cache layout is still looked at.
    write(QStringLiteral("bin/poetry"), "#!/bin/sh\nexit 1\n", true);
    qputenv("POETRY_VIRTUALENVS_PATH", m_root->filePath(QStringLiteral("venvs")).toUtf8());
    const QString cached = m_root->filePath(QStringLiteral("venvs/")
                                            + PoetryEnvironment::envName(QStringLiteral("app"),
                                                                         m_root->filePath(QStringLiteral("proj")))
                                            + QStringLiteral("-py3.11"));
    QVERIFY(QDir().mkpath(cached));
    QCOMPARE(PoetryEnvironment::candidates(m_root->filePath(QStringLiteral("proj"))), QStringList{cached});
}

void TestPoetryEnvironment::notPoetry()
{
    write(QStringLiteral("bin/poetry"), "#!/bin/sh\necho /\n", true);
    QCOMPARE(PoetryEnvironment::candidates(m_root->filePath(QStringLiteral("none"))), QStringList());
    write(QStringLiteral("uv/pyproject.toml"), "[project]\nname = \"app\"\n");
    QCOMPARE(PoetryEnvironment::candidates(m_root->filePath(QStringLiteral("uv"))), QStringList());
}

QTEST_GUILESS_MAIN(TestPoetryEnvironment)
#include "tst_poetryenvironment.moc"
