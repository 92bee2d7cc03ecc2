// PythonWorker's start-up (/usr/bin/python3, the `handoff` fixture): its helpers run from a
// folder that keeps their bytecode, requests queued before the greeting are answered in
// order, a render queued behind a failed load does not run env.py, finish() lets the
// process exit at once, and Alembic's import leaves Pygments out.

#include "services/project.h"
#include "services/pythonworker.h"

#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

bool copyTree(const QString &from, const QString &dest)
{
    QDirIterator it(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        if (src.contains(QLatin1String("__pycache__")) || src.endsWith(QLatin1String(".db")))
            continue;
        const QString target = dest + QLatin1Char('/') + QDir(from).relativeFilePath(src);
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(src, target))
            return false;
    }
    return true;
}

MigrationStep upgradeStep(const QString &rev, const QString &down)
{
    MigrationStep s;
    s.kind = MigrationStep::Upgrade;
    s.revision = rev;
    s.fromRevisions = down.isEmpty() ? QStringList() : QStringList{down};
    s.toRevisions = {rev};
    return s;
}

} // namespace

class TestPythonWorker : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void helpersKeepTheirBytecode();
    void oldHelperFoldersArePruned();
    void queuedRequestsAreAnsweredAfterTheGreeting();
    void renderQueuedBehindAFailedLoadDoesNotRunEnvPy();
    void finishLetsTheWorkerExit();
    void runsWithTheScriptsPathAndArguments();
    void alembicImportLeavesPygmentsOut();

private:
    std::unique_ptr<PythonWorker> worker() const
    {
        return std::make_unique<PythonWorker>(kPython, m_root + QStringLiteral("/alembic.ini"),
                                              QStringLiteral("alembic"));
    }
    void appendToEnvPy(const QString &text);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_root;
};

void TestPythonWorker::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_root = m_dir->filePath(QStringLiteral("handoff"));
    QVERIFY(copyTree(QStringLiteral(RETORT_FIXTURES_DIR "/projects/handoff"), m_root));
    QVERIFY(QDir::setCurrent(m_root));
    // Retort's own cache folder, per test; the user's setting not to write bytecode.
    qputenv("XDG_CACHE_HOME", m_dir->filePath(QStringLiteral("cache")).toUtf8());
    qputenv("PYTHONDONTWRITEBYTECODE", "1");
}

void TestPythonWorker::appendToEnvPy(const QString &text)
{
    QFile env(m_root + QStringLiteral("/migrations/env.py"));
    QVERIFY(env.open(QIODevice::Append));
    env.write(text.toUtf8());
}

// Run as a module from Retort's cache folder, the worker's helpers are compiled once: the
// bytecode is there for the next run, also under PYTHONDONTWRITEBYTECODE, and nothing is
// written beside the project's scripts.
void TestPythonWorker::helpersKeepTheirBytecode()
{
    const QString dir = PythonWorker::helperDirectory();
    QVERIFY2(dir.startsWith(m_dir->filePath(QStringLiteral("cache/retort/python/"))), qPrintable(dir));
    QCOMPARE(PythonWorker::helperDirectory(), dir);   // the same folder, not written again
    auto w = worker();
    auto version = w->start();
    QVERIFY2(version, qPrintable(version ? QString() : version.error().toString()));
    QVERIFY(w->load({QStringLiteral("bb02")}));
    const QStringList cached = QDir(dir + QStringLiteral("/__pycache__")).entryList(QDir::Files);
    QVERIFY2(!cached.filter(QRegularExpression(QStringLiteral("^retort_worker\\..*\\.pyc$"))).isEmpty(),
             qPrintable(cached.join(QLatin1Char(' '))));
    QVERIFY(!cached.filter(QRegularExpression(QStringLiteral("^retort_envpy\\..*\\.pyc$"))).isEmpty());
    QVERIFY(!QDir(m_root + QStringLiteral("/migrations/versions/__pycache__")).exists());

    // An edited copy is not used: the worker then runs from the run's own folder.
    QFile edited(dir + QStringLiteral("/retort_bridge.py"));
    QVERIFY(edited.open(QIODevice::Append));
    edited.write("\nraise SystemExit('edited')\n");
    edited.close();
    QCOMPARE(PythonWorker::helperDirectory(), QString());
    auto again = worker();
    QVERIFY(again->start());
    QVERIFY(again->load({QStringLiteral("bb02")}));
}

