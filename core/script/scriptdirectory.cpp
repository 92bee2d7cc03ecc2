#include "scriptdirectory.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "revisionscriptreader.h"

#include <QDir>
#include <QFile>
#include <QDirIterator>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSet>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#endif

namespace retort {

namespace {

std::atomic<ScriptDirectory::BeforeRead> g_beforeRead{nullptr};

// The scan's warnings about a revision's ids (too long for the version table, unsafe in
// SQL text), in the order they are reported.
void noteIdProblems(const Revision &r, QStringList *out);

// Python's repr() of a str: single quotes unless the text has one and no double quote.
QString pyRepr(const QString &s)
{
    const QChar q = s.contains(u'\'') && !s.contains(u'"') ? u'"' : u'\'';
    return q + QString(s).replace(u'\\', QStringLiteral("\\\\")).replace(q, QStringLiteral("\\") + q) + q;
}

// A directory entry and whether it may be a symbolic link (readdir's d_type says so, or
// cannot tell): only those need a stat of their own to resolve the real path.
struct DirEntry
{
    QString name;
    bool maybeLink = true;
};

// Entries in readdir() order, as os.listdir returns them.
QVector<DirEntry> listEntries(const QString &path)
{
    QVector<DirEntry> out;
#ifdef Q_OS_UNIX
    if (DIR *d = ::opendir(QFile::encodeName(path).constData())) {
        while (const dirent *e = ::readdir(d)) {
            if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0)
                continue;
            out.append({QFile::decodeName(e->d_name), e->d_type == DT_LNK || e->d_type == DT_UNKNOWN});
        }
        ::closedir(d);
    }
#else
    // QDirIterator does not sort: entries come in the platform's listing order.
    QDirIterator it(path, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        it.next();
        out.append({it.fileName(), true});
    }
#endif
    return out;
}

// Script._list_py_dir with sourceless: orphan __pycache__ entries are added as relative paths.
QVector<DirEntry> listVersionDir(const QString &path, bool sourceless)
{
    QVector<DirEntry> entries = listEntries(path);
    if (!sourceless)
        return entries;
    const QString cache = path + QStringLiteral("/__pycache__");
    if (!QFileInfo(cache).isDir())
        return entries;
    QSet<QString> names;
    for (const DirEntry &e : entries)
        names.insert(e.name.section(u'.', 0, 0));
    for (const QString &pyc : ScriptDirectory::listDirectory(cache))
        if (!names.contains(pyc.section(u'.', 0, 0)))
            entries.append({QStringLiteral("__pycache__/") + pyc, true});
    return entries;
}

// The folder as a descriptor for openat() (-1 where there is none; readers then open by path).
int openFolder(const QString &path)
{
#ifdef Q_OS_UNIX
    return ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
#else
    Q_UNUSED(path)
    return -1;
#endif
}

int closeFd(int fd)
{
#ifdef Q_OS_UNIX
    return ::close(fd);
#else
    Q_UNUSED(fd)
    return 0;
#endif
}

// QDirIterator shows an unreadable folder as an empty one, which would read as "no
// revisions" (and `upgrade` would stamp an empty version table): open it once to find out.
// The text is os.listdir's PermissionError.
VoidResult checkReadable(const QString &path)
{
#ifdef Q_OS_UNIX
    DIR *d = ::opendir(QFile::encodeName(path).constData());
    if (!d) {
        const int e = errno;
        return Error(QStringLiteral("[Errno %1] %2: %3")
                         .arg(e).arg(QString::fromLocal8Bit(std::strerror(e)), pyRepr(path)));
    }
    ::closedir(d);
#else
    if (!QFileInfo(path).isReadable())
        return Error(QStringLiteral("Permission denied: %1").arg(pyRepr(path)));
#endif
    return {};
}

} // namespace

Result<ScriptDirectory> ScriptDirectory::fromConfig(const AlembicConfig &config)
{
    auto settings = config.scriptSettings();
    if (!settings)
        return settings.error();
    return fromSettings(*settings);
}

