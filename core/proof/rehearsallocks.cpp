#include "rehearsallocks.h"

#include <QRegularExpression>

namespace retort {

namespace {

// An identifier, possibly quoted and schema-qualified.
const QString kName = QStringLiteral(R"(((?:"[^"]+"|`[^`]+`|\[[^\]]+\]|[\w$]+)(?:\.(?:"[^"]+"|`[^`]+`|[\w$]+))?))");

struct Rule
{
    QRegularExpression pattern;   // capture 1: the table ("" when none)
    QString level;
};

QRegularExpression rx(const QString &text)
{
    return QRegularExpression(QStringLiteral("^\\s*") + QString(text).replace(QStringLiteral("{T}"), kName),
                              QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
}

const QVector<Rule> &postgresRules()
{
    static const QVector<Rule> rules = {
        {rx(QStringLiteral(R"(CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\b.*?\bON\s+(?:ONLY\s+)?{T})")), QStringLiteral("SHARE UPDATE EXCLUSIVE")},
        {rx(QStringLiteral(R"(CREATE\s+(?:UNIQUE\s+)?INDEX\b.*?\bON\s+(?:ONLY\s+)?{T})")), QStringLiteral("SHARE")},
        {rx(QStringLiteral(R"re(DROP\s+INDEX\s+CONCURRENTLY\b())re")), QStringLiteral("SHARE UPDATE EXCLUSIVE on the index's table")},
        {rx(QStringLiteral(R"re(DROP\s+INDEX\b())re")), QStringLiteral("ACCESS EXCLUSIVE on the index's table")},
        {rx(QStringLiteral(R"(ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{T}\s+ADD\s+(?:CONSTRAINT\s+\S+\s+)?FOREIGN\s+KEY)")), QStringLiteral("SHARE ROW EXCLUSIVE")},
        {rx(QStringLiteral(R"(ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{T}\s+VALIDATE\s+CONSTRAINT)")), QStringLiteral("SHARE UPDATE EXCLUSIVE")},
        {rx(QStringLiteral(R"(ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{T})")), QStringLiteral("ACCESS EXCLUSIVE")},
        {rx(QStringLiteral(R"(DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?{T})")), QStringLiteral("ACCESS EXCLUSIVE")},
        {rx(QStringLiteral(R"(TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?{T})")), QStringLiteral("ACCESS EXCLUSIVE")},
        {rx(QStringLiteral(R"(INSERT\s+INTO\s+{T})")), QStringLiteral("ROW EXCLUSIVE")},
        {rx(QStringLiteral(R"(UPDATE\s+(?:ONLY\s+)?{T})")), QStringLiteral("ROW EXCLUSIVE")},
        {rx(QStringLiteral(R"(DELETE\s+FROM\s+(?:ONLY\s+)?{T})")), QStringLiteral("ROW EXCLUSIVE")},
    };
    return rules;
}

const QVector<Rule> &mysqlRules()
{
    const QString exclusive = QStringLiteral("exclusive metadata lock");
    const QString shared = QStringLiteral("shared metadata lock and row locks");
    static const QVector<Rule> rules = {
        {rx(QStringLiteral(R"(ALTER\s+TABLE\s+{T})")), exclusive},
        {rx(QStringLiteral(R"(DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?{T})")), exclusive},
        {rx(QStringLiteral(R"(RENAME\s+TABLE\s+{T})")), exclusive},
        {rx(QStringLiteral(R"(TRUNCATE\s+(?:TABLE\s+)?{T})")), exclusive},
        {rx(QStringLiteral(R"(CREATE\s+(?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX\b.*?\bON\s+{T})")), exclusive},
        {rx(QStringLiteral(R"(DROP\s+INDEX\b.*?\bON\s+{T})")), exclusive},
        {rx(QStringLiteral(R"((?:INSERT|REPLACE)\s+(?:IGNORE\s+)?INTO\s+{T})")), shared},
        {rx(QStringLiteral(R"(UPDATE\s+{T})")), shared},
        {rx(QStringLiteral(R"(DELETE\s+FROM\s+{T})")), shared},
    };
    return rules;
}

QString unquote(QString name)
{
    for (QChar q : {QLatin1Char('"'), QLatin1Char('`')})
        name.remove(q);
    return name;
}

} // namespace

bool RehearsalLocks::isDataChange(const QString &sql)
{
    static const QRegularExpression dml(QStringLiteral(R"(^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE)\b)"),
                                        QRegularExpression::CaseInsensitiveOption);
    return dml.match(sql).hasMatch();
}

std::optional<ExpectedLock> RehearsalLocks::expected(Dialect::Kind dialect, const QString &sql)
{
    if (dialect == Dialect::SQLite) {
        static const QRegularExpression reads(QStringLiteral(R"(^\s*(SELECT|PRAGMA|EXPLAIN|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b)"),
                                              QRegularExpression::CaseInsensitiveOption);
        if (sql.trimmed().isEmpty() || reads.match(sql).hasMatch())
            return std::nullopt;
        return ExpectedLock{QStringLiteral("database write lock (whole file)"), QString()};
    }
    const QVector<Rule> &rules = dialect == Dialect::PostgreSQL ? postgresRules() : mysqlRules();
    for (const Rule &rule : rules) {
        const QRegularExpressionMatch m = rule.pattern.match(sql);
        if (m.hasMatch())
            return ExpectedLock{rule.level, unquote(m.captured(1))};
    }
    return std::nullopt;
}

} // namespace retort
