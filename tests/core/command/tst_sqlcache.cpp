// The --sql body cache (ScriptCache): a warm run writes what a cold run writes, and
// every check that decides whether an entry may be used (text hash with size and mtime
// kept, dialect, a corrupt or foreign file, an unwritable cache folder, RETORT_NO_CACHE).
#include "command/commandline.h"
#include "command/commandoutput.h"
#include "script/scriptcache.h"

#include <QDataStream>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>

using namespace retort;

namespace {

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        const QString dst = to + QLatin1Char('/') + QDir(from).relativeFilePath(src);
        if (!QDir().mkpath(QFileInfo(dst).absolutePath()) || !QFile::copy(src, dst))
            return false;
    }
    return true;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

const char kFirst[] = R"("""first

Revision ID: aaaa00000001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = 'aaaa00000001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account', sa.Column('id', sa.Integer, primary_key=True),
                    sa.Column('seen', sa.DateTime()), sa.Column('note', sa.String(20), server_default='a\\b'))


def downgrade():
    op.drop_table('account')
)";

const char kSecond[] = R"("""second

Revision ID: aaaa00000002
Revises: aaaa00000001
"""
from alembic import op
import sqlalchemy as sa

revision = 'aaaa00000002'
down_revision = 'aaaa00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('account', sa.Column('age', sa.Integer()))
    print('kept out of the cache')


def downgrade():
    op.drop_column('account', 'age')
)";

} // namespace

class TestSqlCache : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void warmRunWritesTheSame();
    void warmRunUsesTheCache();
    void editKeepingSizeAndMtime();
    void headerEditKeepingSizeAndMtime();
    void otherDialect();
    void otherUrl();
    void corruptFile();
    void foreignBuild();
    void unwritableFolder();
    void disabled();

private:
    QString run(const QStringList &args = {QStringLiteral("upgrade"), QStringLiteral("heads"), QStringLiteral("--sql")});
    QString cacheFile() const { return ScriptCache::fileFor(m_dir->filePath(QStringLiteral("p/migrations"))); }
    QString script(const char *name) const { return m_dir->filePath(QStringLiteral("p/migrations/versions/") + QLatin1String(name)); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSqlCache::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(copyTree(QStringLiteral(RETORT_FIXTURES_DIR "/projects/basic"), m_dir->filePath(QStringLiteral("p"))));
    QDir versions(m_dir->filePath(QStringLiteral("p/migrations/versions")));
    for (const QString &f : versions.entryList(QDir::Files))
        QVERIFY(versions.remove(f));
    QVERIFY(writeFile(script("aaaa00000001_first.py"), kFirst));
    QVERIFY(writeFile(script("aaaa00000002_second.py"), kSecond));
    qputenv("XDG_CACHE_HOME", m_dir->filePath(QStringLiteral("cache")).toUtf8());
    qunsetenv("RETORT_NO_CACHE");
    qputenv("RETORT_SQL_CACHE", "1");   // opt-in
    QVERIFY(QDir::setCurrent(m_dir->filePath(QStringLiteral("p"))));
}

void TestSqlCache::cleanup()
{
    qunsetenv("RETORT_NO_CACHE");
    qunsetenv("RETORT_SQL_CACHE");
}

QString TestSqlCache::run(const QStringList &args)
{
    BufferCommandOutput output;
    CommandLine cli(QStringLiteral("retort"), &output);
    const int code = cli.run(QStringList{QStringLiteral("-c"), m_dir->filePath(QStringLiteral("p/alembic.ini"))} + args);
    if (code != 0)
        return QStringLiteral("exit %1: %2").arg(code).arg(output.err);
    return output.out;
}

void TestSqlCache::warmRunWritesTheSame()
{
    const QString cold = run();
    QVERIFY2(cold.contains(QLatin1String("CREATE TABLE account")), qPrintable(cold));
    QVERIFY(QFile::exists(cacheFile()));
    QVERIFY(!cacheFile().startsWith(m_dir->filePath(QStringLiteral("p"))));   // never in the project
    // A plain list of statements is kept, a body with print() is not.
    ScriptCache cache(cacheFile());
    QCOMPARE(cache.entries(), 2);   // both headers
    QCOMPARE(cache.scriptsWithBodies(), 1);
    QCOMPARE(run(), cold);
    QCOMPARE(run(), cold);
}

// An entry whose checks pass is what the run writes (so the checks below are what keeps
// a stale entry out).
void TestSqlCache::warmRunUsesTheCache()
{
    (void)run();
    QFile f(script("aaaa00000001_first.py"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    struct stat st;
    QCOMPARE(::stat(QFile::encodeName(f.fileName()).constData(), &st), 0);
    const ScriptCache::Source source{QFileInfo(f).canonicalFilePath(), &text, qint64(st.st_size),
                                         qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
    ScriptCache cache(cacheFile());
    QVERIFY(cache.current(source));
    cache.store(source, QStringLiteral("sqlite/e/2/upgrade//sqlite:///basic.db"), {QStringLiteral("SELECT 'from the cache'")});
    cache.save();
    QVERIFY2(run().contains(QLatin1String("SELECT 'from the cache';")), qPrintable(run()));
}

// Same size, same mtime (to the nanosecond), other text: the hash tells.
void TestSqlCache::editKeepingSizeAndMtime()
{
    const QString before = run();
    QVERIFY(before.contains(QLatin1String("CREATE TABLE account")));
    const QByteArray path = QFile::encodeName(script("aaaa00000001_first.py"));
    struct stat st;
    QCOMPARE(::stat(path.constData(), &st), 0);
    QByteArray edited(kFirst);
    edited.replace("'account', sa.Column('id'", "'accoun2', sa.Column('id'");
    QCOMPARE(edited.size(), QByteArray(kFirst).size());
    QVERIFY(writeFile(QString::fromLocal8Bit(path), edited));
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    QCOMPARE(::utimensat(AT_FDCWD, path.constData(), times, 0), 0);
    struct stat after;
    QCOMPARE(::stat(path.constData(), &after), 0);
    QCOMPARE(after.st_size, st.st_size);
    QCOMPARE(after.st_mtim.tv_nsec, st.st_mtim.tv_nsec);
    QCOMPARE(after.st_mtim.tv_sec, st.st_mtim.tv_sec);
    const QString out = run();
    QVERIFY2(out.contains(QLatin1String("CREATE TABLE accoun2")), qPrintable(out));
    QVERIFY(!out.contains(QLatin1String("CREATE TABLE account")));
}

// The header comes from the cache too: an edited down_revision (same size and mtime) is seen.
void TestSqlCache::headerEditKeepingSizeAndMtime()
{
    QVERIFY(run().contains(QLatin1String("-- Running upgrade aaaa00000001 -> aaaa00000002")));
    QVERIFY(run({QStringLiteral("heads")}).startsWith(QLatin1String("aaaa00000002")));
    const QByteArray path = QFile::encodeName(script("aaaa00000002_second.py"));
    struct stat st;
    QCOMPARE(::stat(path.constData(), &st), 0);
    QByteArray edited(kSecond);
    // A second base: both are heads now.
    edited.replace("down_revision = 'aaaa00000001'", "down_revision = None          ");
    QCOMPARE(edited.size(), QByteArray(kSecond).size());
    QVERIFY(writeFile(QString::fromLocal8Bit(path), edited));
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    QCOMPARE(::utimensat(AT_FDCWD, path.constData(), times, 0), 0);
    const QString out = run();
    QVERIFY2(out.contains(QLatin1String("-- Running upgrade  -> aaaa00000002")), qPrintable(out));
    qputenv("RETORT_NO_CACHE", "1");
    QCOMPARE(out, run());
}

// The dialect is part of the key: PostgreSQL after SQLite writes what PostgreSQL writes cold.
void TestSqlCache::otherDialect()
{
    const QString ini = m_dir->filePath(QStringLiteral("p/alembic.ini"));
    const QString sqlite = run();
    QFile f(ini);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray text = f.readAll();
    f.close();
    QVERIFY(text.contains("sqlite:///basic.db"));
    QVERIFY(writeFile(ini, text.replace("sqlite:///basic.db", "postgresql://u@localhost/db")));
    const QString warm = run();
    qputenv("RETORT_NO_CACHE", "1");
    const QString cold = run();
    QVERIFY2(cold.contains(QLatin1String("TIMESTAMP WITHOUT TIME ZONE")), qPrintable(cold));
    QVERIFY(!sqlite.contains(QLatin1String("TIMESTAMP WITHOUT TIME ZONE")));
    QCOMPARE(warm, cold);
}

// A script may write the URL it runs with (op.get_bind().engine.url): the URL is part of
// the key, so another database of the same dialect writes what it writes cold.
void TestSqlCache::otherUrl()
{
    QVERIFY(writeFile(script("aaaa00000003_url.py"), R"py(revision = 'aaaa00000003'
down_revision = 'aaaa00000002'
from alembic import op


def upgrade():
    op.execute("INSERT INTO account (note) VALUES ('%s')" % op.get_bind().engine.url.database)


def downgrade():
    pass
)py"));
    const QString ini = m_dir->filePath(QStringLiteral("p/alembic.ini"));
    const QString first = run();
    QVERIFY2(first.contains(QLatin1String("VALUES ('basic.db')")), qPrintable(first));
    QFile f(ini);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray text = f.readAll();
    f.close();
    QVERIFY(writeFile(ini, text.replace("sqlite:///basic.db", "sqlite:///other.db")));
    const QString warm = run();
    QVERIFY2(warm.contains(QLatin1String("VALUES ('other.db')")), qPrintable(warm));
    qputenv("RETORT_NO_CACHE", "1");
    QCOMPARE(warm, run());
}

void TestSqlCache::corruptFile()
{
    const QString cold = run();
    QFile f(cacheFile());
    QVERIFY(f.open(QIODevice::ReadWrite));
    QByteArray data = f.readAll();
    QVERIFY(data.size() > 64);
    // Cut short, then garbage: ignored either way, and rewritten whole.
    QVERIFY(f.resize(data.size() - 7));
    f.close();
    QCOMPARE(ScriptCache(cacheFile()).entries(), 0);
    QCOMPARE(run(), cold);
    QCOMPARE(ScriptCache(cacheFile()).entries(), 2);
    QVERIFY(writeFile(cacheFile(), QByteArray(300, '\xff')));
    QCOMPARE(run(), cold);
    QCOMPARE(ScriptCache(cacheFile()).entries(), 2);
}

// A file another build wrote (its renderer may differ) is not used.
void TestSqlCache::foreignBuild()
{
    (void)run();
    QFile f(cacheFile());
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray data = f.readAll();
    f.close();
    const QByteArray id = ScriptCache::buildId().toUtf8();
    QByteArray utf16;
    for (QChar c : ScriptCache::buildId())
        utf16 += char(c.unicode() & 0xff), utf16 += char(c.unicode() >> 8);   // little-endian UTF-16
    const qsizetype at = data.indexOf(utf16);
    QVERIFY(at > 0);
    data[at + utf16.size() - 1] = char(data[at + utf16.size() - 1] ^ 1);
    QVERIFY(writeFile(cacheFile(), data));
    QCOMPARE(ScriptCache(cacheFile()).entries(), 0);
}

// A cache folder that cannot be created: the run is unaffected, nothing is written.
void TestSqlCache::unwritableFolder()
{
    const QString blocker = m_dir->filePath(QStringLiteral("blocker"));
    QVERIFY(writeFile(blocker, "a file, not a folder"));
    qputenv("XDG_CACHE_HOME", blocker.toUtf8());
    const QString out = run();
    QVERIFY2(out.contains(QLatin1String("CREATE TABLE account")), qPrintable(out));
    QVERIFY(!QFile::exists(cacheFile()));
    QCOMPARE(run(), out);
    qputenv("RETORT_NO_CACHE", "1");
    QCOMPARE(run(), out);
}

void TestSqlCache::disabled()
{
    // Off unless asked for.
    qunsetenv("RETORT_SQL_CACHE");
    QVERIFY(cacheFile().isEmpty());
    (void)run();
    qputenv("RETORT_SQL_CACHE", "1");
    QVERIFY(!QFile::exists(cacheFile()));
    qputenv("RETORT_NO_CACHE", "1");
    QVERIFY(cacheFile().isEmpty());
    const QString out = run();
    qunsetenv("RETORT_NO_CACHE");
    QVERIFY(!QFile::exists(cacheFile()));
    // A planted entry is not read with the cache disabled.
    (void)run();
    QFile f(script("aaaa00000001_first.py"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    struct stat st;
    QCOMPARE(::stat(QFile::encodeName(f.fileName()).constData(), &st), 0);
    ScriptCache cache(cacheFile());
    cache.store({QFileInfo(f).canonicalFilePath(), &text, qint64(st.st_size),
                 qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec},
                QStringLiteral("sqlite/e/2/upgrade//sqlite:///basic.db"), {QStringLiteral("SELECT 'planted'")});
    cache.save();
    QVERIFY(run().contains(QLatin1String("'planted'")));
    qputenv("RETORT_NO_CACHE", "1");
    QCOMPARE(run(), out);
}

QTEST_GUILESS_MAIN(TestSqlCache)
#include "tst_sqlcache.moc"