Result<ScriptDirectory> ScriptDirectory::fromSettings(const ScriptSettings &settings)
{
    if (!QFileInfo::exists(settings.scriptDirectory))
        return Error(QStringLiteral("Path doesn't exist: %1.  Please use the 'init' command to "
                                    "create a new scripts folder.").arg(pyRepr(settings.scriptDirectory)));
    ScriptDirectory sd;
    sd.m_settings = settings;
    return sd;
}

QString ScriptDirectory::envPyPath() const
{
    return dir() + QStringLiteral("/env.py");
}

QString ScriptDirectory::scriptTemplatePath() const
{
    return dir() + QStringLiteral("/script.py.mako");
}

QStringList ScriptDirectory::versionLocations() const
{
    if (!m_settings.versionLocations.isEmpty())
        return m_settings.versionLocations;
    return {QDir::cleanPath(dir() + QStringLiteral("/versions"))};
}

Result<QString> ScriptDirectory::versionsDir() const
{
    const QStringList locations = versionLocations();
    if (locations.size() > 1)
        return Error(QStringLiteral("Multiple version_locations present"));
    return locations.first();
}

QStringList ScriptDirectory::listDirectory(const QString &path)
{
    QStringList out;
    for (const DirEntry &e : listEntries(path))
        out.append(e.name);
    return out;
}

void ScriptDirectory::setBeforeReadHook(BeforeRead hook)
{
    g_beforeRead = hook;
}

