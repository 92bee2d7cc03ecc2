// With no Qt SQL plugins to be found, opening a database says which driver is missing.
// A binary of its own: Qt's plugin loader reads the library paths only once.

#include "config/databaseurl.h"
#include "runtime/databaseconnection.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

class TestMissingDriver : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_empty.isValid());
        QCoreApplication::setLibraryPaths({m_empty.path()});
    }
    void namesTheDriver()
    {
        Result<DatabaseUrl> url = DatabaseUrl::parse(QStringLiteral("postgresql://scott:tiger@db.example/test"));
        QVERIFY(url.ok());
        auto conn = DatabaseConnection::open(*url);
        QVERIFY(!conn.ok());
        QVERIFY2(conn.error().message.startsWith(QStringLiteral(
                     "Can't connect to postgresql://scott:***@db.example/test: the Qt SQL driver "
                     "QPSQL is not installed (available: ")),
                 qPrintable(conn.error().message));
    }

private:
    QTemporaryDir m_empty;
};

QTEST_GUILESS_MAIN(TestMissingDriver)
#include "tst_missingdriver.moc"
