// RevisionScriptReader::readSource against executing the same module in Python and applying
// Alembic's util.to_tuple / Script.longdoc (rows generated with /usr/bin/python3).
#include "script/revisionscriptreader.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace retort;

class tst_RevisionScriptReader : public QObject
{
    Q_OBJECT
private slots:
    void readSource_data();
    void readSource();
    void readFileKeepsPath();
    void legacyId();
    void unreadHeaders_data();
    void unreadHeaders();
    void pythonValues_data();
    void pythonValues();
};

void tst_RevisionScriptReader::readSource_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QStringList>("down");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QStringList>("depends");
    QTest::addColumn<QString>("longDoc");
    QTest::newRow("list down") << QStringLiteral("revision = 'b'\ndown_revision = ['a1', 'a2']\nbranch_labels = 'lbl'\ndepends_on = ('x',)\n") << QStringLiteral("b") << QStringList{QStringLiteral("a1"), QStringLiteral("a2")} << QStringList{QStringLiteral("lbl")} << QStringList{QStringLiteral("x")} << QStringLiteral("");
    QTest::newRow("empty string down") << QStringLiteral("revision = 'b'\ndown_revision = ''\n") << QStringLiteral("b") << QStringList{} << QStringList{} << QStringList{} << QStringLiteral("");
    QTest::newRow("empty tuple deps") << QStringLiteral("revision = 'b'\ndown_revision = 'a'\ndepends_on = ()\nbranch_labels = []\n") << QStringLiteral("b") << QStringList{QStringLiteral("a")} << QStringList{} << QStringList{} << QStringLiteral("");
    QTest::newRow("docstring stripped") << QStringLiteral("\n# comment first\n'''\n   Title line  \n\n   body\n'''\nrevision = 'b'\ndown_revision = None\n") << QStringLiteral("b") << QStringList{} << QStringList{} << QStringList{} << QStringLiteral("Title line  \n\n   body");
    QTest::newRow("bytes docstring ignored") << QStringLiteral("b'not a doc'\nrevision = 'b'\ndown_revision = None\n") << QStringLiteral("b") << QStringList{} << QStringList{} << QStringList{} << QStringLiteral("");
    QTest::newRow("docstring after import") << QStringLiteral("import os\n'''late'''\nrevision = 'b'\ndown_revision = None\n") << QStringLiteral("b") << QStringList{} << QStringList{} << QStringList{} << QStringLiteral("");
    QTest::newRow("block assignments ignored") << QStringLiteral("revision = 'b'\ndown_revision = None\nif False:\n    revision = 'c'\ndef f():\n    global down_revision\n") << QStringLiteral("b") << QStringList{} << QStringList{} << QStringList{} << QStringLiteral("");
    QTest::newRow("concatenated id") << QStringLiteral("revision = ('ab'\n            'cd')\ndown_revision = \"a\" \\\n    'z'\n") << QStringLiteral("abcd") << QStringList{QStringLiteral("az")} << QStringList{} << QStringList{} << QStringLiteral("");
}

void tst_RevisionScriptReader::readSource()
{
    QFETCH(QString, source);
    auto rev = RevisionScriptReader::readSource(source, QStringLiteral("/v/b_x.py"));
    QVERIFY2(rev.ok(), qPrintable(rev.error().toString()));
    QTEST(rev->id, "id");
    QTEST(rev->downRevisions, "down");
    QTEST(rev->branchLabels, "labels");
    QTEST(rev->dependsOn, "depends");
    QTEST(rev->longDoc, "longDoc");
    QCOMPARE(rev->path, QStringLiteral("/v/b_x.py"));
}

void tst_RevisionScriptReader::readFileKeepsPath()
{
    const QString path = QStringLiteral(RETORT_FIXTURES_DIR "/projects/edgecases/scripts/versions_a/e2_latin1.py");
    auto rev = RevisionScriptReader::readFile(path);
    QVERIFY2(rev.ok(), qPrintable(rev.error().toString()));
    QCOMPARE(rev->path, path);
    QCOMPARE(rev->doc(), QStringLiteral("caf\u00e9 au lait"));
    QCOMPARE(rev->downRevisions, QStringList{QStringLiteral("e1")});
}

void tst_RevisionScriptReader::legacyId()
{
    auto rev = RevisionScriptReader::readSource(QStringLiteral("down_revision = None\n"),
                                                QStringLiteral("/v/0123abcd.py"));
    QVERIFY(rev.ok());
    QCOMPARE(rev->id, QStringLiteral("0123abcd"));
    // Upper-case hex does not match Alembic's legacy pattern ([a-f0-9]+).
    rev = RevisionScriptReader::readSource(QStringLiteral("down_revision = None\n"), QStringLiteral("/v/0123ABCD.py"));
    QVERIFY(!rev.ok());
    QVERIFY(rev.error().message.startsWith(QStringLiteral("Could not determine revision id from filename 0123ABCD.py.")));
}

