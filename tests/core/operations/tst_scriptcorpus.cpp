// ScriptInterpreter over the corpus in tests/fixtures/scripts: every ok/<name>.py is
// compared with ok/<name>.expected (OpDump::program); every bad/<name>.py must fail at
// the line its first line names ("# error-line: N").

#include "operations/opdump.h"
#include "operations/scriptinterpreter.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <ctime>

using namespace retort;

namespace {

QString fixtures(const QString &sub)
{
    return QStringLiteral(RETORT_FIXTURES_DIR "/scripts/") + sub;
}

QString readText(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

} // namespace

class tst_ScriptCorpus : public QObject
{
    Q_OBJECT

private slots:
    void valid_data();
    void valid();
    void malformed_data();
    void malformed();
};

void tst_ScriptCorpus::valid_data()
{
    QTest::addColumn<QString>("path");
    const QStringList files = QDir(fixtures("ok")).entryList({"*.py"}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 10);
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << fixtures("ok/") + f;
}

void tst_ScriptCorpus::valid()
{
    QFETCH(QString, path);
    auto program = ScriptInterpreter::interpretFile(path);
    QVERIFY2(program.ok(), qPrintable(program.error().toString()));
    QCOMPARE(program->path, path);
    QString expectedPath = path;
    expectedPath.replace(QStringLiteral(".py"), QStringLiteral(".expected"));
    const QStringList actual = OpDump::program(*program);
    // Regenerating (then reviewing the diff by hand): RETORT_WRITE_EXPECTED=1.
    if (qEnvironmentVariableIsSet("RETORT_WRITE_EXPECTED")) {
        QFile out(expectedPath);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write((actual.join(u'\n') + u'\n').toUtf8());
    }
    const QString expected = readText(expectedPath);
    QVERIFY2(!expected.isEmpty(), qPrintable(expectedPath));
    QCOMPARE(actual, expected.trimmed().split(u'\n'));
}

void tst_ScriptCorpus::malformed_data()
{
    QTest::addColumn<QString>("path");
    const QStringList files = QDir(fixtures("bad")).entryList({"*.py"}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 5);
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << fixtures("bad/") + f;
}

void tst_ScriptCorpus::malformed()
{
    QFETCH(QString, path);
    const QString source = readText(path);
    const QString first = source.section(u'\n', 0, 0);
    QVERIFY2(first.startsWith(QStringLiteral("# error-line: ")), qPrintable(first));
    const int line = first.mid(14).toInt();
    auto program = ScriptInterpreter::interpretFile(path);
    QVERIFY(!program.ok());
    QCOMPARE(program.error().file, path);
    QCOMPARE(program.error().line, line);
}

QTEST_GUILESS_MAIN(tst_ScriptCorpus)
#include "tst_scriptcorpus.moc"