// A new build's helpers remove the folders of builds no run has used for a month; a folder
// used lately (another installed build may be running from it) and a run's staging stay.
void TestPythonWorker::oldHelperFoldersArePruned()
{
    const QString parent = m_dir->filePath(QStringLiteral("cache/retort/python"));
    QVERIFY(QDir().mkpath(parent + QStringLiteral("/0123456789abcdef")));
    QVERIFY(QDir().mkpath(parent + QStringLiteral("/fedcba9876543210")));
    QVERIFY(QDir().mkpath(parent + QStringLiteral("/.new-AbCdEf")));
    auto stamp = [&](const QString &sub, int daysAgo) {
        QFile used(parent + QLatin1Char('/') + sub + QStringLiteral("/.used"));
        QVERIFY(used.open(QIODevice::WriteOnly));
        QVERIFY(used.setFileTime(QDateTime::currentDateTime().addDays(-daysAgo),
                                 QFileDevice::FileModificationTime));
    };
    stamp(QStringLiteral("0123456789abcdef"), PythonWorker::kHelperFolderDays + 5);
    stamp(QStringLiteral("fedcba9876543210"), 2);
    const QString dir = PythonWorker::helperDirectory();
    QVERIFY(!dir.isEmpty());
    QVERIFY(QFileInfo::exists(dir + QStringLiteral("/.used")));
    QVERIFY(!QFileInfo::exists(parent + QStringLiteral("/0123456789abcdef")));
    QVERIFY(QFileInfo::exists(parent + QStringLiteral("/fedcba9876543210")));
    QVERIFY(QFileInfo::exists(parent + QStringLiteral("/.new-AbCdEf")));
}

// load() and render() asked for before start(): the worker serves them after its greeting,
// and the later calls take their answers (one per request, in order).
void TestPythonWorker::queuedRequestsAreAnsweredAfterTheGreeting()
{
    auto w = worker();
    QVERIFY(w->spawn());
    const QVector<MigrationStep> steps{upgradeStep(QStringLiteral("bb02"), QStringLiteral("aa01"))};
    w->queueLoad({QStringLiteral("bb02")});
    w->queueRender(steps, true);
    auto version = w->start();
    QVERIFY2(version, qPrintable(version ? QString() : version.error().toString()));
    QVERIFY(version->startsWith(QLatin1String("1.")));
    QVERIFY(w->load({QStringLiteral("bb02")}));
    auto rendered = w->render(steps, true, [](const QString &) {});
    QVERIFY2(rendered, qPrintable(rendered ? QString() : rendered.error().toString()));
    QCOMPARE(rendered->size(), 1);
    QVERIFY(rendered->first().ok);
    QVERIFY2(rendered->first().statements.join(QLatin1Char(' ')).contains(QLatin1String("CREATE TABLE loop_a")),
             qPrintable(rendered->first().statements.join(QLatin1Char(' '))));
    // A request not queued is sent and answered as before.
    auto again = w->render(steps, true, [](const QString &) {});
    QVERIFY(again && again->size() == 1 && again->first().ok);
}