Result<QVector<Revision>> ScriptDirectory::loadRevisions(QStringList *warnings,
                                                         const HeaderResolver &resolver) const
{
    QStringList paths;
    if (!m_settings.versionLocations.isEmpty()) {
        for (const QString &loc : m_settings.versionLocations)
            if (QFileInfo::exists(loc))
                paths.append(loc);
    } else {
        paths = versionLocations();
        if (!QFileInfo(paths.first()).isDir())
            return Error(QStringLiteral("[Errno 2] No such file or directory: %1").arg(pyRepr(paths.first())));
    }
    // Reading and parsing the files is independent per file and dominates every
    // read-only command: spread it over the cores, then assemble in discovery order.
    // Resolving each file's real path (an lstat per file) is done by the workers too;
    // the rare duplicate is read for nothing and ignored below.
    struct Entry { QString dir, file, realDir, path; bool maybeLink; int dirFd; };
    QVector<Entry> entries;
    // Each folder opened once: its scripts are opened relative to it (openat).
    std::vector<int> dirFds;
    const auto closeDirs = qScopeGuard([&dirFds] {
        for (int fd : dirFds)
            (void)closeFd(fd);
    });
    for (const QString &vers : paths) {
        if (VoidResult readable = checkReadable(vers); !readable)
            return readable.error();
        const int dirFd = openFolder(vers);
        if (dirFd >= 0)
            dirFds.push_back(dirFd);
        // os.path.realpath per file, but resolving the folder once (only symlinked files
        // need their own resolution).
        const QString realDir = QFileInfo(vers).canonicalFilePath();
        const QVector<DirEntry> listed = listVersionDir(vers, m_settings.sourceless);
        entries.reserve(entries.size() + listed.size());
        for (const DirEntry &file : listed)
            entries.append({vers, file.name, realDir, {}, file.maybeLink, dirFd});
    }
    using Read = Result<std::optional<Revision>>;
    std::vector<std::optional<Read>> reads(size_t(entries.size()));
    std::vector<std::optional<UnreadHeader>> unread(resolver ? reads.size() : 0);
    const bool sourceless = m_settings.sourceless;
    ScriptCache *const cache = m_cache;
    Entry *const entryAt = entries.data();   // detached once, before the threads start
    std::vector<QStringList> idNotes(warnings ? reads.size() : 0);
    // Scripts are claimed one at a time, not split in fixed shares: on a busy machine a
    // helper thread may wait for a core for tens of milliseconds, and this thread then
    // reads what it has not claimed instead of waiting for it to finish a share.
    std::atomic<size_t> next{0};
    // One folder's entries without links cannot name one file twice: no real paths, no set.
    const bool mayRepeat = paths.size() > 1
        || std::any_of(entries.cbegin(), entries.cend(),
                       [](const Entry &e) { return e.maybeLink || e.file.contains(u'/'); });
    auto work = [&]() {
        for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < reads.size();) {
            if (const ScriptDirectory::BeforeRead hook = g_beforeRead.load(std::memory_order_relaxed))
                hook(int(i));
            Entry &e = entryAt[i];
            if (mayRepeat)
                e.path = e.realDir + u'/' + e.file;
            if (mayRepeat && (e.maybeLink || e.file.contains(u'/'))) {
                const QFileInfo info(e.dir + u'/' + e.file);
                if (info.isSymLink() || e.file.contains(u'/'))
                    e.path = info.canonicalFilePath();
            }
            reads[i] = RevisionScriptReader::readEntry(e.dir, e.file, sourceless,
                                                       resolver ? &unread[i] : nullptr, e.dirFd, cache);
            // Checked here, in parallel, unless Python still has to supply the header.
            if (!idNotes.empty() && *reads[i] && (*reads[i])->has_value() && !(resolver && unread[i]))
                noteIdProblems(***reads[i], &idNotes[i]);
        }
    };
    const size_t threads = entries.size() < 64 ? 1 : std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
    for (auto &th : pool)
        th.join();

    std::vector<bool> duplicate(reads.size(), false);
    QSet<QString> seen;
    for (size_t i = 0; mayRepeat && i < reads.size(); ++i) {
        const QString &path = entries[int(i)].path;
        if (seen.contains(path)) {
            duplicate[i] = true;
            if (warnings)
                warnings->append(QStringLiteral("File %1 loaded twice! ignoring. Please ensure "
                                                "version_locations is unique.").arg(path));
            continue;
        }
        seen.insert(path);
    }

    // Headers only Python can read: one request for all of them, after every other
    // script was read (a static error elsewhere is reported first, as without a resolver).
    QVector<UnreadHeader> pending;
    for (size_t i = 0; i < unread.size(); ++i)
        if (!duplicate[i] && unread[i] && *reads[i] && (*reads[i])->has_value())
            pending.append(*unread[i]);
    for (size_t i = 0; i < reads.size(); ++i)
        if (!duplicate[i] && !*reads[i])
            return reads[i]->error();
    QHash<QString, QJsonObject> resolved;
    if (!pending.isEmpty()) {
        auto answer = resolver(pending);
        if (!answer)
            return answer.error();
        resolved = std::move(*answer);
    }

    QVector<Revision> revisions;
    revisions.reserve(qsizetype(reads.size()));
    for (size_t i = 0; i < reads.size(); ++i) {
        if (duplicate[i])
            continue;
        auto &read = reads[i];
        if (!(*read)->has_value())
            continue;
        Revision r = std::move(***read);
        if (!unread.empty() && unread[i]) {
            const auto values = resolved.constFind(r.path);
            if (values == resolved.constEnd())
                return unread[i]->error;
            if (VoidResult applied = RevisionScriptReader::applyPythonValues(&r, *values); !applied)
                return applied.error();
        }
        r.order = int(revisions.size());
        if (warnings) {
            if (!unread.empty() && unread[i])
                noteIdProblems(r, warnings);
            else
                warnings->append(idNotes[i]);
        }
        revisions.append(std::move(r));
    }
    return revisions;
}

namespace {

void noteIdProblems(const Revision &r, QStringList *out)
{
    if (r.id.size() > 32)
        out->append(QStringLiteral("Revision id '%1' (%2) is longer than 32 characters "
                                   "and won't fit alembic_version's VARCHAR(32)")
                        .arg(r.id, r.path));
    // Harmless online (ids are bound values there), but such an id reaches SQL text with
    // --sql and in Alembic itself: say where it comes from.
    auto check = [&](const QString &id) {
        const QString unsafe = RevisionScriptReader::unsafeIdCharacters(id);
        if (!unsafe.isEmpty())
            out->append(QStringLiteral("Revision id %1 in %2 contains %3; such ids are "
                                       "unsafe in SQL scripts (--sql) and file names")
                            .arg(pyRepr(id), r.path, unsafe));
    };
    check(r.id);
    for (const QString &id : r.downRevisions)
        check(id);
}

} // namespace

} // namespace retort
