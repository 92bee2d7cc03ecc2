// ConnectionBar and passwords: a typed URL is remembered without its password; with no
// keychain (no D-Bus session here, so no secret service or KWallet) the user is told the
// password is kept only in memory, and no file anywhere holds it in plain text.

#include "connectionbar.h"
#include "studiotestutil.h"

#include <QComboBox>
#include <QDirIterator>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace retort;

namespace {

const QByteArray kPassword = "s3cr3t-Pa55word";

// Files under dir whose bytes contain needle.
QStringList filesContaining(const QString &dir, const QByteArray &needle)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            hits << file.fileName();
    }
    return hits;
}

} // namespace

class tst_ConnectionBar : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void passwordWithoutKeychainStaysInMemory_data();
    void passwordWithoutKeychainStaysInMemory();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    QString m_ini;
};

void tst_ConnectionBar::initTestCase()
{
    // No session bus: QtKeychain finds no backend, as on a desktop without a secret service.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/retort-test-bus");
}

void tst_ConnectionBar::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(studiotest::copyTree(QStringLiteral(RETORT_DEMO_DIR), m_dir->filePath(QStringLiteral("demo"))));
    m_ini = m_dir->filePath(QStringLiteral("demo/alembic.ini"));
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("studio.ini")), QSettings::IniFormat);
}

void tst_ConnectionBar::passwordWithoutKeychainStaysInMemory_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("bare");
    const QString pw = QString::fromLatin1(kPassword);
    QTest::newRow("user:password@") << QStringLiteral("postgresql://scott:%1@127.0.0.1:1/app").arg(pw)
                                    << QStringLiteral("postgresql://scott@127.0.0.1:1/app");
    // A password query parameter is a password too (issue 9).
    QTest::newRow("?password=") << QStringLiteral("postgresql://scott@127.0.0.1:1/app?password=%1").arg(pw)
                                << QStringLiteral("postgresql://scott@127.0.0.1:1/app");
    QTest::newRow("&password=") << QStringLiteral("postgresql://scott@127.0.0.1:1/app?sslmode=disable&password=%1").arg(pw)
                                << QStringLiteral("postgresql://scott@127.0.0.1:1/app?sslmode=disable");
}

void tst_ConnectionBar::passwordWithoutKeychainStaysInMemory()
{
    QFETCH(QString, url);
    QFETCH(QString, bare);
    {
        ConnectionBar bar(*m_settings);
        bar.setProject(m_ini);
        QSignalSpy notStored(&bar, &ConnectionBar::passwordNotStored);
        QSignalSpy finished(&bar, &ConnectionBar::finished);
        bar.setUrlOverride(url);   // nothing listens on port 1: the attempt fails
        QVERIFY(notStored.size() > 0 || notStored.wait(20000));
        const QString message = notStored.first().first().toString();
        QVERIFY2(message.contains(QLatin1String("keychain is unavailable")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("kept in memory")), qPrintable(message));
        QVERIFY2(message.contains(bare), qPrintable(message));
        QVERIFY(!message.contains(QString::fromLatin1(kPassword)));
        // In memory the URL keeps its password (the next connect still uses it).
        QCOMPARE(bar.urlOverride(), url);
        QCOMPARE(bar.displayUrl(), bare);
        QVERIFY(finished.size() > 0 || finished.wait(20000));
    }
    m_settings->sync();
    const QStringList keys = m_settings->allKeys();
    QVERIFY(!keys.filter(QStringLiteral("/url")).isEmpty());
    for (const QString &key : keys) {
        QVERIFY2(!m_settings->value(key).toString().contains(QString::fromLatin1(kPassword)), qPrintable(key));
        if (key.endsWith(QLatin1String("/hasPassword")))
            QCOMPARE(m_settings->value(key).toBool(), false);   // nothing to read back
    }
    QCOMPARE(filesContaining(m_dir->path(), kPassword), QStringList());
    const QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (!config.isEmpty())
        QCOMPARE(filesContaining(config, kPassword), QStringList());

    // A new session offers the remembered URL, without a password.
    ConnectionBar again(*m_settings);
    again.setProject(m_ini);
    auto *combo = again.findChild<QComboBox *>();
    QVERIFY(combo);
    const int index = combo->findText(bare);
    QVERIFY(index > 0);
    QCOMPARE(combo->itemData(index).toString(), bare);
}

QTEST_MAIN(tst_ConnectionBar)
#include "tst_connectionbar.moc"
