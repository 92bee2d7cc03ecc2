// DriverMessageFilter: Qt's SQL drivers' warnings (a dead server's "Database not open")
// never reach the previous message handler (stderr in the CLI); every other message does.

#include "runtime/drivermessagefilter.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

using namespace retort;

namespace {

QStringList g_seen;

void capture(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_seen << message;
}

} // namespace

class TestDriverMessageFilter : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void noise_data();
    void noise();
    void realDriverWarningsAreDropped();
};

void TestDriverMessageFilter::initTestCase()
{
    qunsetenv("RETORT_QT_MESSAGES");
    qInstallMessageHandler(capture);   // stands for the default stderr handler
    DriverMessageFilter::install();
    DriverMessageFilter::install();    // once only: no handler chained to itself
}

void TestDriverMessageFilter::noise_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("dropped");
    QTest::newRow("pg rollback") << "QPSQLDriver::rollbackTransaction: Database not open." << true;
    QTest::newRow("mysql") << "QMYSQLDriver::rollbackTransaction: Database not open." << true;
    QTest::newRow("free statement") << "Unable to free statement: server closed the connection unexpectedly" << true;
    QTest::newRow("query") << "QSqlQuery::exec: database not open" << true;
    QTest::newRow("ours") << "FAILED: SQL failed: INSERT INTO t" << false;
    QTest::newRow("other qt") << "QObject::connect: No such signal" << false;
    QTest::newRow("mention inside") << "the server said QPSQLDriver:: something" << false;
}

void TestDriverMessageFilter::noise()
{
    QFETCH(QString, message);
    QFETCH(bool, dropped);
    QCOMPARE(DriverMessageFilter::isDriverNoise(message), dropped);
    g_seen.clear();
    qWarning("%s", qPrintable(message));
    QCOMPARE(g_seen, dropped ? QStringList() : QStringList{message});
}

// Warnings the drivers really print, through the installed handler.
void TestDriverMessageFilter::realDriverWarningsAreDropped()
{
    g_seen.clear();
    {
        QSqlQuery q;   // no default connection: "QSqlQuery::exec: database not open"
        QVERIFY(!q.exec(QStringLiteral("SELECT 1")));
    }
    if (QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("never-opened"));
            QVERIFY(!db.rollback());   // "QPSQLDriver::rollbackTransaction: Database not open."
        }
        QSqlDatabase::removeDatabase(QStringLiteral("never-opened"));
    }
    qWarning("still shown");
    QCOMPARE(g_seen, QStringList{QStringLiteral("still shown")});
}

QTEST_GUILESS_MAIN(TestDriverMessageFilter)
#include "tst_drivermessagefilter.moc"
