// ScriptDirectory / RevisionScriptReader against Alembic 1.8.1: the revisions of the fixture
// projects as ScriptDirectory._load_revisions() yields them (revision, down_revision,
// declared branch_labels, depends_on, path, longdoc), and the error texts of
// `python3 -m alembic history` for broken projects.
#include "script/revisionscriptreader.h"
#include "script/scriptdirectory.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <unistd.h>

#include <atomic>
#include <thread>
#include <utility>

using namespace retort;

namespace {

QString projectDir(const QString &name)
{
    return QDir::cleanPath(QStringLiteral(RETORT_FIXTURES_DIR "/projects/") + name);
}

Result<ScriptDirectory> openProject(const QString &dir)
{
    auto config = AlembicConfig::load(dir + QStringLiteral("/alembic.ini"), QStringLiteral("alembic"), {}, dir);
    if (!config)
        return config.error();
    return ScriptDirectory::fromConfig(*config);
}

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

// chmod 000 denies nothing to root, and the tests run as root in CI: there, the check
// runs as nobody (real and effective ids; the saved id stays 0 so that we can come back).
class AsNobody
{
public:
    AsNobody()
    {
        if (::geteuid() != 0)
            return;
        m_switched = ::setresgid(65534, 65534, 0) == 0 && ::setresuid(65534, 65534, 0) == 0;
    }
    ~AsNobody()
    {
        if (m_switched) {
            (void)::setresuid(0, 0, 0);
            (void)::setresgid(0, 0, 0);
        }
    }
    // Whether access checks now apply (not root, or switched to nobody).
    bool effective() const { return ::geteuid() != 0; }

private:
    bool m_switched = false;
};

const QByteArray kScript("revision = 'a1'\ndown_revision = None\n");

} // namespace

class tst_ScriptDirectory : public QObject
{
    Q_OBJECT
private slots:
    void fixtureRevisions_data();
    void fixtureRevisions();
    void discoveryOrder();
    void warnings();
    void paths();
    void candidates_data();
    void candidates();
    void errors_data();
    void errors();
    void unsafeIdsWarn();
    void symlinkInOneFolderLoadedOnce();
    void busyHelperThreadLeavesTheRestToTheCaller();
    void unreadableFolderIsAnError();
    void unreadableScriptNamesTheFile();
    void unreadHeadersGoToTheResolver();
};

