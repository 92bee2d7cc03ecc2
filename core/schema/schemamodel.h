#pragma once
// One database schema as data: what SQLAlchemy's Inspector reports for a database (and
// what the Python model dumper reports for MetaData), in one shape. Introspectors fill
// it, autogenerate compares two of them, `retort schema dump` writes it as JSON.
// The JSON format (docs/schema-json.md) is a contract with tools/ outside C++: keep the
// keys stable and bump formatVersion on incompatible changes.
//
// The default schema is the namespace with an empty name (Alembic's schema=None);
// other schemas are named. Column order is ordinal order; everything else is sorted
// by normalize() so two snapshots of the same database serialize identically.

#include "result.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace retort {

// A column type as reflected. `SchemaColumn::type` holds the rendered text; this is
// the same type taken apart, for comparisons that must not parse strings.
struct SchemaType
{
    QString typeClass;    // SQLAlchemy type class as reflected: "VARCHAR", "INTEGER", "ENUM"
    QString affinity;     // SQLAlchemy's type._type_affinity.__name__: "String" (also for
                          // TEXT, ENUM, SET), "Integer", "Numeric" (also FLOAT, REAL, DOUBLE),
                          // "DateTime", "Date", "Time", "Boolean", "_Binary", "Interval",
                          // "JSON", "ARRAY", "NullType"; else the class itself ("UUID", "INET")
    std::optional<int> length;      // VARCHAR(50) -> 50
    std::optional<int> precision;   // NUMERIC(10, 2) -> 10; FLOAT(53) -> 53
    std::optional<int> scale;       // NUMERIC(10, 2) -> 2
    std::optional<bool> timezone;   // TIMESTAMP WITH TIME ZONE -> true (DateTime/Time only)
    std::optional<bool> isUnsigned; // MySQL UNSIGNED
    bool zerofill = false;          // MySQL ZEROFILL
    std::optional<int> displayWidth; // MySQL INT(11) / YEAR(4) display width -> 11
    std::optional<int> fsp;         // MySQL DATETIME(3) / TIME / TIMESTAMP fractional seconds
    QStringList enumValues;         // ENUM labels (MySQL inline; PostgreSQL from the type)
    QString enumName;               // PostgreSQL enum type name ("" for MySQL inline enums)
    QString enumSchema;             // PostgreSQL enum type schema when not the default
    QString collation;              // "" when none was reflected
    QString charset;                // MySQL column charset when reflected ("" otherwise)
    QString itemType;               // ARRAY element type text, e.g. "INTEGER"
    int dimensions = 0;             // ARRAY dimensions (0 unless ARRAY)

    bool operator==(const SchemaType &o) const;
    bool operator!=(const SchemaType &o) const { return !(*this == o); }
};

struct SchemaIdentity
{
    bool always = false;                  // GENERATED ALWAYS vs BY DEFAULT
    std::optional<qint64> start;
    std::optional<qint64> increment;
    std::optional<qint64> minValue;
    std::optional<qint64> maxValue;
    std::optional<bool> cycle;
    std::optional<qint64> cache;

    bool operator==(const SchemaIdentity &o) const;
};

struct SchemaComputed
{
    QString sqltext;
    std::optional<bool> persisted;        // STORED (true) / VIRTUAL (false) / unknown

    bool operator==(const SchemaComputed &o) const;
};

struct SchemaColumn
{
    // SQLAlchemy's autoincrement: reflected True/False, or "auto" when the dialect
    // does not say (SQLite, and MetaData columns left at their default).
    enum class Autoincrement { Auto, Yes, No };

    QString name;
    QString type;                         // rendered for the dialect: "VARCHAR(50)"
    SchemaType typeInfo;
    bool nullable = true;
    std::optional<QString> serverDefault; // text as reflected: "'abc'::character varying"
    Autoincrement autoincrement = Autoincrement::Auto;
    std::optional<SchemaIdentity> identity;
    std::optional<SchemaComputed> computed;
    std::optional<QString> comment;
    QJsonObject dialectOptions;           // anything dialect-specific, free form

    bool operator==(const SchemaColumn &o) const;
    bool operator!=(const SchemaColumn &o) const { return !(*this == o); }
};

struct SchemaPrimaryKey
{
    QString name;                         // "" when unnamed / not reflected
    QStringList columns;                  // key order

    bool isEmpty() const { return columns.isEmpty(); }
    bool operator==(const SchemaPrimaryKey &o) const
    { return name == o.name && columns == o.columns; }
};

struct SchemaForeignKey
{
    QString name;                         // "" when unnamed
    QStringList columns;                  // local columns, paired with referredColumns
    QString referredSchema;               // "" = the default schema
    QString referredTable;
    QStringList referredColumns;
    QString onDelete;                     // upper case as written ("CASCADE"); "" if none
    QString onUpdate;
    std::optional<bool> deferrable;
    QString initially;                    // "DEFERRED" / "IMMEDIATE" / ""
    QString match;                        // "FULL" / "" (PostgreSQL MATCH)