// Values only Python can read: an error without a caller that can ask Python, deferred
// (docstring kept, the first such value's line named) with one.
void tst_RevisionScriptReader::unreadHeaders_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<bool>("deferred");   // false: an error either way
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    const QString head = QStringLiteral("'''doc'''\nfrom app import cli\nrevision = 'b'\n");
    QTest::newRow("imported branch label") << head + QStringLiteral("down_revision = 'a'\nbranch_labels = (cli.CONTRACT_BRANCH,)\n") << true << 5 << QStringLiteral("branch_labels cannot be read statically: expected None, a string, or a tuple/list of strings, got (cli.CONTRACT_BRANCH,)");
    QTest::newRow("called down_revision") << head + QStringLiteral("down_revision = cli.previous('x')\n") << true << 4 << QStringLiteral("down_revision cannot be read statically");
    QTest::newRow("imported depends_on") << head + QStringLiteral("down_revision = None\nfrom app.ids import depends_on\n") << true << 5 << QStringLiteral("depends_on cannot be read statically");
    QTest::newRow("computed revision") << QStringLiteral("from app import cli\nrevision = cli.REV\ndown_revision = None\n") << true << 2 << QStringLiteral("revision cannot be read statically");
    QTest::newRow("revision not a string") << QStringLiteral("revision = 12\ndown_revision = None\n") << true << 1 << QStringLiteral("revision cannot be read statically: expected a string, got 12");
    QTest::newRow("no down_revision") << QStringLiteral("revision = 'b'\nbranch_labels = (x,)\n") << false << 0 << QStringLiteral("module 'b_x_py' has no attribute 'down_revision'");
}

void tst_RevisionScriptReader::unreadHeaders()
{
    QFETCH(QString, source);
    QFETCH(bool, deferred);
    QFETCH(int, line);
    QFETCH(QString, message);
    const QString path = QStringLiteral("/v/b_x.py");
    auto plain = RevisionScriptReader::readSource(source, path);
    QVERIFY(!plain.ok());
    QVERIFY2(plain.error().message.startsWith(message), qPrintable(plain.error().message));
    QCOMPARE(plain.error().line, line);

    std::optional<UnreadHeader> unread;
    auto rev = RevisionScriptReader::readSource(source, path, &unread);
    QCOMPARE(rev.ok(), deferred);
    QCOMPARE(unread.has_value(), deferred);
    if (!deferred)
        return;
    QCOMPARE(unread->path, path);
    QCOMPARE(unread->error.line, line);
    QVERIFY(unread->error.message.startsWith(message));
    QCOMPARE(rev->path, path);
    QCOMPARE(rev->longDoc, source.startsWith(u'\'') ? QStringLiteral("doc") : QString());
}

// Python's answer (retort_headers.py) checked as util.to_tuple and Script would.
void tst_RevisionScriptReader::pythonValues_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QStringList>("down");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QStringList>("depends");
    QTest::addColumn<QString>("error");
    QTest::newRow("labels tuple") << QByteArray(R"({"revision":"b","down_revision":"a","branch_labels":["contract"],"depends_on":null})") << QStringLiteral("b_x.py") << QStringLiteral("b") << QStringList{QStringLiteral("a")} << QStringList{QStringLiteral("contract")} << QStringList{} << QString();
    QTest::newRow("string label, list down") << QByteArray(R"({"revision":"b","down_revision":["a1","a2"],"branch_labels":"lbl","depends_on":["x","y"]})") << QStringLiteral("b_x.py") << QStringLiteral("b") << QStringList{QStringLiteral("a1"), QStringLiteral("a2")} << QStringList{QStringLiteral("lbl")} << QStringList{QStringLiteral("x"), QStringLiteral("y")} << QString();
    QTest::newRow("empty down is a base") << QByteArray(R"({"revision":"b","down_revision":""})") << QStringLiteral("b_x.py") << QStringLiteral("b") << QStringList{} << QStringList{} << QStringList{} << QString();
    QTest::newRow("legacy id") << QByteArray(R"({"down_revision":null})") << QStringLiteral("0abc.py") << QStringLiteral("0abc") << QStringList{} << QStringList{} << QStringList{} << QString();
    QTest::newRow("no revision, no legacy name") << QByteArray(R"({"down_revision":null})") << QStringLiteral("b_x.py") << QString() << QStringList{} << QStringList{} << QStringList{} << QStringLiteral("Could not determine revision id from filename b_x.py.");
    QTest::newRow("no down_revision") << QByteArray(R"({"revision":"b"})") << QStringLiteral("b_x.py") << QString() << QStringList{} << QStringList{} << QStringList{} << QStringLiteral("module 'b_x_py' has no attribute 'down_revision'");
    QTest::newRow("revision not a string") << QByteArray(R"({"revision":{"repr":"12"},"down_revision":null})") << QStringLiteral("b_x.py") << QString() << QStringList{} << QStringList{} << QStringList{} << QStringLiteral("revision (read with Python) is not a string: 12");
    QTest::newRow("label an object") << QByteArray(R"({"revision":"b","down_revision":null,"branch_labels":{"repr":"<Anything>"}})") << QStringLiteral("b_x.py") << QString() << QStringList{} << QStringList{} << QStringList{} << QStringLiteral("branch_labels (read with Python): expected None, a string, or a tuple/list of strings, got <Anything>");
}

void tst_RevisionScriptReader::pythonValues()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, fileName);
    QFETCH(QString, error);
    Revision rev;
    rev.path = QStringLiteral("/v/") + fileName;
    const VoidResult r = RevisionScriptReader::applyPythonValues(&rev, QJsonDocument::fromJson(json).object());
    QCOMPARE(r.ok(), error.isEmpty());
    if (!r.ok()) {
        QVERIFY2(r.error().message.startsWith(error), qPrintable(r.error().message));
        if (!error.startsWith(QStringLiteral("Could not")))
            QCOMPARE(r.error().file, rev.path);
        return;
    }
    QTEST(rev.id, "id");
    QTEST(rev.downRevisions, "down");
    QTEST(rev.branchLabels, "labels");
    QTEST(rev.dependsOn, "depends");
}

QTEST_APPLESS_MAIN(tst_RevisionScriptReader)
#include "tst_revisionscriptreader.moc"
