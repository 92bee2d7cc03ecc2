// PythonInterpreterLocator: the precedence of the interpreter choices, and which folders
// count as the project's virtualenv (pyvenv.cfg + an executable bin/python).

#include "command/pythoninterpreterlocator.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

class TestPythonInterpreterLocator : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void locate_data();
    void locate();

private:
    // Makes <root>/<rel> a virtualenv (or only a folder with bin/python when !marked).
    void makeVenv(const QString &rel, bool marked = true);
    std::unique_ptr<QTemporaryDir> m_root;
};

void TestPythonInterpreterLocator::init()
{
    m_root = std::make_unique<QTemporaryDir>();
    qunsetenv("RETORT_PYTHON");
    qunsetenv("VIRTUAL_ENV");
    QVERIFY(QDir(m_root->path()).mkpath(QStringLiteral("proj/migrations")));
}

void TestPythonInterpreterLocator::makeVenv(const QString &rel, bool marked)
{
    const QString dir = m_root->filePath(rel);
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/bin")));
    QFile python(dir + QStringLiteral("/bin/python"));
    QVERIFY(python.open(QIODevice::WriteOnly));
    python.write("#!/bin/sh\n");
    python.close();
    python.setPermissions(python.permissions() | QFileDevice::ExeOwner);
    if (marked) {
        QFile cfg(dir + QStringLiteral("/pyvenv.cfg"));
        QVERIFY(cfg.open(QIODevice::WriteOnly));
    }
}

// venvs: folders (relative to the temp root) made virtualenvs; "!name": bin/python only.
void TestPythonInterpreterLocator::locate_data()
{
    QTest::addColumn<QString>("retortPython");
    QTest::addColumn<QString>("configured");
    QTest::addColumn<QString>("virtualEnv");
    QTest::addColumn<QStringList>("venvs");
    QTest::addColumn<QString>("iniDir");
    QTest::addColumn<QString>("path");      // relative to the temp root unless absolute
    QTest::addColumn<QString>("origin");

    const QString ini = QStringLiteral("proj");
    QTest::newRow("nothing: fallback") << QString() << QString() << QString() << QStringList() << ini
                                       << QStringLiteral("/fallback") << QStringLiteral("default");
    QTest::newRow(".venv next to alembic.ini") << QString() << QString() << QString()
        << QStringList{QStringLiteral("proj/.venv")} << ini << QStringLiteral("proj/.venv/bin/python")
        << QStringLiteral("project virtualenv");
    QTest::newRow("venv one level up (Flask-Migrate)") << QString() << QString() << QString()
        << QStringList{QStringLiteral("proj/venv")} << QStringLiteral("proj/migrations")
        << QStringLiteral("proj/venv/bin/python") << QStringLiteral("project virtualenv");
    QTest::newRow(".venv before venv") << QString() << QString() << QString()
        << QStringList{QStringLiteral("proj/venv"), QStringLiteral("proj/.venv")} << ini
        << QStringLiteral("proj/.venv/bin/python") << QStringLiteral("project virtualenv");
    QTest::newRow("nearest folder first") << QString() << QString() << QString()
        << QStringList{QStringLiteral("proj/.venv"), QStringLiteral("proj/migrations/env")}
        << QStringLiteral("proj/migrations") << QStringLiteral("proj/migrations/env/bin/python")
        << QStringLiteral("project virtualenv");
    QTest::newRow("env without pyvenv.cfg is no virtualenv") << QString() << QString() << QString()
        << QStringList{QStringLiteral("!proj/env")} << ini << QStringLiteral("/fallback") << QStringLiteral("default");
    QTest::newRow("two levels up is not the project") << QString() << QString() << QString()
        << QStringList{QStringLiteral(".venv")} << QStringLiteral("proj/migrations")
        << QStringLiteral("/fallback") << QStringLiteral("default");
    QTest::newRow("$VIRTUAL_ENV before the project's") << QString() << QString() << QStringLiteral("active")
        << QStringList{QStringLiteral("active"), QStringLiteral("proj/.venv")} << ini
        << QStringLiteral("active/bin/python") << QStringLiteral("$VIRTUAL_ENV");
    QTest::newRow("retort_python before any virtualenv") << QString() << QStringLiteral("/opt/py/bin/python3")
        << QStringLiteral("active") << QStringList{QStringLiteral("active"), QStringLiteral("proj/.venv")} << ini
        << QStringLiteral("/opt/py/bin/python3") << QStringLiteral("retort_python");
    QTest::newRow("$RETORT_PYTHON first") << QStringLiteral("/usr/bin/python3") << QStringLiteral("/opt/py/bin/python3")
        << QString() << QStringList{QStringLiteral("proj/.venv")} << ini
        << QStringLiteral("/usr/bin/python3") << QStringLiteral("$RETORT_PYTHON");
}

void TestPythonInterpreterLocator::locate()
{
    QFETCH(QString, retortPython);
    QFETCH(QString, configured);
    QFETCH(QString, virtualEnv);
    QFETCH(QStringList, venvs);
    QFETCH(QString, iniDir);
    QFETCH(QString, path);
    QFETCH(QString, origin);
    for (const QString &v : venvs)
        makeVenv(v.startsWith(QLatin1Char('!')) ? v.mid(1) : v, !v.startsWith(QLatin1Char('!')));
    if (!retortPython.isEmpty())
        qputenv("RETORT_PYTHON", retortPython.toUtf8());
    if (!virtualEnv.isEmpty())
        qputenv("VIRTUAL_ENV", m_root->filePath(virtualEnv).toUtf8());
    const PythonInterpreter found =
        PythonInterpreterLocator::locate(configured, m_root->filePath(iniDir), QStringLiteral("/fallback"));
    QCOMPARE(found.path, path.startsWith(QLatin1Char('/')) ? path : m_root->filePath(path));
    QCOMPARE(found.origin, origin);
}

QTEST_GUILESS_MAIN(TestPythonInterpreterLocator)
#include "tst_pythoninterpreterlocator.moc"
