// PythonHeaderReader with the reference interpreter (/usr/bin/python3): the values of
// scripts importing their headers from a project package, the cache (per script path,
// size, mtime and content; invalidated by an imported module's change), and the errors.
#include "services/pythonheaderreader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace retort;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

UnreadHeader unread(const QString &path, int line)
{
    return UnreadHeader{path, Error(QStringLiteral("branch_labels cannot be read statically"), path, line)};
}

} // namespace

class tst_PythonHeaderReader : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void values_data();
    void values();
    void cache();
    void errors_data();
    void errors();

private:
    PythonHeaderOptions options(const QTemporaryDir &dir) const;
};

void tst_PythonHeaderReader::initTestCase()
{
    if (!QFileInfo::exists(kPython))
        QSKIP("no /usr/bin/python3");
}

PythonHeaderOptions tst_PythonHeaderReader::options(const QTemporaryDir &dir) const
{
    PythonHeaderOptions o;
    o.python = kPython;
    o.prependSysPath = {QStringLiteral("pkgroot")};   // relative: to the working directory
    o.workingDirectory = dir.path();
    o.configFile = dir.filePath(QStringLiteral("alembic.ini"));
    o.cacheDirectory = dir.filePath(QStringLiteral("cache"));
    return o;
}

// A header line per row; the package `app` under pkgroot/ gives the values.
void tst_PythonHeaderReader::values_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("expected");   // the values object, as JSON
    QTest::newRow("tuple of a constant") << QByteArray("branch_labels = (cli.CONTRACT_BRANCH,)\n") << QByteArray(R"({"revision":"b2","down_revision":"a1","branch_labels":["contract"]})");
    QTest::newRow("string") << QByteArray("branch_labels = cli.CONTRACT_BRANCH\n") << QByteArray(R"({"revision":"b2","down_revision":"a1","branch_labels":"contract"})");
    QTest::newRow("call") << QByteArray("depends_on = cli.deps()\n") << QByteArray(R"({"revision":"b2","down_revision":"a1","depends_on":["x1","y2"]})");
    QTest::newRow("None from the package") << QByteArray("depends_on = cli.NOTHING\n") << QByteArray(R"({"revision":"b2","down_revision":"a1","depends_on":null})");
    QTest::newRow("not strings") << QByteArray("branch_labels = cli\n") << QByteArray(R"({"revision":"b2","down_revision":"a1","branch_labels":{"repr":"<module>"}})");
}

void tst_PythonHeaderReader::values()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, expected);
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("pkgroot/app/__init__.py")), "");
    writeFile(dir.filePath(QStringLiteral("pkgroot/app/cli.py")),
              "CONTRACT_BRANCH = 'contract'\nNOTHING = None\n"
              "def deps():\n    return ['x1', 'y2']\n");
    const QString script = dir.filePath(QStringLiteral("versions/b2_x.py"));
    writeFile(script, "from app import cli\nprint('printed at import')\nrevision = 'b2'\ndown_revision = 'a1'\n"
                      + header);
    PythonHeaderReader reader(options(dir));
    auto values = reader.read({unread(script, 5)});
    QVERIFY2(values.ok(), qPrintable(values.error().toString()));
    QJsonObject got = values->value(script);
    QJsonObject want = QJsonDocument::fromJson(expected).object();
    // A module's repr names its file: compare its start only.
    if (want.value(QStringLiteral("branch_labels")).isObject()) {
        QVERIFY(got.value(QStringLiteral("branch_labels")).toObject().value(QStringLiteral("repr"))
                    .toString().startsWith(QStringLiteral("<module 'app.cli'")));
        got.remove(QStringLiteral("branch_labels"));
        want.remove(QStringLiteral("branch_labels"));
    }
    QCOMPARE(got, want);
    QVERIFY(reader.ranPython());
    QCOMPARE(reader.notes().size(), 1);
    QVERIFY(reader.notes().first().startsWith(QStringLiteral("reading revision headers of 1 script with Python")));
}