void tst_ScriptDirectory::fixtureRevisions_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QStringList>("down");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QStringList>("depends");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("longDoc");
    QTest::newRow("basic:3f5a1b2c4d6e") << QStringLiteral("basic") << QStringLiteral("3f5a1b2c4d6e") << QStringList{QStringLiteral("27c6a30d7c24"), QStringLiteral("ae1027a6acf")} << QStringList{} << QStringList{} << QStringLiteral("migrations/versions/3f5a1b2c4d6e_merge_feature.py") << QStringLiteral("merge feature\n\nRevision ID: 3f5a1b2c4d6e\nRevises: 27c6a30d7c24, ae1027a6acf\nCreate Date: 2026-11-30 15:12:58.820633");
    QTest::newRow("basic:27c6a30d7c24") << QStringLiteral("basic") << QStringLiteral("27c6a30d7c24") << QStringList{QStringLiteral("1975ea83b712")} << QStringList{QStringLiteral("feature")} << QStringList{} << QStringLiteral("migrations/versions/27c6a30d7c24_feature_branch_start.py") << QStringLiteral("feature branch start\n\nRevision ID: 27c6a30d7c24\nRevises: 1975ea83b712\nCreate Date: 2026-11-30 15:12:57.236523");
    QTest::newRow("basic:4b0e2d9c8a71") << QStringLiteral("basic") << QStringLiteral("4b0e2d9c8a71") << QStringList{QStringLiteral("3f5a1b2c4d6e")} << QStringList{} << QStringList{QStringLiteral("27c6a30d7c24")} << QStringLiteral("migrations/versions/4b0e2d9c8a71_depends_on_feature.py") << QStringLiteral("depends on feature\n\nRevision ID: 4b0e2d9c8a71\nRevises: 3f5a1b2c4d6e\nCreate Date: 2026-11-30 15:13:00.119201");
    QTest::newRow("basic:ae1027a6acf") << QStringLiteral("basic") << QStringLiteral("ae1027a6acf") << QStringList{QStringLiteral("1975ea83b712")} << QStringList{} << QStringList{} << QStringLiteral("migrations/versions/ae1027a6acf_add_a_column.py") << QStringLiteral("add a column\n\nRevision ID: ae1027a6acf\nRevises: 1975ea83b712\nCreate Date: 2026-11-30 15:12:52.888044");
    QTest::newRow("basic:1975ea83b712") << QStringLiteral("basic") << QStringLiteral("1975ea83b712") << QStringList{} << QStringList{} << QStringList{} << QStringLiteral("migrations/versions/1975ea83b712_create_account_table.py") << QStringLiteral("create account table\n\nRevision ID: 1975ea83b712\nRevises: \nCreate Date: 2026-11-30 15:12:51.396337");
    QTest::newRow("edgecases:e2") << QStringLiteral("edgecases") << QStringLiteral("e2") << QStringList{QStringLiteral("e1")} << QStringList{} << QStringList{QStringLiteral("e1")} << QStringLiteral("scripts/versions_a/e2_latin1.py") << QStringLiteral("café au lait\n\nsecond paragraph");
    QTest::newRow("edgecases:e1") << QStringLiteral("edgecases") << QStringLiteral("e1") << QStringList{} << QStringList{QStringLiteral("edge"), QStringLiteral("annotated")} << QStringList{} << QStringLiteral("scripts/versions_a/e1_annotated.py") << QStringLiteral("annotated header\n\nRevision ID: e1\nRevises:\nCreate Date: 2023-01-01 00:00:00");
    QTest::newRow("edgecases:abc123") << QStringLiteral("edgecases") << QStringLiteral("abc123") << QStringList{QStringLiteral("e2")} << QStringList{} << QStringList{} << QStringLiteral("scripts/versions_b/abc123.py") << QStringLiteral("legacy script without a revision variable");
    QTest::newRow("edgecases:e4_this_revision_identifier_is_longer_than_32") << QStringLiteral("edgecases") << QStringLiteral("e4_this_revision_identifier_is_longer_than_32") << QStringList{QStringLiteral("abc123")} << QStringList{QStringLiteral("tail")} << QStringList{} << QStringLiteral("scripts/versions_b/e4_reassigned.py") << QStringLiteral("reassigned ids");
    QTest::newRow("edgecases:hidden") << QStringLiteral("edgecases") << QStringLiteral("hidden") << QStringList{QStringLiteral("e4_this_revision_identifier_is_longer_than_32")} << QStringList{} << QStringList{} << QStringLiteral("scripts/versions_b/.hidden.py") << QStringLiteral("");
    QTest::newRow("pkgloc:p1") << QStringLiteral("pkgloc") << QStringLiteral("p1") << QStringList{} << QStringList{} << QStringList{} << QStringLiteral("mypkg/migrations/versions/p1_first.py") << QStringLiteral("first\n\nRevision ID: p1\nRevises: \nCreate Date: 2026-11-30 15:13:21.240305");
}

void tst_ScriptDirectory::fixtureRevisions()
{
    QFETCH(QString, project);
    QFETCH(QString, id);
    const QString dir = projectDir(project);
    auto sd = openProject(dir);
    QVERIFY2(sd.ok(), qPrintable(sd.error().toString()));
    auto revs = sd->loadRevisions();
    QVERIFY2(revs.ok(), qPrintable(revs.error().toString()));
    const Revision *found = nullptr;
    for (const Revision &r : *revs)
        if (r.id == id)
            found = &r;
    QVERIFY(found);
    QTEST(found->downRevisions, "down");
    QTEST(found->branchLabels, "labels");
    QTEST(found->dependsOn, "depends");
    QTEST(QDir(dir).relativeFilePath(found->path), "path");
    QTEST(found->longDoc, "longDoc");
    QVERIFY(found->path.startsWith(dir + u'/'));
}

