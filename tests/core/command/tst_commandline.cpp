// The command line's usage, help and argument errors against Alembic 1.8.1's own
// (tests/fixtures/cli/argparse_cases.json, made by gen_cli_cases.py with COLUMNS=80).
#include "command/commandcontext.h"
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
    void retortOptionsAnywhere_data();
    void retortOptionsAnywhere();
    void badLockTimeout_data();
    void badLockTimeout();
    void contextKeepsUntilItEnds();
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
    if (args == QStringList{"--help"} || args == QStringList{"-h"}) {
        // Alembic's text byte for byte, then Retort's own options in a section below it.
        QVERIFY2(output.out.startsWith(expectedOut), qPrintable(output.out));
        const QString epilog = output.out.mid(expectedOut.size());
        QVERIFY2(epilog.startsWith(QStringLiteral("\nRetort options:\n  --url URL ")), qPrintable(epilog));
        QVERIFY2(epilog.contains(QStringLiteral("\n  --lock-timeout SECONDS\n")), qPrintable(epilog));
        QVERIFY2(epilog.contains(QStringLiteral("(default: 300)")), qPrintable(epilog));
        QVERIFY2(epilog.contains(QStringLiteral("\n  --app IMPORT ")), qPrintable(epilog));
    } else {
        QCOMPARE(output.out, expectedOut);
    }
    QCOMPARE(code, expectedCode);
}

void TestCommandLine::retortOptionsAnywhere_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("lockTimeout");
    const QString u = QStringLiteral("sqlite:///x.db");
    QTest::newRow("none") << QStringList{"upgrade", "head"} << QString() << 300;
    QTest::newRow("url before") << QStringList{"--url", u, "upgrade", "head"} << u << 300;
    QTest::newRow("url after") << QStringList{"upgrade", "head", "--url", u} << u << 300;
    QTest::newRow("url= after") << QStringList{"upgrade", "--url=" + u, "head"} << u << 300;
    QTest::newRow("url after stamp revisions") << QStringList{"stamp", "a", "b", "--url", u} << u << 300;
    QTest::newRow("lock before") << QStringList{"--lock-timeout", "5", "current"} << QString() << 5;
    QTest::newRow("lock after") << QStringList{"downgrade", "-1", "--lock-timeout", "0"} << QString() << 0;
    QTest::newRow("both after, Retort command") << QStringList{"check", "--lock-timeout=7", "--url", u} << u << 7;
    QTest::newRow("after wins") << QStringList{"--url", "sqlite://", "heads", "--url", u} << u << 300;
}

// --url and --lock-timeout are accepted before and after the command name (the message
// for a missing URL tells users to pass --url, wherever they put it).
void TestCommandLine::retortOptionsAnywhere()
{
    QFETCH(QStringList, args);
    QFETCH(QString, url);
    QFETCH(int, lockTimeout);
    qunsetenv("RETORT_DATABASE_URL");
    BufferCommandOutput output;
    CommandLine cli(QStringLiteral("retort"), &output);
    ParsedArguments parsed;
    const ParseOutcome outcome = cli.parse(args, &parsed);
    QVERIFY2(outcome.proceed, qPrintable(outcome.stderrText));
    CommandContext context(parsed, &output);
    QCOMPARE(context.urlOverride(), url);
    QCOMPARE(context.lockTimeoutSecs(), lockTimeout);
}

void TestCommandLine::badLockTimeout_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("word") << QStringList{"--lock-timeout", "soon", "current"}
                          << "retort: error: argument --lock-timeout: invalid int value: 'soon'\n";
    QTest::newRow("negative after") << QStringList{"current", "--lock-timeout=-3"}
                                    << "retort: error: argument --lock-timeout: must be 0 or more seconds, got -3\n";
    QTest::newRow("missing value") << QStringList{"current", "--lock-timeout"}
                                   << "retort current: error: argument --lock-timeout: expected one argument\n";
}

void TestCommandLine::badLockTimeout()
{
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    BufferCommandOutput output;
    CommandLine cli(QStringLiteral("retort"), &output);
    QCOMPARE(cli.run(args), int(CommandLine::ExitUsage));
    QVERIFY2(output.err.startsWith(QStringLiteral("usage: retort")), qPrintable(output.err));
    QVERIFY2(output.err.endsWith(error), qPrintable(output.err));
    QCOMPARE(output.out, QString());
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

// What a command hands to its context (a --sql run's interpreted programs) lives exactly as
// long as the context: to the process's end on the command line, which keeps its context.
void TestCommandLine::contextKeepsUntilItEnds()
{
    BufferCommandOutput output;
    std::weak_ptr<int> watched;
    {
        CommandContext context(ParsedArguments(), &output);
        auto kept = std::make_shared<int>(42);
        watched = kept;
        context.keep(std::move(kept));
        QVERIFY(!watched.expired());
    }
    QVERIFY(watched.expired());
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