    bool operator==(const SchemaForeignKey &o) const;
};

struct SchemaIndex
{
    QString name;
    bool unique = false;
    // One entry per index element, in order. For a plain column the column name; for an
    // expression its SQL text, with the matching isExpression entry true.
    QStringList columns;
    QVector<bool> isExpression;           // same length as columns
    std::optional<QString> where;         // partial index predicate (PostgreSQL, SQLite)
    // Dialect keyword arguments as SQLAlchemy names them: "mysql_length" {col: n},
    // "postgresql_using" "gin", "postgresql_include" [cols], "mysql_prefix" "FULLTEXT"...
    QJsonObject dialectOptions;
    // Name of the unique constraint this index implements (MySQL, PostgreSQL report
    // both); "" when it is a plain index.
    QString duplicatesConstraint;

    bool operator==(const SchemaIndex &o) const;
};

struct SchemaUniqueConstraint
{
    QString name;                         // "" when unnamed (SQLite)
    QStringList columns;
    QJsonObject dialectOptions;           // e.g. "postgresql_nulls_not_distinct"

    bool operator==(const SchemaUniqueConstraint &o) const
    { return name == o.name && columns == o.columns && dialectOptions == o.dialectOptions; }
};

struct SchemaCheckConstraint
{
    QString name;                         // "" when unnamed
    QString sqltext;                      // as reflected, without the CHECK ( )

    bool operator==(const SchemaCheckConstraint &o) const
    { return name == o.name && sqltext == o.sqltext; }
};

struct SchemaTable
{
    QString name;
    QVector<SchemaColumn> columns;        // ordinal order
    SchemaPrimaryKey primaryKey;
    QVector<SchemaForeignKey> foreignKeys;
    QVector<SchemaIndex> indexes;
    QVector<SchemaUniqueConstraint> uniqueConstraints;
    QVector<SchemaCheckConstraint> checkConstraints;
    std::optional<QString> comment;
    QJsonObject dialectOptions;           // "mysql_engine", "mysql_default_charset" ...

    const SchemaColumn *findColumn(const QString &name) const;
    SchemaColumn *findColumn(const QString &name);
    bool operator==(const SchemaTable &o) const;
};

// A PostgreSQL enum type (CREATE TYPE ... AS ENUM).
struct SchemaEnum
{
    QString name;
    QString schema;                       // "" = the default schema
    QStringList labels;                   // in sort order (pg_enum.enumsortorder)

    bool operator==(const SchemaEnum &o) const
    { return name == o.name && schema == o.schema && labels == o.labels; }
};

// One schema (namespace) of the database.
struct SchemaNamespace
{
    QString name;                         // "" = the connection's default schema
    QVector<SchemaTable> tables;
    QVector<SchemaEnum> enums;            // PostgreSQL only
    QStringList views;                    // names only; autogenerate ignores views

    const SchemaTable *findTable(const QString &name) const;
    SchemaTable *findTable(const QString &name);
    bool operator==(const SchemaNamespace &o) const;
};

class SchemaModel
{
public:
    static constexpr int formatVersion = 1;

    QString dialect;                      // SQLAlchemy dialect name: "sqlite", "postgresql"
    QString defaultSchemaName;            // what "" stands for: "public", "main", db name
    QString serverVersion;                // informational ("15.4"); "" when unknown
    QVector<SchemaNamespace> schemas;

    const SchemaNamespace *findSchema(const QString &name) const;
    SchemaNamespace *findSchema(const QString &name);
    // Adds the namespace when missing.
    SchemaNamespace &schema(const QString &name);
    const SchemaTable *findTable(const QString &schema, const QString &table) const;
    int tableCount() const;

    // Sorts schemas (default first), tables, enums, views, foreign keys, indexes and
    // constraints by name (unnamed ones last, by columns); column order is kept.
    void normalize();

    // Serialized form of normalize()d data; keys and arrays in a stable order.
    QJsonObject toJsonObject() const;
    QByteArray toJson(QJsonDocument::JsonFormat format = QJsonDocument::Indented) const;
    // Errors name the JSON path ("schemas[0].tables[2].columns[1]: ...") and source.
    static Result<SchemaModel> fromJsonObject(const QJsonObject &object,
                                              const QString &source = {});
    static Result<SchemaModel> fromJson(const QByteArray &json, const QString &source = {});

    // Snapshot files (`retort schema dump`, fixtures, the Python model dumper's output).
    VoidResult toJsonFile(const QString &path) const;
    static Result<SchemaModel> fromJsonFile(const QString &path);

    bool operator==(const SchemaModel &o) const;
    bool operator!=(const SchemaModel &o) const { return !(*this == o); }
};

} // namespace retort