// Alembic keeps os.listdir order per location (no sorting), locations in configured order.
void tst_ScriptDirectory::discoveryOrder()
{
    const QString dir = projectDir(QStringLiteral("edgecases"));
    auto sd = openProject(dir);
    QVERIFY(sd.ok());
    auto revs = sd->loadRevisions();
    QVERIFY(revs.ok());
    QCOMPARE(revs->size(), 5);
    QStringList expected;
    for (const QString &loc : {QStringLiteral("versions_a"), QStringLiteral("versions_b")}) {
        const QString vers = dir + QStringLiteral("/scripts/") + loc;
        for (const QString &name : ScriptDirectory::listDirectory(vers))
            if (name.endsWith(QStringLiteral(".py")) && !name.startsWith(QStringLiteral("__init__"))
                && !name.startsWith(QStringLiteral(".#")))
                expected.append(vers + u'/' + name);
    }
    QStringList actual;
    for (int i = 0; i < revs->size(); ++i) {
        QCOMPARE(revs->at(i).order, i);
        actual.append(revs->at(i).path);
    }
    QCOMPARE(actual, expected);
}

void tst_ScriptDirectory::warnings()
{
    auto sd = openProject(projectDir(QStringLiteral("edgecases")));
    QVERIFY(sd.ok());
    QStringList warnings;
    auto revs = sd->loadRevisions(&warnings);
    QVERIFY(revs.ok());
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings.first().contains(QStringLiteral("e4_this_revision_identifier_is_longer_than_32")));
    QVERIFY(warnings.first().contains(QStringLiteral("VARCHAR(32)")));

    // The same folder listed twice is loaded once, with Alembic's warning.
    ScriptSettings s = sd->settings();
    s.versionLocations = {s.versionLocations.first(), s.versionLocations.first() + QStringLiteral("/.")};
    auto twice = ScriptDirectory::fromSettings(s);
    QVERIFY(twice.ok());
    warnings.clear();
    revs = twice->loadRevisions(&warnings);
    QVERIFY(revs.ok());
    QCOMPARE(revs->size(), 2);
    QCOMPARE(warnings.size(), 2);
    QVERIFY(warnings.first().startsWith(QStringLiteral("File ")));
    QVERIFY(warnings.first().endsWith(QStringLiteral(" loaded twice! ignoring. Please ensure version_locations is unique.")));
}

void tst_ScriptDirectory::paths()
{
    const QString dir = projectDir(QStringLiteral("basic"));
    auto sd = openProject(dir);
    QVERIFY(sd.ok());
    QCOMPARE(sd->dir(), dir + QStringLiteral("/migrations"));
    QCOMPARE(sd->envPyPath(), dir + QStringLiteral("/migrations/env.py"));
    QCOMPARE(sd->scriptTemplatePath(), dir + QStringLiteral("/migrations/script.py.mako"));
    QCOMPARE(sd->versionLocations(), QStringList{dir + QStringLiteral("/migrations/versions")});
    QCOMPARE(sd->versionsDir().value(), dir + QStringLiteral("/migrations/versions"));
    auto edge = openProject(projectDir(QStringLiteral("edgecases")));
    QVERIFY(edge.ok());
    QCOMPARE(edge->versionsDir().error().message, QStringLiteral("Multiple version_locations present"));
}

