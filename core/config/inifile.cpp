#include "inifile.h"

#include <QFile>
#include <QHash>
#include <QSet>
#include <QRegularExpression>
#include <QStringDecoder>

namespace retort {

namespace {

const QString kDefault = QStringLiteral("DEFAULT");
constexpr int kMaxInterpolationDepth = 10;

// Python repr() of a str, enough for configparser's messages.
QString pyRepr(const QString &s)
{
    const QChar q = (s.contains(u'\'') && !s.contains(u'"')) ? u'"' : u'\'';
    QString out(q);
    for (QChar c : s) {
        if (c == u'\\')
            out += QStringLiteral("\\\\");
        else if (c == u'\n')
            out += QStringLiteral("\\n");
        else if (c == u'\r')
            out += QStringLiteral("\\r");
        else if (c == u'\t')
            out += QStringLiteral("\\t");
        else if (c == q)
            out += QString(u'\\') + c;
        else
            out += c;
    }
    return out + q;
}

QString lineRepr(int line)
{
    return line < 10 ? QStringLiteral(" %1").arg(line) : QString::number(line);   // "%2d"
}

// Python's str.strip() whitespace (enough of it for ini files).
bool isPySpace(QChar c)
{
    return c.isSpace();
}

} // namespace

IniFile::IniFile(const Items &defaults)
{
    for (const auto &kv : defaults)
        m_defaults.append({kv.first.toLower(), kv.second});
}

Result<IniFile> IniFile::load(const QString &path, const Items &defaults)
{
    IniFile ini(defaults);
    ini.m_fileName = path;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ini;   // configparser.read() skips files it cannot open
    QStringDecoder dec(QStringDecoder::Utf8);
    const QString text = dec.decode(f.readAll());
    if (dec.hasError())
        return Error(QStringLiteral("'utf-8' codec can't decode %1").arg(path), path);
    ini.m_read = true;
    if (auto r = ini.parseText(text); !r)
        return r.error();
    return ini;
}

Result<IniFile> IniFile::parse(const QString &text, const QString &fileName, const Items &defaults)
{
    IniFile ini(defaults);
    ini.m_fileName = fileName.isEmpty() ? QStringLiteral("<string>") : fileName;
    ini.m_read = true;
    if (auto r = ini.parseText(text); !r)
        return r.error();
    return ini;
}

// configparser.RawConfigParser._read with ConfigParser's default options.
Result<void> IniFile::parseText(const QString &text)
{
    static const QRegularExpression optRe(QStringLiteral("^(.*?)\\s*[=:]\\s*(.*)$"));
    QStringList physical = text.split(u'\n');
    if (!physical.isEmpty() && physical.last().isEmpty())
        physical.removeLast();
    Items *cursect = nullptr;
    QString sectName;
    QString optName;
    QHash<QString, QStringList> pending;   // "section\x1foption" -> value lines
    QSet<QString> added;
    int indentLevel = 0;
    QStringList bogus;
    int firstBogusLine = 0;
    int lineNo = 0;
    auto pendKey = [&](const QString &opt) { return sectName + QChar(0x1f) + opt; };
    for (QString line : physical) {
        ++lineNo;
        if (line.endsWith(u'\r'))
            line.chop(1);
        const QString value = line.trimmed();
        const bool comment = value.startsWith(u'#') || value.startsWith(u';');
        if (comment || value.isEmpty()) {
            if (!comment && cursect && !optName.isEmpty())
                pending[pendKey(optName)].append(QString());
            continue;
        }
        int indent = 0;
        while (indent < line.size() && isPySpace(line[indent]))
            ++indent;
        if (cursect && !optName.isEmpty() && indent > indentLevel) {
            pending[pendKey(optName)].append(value);
            continue;
        }
        indentLevel = indent;
        const int close = value.lastIndexOf(u']');
        if (value.startsWith(u'[') && close > 1) {
            sectName = value.mid(1, close - 1);
            if (sectName == kDefault) {
                cursect = &m_defaults;
            } else if (Section *s = findSection(sectName)) {
                if (added.contains(sectName))
                    return Error(QStringLiteral("While reading from %1 [line %2]: section %3 already exists")
                                     .arg(pyRepr(m_fileName), lineRepr(lineNo), pyRepr(sectName)),
                                 m_fileName, lineNo);
                cursect = &s->options;
            } else {
                m_sections.append({sectName, {}});
                cursect = &m_sections.last().options;
            }
            added.insert(sectName);
            optName.clear();
            continue;
        }
        if (!cursect)
            return Error(QStringLiteral("File contains no section headers.\nfile: %1, line: %2\n%3")
                             .arg(pyRepr(m_fileName)).arg(lineNo).arg(pyRepr(line + u'\n')),
                         m_fileName, lineNo);
        const auto m = optRe.match(value);
        if (!m.hasMatch() || m.captured(1).isEmpty()) {
            bogus.append(QStringLiteral("\n\t[line %1]: %2").arg(lineRepr(lineNo), pyRepr(line + u'\n')));
            if (!firstBogusLine)
                firstBogusLine = lineNo;
            if (m.hasMatch())
                optName.clear();
            continue;
        }
        optName = m.captured(1).trimmed().toLower();
        const QString key = sectName + QChar(0x1f) + optName;
        if (added.contains(key))
            return Error(QStringLiteral("While reading from %1 [line %2]: option %3 in section %4 already exists")
                             .arg(pyRepr(m_fileName), lineRepr(lineNo), pyRepr(optName), pyRepr(sectName)),
                         m_fileName, lineNo);
        added.insert(key);
        m_lines.insert(key, lineNo);
        pending[key] = QStringList{m.captured(2).trimmed()};
        // Placeholder keeps file order; the joined value is filled in below.
        bool found = false;
        for (auto &kv : *cursect)
            if (kv.first == optName) { found = true; break; }
        if (!found)
            cursect->append({optName, QString()});
    }
    // _join_multiline_values: join with '\n', then rstrip.
    auto join = [&](const QString &sect, Items &items) {
        for (auto &kv : items) {
            const auto it = pending.constFind(sect + QChar(0x1f) + kv.first);
            if (it == pending.constEnd())
                continue;
            QString v = it->join(u'\n');
            int n = int(v.size());
            while (n > 0 && isPySpace(v[n - 1]))
                --n;
            kv.second = v.left(n);
        }
    };
    join(kDefault, m_defaults);
    for (Section &s : m_sections)
        join(s.name, s.options);
    if (!bogus.isEmpty())
        return Error(QStringLiteral("Source contains parsing errors: %1%2")
                         .arg(pyRepr(m_fileName), bogus.join(QString())), m_fileName,
                     firstBogusLine);
    return {};
}

int IniFile::lineOf(const QString &section, const QString &key) const
{
    const int line = m_lines.value(section + QChar(0x1f) + key);
    return line ? line : m_lines.value(kDefault + QChar(0x1f) + key);
}

const IniFile::Section *IniFile::findSection(const QString &name) const
{
    for (const Section &s : m_sections)
        if (s.name == name)
            return &s;
    return nullptr;
}

IniFile::Section *IniFile::findSection(const QString &name)
{
    for (Section &s : m_sections)
        if (s.name == name)
            return &s;
    return nullptr;
}

std::optional<QString> IniFile::lookup(const Items &items, const QString &key)
{
    for (const auto &kv : items)
        if (kv.first == key)
            return kv.second;
    return std::nullopt;
}

QStringList IniFile::sections() const
{
    QStringList out;
    for (const Section &s : m_sections)
        out.append(s.name);
    return out;
}

bool IniFile::hasSection(const QString &section) const
{
    return findSection(section) != nullptr;
}

bool IniFile::hasOption(const QString &section, const QString &key) const
{
    return raw(section, key).has_value();
}

QStringList IniFile::options(const QString &section) const
{
    QStringList out;
    if (const Section *s = findSection(section))
        for (const auto &kv : s->options)
            out.append(kv.first);
    for (const auto &kv : m_defaults)
        if (!out.contains(kv.first))
            out.append(kv.first);
    return out;
}

std::optional<QString> IniFile::raw(const QString &section, const QString &key) const
{
    const QString k = key.toLower();
    if (section == kDefault)
        return lookup(m_defaults, k);
    const Section *s = findSection(section);
    if (!s)
        return std::nullopt;
    if (auto v = lookup(s->options, k))
        return v;
    return lookup(m_defaults, k);
}

Result<std::optional<QString>> IniFile::get(const QString &section, const QString &key) const
{
    const auto v = raw(section, key);
    if (!v)
        return std::optional<QString>();
    auto r = interpolate(section, key.toLower(), *v);
    if (!r)
        return r.error();
    return std::optional<QString>(*r);
}

// BasicInterpolation.before_get: %(name)s looked up in the section then DEFAULT, %% -> %.
Result<QString> IniFile::interpolate(const QString &section, const QString &key,
                                     const QString &value) const
{
    static const QRegularExpression keyRe(QStringLiteral("^%\\(([^)]+)\\)s"));
    const QString rawValue = value;
    QString out;
    struct Frame { QString rest; int depth; };
    QVector<Frame> stack{{value, 1}};
    while (!stack.isEmpty()) {
        Frame f = stack.takeLast();
        if (f.depth > kMaxInterpolationDepth)
            return Error(QStringLiteral("Recursion limit exceeded in value substitution: option %1 in "
                                        "section %2 contains an interpolation key which cannot be "
                                        "substituted in %3 steps. Raw value: %4")
                             .arg(pyRepr(key), pyRepr(section)).arg(kMaxInterpolationDepth)
                             .arg(pyRepr(rawValue)), m_fileName, lineOf(section, key));
        QString rest = f.rest;
        while (!rest.isEmpty()) {
            const int p = int(rest.indexOf(u'%'));
            if (p < 0) {
                out += rest;
                break;
            }
            out += rest.left(p);
            rest = rest.mid(p);
            const QChar c = rest.size() > 1 ? rest[1] : QChar();
            if (c == u'%') {
                out += u'%';
                rest = rest.mid(2);
            } else if (c == u'(') {
                const auto m = keyRe.match(rest);
                if (!m.hasMatch())
                    return Error(QStringLiteral("bad interpolation variable reference %1").arg(pyRepr(rest)),
                                 m_fileName, lineOf(section, key));
                const QString var = m.captured(1).toLower();
                rest = rest.mid(m.capturedLength(0));
                const auto v = raw(section, var);
                if (!v)
                    return Error(QStringLiteral("Bad value substitution: option %1 in section %2 contains "
                                                "an interpolation key %3 which is not a valid option name. "
                                                "Raw value: %4")
                                     .arg(pyRepr(key), pyRepr(section), pyRepr(var), pyRepr(rawValue)),
                                 m_fileName, lineOf(section, key));
                if (v->contains(u'%')) {
                    // Continue with the rest of this frame after the nested value.
                    stack.append({rest, f.depth});
                    stack.append({*v, f.depth + 1});
                    rest.clear();
                    break;
                }
                out += *v;
            } else {
                return Error(QStringLiteral("'%' must be followed by '%' or '(', found: %1").arg(pyRepr(rest)),
                             m_fileName, lineOf(section, key));
            }
        }
    }
    return out;
}

Result<IniFile::Items> IniFile::items(const QString &section) const
{
    Items d = m_defaults;
    if (section != kDefault) {
        const Section *s = findSection(section);
        if (!s)
            return Error(QStringLiteral("No section: %1").arg(pyRepr(section)), m_fileName);
        for (const auto &kv : s->options) {
            bool replaced = false;
            for (auto &dk : d)
                if (dk.first == kv.first) { dk.second = kv.second; replaced = true; break; }
            if (!replaced)
                d.append(kv);
        }
    }
    Items out;
    for (const auto &kv : d) {
        auto v = interpolate(section, kv.first, kv.second);
        if (!v)
            return v.error();
        out.append({kv.first, *v});
    }
    return out;
}

void IniFile::addSection(const QString &section)
{
    if (!findSection(section) && section != kDefault)
        m_sections.append({section, {}});
}

void IniFile::set(const QString &section, const QString &key, const QString &value)
{
    addSection(section);
    Items &items = section == kDefault ? m_defaults : findSection(section)->options;
    const QString k = key.toLower();
    for (auto &kv : items)
        if (kv.first == k) { kv.second = value; return; }
    items.append({k, value});
}

void IniFile::removeOption(const QString &section, const QString &key)
{
    Items *items = section == kDefault ? &m_defaults
                                       : (findSection(section) ? &findSection(section)->options : nullptr);
    if (!items)
        return;
    const QString k = key.toLower();
    for (int i = 0; i < items->size(); ++i)
        if (items->at(i).first == k) { items->removeAt(i); return; }
}

} // namespace retort
