#include "scriptcache.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDataStream>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>
#include <cstring>

namespace retort {

namespace {

const quint32 kMagic = 0x52544333;   // "RTC3"

} // namespace

QDataStream &operator<<(QDataStream &out, const ScriptCache::Header &h)
{
    return out << h.valid << h.id << h.downRevisions << h.branchLabels << h.dependsOn << h.longDoc;
}

QDataStream &operator>>(QDataStream &in, ScriptCache::Header &h)
{
    return in >> h.valid >> h.id >> h.downRevisions >> h.branchLabels >> h.dependsOn >> h.longDoc;
}

QString ScriptCache::fileFor(const QString &scriptFolder)
{
    // Opt-in: on a quiet machine a warm cache measured no faster than interpreting every
    // script (bench/results.md), so runs leave no files behind unless asked to.
    if (qgetenv("RETORT_SQL_CACHE") != "1")
        return {};
    if (!qEnvironmentVariableIsEmpty("RETORT_NO_CACHE") && qgetenv("RETORT_NO_CACHE") != "0")
        return {};
    QString base = qEnvironmentVariable("XDG_CACHE_HOME");
    if (base.isEmpty() || !QDir::isAbsolutePath(base)) {
        const QString home = QDir::homePath();
        if (home.isEmpty())
            return {};
        base = home + QLatin1String("/.cache");
    }
    const QByteArray folder = QFileInfo(scriptFolder).absoluteFilePath().toUtf8();
    const QByteArray name = QCryptographicHash::hash(folder, QCryptographicHash::Sha1).toHex().left(32);
    return base + QLatin1String("/retort/sql/") + QString::fromLatin1(name) + QLatin1String(".cache");
}

QString ScriptCache::buildId()
{
    // The executable's size and mtime: a rebuilt renderer must not reuse old output.
    const QFileInfo exe(QCoreApplication::instance() ? QCoreApplication::applicationFilePath() : QString());
    return QStringLiteral("%1/%2/%3/%4")
        .arg(QCoreApplication::applicationVersion(), exe.absoluteFilePath())
        .arg(exe.size())
        .arg(exe.lastModified().toMSecsSinceEpoch());
}

QByteArray ScriptCache::hashOf(const QString &path, const QString &text) const
{
    // A run asks about each script up to three times: hashed once. The memo holds a copy of
    // the text, so the same buffer means the same text.
    const auto memo = m_hashes.constFind(path);
    if (memo != m_hashes.constEnd() && memo->first.constData() == text.constData()
        && memo->first.size() == text.size())
        return memo->second;
    const QByteArray hash = hashOf(text);
    m_hashes.insert(path, {text, hash});
    return hash;
}

QByteArray ScriptCache::hashOf(const QString &text)
{
    // Two independent 64-bit lanes over the text's 8-byte words: stable across processes
    // (qHashBits is seeded per process) and cheap next to lexing the text. Not meant
    // against forgery: it tells an edited script whose size and mtime stayed the same.
    const auto *bytes = reinterpret_cast<const unsigned char *>(text.constData());
    const size_t n = size_t(text.size()) * sizeof(QChar);
    quint64 a = 0x9e3779b97f4a7c15ULL ^ n;
    quint64 b = 0x2545f4914f6cdd1dULL + n;
    const auto mix = [&a, &b](quint64 w) {
        a = (a ^ w) * 0xff51afd7ed558ccdULL;
        a ^= a >> 32;
        b = (b + w) * 0xc4ceb9fe1a85ec53ULL;
        b = (b << 31) | (b >> 33);
    };
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        quint64 w;
        memcpy(&w, bytes + i, 8);
        mix(w);
    }
    if (i < n) {
        quint64 w = 0;
        memcpy(&w, bytes + i, n - i);
        mix(w);
    }
    const auto fin = [](quint64 h) {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53ULL;
        return h ^ (h >> 33);
    };
    a = fin(a);
    b = fin(b ^ a);
    QByteArray out(16, Qt::Uninitialized);
    memcpy(out.data(), &a, 8);
    memcpy(out.data() + 8, &b, 8);
    return out;
}

