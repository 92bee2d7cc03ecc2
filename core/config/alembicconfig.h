#pragma once
// The equivalent of alembic.config.Config: the .ini file, the main section (-n/--name),
// -x arguments, and the [alembic] settings that shape the script directory.

#include "inifile.h"
#include "result.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace retort {

// The [alembic] keys ScriptDirectory.from_config reads, resolved.
struct ScriptSettings
{
    QString scriptLocation;         // as written (after interpolation)
    QString scriptDirectory;        // absolute path (package:path resolved)
    QStringList versionLocations;   // absolute paths as configured; empty = <dir>/versions
    bool recursiveVersionLocations = false;   // parsed only: Alembic 1.8.1 does not recurse
    QString fileTemplate = QStringLiteral("%(rev)s_%(slug)s");
    int truncateSlugLength = 40;
    std::optional<QString> timezone;
    QString outputEncoding = QStringLiteral("utf-8");
    QStringList prependSysPath;     // split on ", ", spaces and ':' like Alembic
    bool revisionEnvironment = false;
    bool sourceless = false;
    std::optional<QString> sqlalchemyUrl;
    IniFile::Items hookConfig;      // [post_write_hooks]
};

class AlembicConfig
{
public:
    // -c/--config value if given, else $ALEMBIC_CONFIG, else "alembic.ini" (argparse default).
    static QString resolveConfigPath(const QString &cliValue = {});

    // Builds the config; the ini is parsed now (syntax errors fail here), a missing file
    // is not an error until an option is asked for (as in Alembic).
    // workingDirectory: what relative paths (script_location, version_locations) resolve
    // against; empty = QDir::currentPath().
    static Result<AlembicConfig> load(const QString &iniPath,
                                      const QString &section = QStringLiteral("alembic"),
                                      const QStringList &xArguments = {},
                                      const QString &workingDirectory = {});

    QString configFileName() const { return m_fileName; }   // as given
    QString iniSection() const { return m_section; }
    QStringList xArguments() const { return m_xArgs; }
    // -x key=value pairs (EnvironmentContext.get_x_argument(as_dictionary=True)).
    QMap<QString, QString> xArgumentMap() const;
    QString workingDirectory() const { return m_cwd; }
    const IniFile &iniFile() const { return m_ini; }
    IniFile &iniFile() { return m_ini; }

    // "No config file 'alembic.ini' found, or file has no '[alembic]' section" unless present.
    Result<void> checkSection(const QString &section) const;

    // get_section_option / get_main_option: nullopt when absent.
    Result<std::optional<QString>> sectionOption(const QString &section, const QString &name) const;
    Result<std::optional<QString>> mainOption(const QString &name) const;
    Result<QString> mainOptionOr(const QString &name, const QString &defaultValue) const;
    // get_section(): nullopt when the section does not exist.
    Result<std::optional<IniFile::Items>> section(const QString &name) const;

    // The multidb template's engine names: `databases` in the main section, split as its
    // env.py splits it (re.split(r",\s*", ...)); empty when the option is absent or blank.
    Result<QStringList> databaseNames() const;

    void setMainOption(const QString &name, const QString &value);
    void setSectionOption(const QString &section, const QString &name, const QString &value);

    // ScriptDirectory.from_config's reading of the main section, with Alembic's errors
    // ("No 'script_location' key found in configuration.", bad version_path_separator ...).
    Result<ScriptSettings> scriptSettings() const;

    // Resolves a script_location / version location: absolute as is; `package:path`
    // through a package found statically (prepend_sys_path entries, then the CWD);
    // otherwise relative to the working directory.
    // version_locations split per version_path_separator (nullopt = legacy split).
    static Result<QStringList> splitVersionLocations(const QString &value,
                                                     const std::optional<QString> &separator);

    Result<QString> resolveLocation(const QString &location,
                                    const QStringList &prependSysPath = {}) const;

private:
    QString m_fileName;
    QString m_section;
    QStringList m_xArgs;
    QString m_cwd;
    IniFile m_ini;
};

} // namespace retort
