// UpgradeChecksum: which edits of a script change the checksum recorded for its upgrade()
// (code, docstrings, upgrade_<engine>()) and which do not (comments, blank lines, trailing
// whitespace, line endings, indentation width, downgrade(), the header).

#include "script/upgradechecksum.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

const char *kBase =
    "\"\"\"one\n\nRevision ID: a1\n\"\"\"\n"
    "from alembic import op\nimport sqlalchemy as sa\n\n"
    "revision = 'a1'\ndown_revision = None\n\n\n"
    "def upgrade():\n"
    "    op.create_table('t', sa.Column('id', sa.Integer, primary_key=True))\n"
    "    if True:\n"
    "        op.add_column('t', sa.Column('x', sa.Integer))\n"
    "    op.execute('select 1')\n"
    "\n\n"
    "def downgrade():\n"
    "    op.drop_table('t')\n";

QString edit(const char *from, const char *to)
{
    QString s = QString::fromLatin1(kBase);
    const QString f = QString::fromLatin1(from);
    Q_ASSERT(s.contains(f));
    return s.replace(s.indexOf(f), f.size(), QString::fromLatin1(to));
}

} // namespace

class TestUpgradeChecksum : public QObject
{
    Q_OBJECT
private slots:
    void edits_data();
    void edits();
    void format();
    void oneLineAndEngineFunctions();
    void fromFile();
};

void TestUpgradeChecksum::edits_data()
{
    QTest::addColumn<QString>("edited");
    QTest::addColumn<bool>("same");
    QTest::newRow("unchanged") << QString::fromLatin1(kBase) << true;
    QTest::newRow("comment line") << edit("    if True:\n", "    # why\n    if True:\n") << true;
    QTest::newRow("trailing comment") << edit("    op.execute('select 1')\n", "    op.execute('select 1')  # x\n") << true;
    QTest::newRow("blank lines") << edit("    if True:\n", "\n\n    if True:\n") << true;
    QTest::newRow("trailing whitespace") << edit("    if True:\n", "    if True:   \t\n") << true;
    QTest::newRow("crlf") << QString::fromLatin1(kBase).replace(QLatin1String("\n"), QLatin1String("\r\n")) << true;
    QTest::newRow("indent width") << QString::fromLatin1(kBase).replace(QLatin1String("\n    "), QLatin1String("\n  "))
                                  << true;
    QTest::newRow("spacing in line") << edit("primary_key=True))", "primary_key = True ) )") << true;
    QTest::newRow("downgrade") << edit("    op.drop_table('t')\n", "    op.drop_table('t2')\n") << true;
    QTest::newRow("header") << edit("Revision ID: a1", "Revision ID: a1 (reviewed)") << true;
    QTest::newRow("import") << edit("import sqlalchemy as sa\n", "import sqlalchemy as sa\nimport os\n") << true;
    QTest::newRow("statement") << edit("select 1", "select 2") << false;
    QTest::newRow("argument") << edit("primary_key=True))", "primary_key=True, nullable=False))") << false;
    QTest::newRow("added line") << edit("    op.execute('select 1')\n", "    op.execute('select 1')\n    op.execute('x')\n")
                                << false;
    QTest::newRow("block structure") << edit("        op.add_column", "    op.add_column") << false;
    QTest::newRow("docstring") << edit("def upgrade():\n", "def upgrade():\n    \"\"\"Doc.\"\"\"\n") << false;
    QTest::newRow("quotes") << edit("'select 1'", "\"select 1\"") << false;
    QTest::newRow("signature") << edit("def upgrade():", "def upgrade(engine=None):") << false;
}

void TestUpgradeChecksum::edits()
{
    QFETCH(QString, edited);
    QFETCH(bool, same);
    const Result<QString> a = UpgradeChecksum::ofSource(QString::fromLatin1(kBase));
    const Result<QString> b = UpgradeChecksum::ofSource(edited);
    QVERIFY2(a.ok(), qPrintable(a.error().message));
    QVERIFY2(b.ok(), qPrintable(b.error().message));
    QCOMPARE(*a == *b, same);
}

void TestUpgradeChecksum::format()
{
    const Result<QString> a = UpgradeChecksum::ofSource(QString::fromLatin1(kBase));
    QVERIFY(a.ok());
    QCOMPARE(a->size(), 64);
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(*a).hasMatch());
    // Not the hash of nothing: the function was found.
    QVERIFY(*a != *UpgradeChecksum::ofSource(QStringLiteral("x = 1\n")));
}

void TestUpgradeChecksum::oneLineAndEngineFunctions()
{
    const QString oneLine = QStringLiteral("def upgrade(): pass\n\ndef downgrade(): pass\n");
    const QString oneLineOther = QStringLiteral("def upgrade(): op.f()\n\ndef downgrade(): pass\n");
    QVERIFY(*UpgradeChecksum::ofSource(oneLine) != *UpgradeChecksum::ofSource(oneLineOther));
    QCOMPARE(*UpgradeChecksum::ofSource(oneLine),
             *UpgradeChecksum::ofSource(QStringLiteral("def upgrade(): pass  # c\n\n\ndef downgrade(): op.g()\n")));
    // The multidb template: upgrade(engine_name) dispatches to upgrade_<engine>().
    const QString multi = QStringLiteral(
        "def upgrade(engine_name):\n    globals()['upgrade_%s' % engine_name]()\n\n"
        "def upgrade_engine1():\n    op.f()\n\ndef downgrade_engine1():\n    pass\n");
    QString multiEdited = multi;
    multiEdited.replace(QLatin1String("op.f()"), QLatin1String("op.g()"));
    QVERIFY(*UpgradeChecksum::ofSource(multi) != *UpgradeChecksum::ofSource(multiEdited));
    QString downEdited = multi;
    downEdited.replace(QLatin1String("    pass\n"), QLatin1String("    op.h()\n"));
    QCOMPARE(*UpgradeChecksum::ofSource(multi), *UpgradeChecksum::ofSource(downEdited));
    // A nested def named upgrade is not the module's.
    QCOMPARE(*UpgradeChecksum::ofSource(QStringLiteral("def upgrade():\n    pass\n")),
             *UpgradeChecksum::ofSource(QStringLiteral("def upgrade():\n    pass\n\ndef f():\n    def upgrade():\n        g()\n")));
}

void TestUpgradeChecksum::fromFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a1_one.py"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(kBase);
    f.close();
    const Result<QString> sum = UpgradeChecksum::ofFile(path);
    QVERIFY2(sum.ok(), qPrintable(sum.error().message));
    QCOMPARE(*sum, *UpgradeChecksum::ofSource(QString::fromLatin1(kBase)));
    QVERIFY(!UpgradeChecksum::ofFile(dir.filePath(QStringLiteral("a1_one.pyc"))).ok());
    QVERIFY(!UpgradeChecksum::ofSource(QStringLiteral("def upgrade(:\n  'unterminated\n")).ok());
}

QTEST_GUILESS_MAIN(TestUpgradeChecksum)
#include "tst_upgradechecksum.moc"
