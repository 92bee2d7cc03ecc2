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
    void renameNeedsAutogenerate_data();
    void renameNeedsAutogenerate();
    void restartStepOption_data();
    void restartStepOption();
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

void TestCommandLine::renameNeedsAutogenerate_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("option");   // "" = accepted by the parser
    QTest::newRow("column") << QStringList{"revision", "-m", "x", "--rename-column", "t.a=b"} << "--rename-column";
    QTest::newRow("table") << QStringList{"revision", "--rename-table", "a=b"} << "--rename-table";
    QTest::newRow("both") << QStringList{"revision", "--rename-table", "a=b", "--rename-column", "t.a=b"}
                          << "--rename-column";
    QTest::newRow("with autogenerate") << QStringList{"revision", "--autogenerate", "--rename-table", "a=b"} << "";
}

// Without --autogenerate there is nothing to rename: parser.error(), as argparse reports
// a bad combination (the revision sub-command's usage, exit 2), not a silent no-op.
void TestCommandLine::renameNeedsAutogenerate()
{
    QFETCH(QStringList, args);
    QFETCH(QString, option);
    BufferCommandOutput output;
    CommandLine cli(QStringLiteral("alembic"), &output);
    // A config that does not exist: an accepted command line fails later, differently.
    const int code = cli.run(QStringList{"-c", "/nonexistent/retort-test.ini"} + args);
    const QString error = QStringLiteral("alembic revision: error: argument %1: only allowed with argument "
                                         "--autogenerate\n").arg(option);
    if (option.isEmpty()) {
        QVERIFY(code != CommandLine::ExitUsage);
        QVERIFY(!output.err.contains(QStringLiteral("only allowed with")));
        return;
    }
    QCOMPARE(code, int(CommandLine::ExitUsage));
    QVERIFY2(output.err.startsWith(QStringLiteral("usage: alembic revision [-h] [-m MESSAGE] [--autogenerate]")),
             qPrintable(output.err));
    QVERIFY2(output.err.endsWith(error), qPrintable(output.err));
    QCOMPARE(output.out, QString());
}

void TestCommandLine::restartStepOption_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("upgrade") << QStringList{"upgrade", "head", "--restart-step"} << true;
    QTest::newRow("downgrade") << QStringList{"downgrade", "--restart-step", "-1"} << true;
    QTest::newRow("stamp") << QStringList{"stamp", "head", "--restart-step"} << false;
}

// Retort's own --restart-step (MySQL statement journal): accepted by upgrade and
// downgrade only, and absent from their help (Alembic's text, checked above).
void TestCommandLine::restartStepOption()
{
    QFETCH(QStringList, args);
    QFETCH(bool, accepted);
    BufferCommandOutput output;
    CommandLine cli(QStringLiteral("alembic"), &output);
    const int code = cli.run(QStringList{"-c", "/nonexistent/retort-test.ini"} + args);
    if (accepted) {
        QVERIFY(code != CommandLine::ExitUsage);
        QVERIFY2(!output.err.contains(QStringLiteral("unrecognized")), qPrintable(output.err));
    } else {
        QCOMPARE(code, int(CommandLine::ExitUsage));
        QVERIFY2(output.err.endsWith(QStringLiteral("error: unrecognized arguments: --restart-step\n")),
                 qPrintable(output.err));
    }
    BufferCommandOutput help;
    CommandLine(QStringLiteral("alembic"), &help).run({args.first(), QStringLiteral("--help")});
    QVERIFY2(!help.out.contains(QStringLiteral("restart")), qPrintable(help.out));
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
