// RevisionHeaderScan (the fast path of RevisionScriptReader::readSource) against the full
// path (lexer + PyModuleScanner): whenever the fast path answers, both must agree; the
// "fast" column says whether it should answer at all (it must give up on anything unusual,
// including every script the full path rejects).
#include "script/revisionheaderscan.h"
#include "script/revisionscriptreader.h"

#include <QtTest>

using namespace retort;

class tst_RevisionHeaderScan : public QObject
{
    Q_OBJECT
private slots:
    void agreesWithFullPath_data();
    void agreesWithFullPath();
    void fixtureScripts_data();
    void fixtureScripts();
};

namespace {

const char *const kTemplate =
    "\"\"\"add users\n\nRevision ID: b1\nRevises: a1\n\"\"\"\n"
    "from alembic import op\nimport sqlalchemy as sa\n\n\n"
    "# revision identifiers, used by Alembic.\n"
    "revision = 'b1'\ndown_revision = 'a1'\nbranch_labels = None\ndepends_on = None\n\n\n"
    "def upgrade() -> None:\n    op.execute(\"\"\"\nSELECT 1  -- revision = 'zz'\n\"\"\")\n"
    "    if True:\n        x = {'a': [1, 2]}\n\n\ndef downgrade() -> None:\n    pass\n";

QString tmpl() { return QString::fromUtf8(kTemplate); }

} // namespace

void tst_RevisionHeaderScan::agreesWithFullPath_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<bool>("fast");
    const QString ids = QStringLiteral("revision = 'b'\ndown_revision = 'a'\n");
    QTest::newRow("template") << tmpl() << true;
    QTest::newRow("crlf") << QString(tmpl()).replace(u'\n', QStringLiteral("\r\n")) << false;
    QTest::newRow("crlf, no docstring") << QStringLiteral("revision = 'b'\r\ndown_revision = None\r\n") << true;
    QTest::newRow("tuples and lists") << QStringLiteral("revision = \"b\"\ndown_revision = ('a1', 'a2',)\nbranch_labels = ['x']\ndepends_on = ('d')\n") << true;
    QTest::newRow("empty down") << QStringLiteral("revision = 'b'\ndown_revision = ''\nbranch_labels = ()\ndepends_on = []\n") << true;
    QTest::newRow("later reassignment wins") << ids + QStringLiteral("def f():\n    pass\nrevision = 'c'\n") << true;
    QTest::newRow("reassigned in if") << ids + QStringLiteral("if x:\n    revision = 'c'\n") << false;
    QTest::newRow("value is a name") << QStringLiteral("base = 'a'\nrevision = 'b'\ndown_revision = base\n") << false;
    QTest::newRow("chained") << QStringLiteral("revision = down_revision = 'b'\n") << false;
    QTest::newRow("imported name") << ids + QStringLiteral("from x import depends_on\n") << false;
    QTest::newRow("star import") << ids + QStringLiteral("from x import *\n") << false;
    QTest::newRow("augmented") << ids + QStringLiteral("revision += 'x'\n") << false;
    QTest::newRow("unpacking") << ids + QStringLiteral("a, revision = 1, 'c'\n") << false;
    QTest::newRow("annotated") << QStringLiteral("revision: str = 'b'\ndown_revision = None\n") << false;
    QTest::newRow("semicolon") << QStringLiteral("revision = 'b'; down_revision = None\n") << false;
    QTest::newRow("escaped value") << QStringLiteral("revision = 'b\\x41'\ndown_revision = None\n") << false;
    QTest::newRow("prefixed value") << QStringLiteral("revision = u'b'\ndown_revision = None\n") << false;
    QTest::newRow("concatenated") << QStringLiteral("revision = 'a' 'b'\ndown_revision = None\n") << false;
    QTest::newRow("revision None") << QStringLiteral("revision = None\ndown_revision = None\n") << false;
    QTest::newRow("no down_revision") << QStringLiteral("revision = 'b'\n") << false;
    QTest::newRow("def named revision") << ids + QStringLiteral("def revision():\n    pass\n") << false;
    QTest::newRow("class body skipped") << ids + QStringLiteral("@dec(1)\nclass K(object):\n    revision = 'x'\n    def m(self):\n        return [\n  1]\n") << true;
    QTest::newRow("async def") << ids + QStringLiteral("async def f():\n    await g()\n") << true;
    QTest::newRow("one-line def") << ids + QStringLiteral("def f(): return 1\nx = 2 * 3\n") << true;
    QTest::newRow("docstring with escape") << QStringLiteral("'''a\\nb'''\n") + ids << false;
    QTest::newRow("docstring plus") << QStringLiteral("'''a''' + x\n") + ids << false;
    QTest::newRow("docstring after comment") << QStringLiteral("# c\n\n'doc'  # x\n") + ids << true;
    QTest::newRow("string in body at col 0") << ids + QStringLiteral("def f():\n    s = '''\nrevision = 'z'\n'''\n    return s\n") << true;
    QTest::newRow("unicode in strings and comments") << QStringLiteral("'caf\u00e9'\n# \u00e9\n") + ids << true;
    QTest::newRow("unicode name") << ids + QStringLiteral("caf\u00e9 = 1\n") << false;
    // Bad scripts: the full path reports them, so the fast path must give up.
    QTest::newRow("unterminated in body") << ids + QStringLiteral("def f():\n    x = 'abc\n") << false;
    QTest::newRow("unterminated triple") << ids + QStringLiteral("def f():\n    x = '''abc\n") << false;
    QTest::newRow("bad dedent") << ids + QStringLiteral("def f():\n    if x:\n        pass\n  y = 1\n") << false;
    QTest::newRow("unmatched bracket") << ids + QStringLiteral("def f():\n    x = (1]\n") << false;
    QTest::newRow("never closed") << ids + QStringLiteral("def f():\n    x = (1,\n") << false;
    QTest::newRow("stray character") << ids + QStringLiteral("def f():\n    x = $1\n") << false;
    QTest::newRow("bang") << ids + QStringLiteral("def f():\n    x = !1\n") << false;
    QTest::newRow("unexpected indent") << ids + QStringLiteral("    x = 1\n") << false;
    QTest::newRow("tab indent") << ids + QStringLiteral("def f():\n\tpass\n") << false;
    QTest::newRow("continuation") << ids + QStringLiteral("def f():\n    x = 1 + \\\n 2\n") << false;
}

