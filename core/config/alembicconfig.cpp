#include "alembicconfig.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace retort {

namespace {

QString pyRepr(const QString &s)
{
    const QChar q = (s.contains(u'\'') && !s.contains(u'"')) ? u'"' : u'\'';
    QString out(q);
    for (QChar c : s) {
        if (c == u'\\')
            out += QStringLiteral("\\\\");
        else if (c == q)
            out += QString(u'\\') + c;
        else
            out += c;
    }
    return out + q;
}

// os.path.abspath relative to a given working directory (no symlink resolution).
QString absPath(const QString &cwd, const QString &path)
{
    return QDir::cleanPath(QDir(cwd).absoluteFilePath(path));
}

// sqlalchemy.util.asbool
Result<bool> asBool(const QString &value)
{
    const QString v = value.trimmed().toLower();
    static const QStringList yes = {"true", "yes", "on", "y", "t", "1"};
    static const QStringList no = {"false", "no", "off", "n", "f", "0"};
    if (yes.contains(v))
        return true;
    if (no.contains(v))
        return false;
    return Error(QStringLiteral("String is not true/false: %1").arg(pyRepr(v)));
}

// Python int() of a config string.
Result<int> pyInt(const QString &value)
{
    bool ok = false;
    const int n = QString(value).trimmed().remove(u'_').toInt(&ok);
    if (!ok)
        return Error(QStringLiteral("invalid literal for int() with base 10: %1").arg(pyRepr(value)));
    return n;
}

} // namespace

QString AlembicConfig::resolveConfigPath(const QString &cliValue)
{
    if (!cliValue.isNull())
        return cliValue;
    if (qEnvironmentVariableIsSet("ALEMBIC_CONFIG"))
        return qEnvironmentVariable("ALEMBIC_CONFIG");
    return QStringLiteral("alembic.ini");
}

Result<AlembicConfig> AlembicConfig::load(const QString &iniPath, const QString &section,
                                          const QStringList &xArguments,
                                          const QString &workingDirectory)
{
    AlembicConfig c;
    c.m_fileName = iniPath;
    c.m_section = section;
    c.m_xArgs = xArguments;
    c.m_cwd = workingDirectory.isEmpty() ? QDir::currentPath() : workingDirectory;
    // Config.file_config: defaults {'here': abspath(dirname(file))}, then read().
    const QString here = iniPath.isEmpty() ? QString()
                                           : absPath(c.m_cwd, QFileInfo(iniPath).path());
    const IniFile::Items defaults{{QStringLiteral("here"), here}};
    if (iniPath.isEmpty()) {
        c.m_ini = IniFile(defaults);
        c.m_ini.addSection(section);
        return c;
    }
    // Keep the name as given for configparser-style messages when it resolves the same.
    const bool asGiven = QFileInfo(iniPath).isAbsolute() || QDir(c.m_cwd) == QDir::current();
    auto ini = IniFile::load(asGiven ? iniPath : absPath(c.m_cwd, iniPath), defaults);
    if (!ini)
        return ini.error();
    c.m_ini = *ini;
    return c;
}

QMap<QString, QString> AlembicConfig::xArgumentMap() const
{
    QMap<QString, QString> out;
    for (const QString &arg : m_xArgs) {
        const int eq = int(arg.indexOf(u'='));
        if (eq >= 0)
            out.insert(arg.left(eq), arg.mid(eq + 1));
    }
    return out;
}

Result<void> AlembicConfig::checkSection(const QString &section) const
{
    if (m_ini.hasSection(section))
        return {};
    return Error(QStringLiteral("No config file %1 found, or file has no '[%2]' section")
                     .arg(m_fileName.isEmpty() ? QStringLiteral("None") : pyRepr(m_fileName), section));
}

Result<std::optional<QString>> AlembicConfig::sectionOption(const QString &section,
                                                            const QString &name) const
{
    if (auto r = checkSection(section); !r)
        return r.error();
    return m_ini.get(section, name);
}

Result<std::optional<QString>> AlembicConfig::mainOption(const QString &name) const
{
    return sectionOption(m_section, name);
}

Result<QString> AlembicConfig::mainOptionOr(const QString &name, const QString &defaultValue) const
{
    auto v = mainOption(name);
    if (!v)
        return v.error();
    return v->value_or(defaultValue);
}

Result<QStringList> AlembicConfig::databaseNames() const
{
    auto value = mainOption(QStringLiteral("databases"));
    if (!value)
        return value.error();
    if (!value->has_value() || (*value)->trimmed().isEmpty())
        return QStringList();
    static const QRegularExpression separator(QStringLiteral(",\\s*"));
    return (*value)->split(separator);
}

Result<std::optional<IniFile::Items>> AlembicConfig::section(const QString &name) const
{
    if (!m_ini.hasSection(name))
        return std::optional<IniFile::Items>();
    auto items = m_ini.items(name);
    if (!items)
        return items.error();
    return std::optional<IniFile::Items>(*items);
}

void AlembicConfig::setMainOption(const QString &name, const QString &value)
{
    setSectionOption(m_section, name, value);
}

void AlembicConfig::setSectionOption(const QString &section, const QString &name, const QString &value)
{
    m_ini.set(section, name, value);
}

