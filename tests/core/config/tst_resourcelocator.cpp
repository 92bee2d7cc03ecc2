// ResourceLocator: an installed binary (<prefix>/bin) reads <prefix>/share/retort; elsewhere
// (this test binary in the build tree) the embedded copies are used.
#include "config/resourcelocator.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

class TestResourceLocator : public QObject
{
    Q_OBJECT

private slots:
    void installedLayout_data()
    {
        QTest::addColumn<QString>("shareFolder");   // created under the prefix, or empty
        QTest::addColumn<bool>("found");
        QTest::newRow("prefix/share/retort") << QStringLiteral("share/retort") << true;
        QTest::newRow("no share folder") << QString() << false;
        QTest::newRow("another program's share") << QStringLiteral("share/other") << false;
    }

    void installedLayout()
    {
        QFETCH(QString, shareFolder);
        QFETCH(bool, found);
        QTemporaryDir prefix;
        QVERIFY(prefix.isValid());
        QDir root(prefix.path());
        QVERIFY(root.mkpath(QStringLiteral("bin")));
        if (!shareFolder.isEmpty())
            QVERIFY(root.mkpath(shareFolder));
        const QString dir = ResourceLocator::dataDirectoryFor(root.filePath(QStringLiteral("bin")));
        QCOMPARE(dir, found ? QDir(root.filePath(QStringLiteral("share/retort"))).canonicalPath() : QString());
    }

    void buildTreeUsesTheEmbeddedCopies_data()
    {
        QTest::addColumn<QString>("relative");
        QTest::newRow("worker") << QStringLiteral("python/retort_worker.py");
        QTest::newRow("template") << QStringLiteral("templates/generic");
    }

    void buildTreeUsesTheEmbeddedCopies()
    {
        QFETCH(QString, relative);
        // The test binary's ../share/retort does not exist in the build tree.
        QVERIFY(ResourceLocator::dataDirectory().isEmpty());
        QCOMPARE(ResourceLocator::path(relative), QStringLiteral(":/retort/") + relative);
    }
};

QTEST_GUILESS_MAIN(TestResourceLocator)
#include "tst_resourcelocator.moc"