void tst_PythonHeaderReader::cache()
{
    QTemporaryDir dir;
    const QString cli = dir.filePath(QStringLiteral("pkgroot/app/cli.py"));
    writeFile(dir.filePath(QStringLiteral("pkgroot/app/__init__.py")), "");
    writeFile(cli, "LABEL = 'one'\n");
    const QString a = dir.filePath(QStringLiteral("versions/a1_x.py"));
    const QString b = dir.filePath(QStringLiteral("versions/b2_x.py"));
    writeFile(a, "from app import cli\nrevision = 'a1'\ndown_revision = None\nbranch_labels = cli.LABEL\n");
    writeFile(b, "from app import cli\nrevision = 'b2'\ndown_revision = 'a1'\ndepends_on = [cli.LABEL]\n");
    const QVector<UnreadHeader> both{unread(a, 4), unread(b, 4)};
    auto label = [](const Result<QHash<QString, QJsonObject>> &r, const QString &path, const char *name) {
        return r->value(path).value(QLatin1String(name));
    };

    PythonHeaderReader first(options(dir));
    auto r1 = first.read(both);
    QVERIFY2(r1.ok(), qPrintable(r1.error().toString()));
    QVERIFY(first.ranPython());
    QVERIFY(QFileInfo::exists(first.cachePath()));
    QCOMPARE(label(r1, a, "branch_labels"), QJsonValue(QStringLiteral("one")));

    PythonHeaderReader second(options(dir));
    auto r2 = second.read(both);
    QVERIFY(r2.ok());
    QVERIFY(!second.ranPython());
    QVERIFY(second.notes().isEmpty());
    QCOMPARE(*r2, *r1);

    // Another interpreter is another entry.
    PythonHeaderOptions other = options(dir);
    other.python = QStringLiteral("/nonexistent/python3");
    PythonHeaderReader third(other);
    QVERIFY(!third.read(both).ok());

    // A changed script: only that one is read again.
    QThread::msleep(20);
    writeFile(b, "from app import cli\nrevision = 'b2'\ndown_revision = 'a1'\ndepends_on = (cli.LABEL, 'z')\n");
    PythonHeaderReader fourth(options(dir));
    auto r4 = fourth.read(both);
    QVERIFY(r4.ok());
    QVERIFY(fourth.notes().value(0).startsWith(QStringLiteral("reading revision headers of 1 script ")));
    QCOMPARE(label(r4, b, "depends_on"), QJsonValue(QJsonArray{"one", "z"}));

    // A changed module the scripts import: all are read again.
    QThread::msleep(20);
    writeFile(cli, "LABEL = 'two'\n");
    PythonHeaderReader fifth(options(dir));
    auto r5 = fifth.read(both);
    QVERIFY(r5.ok());
    QVERIFY(fifth.notes().value(0).startsWith(QStringLiteral("reading revision headers of 2 scripts ")));
    QCOMPARE(label(r5, a, "branch_labels"), QJsonValue(QStringLiteral("two")));

    // A rewrite of the same size with the old mtime restored (a quick checkout, a coarse
    // file system): the bytes decide.
    const QDateTime mtime = QFileInfo(b).lastModified();
    writeFile(b, "from app import cli\nrevision = 'b2'\ndown_revision = 'a1'\ndepends_on = (cli.LABEL, 'y')\n");
    {
        QFile f(b);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(mtime, QFileDevice::FileModificationTime));
    }
    PythonHeaderReader sameStamp(options(dir));
    auto r6 = sameStamp.read(both);
    QVERIFY(r6.ok());
    QVERIFY(sameStamp.ranPython());
    QCOMPARE(label(r6, b, "depends_on"), QJsonValue(QJsonArray{"two", "y"}));

    // Without the cache, Python runs every time.
    PythonHeaderOptions off = options(dir);
    off.useCache = false;
    PythonHeaderReader sixth(off);
    QVERIFY(sixth.read(both).ok());
    QVERIFY(sixth.ranPython());
}

void tst_PythonHeaderReader::errors_data()
{
    QTest::addColumn<QString>("python");
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<QString>("message");
    QTest::newRow("no interpreter") << QStringLiteral("/nonexistent/python3") << QByteArray("import app\nrevision = 'a1'\ndown_revision = None\nbranch_labels = app.X\n") << QStringLiteral("branch_labels cannot be read statically; reading it with Python failed: no usable Python: /nonexistent/python3 cannot be started");
    QTest::newRow("module not found") << kPython << QByteArray("import missing_pkg\nrevision = 'a1'\ndown_revision = None\nbranch_labels = missing_pkg.X\n") << QStringLiteral("branch_labels cannot be read statically; reading it with Python failed: ModuleNotFoundError: No module named 'missing_pkg' (line 1, /usr/bin/python3); set RETORT_PYTHON");
    QTest::newRow("raises") << kPython << QByteArray("revision = 'a1'\ndown_revision = None\nbranch_labels = {}['x']\n") << QStringLiteral("branch_labels cannot be read statically; reading it with Python failed: KeyError: 'x' (line 3, /usr/bin/python3)");
    QTest::newRow("exits") << kPython << QByteArray("import sys\nsys.exit(3)\nrevision = 'a1'\n") << QStringLiteral("branch_labels cannot be read statically; reading it with Python failed: SystemExit: 3 (line 2, /usr/bin/python3)");
}

void tst_PythonHeaderReader::errors()
{
    QFETCH(QString, python);
    QFETCH(QByteArray, script);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("versions/a1_x.py"));
    writeFile(path, script);
    PythonHeaderOptions o = options(dir);
    o.python = python;
    PythonHeaderReader reader(o);
    auto r = reader.read({unread(path, 4)});
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.startsWith(message), qPrintable(r.error().message));
    // Always the script and the line the static reader stopped at.
    QCOMPARE(r.error().file, path);
    QCOMPARE(r.error().line, 4);
}

QTEST_GUILESS_MAIN(tst_PythonHeaderReader)
#include "tst_pythonheaderreader.moc"