// The file-name rules of Script._from_filename (regexes checked with Python's re).
void tst_ScriptDirectory::candidates_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("sourceless");
    QTest::addColumn<bool>("candidate");
    QTest::newRow("py") << QStringLiteral("abc_x.py") << false << true;
    QTest::newRow("hidden") << QStringLiteral(".hidden.py") << false << true;
    QTest::newRow("emacs lock") << QStringLiteral(".#abc.py") << false << false;
    QTest::newRow("init") << QStringLiteral("__init__.py") << false << false;
    QTest::newRow("init prefix") << QStringLiteral("__init__x.py") << false << false;
    QTest::newRow("pyc") << QStringLiteral("abc.pyc") << false << false;
    QTest::newRow("txt") << QStringLiteral("README.txt") << false << false;
    QTest::newRow("py.bak") << QStringLiteral("abc.py.bak") << false << false;
    QTest::newRow("orphan pyc") << QStringLiteral("orphan.pyc") << true << true;
    QTest::newRow("pyc with py") << QStringLiteral("withpy.pyc") << true << false;
    QTest::newRow("pyo with pyc") << QStringLiteral("withpyc.pyo") << true << false;
}

void tst_ScriptDirectory::candidates()
{
    QFETCH(QString, name);
    QFETCH(bool, sourceless);
    QFETCH(bool, candidate);
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("withpy.py")), "");
    writeFile(dir.filePath(QStringLiteral("withpyc.pyc")), "");
    QCOMPARE(RevisionScriptReader::isCandidate(dir.path(), name, sourceless), candidate);
}

void tst_ScriptDirectory::errors_data()
{
    QTest::addColumn<QByteArray>("ini");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    const QByteArray ini("[alembic]\nscript_location = p\n");
    QTest::newRow("no revision") << ini << QStringLiteral("p/versions/zz_norev.py") << QByteArray("down_revision = None\n")
                                 << QStringLiteral("Could not determine revision id from filename zz_norev.py. Be sure the "
                                                   "'revision' variable is declared inside the script (please see "
                                                   "'Upgrading from Alembic 0.1 to 0.2' in the documentation).") << 0;
    QTest::newRow("no down_revision") << ini << QStringLiteral("p/versions/zz_norev.py") << QByteArray("revision = 'x'\n")
                                      << QStringLiteral("module 'zz_norev_py' has no attribute 'down_revision'") << 0;
    QTest::newRow("syntax") << ini << QStringLiteral("p/versions/zz_norev.py") << QByteArray("revision = 'x'\ndown_revision = (None\n")
                            << QStringLiteral("'(' was never closed") << 2;
    QTest::newRow("not static") << ini << QStringLiteral("p/versions/a.py")
                                << QByteArray("import uuid\nrevision = uuid.uuid4().hex\ndown_revision = None\n")
                                << QStringLiteral("revision cannot be read statically: not a static expression at 'hex'") << 2;
    QTest::newRow("no versions dir") << ini << QStringLiteral("p/env.py") << QByteArray("\n")
                                     << QStringLiteral("[Errno 2] No such file or directory: '%1/p/versions'") << 0;
    QTest::newRow("no script dir") << QByteArray("[alembic]\nscript_location = nowhere\n") << QString() << QByteArray()
                                   << QStringLiteral("Path doesn't exist: '%1/nowhere'.  Please use the 'init' command "
                                                     "to create a new scripts folder.") << 0;
}

void tst_ScriptDirectory::errors()
{
    QFETCH(QByteArray, ini);
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    QFETCH(int, line);
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("alembic.ini")), ini);
    if (!file.isEmpty())
        writeFile(dir.filePath(file), content);
    if (message.contains(QStringLiteral("%1")))
        message = message.arg(dir.path());
    auto config = AlembicConfig::load(dir.filePath(QStringLiteral("alembic.ini")), QStringLiteral("alembic"), {}, dir.path());
    QVERIFY(config.ok());
    auto sd = ScriptDirectory::fromConfig(*config);
    Error error;
    if (!sd.ok()) {
        error = sd.error();
    } else {
        auto revs = sd->loadRevisions();
        QVERIFY(!revs.ok());
        error = revs.error();
    }
    QCOMPARE(error.message, message);
    QCOMPARE(error.line, line);
}

