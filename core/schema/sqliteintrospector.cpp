#include "sqliteintrospector.h"

#include "runtime/databaseconnection.h"
#include "sqlitetablesql.h"
#include "sqlitetypes.h"

#include <QHash>
#include <QSet>
#include <QSqlRecord>
#include <algorithm>

namespace retort {

namespace {

struct MasterRow
{
    QString type;
    QString name;
    QString table;
    QString sql;
};

QString quoted(const QString &identifier)
{
    QString s = identifier;
    s.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + s + QLatin1Char('"');
}

class Reader
{
public:
    Reader(DatabaseConnection &conn, const IntrospectOptions &options, bool tableXinfo)
        : m_conn(conn), m_options(options), m_xinfo(tableXinfo) {}

    // `schema` "" = main; otherwise an attached database.
    VoidResult readSchema(const QString &schema, SchemaNamespace &out);

private:
    QString prefix() const { return quoted(m_schema.isEmpty() ? QStringLiteral("main") : m_schema); }
    Result<QVector<QVariantList>> pragma(const QString &name, const QString &arg);
    void prefetch();
    VoidResult readTable(SchemaTable &table, const QString &sql);
    VoidResult readColumns(SchemaTable &table, const QString &sql, QVector<int> &pkOrder);
    VoidResult readForeignKeys(SchemaTable &table, const QString &sql);
    VoidResult readIndexes(SchemaTable &table, const QString &sql);
    Result<QStringList> primaryKeyOf(const QString &table);