void tst_RevisionHeaderScan::agreesWithFullPath()
{
    QFETCH(QString, source);
    QFETCH(bool, fast);
    const QString path = QStringLiteral("/v/b_x.py");
    const auto header = RevisionHeaderScan::scan(source);
    const bool answered = header && header->revision.isStr && header->downRevision.bound;
    QCOMPARE(answered, fast);
    const auto full = RevisionScriptReader::readSourceTokenized(source, path);
    const auto both = RevisionScriptReader::readSource(source, path);
    QCOMPARE(both.ok(), full.ok());
    if (!full.ok()) {
        QCOMPARE(both.error().toString(), full.error().toString());
        return;
    }
    QCOMPARE(both->id, full->id);
    QCOMPARE(both->downRevisions, full->downRevisions);
    QCOMPARE(both->branchLabels, full->branchLabels);
    QCOMPARE(both->dependsOn, full->dependsOn);
    QCOMPARE(both->longDoc, full->longDoc);
    QCOMPARE(both->path, full->path);
}

// Every .py file of the test fixtures: same answer (or same error) both ways.
void tst_RevisionHeaderScan::fixtureScripts_data()
{
    QTest::addColumn<QString>("path");
    QDirIterator it(QStringLiteral(RETORT_FIXTURES_DIR), {QStringLiteral("*.py")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QTest::newRow(qPrintable(path.mid(int(strlen(RETORT_FIXTURES_DIR)) + 1))) << path;
    }
}

void tst_RevisionHeaderScan::fixtureScripts()
{
    QFETCH(QString, path);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString source = QString::fromUtf8(f.readAll());
    const auto full = RevisionScriptReader::readSourceTokenized(source, path);
    const auto both = RevisionScriptReader::readSource(source, path);
    QCOMPARE(both.ok(), full.ok());
    if (!full.ok()) {
        QCOMPARE(both.error().toString(), full.error().toString());
        return;
    }
    QCOMPARE(both->id, full->id);
    QCOMPARE(both->downRevisions, full->downRevisions);
    QCOMPARE(both->branchLabels, full->branchLabels);
    QCOMPARE(both->dependsOn, full->dependsOn);
    QCOMPARE(both->longDoc, full->longDoc);
}

QTEST_APPLESS_MAIN(tst_RevisionHeaderScan)
#include "tst_revisionheaderscan.moc"
