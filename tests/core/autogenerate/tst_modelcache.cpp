// ModelCache through ModelLoader::load on a small temporary project (sqlite models,
// /usr/bin/python3 with Alembic): the first load fills the cache, the second reuses it,
// a changed dependency or RETORT_NO_MODEL_CACHE=1 makes Python run again, and answers
// that depend on the database (include_object) or failed are never stored.

#include "autogenerate/modelcache.h"
#include "autogenerate/modelloader.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

const char *kPython = "/usr/bin/python3";

const char *kModels = "import sqlalchemy as sa\n"
                      "metadata = sa.MetaData()\n"
                      "users = sa.Table('users', metadata, sa.Column('id', sa.Integer, primary_key=True))\n";

bool writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

bool appendFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::Append) && f.write(text) == text.size();
}

QByteArray envPy(const QByteArray &extraConfigure = {})
{
    return "from alembic import context\nimport models\n"
           "context.configure(url='sqlite://', target_metadata=models.metadata" + extraConfigure + ")\n";
}

} // namespace

class tst_ModelCache : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void secondLoadUsesCache();
    void changedDependencyReloads_data();
    void changedDependencyReloads();
    void envVarDisablesCache();
    void filtersAreNotCached();
    void failuresAreNotCached();

private:
    ModelLoadOptions options() const;
    QStringList cacheEntries() const;

    QTemporaryDir m_cacheHome;
    std::unique_ptr<QTemporaryDir> m_project;
};

void tst_ModelCache::initTestCase()
{
    if (!QFileInfo::exists(QString::fromLatin1(kPython)))
        QSKIP("needs /usr/bin/python3 with Alembic");
    QVERIFY(m_cacheHome.isValid());
    // Never the user's cache directory.
    qputenv("XDG_CACHE_HOME", QFile::encodeName(m_cacheHome.path()));
}

void tst_ModelCache::init()
{
    qunsetenv("RETORT_NO_MODEL_CACHE");
    QDir(m_cacheHome.path()).removeRecursively();
    QDir().mkpath(m_cacheHome.path());
    m_project = std::make_unique<QTemporaryDir>();
    const QString dir = m_project->path();
    QVERIFY(writeFile(dir + QStringLiteral("/alembic.ini"),
                      "[alembic]\nscript_location = migrations\nprepend_sys_path = .\n"
                      "sqlalchemy.url = sqlite://\n"));
    QVERIFY(writeFile(dir + QStringLiteral("/migrations/env.py"), envPy()));
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/migrations/versions")));
    QVERIFY(writeFile(dir + QStringLiteral("/models.py"), kModels));
}

void tst_ModelCache::cleanup()
{
    qunsetenv("RETORT_NO_MODEL_CACHE");
}

ModelLoadOptions tst_ModelCache::options() const
{
    ModelLoadOptions o;
    o.python = QString::fromLatin1(kPython);
    o.workingDirectory = m_project->path();
    o.dialect = QStringLiteral("sqlite");
    return o;
}

QStringList tst_ModelCache::cacheEntries() const
{
    return QDir(m_cacheHome.path() + QStringLiteral("/retort/models")).entryList(QDir::Files);
}

void tst_ModelCache::secondLoadUsesCache()
{
    auto first = ModelLoader::load(options());
    QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
    QVERIFY(!first->fromCache);
    QCOMPARE(cacheEntries().size(), 1);
    QVERIFY(!first->dependencies.isEmpty());

    auto second = ModelLoader::load(options());
    QVERIFY2(second, qPrintable(second ? QString() : second.error().message));
    QVERIFY(second->fromCache);
    QCOMPARE(second->cachedFileCount, first->dependencies.size());
    QCOMPARE(second->tableCount, 1);
    QCOMPARE(second->discoverySummary(), first->discoverySummary());
    QCOMPARE(second->hints.imports(), first->hints.imports());

    // Other options (here the dialect) are another entry.
    ModelLoadOptions other = options();
    other.dialect = QStringLiteral("postgresql");
    auto third = ModelLoader::load(other);
    QVERIFY(third);
    QVERIFY(!third->fromCache);
    QCOMPARE(cacheEntries().size(), 2);
}