// Retort queues the render before it knows the load worked; the worker does not run env.py
// for a project it could not load, and answers with the load's error.
void TestPythonWorker::renderQueuedBehindAFailedLoadDoesNotRunEnvPy()
{
    appendToEnvPy(QStringLiteral("\nopen(%1, 'a').write('ran\\n')\n")
                      .arg(QStringLiteral("'") + m_dir->filePath(QStringLiteral("envpy-ran")) + QStringLiteral("'")));
    QFile broken(m_root + QStringLiteral("/migrations/versions/cc03_add_item_name.py"));
    QVERIFY(broken.open(QIODevice::Append));
    broken.write("\nimport no_such_module_here\n");
    broken.close();
    auto w = worker();
    // Retort's reading of the headers: the worker imports only the scripts it serves.
    Project project(m_root + QStringLiteral("/alembic.ini"));
    auto graph = project.graph();
    QVERIFY(graph);
    w->setRevisionIndex(**graph);
    const QVector<MigrationStep> steps{upgradeStep(QStringLiteral("bb02"), QStringLiteral("aa01"))};
    // bb02 renders; cc03, served too (say, a step run online), cannot be imported.
    w->queueLoad({QStringLiteral("bb02"), QStringLiteral("cc03")});
    w->queueRender(steps, true);
    QVERIFY(w->start());
    VoidResult loaded = w->load({QStringLiteral("bb02"), QStringLiteral("cc03")});
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().message.contains(QLatin1String("No module named 'no_such_module_here'")),
             qPrintable(loaded.error().message));
    auto rendered = w->render(steps, true, [](const QString &) {});
    QVERIFY(!rendered);
    QVERIFY2(rendered.error().message.contains(QLatin1String("No module named 'no_such_module_here'")),
             qPrintable(rendered.error().message));
    QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("envpy-ran"))));
}

void TestPythonWorker::finishLetsTheWorkerExit()
{
    auto w = worker();
    QVERIFY(w->start());
    QVERIFY(w->isRunning());
    w->finish();
    // Told to quit without being waited for; it exits on its own.
    QTRY_VERIFY_WITH_TIMEOUT(!w->isRunning(), 10000);
    QVERIFY(!w->load({QStringLiteral("bb02")}));   // no request after finish()
}

// Imported as a module, the worker still sees sys.argv[0] and sys.path[0] as when run as
// a script: env.py and the scripts find the same paths as before.
void TestPythonWorker::runsWithTheScriptsPathAndArguments()
{
    const QString out = m_dir->filePath(QStringLiteral("seen"));
    appendToEnvPy(QStringLiteral("\nimport os, sys\nopen(%1, 'w').write('%s %s %s' % (sys.argv[0], "
                                 "os.path.dirname(sys.argv[0]) in sys.path, '' in sys.path))\n")
                      .arg(QStringLiteral("'") + out + QStringLiteral("'")));
    auto w = worker();
    QVERIFY(w->start());
    const QVector<MigrationStep> steps{upgradeStep(QStringLiteral("bb02"), QStringLiteral("aa01"))};
    auto rendered = w->render(steps, true, [](const QString &) {});
    QVERIFY2(rendered, qPrintable(rendered ? QString() : rendered.error().toString()));
    QFile seen(out);
    QVERIFY(seen.open(QIODevice::ReadOnly));
    const QString dir = PythonWorker::helperDirectory();
    // The helpers' folder is on sys.path (the ini's prepend_sys_path before it), -c's "" is not.
    QCOMPARE(QString::fromUtf8(seen.readAll()), dir + QStringLiteral("/retort_worker.py True False"));
}

// Mako's error pages would import Pygments for highlighting (a sixth of the worker's
// start-up); the worker's import of Alembic leaves it out, and the name importable.
void TestPythonWorker::alembicImportLeavesPygmentsOut()
{
    QProcess probe;
    if (QProcess::execute(kPython, {QStringLiteral("-c"), QStringLiteral("import pygments")}) != 0)
        QFAIL("this test needs Pygments beside Mako (python3-pygments)");
    const QString script = PythonWorker::helperDirectory() + QStringLiteral("/retort_worker.py");
    probe.start(kPython, {QStringLiteral("-c"),
                          QStringLiteral("import sys, importlib.util as u\n"
                                         "s = u.spec_from_file_location('w', sys.argv[1])\n"
                                         "m = u.module_from_spec(s); s.loader.exec_module(m)\n"
                                         "m._import_alembic()\n"
                                         "import alembic.command, mako.exceptions\n"
                                         "print('pygments' in sys.modules, mako.exceptions.pygments_html_formatter)\n"
                                         "import mako.ext.pygmentplugin\n"
                                         "print('pygments' in sys.modules)\n"),
                          script});
    QVERIFY(probe.waitForFinished(60000));
    QCOMPARE(probe.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(probe.readAllStandardOutput()), QStringLiteral("False None\nTrue\n"));
}

QTEST_GUILESS_MAIN(TestPythonWorker)
#include "tst_pythonworker.moc"