ScriptCache::ScriptCache(QString file) : m_file(std::move(file))
{
    if (m_file.isEmpty())
        return;
    QFile f(m_file);
    if (!f.open(QIODevice::ReadOnly))
        return;
    const QByteArray data = f.readAll();
    QDataStream in(data);
    in.setVersion(QDataStream::Qt_6_0);
    in.setByteOrder(QDataStream::LittleEndian);   // strings read without byte swapping
    quint32 magic = 0;
    QString build;
    qint32 count = 0;
    in >> magic;
    if (magic != kMagic)
        return;
    in >> build >> count;
    if (in.status() != QDataStream::Ok || build != buildId() || count < 0)
        return;
    QHash<QString, Entry> entries;
    entries.reserve(count);
    for (qint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        QString path;
        Entry e;
        in >> path >> e.size >> e.mtimeNs >> e.hash >> e.bodies >> e.header;
        entries.insert(path, std::move(e));
    }
    if (in.status() != QDataStream::Ok || !in.atEnd())
        return;   // corrupt: ignored (and rewritten at the end if anything is stored)
    m_entries = std::move(entries);
}

const ScriptCache::Entry *ScriptCache::match(const Source &source) const
{
    if (m_file.isEmpty() || !source.text || source.size < 0)
        return nullptr;
    const auto it = m_entries.constFind(source.path);
    if (it == m_entries.constEnd() || it->size != source.size || it->mtimeNs != source.mtimeNs
        || it->hash != hashOf(source.path, *source.text))
        return nullptr;
    return &*it;
}

int ScriptCache::scriptsWithBodies() const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(), [](const Entry &e) { return !e.bodies.isEmpty(); }));
}

bool ScriptCache::current(const Source &source) const
{
    return match(source) != nullptr;
}

std::optional<QStringList> ScriptCache::lookup(const Source &source, const QString &key) const
{
    const Entry *e = match(source);
    if (!e)
        return std::nullopt;
    const auto body = e->bodies.constFind(key);
    if (body == e->bodies.constEnd())
        return std::nullopt;
    return *body;
}

void ScriptCache::store(const Source &source, const QString &key, const QStringList &statements)
{
    if (m_file.isEmpty() || !source.text || source.size < 0)
        return;
    const QByteArray hash = hashOf(source.path, *source.text);
    Entry &e = m_entries[source.path];
    if (e.size != source.size || e.mtimeNs != source.mtimeNs || e.hash != hash)
        e = Entry{source.size, source.mtimeNs, hash, {}, {}};
    e.bodies.insert(key, statements);
    m_dirty = true;
}

std::optional<ScriptCache::Header> ScriptCache::header(const Source &source) const
{
    // No memo here: called from several threads at once.
    if (m_file.isEmpty() || !source.text || source.size < 0)
        return std::nullopt;
    const auto it = m_entries.constFind(source.path);
    if (it == m_entries.constEnd() || !it->header.valid || it->size != source.size
        || it->mtimeNs != source.mtimeNs || it->hash != hashOf(*source.text))
        return std::nullopt;
    return it->header;
}

void ScriptCache::noteHeader(const Source &source, const Header &header)
{
    if (m_file.isEmpty() || !source.text || source.size < 0 || !header.valid)
        return;
    QMutexLocker lock(&m_notedLock);
    m_noted.append({source.path, *source.text, source.size, source.mtimeNs, header});
}

void ScriptCache::save()
{
    if (m_file.isEmpty())
        return;
    {
        QMutexLocker lock(&m_notedLock);
        for (const NotedHeader &n : std::as_const(m_noted)) {
            const QByteArray hash = hashOf(n.path, n.text);
            Entry &e = m_entries[n.path];
            if (e.size != n.size || e.mtimeNs != n.mtimeNs || e.hash != hash)
                e = Entry{n.size, n.mtimeNs, hash, {}, {}};
            e.header = n.header;
            m_dirty = true;
        }
        m_noted.clear();
    }
    if (!m_dirty)
        return;
    m_dirty = false;
    if (!QDir().mkpath(QFileInfo(m_file).absolutePath()))
        return;
    QByteArray data;
    {
        QDataStream out(&data, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_0);
        out.setByteOrder(QDataStream::LittleEndian);
        out << kMagic << buildId() << qint32(m_entries.size());
        for (auto it = m_entries.constBegin(); it != m_entries.constEnd(); ++it)
            out << it.key() << it->size << it->mtimeNs << it->hash << it->bodies << it->header;
    }
    QSaveFile f(m_file);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        return;
    (void)f.commit();
}

} // namespace retort