Result<ScriptSettings> AlembicConfig::scriptSettings() const
{
    ScriptSettings s;
    auto get = [this](const char *key) { return mainOption(QString::fromLatin1(key)); };
    auto location = get("script_location");
    if (!location)
        return location.error();
    if (location->has_value()) {
        s.scriptLocation = **location;
    } else {
        // Flask-Migrate writes migrations/alembic.ini without script_location (`flask db`
        // sets it to that directory): an ini beside an env.py is its own script directory.
        const QString iniDir = QFileInfo(m_fileName).path();
        const QDir base(m_cwd.isEmpty() ? QDir::currentPath() : m_cwd);
        if (!QFileInfo::exists(base.absoluteFilePath(iniDir + QStringLiteral("/env.py"))))
            return Error(QStringLiteral("No 'script_location' key found in configuration."));
        s.scriptLocation = iniDir;
    }

    auto tsl = get("truncate_slug_length");
    if (!tsl)
        return tsl.error();
    if (tsl->has_value()) {
        auto n = pyInt(**tsl);
        if (!n)
            return n.error();
        s.truncateSlugLength = *n ? *n : 40;   // `truncate_slug_length or 40`
    }

    auto versions = get("version_locations");
    auto separator = get("version_path_separator");
    if (!versions)
        return versions.error();
    if (!separator)
        return separator.error();
    QStringList versionStrings;
    if (versions->has_value() && !(*versions)->isEmpty()) {
        auto split = splitVersionLocations(**versions, *separator);
        if (!split)
            return split.error();
        versionStrings = *split;
    }

    auto prepend = get("prepend_sys_path");
    if (!prepend)
        return prepend.error();
    if (prepend->has_value() && !(*prepend)->isEmpty()) {
        static const QRegularExpression re(QStringLiteral(", *|(?: +)|:"));
        s.prependSysPath = (*prepend)->split(re);
    }

    auto timezone = get("timezone");
    if (!timezone)
        return timezone.error();
    s.timezone = *timezone;
    // Keys ScriptDirectory.from_config does not read must not make it fail (a bad '%' in
    // the URL only matters to commands that connect).
    if (auto url = get("sqlalchemy.url"))
        s.sqlalchemyUrl = *url;
    auto fileTemplate = mainOptionOr(QStringLiteral("file_template"), s.fileTemplate);
    auto encoding = mainOptionOr(QStringLiteral("output_encoding"), s.outputEncoding);
    auto sourceless = get("sourceless");
    auto hooks = section(QStringLiteral("post_write_hooks"));
    for (const Error *e : {fileTemplate ? nullptr : &fileTemplate.error(),
                           encoding ? nullptr : &encoding.error(),
                           sourceless ? nullptr : &sourceless.error(),
                           hooks ? nullptr : &hooks.error()})
        if (e)
            return *e;
    s.fileTemplate = *fileTemplate;
    s.outputEncoding = *encoding;
    s.sourceless = sourceless->value_or(QString()) == u"true";
    s.hookConfig = hooks->value_or(IniFile::Items());
    // Read by `revision` (revision_environment) or not at all in 1.8.1 (recursive_...):
    // unreadable values are left at their defaults here.
    if (auto revEnv = get("revision_environment"); revEnv && revEnv->has_value()) {
        auto b = asBool(**revEnv);
        s.revisionEnvironment = b.ok() && *b;
    }
    if (auto recursive = get("recursive_version_locations"); recursive && recursive->has_value()) {
        auto b = asBool(**recursive);
        s.recursiveVersionLocations = b.ok() && *b;
    }

    auto dir = resolveLocation(s.scriptLocation, s.prependSysPath);
    if (!dir)
        return dir.error();
    s.scriptDirectory = *dir;
    for (const QString &v : versionStrings) {
        auto loc = resolveLocation(v, s.prependSysPath);
        if (!loc)
            return loc.error();
        s.versionLocations.append(*loc);
    }
    return s;
}

// ScriptDirectory.from_config's version_locations split: legacy (no separator configured)
// splits on ", *" or runs of spaces and keeps empty pieces; explicit separators drop them.
Result<QStringList> AlembicConfig::splitVersionLocations(const QString &value,
                                                         const std::optional<QString> &separator)
{
    if (!separator) {
        static const QRegularExpression legacy(QStringLiteral(", *|(?: +)"));
        return value.split(legacy);
    }
    QString sep;
    if (*separator == u"space")
        sep = QStringLiteral(" ");
    else if (*separator == u"os")
        sep = QDir::listSeparator();
    else if (*separator == u":" || *separator == u";")
        sep = *separator;
    else
        return Error(QStringLiteral("'%1' is not a valid value for version_path_separator; "
                                    "expected 'space', 'os', ':', ';'").arg(*separator));
    return value.split(sep, Qt::SkipEmptyParts);
}

Result<QString> AlembicConfig::resolveLocation(const QString &location,
                                               const QStringList &prependSysPath) const
{
    if (QDir::isAbsolutePath(location) || !location.contains(u':'))
        return absPath(m_cwd, location);
    // util.coerce_resource_to_filename: "package:sub:dirs" through importlib.resources.
    const QStringList tokens = location.split(u':');
    const QString packagePath = QString(tokens.first()).replace(u'.', u'/');
    QStringList roots;
    for (const QString &entry : prependSysPath)
        roots.append(absPath(m_cwd, entry));
    roots.append(m_cwd);   // sys.path[0] under `python -m alembic`; the ini's dir is not searched
    for (const QString &root : roots) {
        const QString pkgDir = root + u'/' + packagePath;
        if (QFileInfo::exists(pkgDir + QStringLiteral("/__init__.py"))) {
            QString path = pkgDir;
            for (int i = 1; i < tokens.size(); ++i)
                path += u'/' + tokens[i];
            return QDir::cleanPath(path);
        }
    }
    return Error(QStringLiteral("No module named %1").arg(pyRepr(tokens.first())));
}

} // namespace retort
