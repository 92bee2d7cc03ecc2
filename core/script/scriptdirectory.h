#pragma once
// Alembic's ScriptDirectory: the script location, env.py / script.py.mako, the version
// locations, and the scan of revision files (in Alembic 1.8.1's discovery order).

#include "config/alembicconfig.h"
#include "revision/revision.h"
#include "revisionscriptreader.h"
#include "result.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>

namespace retort {

class ScriptCache;

// Reads the headers the static reader cannot (by importing the scripts with the project's
// Python): per script path, the values as RevisionScriptReader::applyPythonValues takes
// them. Installed by the services layer (core/script runs no processes).
using HeaderResolver = std::function<Result<QHash<QString, QJsonObject>>(const QVector<UnreadHeader> &)>;

class ScriptDirectory
{
public:
    // ScriptDirectory.from_config: errors "No 'script_location' key found in configuration.",
    // "Path doesn't exist: '<abs>'.  Please use the 'init' command to create a new scripts folder."
    static Result<ScriptDirectory> fromConfig(const AlembicConfig &config);
    // For a directory without a config (tests, init).
    static Result<ScriptDirectory> fromSettings(const ScriptSettings &settings);

    const ScriptSettings &settings() const { return m_settings; }
    QString dir() const { return m_settings.scriptDirectory; }   // absolute
    QString envPyPath() const;           // <dir>/env.py
    QString scriptTemplatePath() const;  // <dir>/script.py.mako
    // Absolute version locations: configured ones, or <dir>/versions.
    QStringList versionLocations() const;
    // ScriptDirectory.versions: the single location ("Multiple version_locations present").
    Result<QString> versionsDir() const;

    // Scans the version locations in Alembic's order (directory listing order per folder,
    // like os.listdir; configured locations that don't exist are skipped). Revision::order
    // is the discovery index. warnings: duplicate files, ids longer than 32 characters.
    // Without a resolver, a header value that cannot be read statically is an error.
    Result<QVector<Revision>> loadRevisions(QStringList *warnings = nullptr,
                                            const HeaderResolver &resolver = {}) const;

    // Headers of unchanged scripts from earlier runs (ScriptCache, --sql); the caller keeps
    // it alive while it is set.
    void setCache(ScriptCache *cache) { m_cache = cache; }

    // Directory entries of one folder in os.listdir order (exposed for tests).
    static QStringList listDirectory(const QString &path);

    // Tests: called on every reading thread before each script is read (nullptr: none).
    using BeforeRead = void (*)(int index);
    static void setBeforeReadHook(BeforeRead hook);

private:
    ScriptSettings m_settings;
    ScriptCache *m_cache = nullptr;
};

} // namespace retort
