#pragma once
// What SQLAlchemy's SQLite dialect reads out of a CREATE TABLE / CREATE INDEX text:
// constraint names, FK options, UNIQUE and CHECK clauses, computed column expressions,
// partial index predicates. Regex based, line oriented, exactly as forgiving.

#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace retort {

class SqliteTableSql
{
public:
    struct ForeignKey
    {
        QString name;
        QStringList columns;
        QString referredTable;
        QStringList referredColumns;
        QString onDelete;
        QString onUpdate;
        std::optional<bool> deferrable;
        QString initially;
    };
    struct Unique
    {
        QString name;
        QStringList columns;
    };
    struct Check
    {
        QString name;
        QString sqltext;
    };

    static QString primaryKeyName(const QString &tableSql);
    static QVector<ForeignKey> foreignKeys(const QString &tableSql);
    static QVector<Unique> uniques(const QString &tableSql);
    static QVector<Check> checks(const QString &tableSql);
    // The AS (...) text of a generated column; "" when not found.
    static QString computedExpression(const QString &tableSql, const QString &column);
    // CREATE INDEX ... WHERE <predicate>.
    static std::optional<QString> partialPredicate(const QString &indexSql);
    // The elements of CREATE INDEX ... ON t (<a>, <b>), as written.
    static QStringList indexElements(const QString &indexSql);
    // Column names in a column list: "a", b -> [a, b].
    static QStringList columnsInSignature(const QString &signature);
};

} // namespace retort
