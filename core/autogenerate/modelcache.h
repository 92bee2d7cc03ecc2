#pragma once
// The metadata helper's answer, kept under the user cache directory
// ($XDG_CACHE_HOME/retort/models/<key>.json) with the files it came from (every imported
// module's file and directory, sys.path's directories, env.py, the ini, the interpreter).
// A later run with the same options reuses it while all of those files are unchanged
// (mtime and size), so Python never starts: importing a large models package alone
// takes seconds. RETORT_NO_MODEL_CACHE=1 turns it off.

#include "modelloader.h"
#include "result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QString>

#include <optional>

namespace retort {

class ModelCache
{
public:
    struct Hit
    {
        QByteArray answer;      // the helper's JSON document
        QString stderrText;     // what env.py printed on the run that filled the cache
        int fileCount = 0;      // dependencies found unchanged
    };

    // The entry for these options; helperVersion identifies the helper's source.
    ModelCache(const ModelLoadOptions &options, const QByteArray &helperVersion);

    // False when RETORT_NO_MODEL_CACHE is set to anything but "" or "0".
    static bool enabled();
    // Whether an answer may be reused: not when include_name / include_object exist
    // (their decisions depend on the database).
    static bool cacheable(const LoadedModels &models);
    // Shared with the other caches of Python answers (PythonHeaderReader): a dependency
    // [path, mtime in ms, size (-1: a directory)] that still matches the file system, and
    // the interpreter a key names (absolute, found on PATH when given by name).
    static bool unchanged(const QJsonArray &dep);
    static QString interpreterPath(const QString &python);

    QString path() const { return m_path; }
    // The stored answer when every dependency is still there and unchanged.
    std::optional<Hit> lookup() const;
    // Stores answer (the helper's first document) with models.dependencies.
    VoidResult store(const QByteArray &answer, const LoadedModels &models) const;

private:
    QString m_path;
};

} // namespace retort