// Ids that would be unsafe in SQL text or file names still load, with a warning that
// names the file (issue 9).
void tst_ScriptDirectory::unsafeIdsWarn()
{
    QTemporaryDir dir;
    ScriptSettings settings;
    settings.scriptDirectory = dir.path();
    writeFile(dir.filePath(QStringLiteral("versions/a_base.py")), kScript);
    writeFile(dir.filePath(QStringLiteral("versions/b_hostile.py")),
              "revision = \"r1'); DROP TABLE x; SELECT ('\"\ndown_revision = 'a1'\n");
    writeFile(dir.filePath(QStringLiteral("versions/c_child.py")),
              "revision = 'c1'\ndown_revision = \"r1'); DROP TABLE x; SELECT ('\"\n");
    auto sd = ScriptDirectory::fromSettings(settings);
    QVERIFY(sd.ok());
    QStringList warnings;
    auto revs = sd->loadRevisions(&warnings);
    QVERIFY2(revs.ok(), qPrintable(revs.error().toString()));
    QCOMPARE(revs->size(), 3);
    QCOMPARE(warnings.size(), 2);   // the id where it is declared, and where it is named as parent
    for (const QString &w : warnings) {
        QVERIFY2(w.startsWith(QStringLiteral("Revision id \"r1'); DROP TABLE x; SELECT ('\" in ")), qPrintable(w));
        QVERIFY2(w.contains(QStringLiteral("contains a quote, whitespace, a semicolon;")), qPrintable(w));
    }
    QVERIFY(warnings.at(0).contains(dir.filePath(QStringLiteral("versions/b_hostile.py"))));
    QVERIFY(warnings.at(1).contains(dir.filePath(QStringLiteral("versions/c_child.py"))));
}

// One folder, a script and a symlink to it: os.path.realpath makes them one file, loaded
// once with Alembic's warning (the scan skips its duplicate check only where no two
// entries can resolve to one file).
void tst_ScriptDirectory::symlinkInOneFolderLoadedOnce()
{
    QTemporaryDir dir;
    ScriptSettings settings;
    settings.scriptDirectory = dir.path();
    writeFile(dir.filePath(QStringLiteral("versions/a_base.py")), kScript);
    QVERIFY(QFile::link(dir.filePath(QStringLiteral("versions/a_base.py")),
                        dir.filePath(QStringLiteral("versions/b_link.py"))));
    auto sd = ScriptDirectory::fromSettings(settings);
    QVERIFY(sd.ok());
    QStringList warnings;
    auto revs = sd->loadRevisions(&warnings);
    QVERIFY2(revs.ok(), qPrintable(revs.error().toString()));
    QCOMPARE(revs->size(), 1);
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().endsWith(QStringLiteral(" loaded twice! ignoring. Please ensure version_locations is unique.")),
             qPrintable(warnings.first()));
}

// The reading threads claim scripts one at a time: helper threads that get no core (each
// held here on its first script) leave all the others to the calling thread, which does
// not wait for a fixed share of them.
namespace {
std::atomic<int> g_readByCaller{0};
std::atomic<int> g_held{0};
std::atomic<int> g_scripts{0};
bool g_expectHelpers = false;
Qt::HANDLE g_callerThread = nullptr;
thread_local bool t_seen = false;
void holdHelpersUntilCallerDone(int)
{
    if (QThread::currentThreadId() == g_callerThread) {
        // First, a helper must be there to be held (bounded: it may not get a core soon).
        for (int waited = 0; g_expectHelpers && g_readByCaller == 0 && g_held == 0 && waited < 5000; ++waited)
            QThread::msleep(1);
        ++g_readByCaller;
        return;
    }
    if (std::exchange(t_seen, true))
        return;   // a helper's later scripts: not held
    ++g_held;
    for (int waited = 0; g_readByCaller + g_held < g_scripts && waited < 5000; ++waited)
        QThread::msleep(1);
}
} // namespace

