#include "mysqltableoptions.h"

#include <QRegularExpression>
#include <QVector>

namespace retort {

namespace {

struct OptionPattern
{
    QRegularExpression regex;
    bool quoted;   // a '...' string value: '' and \\ are unescaped
};

QRegularExpression compile(const QString &directive, const QString &value)
{
    // re.I | re.UNICODE, as SQLAlchemy compiles them; "=" is optional.
    return QRegularExpression(QStringLiteral("(?<directive>%1)(?:\\s*(?:=\\s*)|\\s+)(?<val>%2)")
                                  .arg(QRegularExpression::escape(directive), value),
                              QRegularExpression::CaseInsensitiveOption
                                  | QRegularExpression::UseUnicodePropertiesOption);
}

// Same order as SQLAlchemy tries them: string options first, so their quoted text is
// gone before the word options search the rest of the line.
const QVector<OptionPattern> &patterns()
{
    static const QVector<OptionPattern> p = [] {
        QVector<OptionPattern> out;
        for (const char *d : {"COMMENT", "DATA DIRECTORY", "INDEX DIRECTORY", "PASSWORD", "CONNECTION"})
            out.append({compile(QLatin1String(d), QStringLiteral("'(?:[^']|'')*?'(?!')")), true});
        for (const char *d : {"ENGINE", "TYPE", "AUTO_INCREMENT", "AVG_ROW_LENGTH", "CHARACTER SET",
                              "DEFAULT CHARSET", "CHECKSUM", "COLLATE", "DELAY_KEY_WRITE",
                              "INSERT_METHOD", "MAX_ROWS", "MIN_ROWS", "PACK_KEYS", "ROW_FORMAT",
                              "KEY_BLOCK_SIZE"})
            out.append({compile(QLatin1String(d), QStringLiteral("\\w+")), false});
        out.append({compile(QStringLiteral("UNION"), QStringLiteral("\\([^\\)]+\\)")), false});
        out.append({compile(QStringLiteral("TABLESPACE"), QStringLiteral(".*? STORAGE DISK")), false});
        out.append({compile(QStringLiteral("RAID_TYPE"),
                            QStringLiteral("\\w+\\s+RAID_CHUNKS\\s*\\=\\s*\\w+RAID_CHUNKSIZE\\s*=\\s*\\w+")),
                    false});
        return out;
    }();
    return p;
}

} // namespace

QJsonObject MySqlTableOptions::parseLine(const QString &line)
{
    QJsonObject options;
    if (line.isEmpty() || line == QLatin1String(")"))
        return options;
    QString rest = line;
    for (const OptionPattern &p : patterns()) {
        const QRegularExpressionMatch m = p.regex.match(rest);
        if (!m.hasMatch())
            continue;
        QString value = m.captured(QStringLiteral("val"));
        if (p.quoted) {
            value = value.mid(1, value.size() - 2);
            value.replace(QStringLiteral("\\\\"), QStringLiteral("\\")).replace(QStringLiteral("''"), QStringLiteral("'"));
        }
        options.insert(QStringLiteral("mysql_") + m.captured(QStringLiteral("directive")).toLower(), value);
        rest.remove(p.regex);
    }
    // Reflection leaves these out: they describe the data, not the table's definition.
    for (const char *nope : {"mysql_auto_increment", "mysql_data directory", "mysql_index directory"})
        options.remove(QLatin1String(nope));
    return options;
}

QJsonObject MySqlTableOptions::fromShowCreateTable(const QString &createTable)
{
    static const QRegularExpression newline(QStringLiteral("\\r?\\n"));
    QJsonObject options;
    for (const QString &line : createTable.split(newline))
        if (line.startsWith(QLatin1String(") "))) {
            const QJsonObject parsed = parseLine(line);
            for (auto it = parsed.constBegin(); it != parsed.constEnd(); ++it)
                options.insert(it.key(), it.value());
        }
    return options;
}

} // namespace retort
