#pragma once
// An .ini file with Python configparser.ConfigParser semantics, as Alembic uses it
// (Config.file_config: ConfigParser(defaults={'here': dir}) then read()): sections,
// `key = value` / `key: value`, lower-cased keys, indented continuation lines, full-line
// '#'/';' comments, DEFAULT section and BasicInterpolation (%(name)s, %%).

#include "result.h"

#include <QHash>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace retort {

class IniFile
{
public:
    using Items = QVector<QPair<QString, QString>>;

    IniFile() = default;
    explicit IniFile(const Items &defaults);

    // Like ConfigParser(defaults).read([path]): a missing/unreadable file is not an error
    // (fileWasRead() is then false); syntax errors are, with file and line.
    static Result<IniFile> load(const QString &path, const Items &defaults = {});
    static Result<IniFile> parse(const QString &text, const QString &fileName = {},
                                 const Items &defaults = {});

    bool fileWasRead() const { return m_read; }
    QString fileName() const { return m_fileName; }

    QStringList sections() const;   // without DEFAULT, in file order
    bool hasSection(const QString &section) const;
    bool hasOption(const QString &section, const QString &key) const;   // defaults count
    QStringList options(const QString &section) const;   // section's keys then defaults' keys

    // Interpolated value; nullopt when the option does not exist. Interpolation errors
    // carry configparser's texts.
    Result<std::optional<QString>> get(const QString &section, const QString &key) const;
    std::optional<QString> raw(const QString &section, const QString &key) const;
    // dict(ConfigParser.items(section)), interpolated, in configparser's order.
    Result<Items> items(const QString &section) const;
    Items defaults() const { return m_defaults; }

    void addSection(const QString &section);
    void set(const QString &section, const QString &key, const QString &value);
    void removeOption(const QString &section, const QString &key);

private:
    struct Section { QString name; Items options; };
    const Section *findSection(const QString &name) const;
    Section *findSection(const QString &name);
    static std::optional<QString> lookup(const Items &items, const QString &key);
    Result<QString> interpolate(const QString &section, const QString &key,
                                const QString &value) const;
    Result<void> parseText(const QString &text);

    int lineOf(const QString &section, const QString &key) const;

    Items m_defaults;
    QVector<Section> m_sections;
    QHash<QString, int> m_lines;   // "section\x1fkey" -> line of the option in the file
    QString m_fileName;
    bool m_read = false;
};

} // namespace retort
