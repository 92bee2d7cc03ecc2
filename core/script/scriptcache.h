#pragma once
// A persistent cache of what `upgrade/downgrade --sql` derives from each revision script,
// the counterpart of Python's __pycache__: per script (path, size, mtime and a hash of its
// text) its header as RevisionHeaderScan read it (so the graph needs no scan) and the
// statements its upgrade()/downgrade() rendered to, per run shape (dialect, mode,
// direction, engine). Only bodies that are a plain list of statements are kept; anything
// else takes the normal path. One file per script folder, outside the project
// ($XDG_CACHE_HOME/retort/sql/<hash of the folder>.cache), read once at the start and written
// once at the end (atomically; a failed write is silent). A corrupt file or one written by
// another build is ignored. Off unless RETORT_SQL_CACHE=1; RETORT_NO_CACHE=1 disables it.

#include <QHash>
#include <QMutex>
#include <QVector>
#include <QString>
#include <QStringList>
#include <optional>
#include <utility>

namespace retort {

class ScriptCache
{
public:
    // The cache file for scripts in this folder; empty when disabled (no RETORT_SQL_CACHE=1,
    // or RETORT_NO_CACHE).
    static QString fileFor(const QString &scriptFolder);
    // Identifies this build (version and the executable's size and mtime): a cache
    // written by another build is ignored.
    static QString buildId();

    // Reads `file` (nothing when it is missing, unreadable, corrupt or foreign).
    explicit ScriptCache(QString file);

    struct Source
    {
        QString path;
        const QString *text = nullptr;
        qint64 size = -1;
        qint64 mtimeNs = 0;
    };
    // The statements stored for this script and key, when path, size, mtime and text hash
    // all match what was stored.
    std::optional<QStringList> lookup(const Source &source, const QString &key) const;
    // Whether any body of this exact script is stored (path, size, mtime and hash).
    bool current(const Source &source) const;
    void store(const Source &source, const QString &key, const QStringList &statements);

    // The header fields RevisionScriptReader's fast path read from a script.
    struct Header
    {
        bool valid = false;
        QString id;
        QStringList downRevisions, branchLabels, dependsOn;
        QString longDoc;
    };
    // Thread-safe (the script reader's workers): the stored header of this exact script.
    std::optional<Header> header(const Source &source) const;
    // Thread-safe: remembers a header read from the script, stored at save().
    void noteHeader(const Source &source, const Header &header);
    // Writes the file when something was stored (QSaveFile); failure is silent.
    void save();

    int entries() const { return int(m_entries.size()); }
    // Scripts with at least one body stored.
    int scriptsWithBodies() const;

private:
    struct Entry
    {
        qint64 size = -1;
        qint64 mtimeNs = 0;
        QByteArray hash;
        QHash<QString, QStringList> bodies;
        Header header;
    };
    struct NotedHeader
    {
        QString path;
        QString text;
        qint64 size;
        qint64 mtimeNs;
        Header header;
    };
    QMutex m_notedLock;
    QVector<NotedHeader> m_noted;   // from the reader's workers
    const Entry *match(const Source &source) const;
    static QByteArray hashOf(const QString &text);
    QByteArray hashOf(const QString &path, const QString &text) const;

    QString m_file;
    QHash<QString, Entry> m_entries;   // by script path
    bool m_dirty = false;
    mutable QHash<QString, std::pair<QString, QByteArray>> m_hashes;   // by path: text, hash
};

} // namespace retort