void tst_ScriptDirectory::busyHelperThreadLeavesTheRestToTheCaller()
{
    QTemporaryDir dir;
    ScriptSettings settings;
    settings.scriptDirectory = dir.path();
    const int n = 100;   // enough for the scan to use its threads
    for (int i = 0; i < n; ++i)
        writeFile(dir.filePath(QStringLiteral("versions/r%1.py").arg(i)),
                  QStringLiteral("revision = 'r%1'\ndown_revision = %2\n")
                      .arg(i).arg(i == 0 ? QStringLiteral("None") : QStringLiteral("'r%1'").arg(i - 1)).toUtf8());
    auto sd = ScriptDirectory::fromSettings(settings);
    QVERIFY(sd.ok());
    g_callerThread = QThread::currentThreadId();
    g_readByCaller = 0;
    g_held = 0;
    g_scripts = n;
    g_expectHelpers = std::thread::hardware_concurrency() >= 2;
    ScriptDirectory::setBeforeReadHook(&holdHelpersUntilCallerDone);
    const auto reset = qScopeGuard([] { ScriptDirectory::setBeforeReadHook(nullptr); });
    auto revs = sd->loadRevisions(nullptr);
    QVERIFY2(revs.ok(), qPrintable(revs.error().toString()));
    QCOMPARE(revs->size(), n);
    if (g_expectHelpers)
        QVERIFY(g_held.load() >= 1);
    QCOMPARE(g_readByCaller.load(), n - g_held.load());   // all but those the helpers held
}