    DatabaseConnection &m_conn;
    const IntrospectOptions &m_options;
    bool m_xinfo;
    QString m_schema;
    QHash<QString, MasterRow> m_indexes;          // index name -> row
    QHash<QString, QStringList> m_primaryKeys;    // table -> pk columns (referred tables)
    // pragma -> argument -> rows, filled per schema with one query per pragma.
    QHash<QString, QHash<QString, QVector<QVariantList>>> m_cache;
};

// One query per pragma for the whole schema (table-valued pragma functions) instead of
// one statement per table: the per-statement cost dominates on large schemas. A pragma
// whose bulk query fails (old SQLite) is simply read per table.
void Reader::prefetch()
{
    m_cache.clear();
    const QString schemaArg = m_conn.dialect().stringLiteral(
        m_schema.isEmpty() ? QStringLiteral("main") : m_schema);
    const QString master = prefix() + QStringLiteral(".sqlite_master");
    struct Bulk
    {
        QString pragma;
        QString sql;
        int keyColumn;
    };
    const QString tableInfo = m_xinfo ? QStringLiteral("table_xinfo") : QStringLiteral("table_info");
    const QVector<Bulk> bulks = {
        {tableInfo,
         QStringLiteral("SELECT m.name, p.* FROM %1 m, pragma_%2(m.name, %3) p "
                        "WHERE m.type = 'table'").arg(master, tableInfo, schemaArg), 0},
        {QStringLiteral("foreign_key_list"),
         QStringLiteral("SELECT m.name, p.* FROM %1 m, pragma_foreign_key_list(m.name, %2) p "
                        "WHERE m.type = 'table'").arg(master, schemaArg), 0},
        {QStringLiteral("index_list"),
         QStringLiteral("SELECT m.name, p.* FROM %1 m, pragma_index_list(m.name, %2) p "
                        "WHERE m.type = 'table'").arg(master, schemaArg), 0},
        {QStringLiteral("index_info"),
         QStringLiteral("SELECT il.name, p.* FROM %1 m, pragma_index_list(m.name, %2) il, "
                        "pragma_index_info(il.name, %2) p WHERE m.type = 'table'")
             .arg(master, schemaArg), 0},
    };
    for (const Bulk &b : bulks) {
        Result<QSqlQuery> q = m_conn.exec(b.sql);
        if (!q)
            continue;
        QHash<QString, QVector<QVariantList>> byArg;
        const int n = q->record().count();
        while (q->next()) {
            QVariantList row;
            row.reserve(n - 1);
            for (int i = 1; i < n; ++i)
                row << q->value(i);
            byArg[q->value(b.keyColumn).toString()] << row;
        }
        m_cache.insert(b.pragma, byArg);
    }
}

Result<QVector<QVariantList>> Reader::pragma(const QString &name, const QString &arg)
{
    const auto cached = m_cache.constFind(name);
    if (cached != m_cache.cend())
        return cached->value(arg);
    Result<QSqlQuery> q = m_conn.exec(
        QStringLiteral("PRAGMA %1.%2(%3)").arg(prefix(), name, quoted(arg)));
    if (!q)
        return q.error();
    QVector<QVariantList> rows;
    const int n = q->record().count();
    while (q->next()) {
        QVariantList row;
        row.reserve(n);
        for (int i = 0; i < n; ++i)
            row << q->value(i);
        rows << row;
    }
    return rows;
}

VoidResult Reader::readSchema(const QString &schema, SchemaNamespace &out)
{
    m_schema = schema;
    m_indexes.clear();
    m_primaryKeys.clear();
    Result<QSqlQuery> q = m_conn.exec(
        QStringLiteral("SELECT type, name, tbl_name, sql FROM %1.sqlite_master").arg(prefix()));
    if (!q)
        return q.error();
    QVector<MasterRow> tables;
    while (q->next()) {
        const MasterRow row{q->value(0).toString(), q->value(1).toString(),
                            q->value(2).toString(), q->value(3).toString()};
        if (row.type == QLatin1String("index")) {
            m_indexes.insert(row.name, row);
        } else if (row.type == QLatin1String("table")) {
            // Internal tables (sqlite_sequence, sqlite_stat1) included, as SQLAlchemy 1.4's
            // get_table_names() does; a tableFilter can leave them out.
            tables << row;
        } else if (row.type == QLatin1String("view") && m_options.includeViews) {
            out.views << row.name;
        }
    }
    prefetch();
    for (const MasterRow &row : std::as_const(tables)) {
        if (!SchemaIntrospector::wanted(m_options, schema, row.name, QStringLiteral("main")))
            continue;
        SchemaTable table;
        table.name = row.name;
        if (VoidResult r = readTable(table, row.sql); !r)
            return r;
        out.tables << table;
    }
    return {};
}

VoidResult Reader::readTable(SchemaTable &table, const QString &sql)
{
    QVector<int> pkOrder;
    if (VoidResult r = readColumns(table, sql, pkOrder); !r)
        return r;
    // Primary key columns in key order (PRAGMA's pk is the 1-based position).
    QVector<QPair<int, QString>> pk;
    for (int i = 0; i < table.columns.size(); ++i)
        if (pkOrder.at(i) > 0)
            pk << qMakePair(pkOrder.at(i), table.columns.at(i).name);
    std::stable_sort(pk.begin(), pk.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &p : pk)
        table.primaryKey.columns << p.second;
    table.primaryKey.name = SqliteTableSql::primaryKeyName(sql);
    m_primaryKeys.insert(table.name, table.primaryKey.columns);

    for (const SqliteTableSql::Check &ck : SqliteTableSql::checks(sql))
        table.checkConstraints << SchemaCheckConstraint{ck.name, ck.sqltext};
    if (VoidResult r = readForeignKeys(table, sql); !r)
        return r;
    return readIndexes(table, sql);
}

VoidResult Reader::readColumns(SchemaTable &table, const QString &sql, QVector<int> &pkOrder)
{
    Result<QVector<QVariantList>> rows =
        pragma(m_xinfo ? QStringLiteral("table_xinfo") : QStringLiteral("table_info"), table.name);
    if (!rows)
        return rows.error();
    static const QRegularExpression generatedWords(QStringLiteral("generated|always"),
                                                   QRegularExpression::CaseInsensitiveOption);
    for (const QVariantList &row : std::as_const(*rows)) {
        // cid, name, type, notnull, dflt_value, pk[, hidden]
        const int hidden = m_xinfo && row.size() > 6 ? row.at(6).toInt() : 0;
        if (hidden == 1)
            continue;   // hidden columns of virtual tables
        SchemaColumn c;
        c.name = row.at(1).toString();
        QString declared = row.at(2).toString().toUpper();
        if (hidden >= 2)   // "INTEGER GENERATED ALWAYS" is how SQLite reports these
            declared = declared.remove(generatedWords).trimmed();
        SqliteTypes::resolve(declared, c);
        c.nullable = row.at(3).toInt() == 0;
        if (!row.at(4).isNull())
            c.serverDefault = row.at(4).toString();
        if (hidden >= 2)
            c.computed = SchemaComputed{SqliteTableSql::computedExpression(sql, c.name),
                                        hidden == 3};
        table.columns << c;
        pkOrder << row.at(5).toInt();
    }
    return {};
}

Result<QStringList> Reader::primaryKeyOf(const QString &tableName)
{
    if (m_primaryKeys.contains(tableName))
        return m_primaryKeys.value(tableName);
    Result<QVector<QVariantList>> rows = pragma(QStringLiteral("table_info"), tableName);
    if (!rows)
        return rows.error();
    QVector<QPair<int, QString>> pk;
    for (const QVariantList &row : std::as_const(*rows))
        if (row.at(5).toInt() > 0)
            pk << qMakePair(row.at(5).toInt(), row.at(1).toString());
    std::stable_sort(pk.begin(), pk.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QStringList cols;
    for (const auto &p : pk)
        cols << p.second;
    m_primaryKeys.insert(tableName, cols);
    return cols;
}

VoidResult Reader::readForeignKeys(SchemaTable &table, const QString &sql)
{
    Result<QVector<QVariantList>> rows = pragma(QStringLiteral("foreign_key_list"), table.name);
    if (!rows)
        return rows.error();
    // id, seq, table, from, to, on_update, on_delete, match; one row per column.
    QVector<int> order;
    QHash<int, SchemaForeignKey> byId;
    for (const QVariantList &row : std::as_const(*rows)) {
        const int id = row.at(0).toInt();
        const QString to = row.at(4).toString();
        if (!byId.contains(id)) {
            SchemaForeignKey fk;
            fk.referredSchema = m_schema;
            fk.referredTable = row.at(2).toString();
            if (to.isEmpty()) {
                // REFERENCES t without columns: the referred table's primary key.
                Result<QStringList> pk = primaryKeyOf(fk.referredTable);
                if (!pk)
                    return pk.error();
                fk.referredColumns = *pk;
            }
            byId.insert(id, fk);
            order << id;
        }
        SchemaForeignKey &fk = byId[id];
        fk.columns << row.at(3).toString();
        if (!to.isEmpty())
            fk.referredColumns << to;
    }
    // Names and ON/DEFERRABLE options exist only in the SQL: match parsed clauses to
    // PRAGMA keys by (columns, table, referred columns); unmatched keys stay unnamed.
    auto signature = [](const QStringList &cols, const QString &t, const QStringList &ref) {
        return (cols + QStringList{t} + ref).join(QChar(0));
    };
    QHash<QString, int> bySignature;
    for (int id : std::as_const(order)) {
        const SchemaForeignKey &fk = byId.value(id);
        bySignature.insert(signature(fk.columns, fk.referredTable, fk.referredColumns), id);
    }
    for (const SqliteTableSql::ForeignKey &parsed : SqliteTableSql::foreignKeys(sql)) {
        const QString sig = signature(parsed.columns, parsed.referredTable, parsed.referredColumns);
        if (!bySignature.contains(sig))
            continue;
        SchemaForeignKey fk = byId.value(bySignature.take(sig));
        fk.name = parsed.name;
        fk.onDelete = parsed.onDelete;
        fk.onUpdate = parsed.onUpdate;
        fk.deferrable = parsed.deferrable;
        fk.initially = parsed.initially;
        table.foreignKeys << fk;
    }
    // The rest (inline REFERENCES, unparsed clauses) stay unnamed, in PRAGMA order.
    QSet<int> unmatched;
    for (auto it = bySignature.cbegin(); it != bySignature.cend(); ++it)
        unmatched.insert(it.value());
    for (int id : std::as_const(order))
        if (unmatched.contains(id))
            table.foreignKeys << byId.value(id);
    return {};
}

VoidResult Reader::readIndexes(SchemaTable &table, const QString &sql)
{
    Result<QVector<QVariantList>> rows = pragma(QStringLiteral("index_list"), table.name);
    if (!rows)
        return rows.error();
    QHash<QString, QString> autoIndexBySignature;   // column signature -> index name
    for (const QVariantList &row : std::as_const(*rows)) {
        // seq, name, unique, origin, partial
        const QString name = row.at(1).toString();
        Result<QVector<QVariantList>> info = pragma(QStringLiteral("index_info"), name);
        if (!info)
            return info.error();
        SchemaIndex ix;
        ix.name = name;
        ix.unique = row.at(2).toInt() != 0;
        bool hasExpression = false;
        for (const QVariantList &col : std::as_const(*info)) {   // seqno, cid, name
            hasExpression = hasExpression || col.at(2).isNull();
            ix.columns << col.at(2).toString();
            ix.isExpression << col.at(2).isNull();
        }
        if (name.startsWith(QLatin1String("sqlite_autoindex"))) {
            autoIndexBySignature.insert(ix.columns.join(QChar(0)), name);
            continue;   // implicit index of a PRIMARY KEY / UNIQUE constraint
        }
        const QString indexSql = m_indexes.value(name).sql;
        if (hasExpression) {
            // index_info has no text for expressions; take the elements from the SQL.
            const QStringList elements = SqliteTableSql::indexElements(indexSql);
            for (int i = 0; i < ix.columns.size() && i < elements.size(); ++i)
                if (ix.isExpression.at(i))
                    ix.columns[i] = elements.at(i);
        }
        if (row.size() > 4 && row.at(4).toInt() != 0)
            ix.where = SqliteTableSql::partialPredicate(indexSql);
        table.indexes << ix;
    }
    // A UNIQUE clause of the CREATE TABLE is a constraint when SQLite made an automatic
    // index for exactly those columns (else it is the primary key or noise).
    for (const SqliteTableSql::Unique &u : SqliteTableSql::uniques(sql)) {
        const QString sig = u.columns.join(QChar(0));
        if (autoIndexBySignature.remove(sig))
            table.uniqueConstraints << SchemaUniqueConstraint{u.name, u.columns, {}};
    }
    return {};
}

} // namespace

Result<SchemaModel> SqliteIntrospector::introspect(DatabaseConnection &connection,
                                                   const IntrospectOptions &options)
{
    SchemaModel model;
    model.dialect = connection.dialect().name();
    model.defaultSchemaName = QStringLiteral("main");
    Result<QSqlQuery> v = connection.exec(QStringLiteral("SELECT sqlite_version()"));
    if (!v)
        return v.error();
    if (v->next())
        model.serverVersion = v->value(0).toString();
    const QStringList parts = model.serverVersion.split(QLatin1Char('.'));
    const int major = parts.value(0).toInt();
    const int minor = parts.value(1).toInt();
    // table_xinfo (which reports generated columns) exists from 3.31.
    const bool xinfo = major > 3 || (major == 3 && minor >= 31);

    Result<QSqlQuery> dbs = connection.exec(QStringLiteral("PRAGMA database_list"));
    if (!dbs)
        return dbs.error();
    QStringList attached;
    while (dbs->next()) {
        const QString name = dbs->value(1).toString();
        if (name != QLatin1String("temp"))
            attached << name;
    }

    Reader reader(connection, options, xinfo);
    QStringList schemas{QString()};
    schemas += extraSchemas(options, attached, model.defaultSchemaName);
    for (const QString &name : std::as_const(schemas)) {
        if (!name.isEmpty() && !attached.contains(name))
            return Error(QStringLiteral("no attached SQLite database named '%1'").arg(name));
        SchemaNamespace &ns = model.schema(name);
        if (VoidResult r = reader.readSchema(name, ns); !r)
            return r.error();
    }
    model.normalize();
    return model;
}

} // namespace retort
