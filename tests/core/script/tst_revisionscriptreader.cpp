// RevisionScriptReader::readSource against executing the same module in Python and applying
// Alembic's util.to_tuple / Script.longdoc (rows generated with /usr/bin/python3).
#include "script/revisionscriptreader.h"

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

QTEST_APPLESS_MAIN(tst_RevisionScriptReader)
#include "tst_revisionscriptreader.moc"