void tst_ModelCache::changedDependencyReloads_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("append");   // empty: only the mtime moves
    QTest::addColumn<int>("tables");

    QTest::newRow("model mtime") << QStringLiteral("models.py") << QByteArray() << 1;
    QTest::newRow("model content")
        << QStringLiteral("models.py")
        << QByteArray("orders = sa.Table('orders', metadata, sa.Column('id', sa.Integer, primary_key=True))\n")
        << 2;
    QTest::newRow("env.py") << QStringLiteral("migrations/env.py") << QByteArray("# edited\n") << 1;
    QTest::newRow("ini") << QStringLiteral("alembic.ini") << QByteArray("# edited\n") << 1;
}

void tst_ModelCache::changedDependencyReloads()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, append);
    QFETCH(int, tables);
    QVERIFY(ModelLoader::load(options()));
    QVERIFY(ModelLoader::load(options())->fromCache);

    const QString path = m_project->path() + QLatin1Char('/') + file;
    if (append.isEmpty()) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QFileInfo(path).lastModified().addSecs(60), QFileDevice::FileModificationTime));
    } else {
        QVERIFY(appendFile(path, append));
    }
    auto reloaded = ModelLoader::load(options());
    QVERIFY2(reloaded, qPrintable(reloaded ? QString() : reloaded.error().message));
    QVERIFY(!reloaded->fromCache);
    QCOMPARE(reloaded->tableCount, tables);
    // The new answer replaced the old one.
    auto again = ModelLoader::load(options());
    QVERIFY(again && again->fromCache);
    QCOMPARE(again->tableCount, tables);
}

void tst_ModelCache::envVarDisablesCache()
{
    qputenv("RETORT_NO_MODEL_CACHE", "1");
    QVERIFY(!ModelCache::enabled());
    QVERIFY(ModelLoader::load(options()));
    auto second = ModelLoader::load(options());
    QVERIFY(second);
    QVERIFY(!second->fromCache);
    QVERIFY(cacheEntries().isEmpty());

    // Filled while enabled, ignored once disabled.
    qputenv("RETORT_NO_MODEL_CACHE", "0");
    QVERIFY(ModelCache::enabled());
    QVERIFY(ModelLoader::load(options()));
    QCOMPARE(cacheEntries().size(), 1);
    qputenv("RETORT_NO_MODEL_CACHE", "1");
    auto third = ModelLoader::load(options());
    QVERIFY(third);
    QVERIFY(!third->fromCache);
}

void tst_ModelCache::filtersAreNotCached()
{
    QVERIFY(writeFile(m_project->path() + QStringLiteral("/migrations/env.py"),
                      envPy(", include_object=lambda *a: True")));
    auto first = ModelLoader::load(options());
    QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
    QVERIFY(first->configureCallables.contains(QStringLiteral("include_object")));
    QVERIFY(!ModelCache::cacheable(*first));
    auto second = ModelLoader::load(options());
    QVERIFY(second);
    QVERIFY(!second->fromCache);
    QVERIFY(cacheEntries().isEmpty());
}

void tst_ModelCache::failuresAreNotCached()
{
    QVERIFY(appendFile(m_project->path() + QStringLiteral("/models.py"), "raise RuntimeError('broken')\n"));
    QVERIFY(!ModelLoader::load(options()));
    QVERIFY(cacheEntries().isEmpty());
    auto again = ModelLoader::load(options());
    QVERIFY(!again);
    QVERIFY(again.error().message.contains(QStringLiteral("broken")));
}

QTEST_GUILESS_MAIN(tst_ModelCache)
#include "tst_modelcache.moc"
