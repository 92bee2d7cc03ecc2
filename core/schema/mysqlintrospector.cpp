#include "mysqlintrospector.h"

#include "mysqltableoptions.h"
#include "mysqltypes.h"
#include "runtime/databaseconnection.h"

#include <QHash>
#include <QRegularExpression>

namespace retort {

namespace {

class Reader
{
public:
    Reader(DatabaseConnection &conn, const IntrospectOptions &options, bool mariaDb,
           QString defaultDatabase)
        : m_conn(conn), m_options(options), m_mariaDb(mariaDb),
          m_defaultDatabase(std::move(defaultDatabase)) {}

    // schema: "" for the connection's database; database: its real name.
    VoidResult readSchema(const QString &schema, const QString &database, SchemaNamespace &out);

private:
    Result<QSqlQuery> query(const QString &sql) { return m_conn.exec(sql, {m_database}); }
    VoidResult readColumns();
    VoidResult readIndexes();
    VoidResult readForeignKeys(const QString &schema);
    VoidResult readChecks();
    VoidResult readTableOptions();
    QString defaultText(const QVariant &value, const QString &extra) const;

    DatabaseConnection &m_conn;
    const IntrospectOptions &m_options;
    bool m_mariaDb;
    QString m_defaultDatabase;
    QString m_database;
    QHash<QString, SchemaTable *> m_tables;
    QHash<QString, QString> m_tableCollation;
};

VoidResult Reader::readSchema(const QString &schema, const QString &database, SchemaNamespace &out)
{
    m_database = database;
    m_tables.clear();
    m_tableCollation.clear();
    Result<QSqlQuery> q = query(QStringLiteral(
        "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?"));
    if (!q)
        return q.error();
    if (!q->next())
        return Error(QStringLiteral("schema '%1' does not exist").arg(database));
    q = query(QStringLiteral(
        "SELECT TABLE_NAME, TABLE_TYPE, TABLE_COMMENT, TABLE_COLLATION "
        "FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME"));
    if (!q)
        return q.error();
    QVector<SchemaTable> tables;
    while (q->next()) {
        const QString name = q->value(0).toString();
        const QString type = q->value(1).toString();
        if (type == QLatin1String("VIEW")) {
            if (m_options.includeViews)
                out.views << name;
            continue;
        }
        if (type != QLatin1String("BASE TABLE")
            || !SchemaIntrospector::wanted(m_options, schema, name, m_defaultDatabase))
            continue;
        SchemaTable t;
        t.name = name;
        const QString comment = q->value(2).toString();
        if (!comment.isEmpty())
            t.comment = comment;
        m_tableCollation.insert(name, q->value(3).toString());
        tables << t;
    }
    out.tables = tables;
    for (SchemaTable &t : out.tables)
        m_tables.insert(t.name, &t);
    if (VoidResult r = readColumns(); !r)
        return r;
    if (VoidResult r = readIndexes(); !r)
        return r;
    if (VoidResult r = readForeignKeys(schema); !r)
        return r;
    if (VoidResult r = readChecks(); !r)
        return r;
    return readTableOptions();
}

// information_schema does not say which options SHOW CREATE TABLE prints (COLLATE,
// PAGE_CHECKSUM...), and SQLAlchemy reflects exactly those: read the same text.
VoidResult Reader::readTableOptions()
{
    auto quoted = [](QString name) {
        return QLatin1Char('`') + name.replace(QLatin1Char('`'), QStringLiteral("``")) + QLatin1Char('`');
    };
    for (auto it = m_tables.begin(); it != m_tables.end(); ++it) {
        Result<QSqlQuery> q = m_conn.exec(QStringLiteral("SHOW CREATE TABLE %1.%2")
                                              .arg(quoted(m_database), quoted(it.key())));
        if (!q)
            return q.error();
        if (q->next())
            it.value()->dialectOptions = MySqlTableOptions::fromShowCreateTable(q->value(1).toString());
    }
    return {};
}

// COLUMN_DEFAULT the way SHOW CREATE TABLE prints it, which is what SQLAlchemy reports.
QString Reader::defaultText(const QVariant &value, const QString &extra) const
{
    QString text = value.toString();
    if (!m_mariaDb) {
        // MySQL keeps literals unquoted in information_schema; expressions are flagged.
        if (!extra.contains(QLatin1String("DEFAULT_GENERATED"), Qt::CaseInsensitive))
            text = QLatin1Char('\'') + text.replace(QLatin1Char('\''), QStringLiteral("''"))
                   + QLatin1Char('\'');
        else if (!text.startsWith(QLatin1String("CURRENT_TIMESTAMP"), Qt::CaseInsensitive))
            text = QLatin1Char('(') + text + QLatin1Char(')');
    }
    static const QRegularExpression onUpdate(QStringLiteral("on update (\\S+)"),
                                             QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = onUpdate.match(extra);
    if (m.hasMatch())
        text += QStringLiteral(" ON UPDATE ") + m.captured(1);
    return text;
}

VoidResult Reader::readColumns()
{
    Result<QSqlQuery> q = query(QStringLiteral(
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, COLUMN_DEFAULT, IS_NULLABLE, EXTRA, "
        "CHARACTER_SET_NAME, COLLATION_NAME, GENERATION_EXPRESSION, COLUMN_COMMENT "
        "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? "
        "ORDER BY TABLE_NAME, ORDINAL_POSITION"));
    if (!q)
        return q.error();
    while (q->next()) {
        SchemaTable *t = m_tables.value(q->value(0).toString());
        if (!t)
            continue;
        SchemaColumn c;
        c.name = q->value(1).toString();
        const QString extra = q->value(5).toString();
        // SHOW CREATE TABLE names charset and collation only where the column's
        // collation differs from the table's.
        const QString collation = q->value(7).toString();
        const bool own = !collation.isEmpty()
                         && collation != m_tableCollation.value(t->name);
        MySqlTypes::resolve(q->value(2).toString(), own ? q->value(6).toString() : QString(),
                            own ? collation : QString(), c);
        c.nullable = q->value(4).toString() == QLatin1String("YES");
        const QString generated = q->value(8).toString();
        if (!q->value(8).isNull() && !generated.isEmpty()) {
            SchemaComputed computed;
            computed.sqltext = QLatin1Char('(') + generated + QLatin1Char(')');
            computed.persisted = extra.contains(QLatin1String("STORED"), Qt::CaseInsensitive)
                                 || extra.contains(QLatin1String("PERSISTENT"), Qt::CaseInsensitive);
            c.computed = computed;
        } else if (!q->value(3).isNull() && q->value(3).toString() != QLatin1String("NULL")) {
            c.serverDefault = defaultText(q->value(3), extra);
        }
        if (extra.contains(QLatin1String("auto_increment"), Qt::CaseInsensitive))
            c.autoincrement = SchemaColumn::Autoincrement::Yes;
        else if (c.typeInfo.affinity == QLatin1String("Integer"))
            c.autoincrement = SchemaColumn::Autoincrement::No;
        const QString comment = q->value(9).toString();
        if (!comment.isEmpty())
            c.comment = comment;
        t->columns << c;
    }
    return {};
}

VoidResult Reader::readIndexes()
{
    Result<QSqlQuery> q = query(QStringLiteral(
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE "
        "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? "
        "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"));
    if (!q)
        return q.error();
    QHash<QString, SchemaIndex> current;   // "table\0index" -> index being built
    QStringList order;
    while (q->next()) {
        const QString table = q->value(0).toString();
        SchemaTable *t = m_tables.value(table);
        if (!t)
            continue;
        const QString name = q->value(1).toString();
        const QString column = q->value(3).toString();
        if (name == QLatin1String("PRIMARY")) {
            t->primaryKey.columns << column;   // SQLAlchemy reports no PK name here
            continue;
        }
        const QString key = table + QChar(0) + name;
        if (!current.contains(key)) {
            SchemaIndex ix;
            ix.name = name;
            ix.unique = q->value(2).toInt() == 0;
            const QString type = q->value(5).toString();
            if (type == QLatin1String("FULLTEXT") || type == QLatin1String("SPATIAL"))
                ix.dialectOptions.insert(QStringLiteral("mysql_prefix"), type);
            if (ix.unique)
                ix.duplicatesConstraint = name;   // MySQL: a unique index is the constraint
            current.insert(key, ix);
            order << key;
        }
        SchemaIndex &ix = current[key];
        ix.columns << column;
        ix.isExpression << false;
        if (!q->value(4).isNull()) {
            // Prefix length: mysql_length, keyed by column as Index(mysql_length={...}).
            QJsonObject lengths = ix.dialectOptions.value(QStringLiteral("mysql_length")).toObject();
            lengths.insert(column, q->value(4).toInt());
            ix.dialectOptions.insert(QStringLiteral("mysql_length"), lengths);
        }
    }
    for (const QString &key : std::as_const(order)) {
        const SchemaIndex &ix = current.value(key);
        SchemaTable *t = m_tables.value(key.section(QChar(0), 0, 0));
        t->indexes << ix;
        if (ix.unique)
            t->uniqueConstraints << SchemaUniqueConstraint{ix.name, ix.columns, {}};
    }
    return {};
}

VoidResult Reader::readForeignKeys(const QString &schema)
{
    Result<QSqlQuery> q = query(QStringLiteral(
        "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
        "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE "
        "FROM information_schema.KEY_COLUMN_USAGE k "
        "JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
        "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
        "AND r.TABLE_NAME = k.TABLE_NAME "
        "WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL "
        "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION"));
    if (!q)
        return q.error();
    // RESTRICT is the default SHOW CREATE TABLE leaves out; NO ACTION SQLAlchemy drops.
    auto rule = [](const QString &r) {
        return r == QLatin1String("RESTRICT") || r == QLatin1String("NO ACTION") ? QString() : r;
    };
    QString lastKey;
    while (q->next()) {
        SchemaTable *t = m_tables.value(q->value(0).toString());
        if (!t)
            continue;
        const QString key = q->value(0).toString() + QChar(0) + q->value(1).toString();
        if (key != lastKey) {
            SchemaForeignKey fk;
            fk.name = q->value(1).toString();
            const QString refSchema = q->value(3).toString();
            // Named with its database only when it lives elsewhere (as SHOW CREATE does).
            fk.referredSchema = refSchema == m_database ? schema : refSchema;
            fk.referredTable = q->value(4).toString();
            fk.onUpdate = rule(q->value(6).toString());
            fk.onDelete = rule(q->value(7).toString());
            t->foreignKeys << fk;
            lastKey = key;
        }
        t->foreignKeys.last().columns << q->value(2).toString();
        t->foreignKeys.last().referredColumns << q->value(5).toString();
    }
    return {};
}

VoidResult Reader::readChecks()
{
    // Column-level CHECKs (MariaDB's LEVEL 'Column', e.g. JSON's json_valid()) are part
    // of the column definition, not table constraints, for SQLAlchemy.
    const QString sql = m_mariaDb
        ? QStringLiteral("SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL "
                         "FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? "
                         "ORDER BY TABLE_NAME, CONSTRAINT_NAME")
        : QStringLiteral("SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, 'Table' "
                         "FROM information_schema.TABLE_CONSTRAINTS tc "
                         "JOIN information_schema.CHECK_CONSTRAINTS cc "
                         "ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA "
                         "AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
                         "WHERE tc.CONSTRAINT_SCHEMA = ? AND tc.CONSTRAINT_TYPE = 'CHECK' "
                         "ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME");
    Result<QSqlQuery> q = query(sql);
    if (!q)
        return q.error();
    while (q->next()) {
        SchemaTable *t = m_tables.value(q->value(0).toString());
        if (!t || q->value(3).toString() == QLatin1String("Column"))
            continue;
        t->checkConstraints << SchemaCheckConstraint{q->value(1).toString(), q->value(2).toString()};
    }
    return {};
}

} // namespace

Result<SchemaModel> MySqlIntrospector::introspect(DatabaseConnection &connection,
                                                  const IntrospectOptions &options)
{
    SchemaModel model;
    model.dialect = connection.dialect().name();
    Result<QSqlQuery> q = connection.exec(QStringLiteral("SELECT DATABASE(), VERSION()"));
    if (!q)
        return q.error();
    if (q->next()) {
        model.defaultSchemaName = q->value(0).toString();
        model.serverVersion = q->value(1).toString();
    }
    if (model.defaultSchemaName.isEmpty())
        return Error(QStringLiteral("no database selected on %1").arg(connection.displayUrl()));
    const bool mariaDb = model.serverVersion.contains(QLatin1String("MariaDB"), Qt::CaseInsensitive);
    QStringList available;
    if (options.includeSchemas) {
        q = connection.exec(QStringLiteral(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN "
            "('information_schema', 'mysql', 'performance_schema', 'sys') ORDER BY SCHEMA_NAME"));
        if (!q)
            return q.error();
        while (q->next())
            available << q->value(0).toString();
    }
    Reader reader(connection, options, mariaDb, model.defaultSchemaName);
    QStringList schemas{QString()};
    schemas += extraSchemas(options, available, model.defaultSchemaName);
    model.schemas.reserve(schemas.size());
    for (const QString &name : std::as_const(schemas)) {
        SchemaNamespace &ns = model.schema(name);
        if (VoidResult r = reader.readSchema(name, name.isEmpty() ? model.defaultSchemaName : name, ns);
            !r)
            return r.error();
    }
    model.normalize();
    return model;
}

} // namespace retort
