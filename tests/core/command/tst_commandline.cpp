// The command line's usage, help and argument errors against Alembic 1.8.1's own
// (tests/fixtures/cli/argparse_cases.json, made by gen_cli_cases.py with COLUMNS=80).
#include "command/commandline.h"
#include "command/commandoutput.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace retort;

class TestCommandLine : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("COLUMNS", "80"); }
    void argparse_data();
    void argparse();
};

void TestCommandLine::argparse_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expectedOut");
    QTest::addColumn<QString>("expectedErr");
    QTest::addColumn<int>("expectedCode");

    QFile file(QStringLiteral(RETORT_FIXTURES_DIR "/cli/argparse_cases.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonArray cases = QJsonDocument::fromJson(file.readAll()).array();
    QVERIFY(cases.size() > 20);
    for (const QJsonValue &v : cases) {
        const QJsonObject c = v.toObject();
        QStringList args;
        for (const QJsonValue &a : c.value(QStringLiteral("args")).toArray())
            args << a.toString();
        QTest::newRow(qPrintable(args.isEmpty() ? QStringLiteral("(none)") : args.join(QLatin1Char(' '))))
            << args << c.value(QStringLiteral("stdout")).toString()
            << c.value(QStringLiteral("stderr")).toString() << c.value(QStringLiteral("code")).toInt();
    }
}

void TestCommandLine::argparse()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expectedOut);
    QFETCH(QString, expectedErr);
    QFETCH(int, expectedCode);

    BufferCommandOutput output;
    CommandLine cli(QStringLiteral("alembic"), &output);
    const int code = cli.run(args);
    QCOMPARE(output.err, expectedErr);
    QCOMPARE(output.out, expectedOut);
    QCOMPARE(code, expectedCode);
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
