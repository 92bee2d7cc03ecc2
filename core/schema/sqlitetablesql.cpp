#include "sqlitetablesql.h"

#include <QRegularExpression>

namespace retort {

namespace {
constexpr auto CI = QRegularExpression::CaseInsensitiveOption;
}

QString SqliteTableSql::primaryKeyName(const QString &tableSql)
{
    static const QRegularExpression re(QStringLiteral("CONSTRAINT (\\w+) PRIMARY KEY"), CI);
    return re.match(tableSql).captured(1);
}

QStringList SqliteTableSql::columnsInSignature(const QString &signature)
{
    static const QRegularExpression re(QStringLiteral("(?:\"(.+?)\")|([a-z0-9_]+)"), CI);
    QStringList out;
    auto it = re.globalMatch(signature);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out << (m.capturedStart(1) >= 0 ? m.captured(1) : m.captured(2));
    }
    return out;
}

QVector<SqliteTableSql::ForeignKey> SqliteTableSql::foreignKeys(const QString &tableSql)
{
    static const QRegularExpression re(
        QStringLiteral("(?:CONSTRAINT (\\w+) +)?"
                       "FOREIGN KEY *\\( *(.+?) *\\) +"
                       "REFERENCES +(?:(?:\"(.+?)\")|([a-z0-9_]+)) *\\((.+?)\\) *"
                       "((?:ON (?:DELETE|UPDATE) "
                       "(?:SET NULL|SET DEFAULT|CASCADE|RESTRICT|NO ACTION) *)*)"
                       "((?:NOT +)?DEFERRABLE)?"
                       "(?: +INITIALLY +(DEFERRED|IMMEDIATE))?"),
        CI);
    static const QRegularExpression onSplit(QStringLiteral(" *\\bON\\b *"));
    QVector<ForeignKey> out;
    auto it = re.globalMatch(tableSql);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        ForeignKey fk;
        fk.name = m.captured(1);
        fk.columns = columnsInSignature(m.captured(2));
        fk.referredTable = m.capturedStart(3) >= 0 ? m.captured(3) : m.captured(4);
        fk.referredColumns = columnsInSignature(m.captured(5));
        if (fk.referredColumns.isEmpty())
            fk.referredColumns = fk.columns;
        const QStringList tokens = m.captured(6).toUpper().split(onSplit);
        for (const QString &token : tokens) {
            const QString action = token.mid(6).trimmed();
            if (action.isEmpty() || action == QLatin1String("NO ACTION"))
                continue;
            if (token.startsWith(QLatin1String("DELETE")))
                fk.onDelete = action;
            else if (token.startsWith(QLatin1String("UPDATE")))
                fk.onUpdate = action;
        }
        if (m.capturedStart(7) >= 0 && !m.captured(7).isEmpty())
            fk.deferrable = !m.captured(7).toUpper().contains(QLatin1String("NOT"));
        fk.initially = m.captured(8).toUpper();
        out << fk;
    }
    return out;
}

QVector<SqliteTableSql::Unique> SqliteTableSql::uniques(const QString &tableSql)
{
    static const QRegularExpression named(
        QStringLiteral("(?:CONSTRAINT \"?(.+?)\"? +)?UNIQUE *\\((.+?)\\)"), CI);
    // Column-level UNIQUE: `name TYPE ... UNIQUE`; told apart from a UNIQUE INDEX.
    static const QRegularExpression inlined(
        QStringLiteral("(?:(\".+?\")|(?:[\\[`])?([a-z0-9_]+)(?:[\\]`])?) +[a-z0-9_ ]+? +UNIQUE"),
        CI);
    QVector<Unique> out;
    auto it = named.globalMatch(tableSql);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out << Unique{m.captured(1), columnsInSignature(m.captured(2))};
    }
    it = inlined.globalMatch(tableSql);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out << Unique{QString(),
                      columnsInSignature(m.capturedStart(1) >= 0 ? m.captured(1) : m.captured(2))};
    }
    return out;
}

QVector<SqliteTableSql::Check> SqliteTableSql::checks(const QString &tableSql)
{
    // Greedy and per line: one CHECK per line of the CREATE TABLE, as SQLAlchemy emits it.
    static const QRegularExpression re(
        QStringLiteral("(?:CONSTRAINT (.+) +)?CHECK *\\( *(.+) *\\),? *"), CI);
    static const QRegularExpression quotes(QStringLiteral("^\"|\"$"));
    QVector<Check> out;
    auto it = re.globalMatch(tableSql);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        QString name = m.captured(1);
        name.remove(quotes);
        out << Check{name, m.captured(2)};
    }
    return out;
}

QString SqliteTableSql::computedExpression(const QString &tableSql, const QString &column)
{
    const QRegularExpression re(
        QRegularExpression::escape(column)
            + QStringLiteral("[^,]*\\s+AS\\s+\\(([^,]*)\\)\\s*(?:virtual|stored)?"),
        CI);
    return re.match(tableSql).captured(1);
}

std::optional<QString> SqliteTableSql::partialPredicate(const QString &indexSql)
{
    static const QRegularExpression re(QStringLiteral("\\)\\s+where\\s+(.+)"), CI);
    const QRegularExpressionMatch m = re.match(indexSql);
    if (!m.hasMatch())
        return std::nullopt;
    return m.captured(1);
}

QStringList SqliteTableSql::indexElements(const QString &indexSql)
{
    static const QRegularExpression on(QStringLiteral("\\bON\\b[^(]*\\("), CI);
    const QRegularExpressionMatch m = on.match(indexSql);
    if (!m.hasMatch())
        return {};
    QStringList out;
    QString current;
    int depth = 0;
    QChar quote;
    for (int i = m.capturedEnd(); i < indexSql.size(); ++i) {
        const QChar c = indexSql.at(i);
        if (!quote.isNull()) {
            current += c;
            if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
        } else if (c == QLatin1Char('(')) {
            ++depth;
        } else if (c == QLatin1Char(')')) {
            if (depth == 0) {
                out << current.trimmed();
                return out;
            }
            --depth;
        } else if (c == QLatin1Char(',') && depth == 0) {
            out << current.trimmed();
            current.clear();
            continue;
        }
        current += c;
    }
    return out;
}

} // namespace retort