// A versions folder that cannot be listed is an error naming it, not "no revisions".
void tst_ScriptDirectory::unreadableFolderIsAnError()
{
    QTemporaryDir dir;
    QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                  | QFileDevice::ReadOther | QFileDevice::ExeOther));
    const QString versions = dir.filePath(QStringLiteral("versions"));
    writeFile(versions + QStringLiteral("/a_base.py"), kScript);
    ScriptSettings settings;
    settings.scriptDirectory = dir.path();
    auto sd = ScriptDirectory::fromSettings(settings);
    QVERIFY(sd.ok());
    QVERIFY(QFile::setPermissions(versions, {}));
    Result<QVector<Revision>> revs = QVector<Revision>();
    bool effective = false;
    {
        AsNobody nobody;
        effective = nobody.effective();
        revs = sd->loadRevisions();
    }
    QVERIFY(QFile::setPermissions(versions, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    if (!effective)
        QSKIP("cannot drop root's access here (setresuid failed)");
    QVERIFY(!revs.ok());
    QCOMPARE(revs.error().message, QStringLiteral("[Errno 13] Permission denied: '%1'").arg(versions));

    // Configured version_locations are checked too.
    settings.versionLocations = {versions};
    sd = ScriptDirectory::fromSettings(settings);
    QVERIFY(sd.ok());
    QVERIFY(QFile::setPermissions(versions, {}));
    {
        AsNobody nobody;
        revs = sd->loadRevisions();
    }
    QVERIFY(QFile::setPermissions(versions, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    QVERIFY(!revs.ok());
    QVERIFY2(revs.error().message.contains(versions), qPrintable(revs.error().message));
}

// An unreadable script: the error names the file (it said "cannot read file: Permission
// denied" alone).
void tst_ScriptDirectory::unreadableScriptNamesTheFile()
{
    QTemporaryDir dir;
    QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                  | QFileDevice::ReadOther | QFileDevice::ExeOther));
    const QString script = dir.filePath(QStringLiteral("versions/a_base.py"));
    writeFile(script, kScript);
    QVERIFY(QFile::setPermissions(dir.filePath(QStringLiteral("versions")),
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                      | QFileDevice::ReadOther | QFileDevice::ExeOther));
    QVERIFY(QFile::setPermissions(script, {}));
    ScriptSettings settings;
    settings.scriptDirectory = dir.path();
    auto sd = ScriptDirectory::fromSettings(settings);
    QVERIFY(sd.ok());
    Result<QVector<Revision>> revs = QVector<Revision>();
    bool effective = false;
    {
        AsNobody nobody;
        effective = nobody.effective();
        revs = sd->loadRevisions();
    }
    if (!effective)
        QSKIP("cannot drop root's access here (setresuid failed)");
    QVERIFY(!revs.ok());
    QCOMPARE(revs.error().message, QStringLiteral("cannot read file %1: Permission denied").arg(script));
}

// Headers only Python can read go to the resolver in one request (and only those); its
// values complete the revisions, its error is the scan's. No resolver: the static error.
void tst_ScriptDirectory::unreadHeadersGoToTheResolver()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("versions/a1_base.py")), kScript);
    writeFile(dir.filePath(QStringLiteral("versions/b2_next.py")),
              "'''next'''\nfrom app import cli\nrevision = 'b2'\ndown_revision = 'a1'\n"
              "branch_labels = (cli.CONTRACT_BRANCH,)\n");
    writeFile(dir.filePath(QStringLiteral("versions/c3_last.py")),
              "from app import ids\nrevision = 'c3'\ndown_revision = ids.PREVIOUS\n");
    ScriptSettings settings;
    settings.scriptDirectory = dir.path();
    auto sd = ScriptDirectory::fromSettings(settings);
    QVERIFY(sd.ok());

    auto plain = sd->loadRevisions();
    QVERIFY(!plain.ok());
    QVERIFY(plain.error().message.contains(QStringLiteral("cannot be read statically")));

    QStringList asked;
    int calls = 0;
    HeaderResolver resolver = [&](const QVector<UnreadHeader> &unread) -> Result<QHash<QString, QJsonObject>> {
        ++calls;
        QHash<QString, QJsonObject> out;
        for (const UnreadHeader &u : unread) {
            asked << QFileInfo(u.path).fileName() + u':' + QString::number(u.error.line);
            const bool b2 = u.path.endsWith(QStringLiteral("b2_next.py"));
            out.insert(u.path, b2 ? QJsonObject{{"revision", "b2"}, {"down_revision", "a1"},
                                                {"branch_labels", QJsonArray{"contract"}}}
                                  : QJsonObject{{"revision", "c3"}, {"down_revision", "b2"}});
        }
        return out;
    };
    auto revs = sd->loadRevisions(nullptr, resolver);
    QVERIFY2(revs.ok(), qPrintable(revs.error().toString()));
    QCOMPARE(calls, 1);
    asked.sort();
    QCOMPARE(asked, (QStringList{QStringLiteral("b2_next.py:5"), QStringLiteral("c3_last.py:3")}));
    QHash<QString, Revision> byId;
    for (const Revision &r : *revs)
        byId.insert(r.id, r);
    QCOMPARE(byId.size(), 3);
    QCOMPARE(byId[QStringLiteral("b2")].branchLabels, QStringList{QStringLiteral("contract")});
    QCOMPARE(byId[QStringLiteral("b2")].longDoc, QStringLiteral("next"));
    QCOMPARE(byId[QStringLiteral("c3")].downRevisions, QStringList{QStringLiteral("b2")});

    HeaderResolver failing = [](const QVector<UnreadHeader> &unread) -> Result<QHash<QString, QJsonObject>> {
        return Error(QStringLiteral("no Python"), unread.first().path, unread.first().error.line);
    };
    auto failed = sd->loadRevisions(nullptr, failing);
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().message, QStringLiteral("no Python"));
    QVERIFY(failed.error().line > 0);
}

QTEST_APPLESS_MAIN(tst_ScriptDirectory)
#include "tst_scriptdirectory.moc"
