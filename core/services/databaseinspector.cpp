#include "databaseinspector.h"

#include "runtime/databaseconnection.h"
#include "runtime/dialect.h"
#include "schema/schemaintrospector.h"

#include <algorithm>
#include <memory>

namespace retort {

namespace {

Error needs(const QString &why) { return Error(QStringLiteral("needs Python: ") + why); }

PyValue str(const QString &s) { return PyValue::string(s); }
PyValue strOrNone(const QString &s) { return s.isEmpty() ? PyValue::none() : PyValue::string(s); }

PyValue names(const QStringList &list)
{
    QVector<PyValue> out;
    for (const QString &s : list)
        out << PyValue::string(s);
    return PyValue::list(out);
}

using Items = QVector<QPair<PyValue, PyValue>>;

PyValue columnsOf(const SchemaTable &t, bool sqlite)
{
    QVector<PyValue> out;
    for (const SchemaColumn &c : t.columns) {
        Items d{{str(QStringLiteral("name")), str(c.name)},
                // A type object only Python has: the renderer refuses it, str() needs Python.
                {str(QStringLiteral("type")), PyValue::call(PyValue::name(QStringLiteral("sa.types.ReflectedType")),
                                                            {str(c.type)}, {})},
                {str(QStringLiteral("nullable")), PyValue::boolean(c.nullable)},
                {str(QStringLiteral("default")), c.serverDefault ? str(*c.serverDefault) : PyValue::none()}};
        if (sqlite) {
            d.append({str(QStringLiteral("autoincrement")), str(QStringLiteral("auto"))});
            d.append({str(QStringLiteral("primary_key")), PyValue::integer(int(t.primaryKey.columns.indexOf(c.name) + 1))});
        } else {
            d.append({str(QStringLiteral("autoincrement")),
                      c.autoincrement == SchemaColumn::Autoincrement::Auto
                          ? str(QStringLiteral("auto"))
                          : PyValue::boolean(c.autoincrement == SchemaColumn::Autoincrement::Yes)});
            d.append({str(QStringLiteral("comment")), c.comment ? str(*c.comment) : PyValue::none()});
        }
        out << PyValue::dict(d);
    }
    return PyValue::list(out);
}

// order: the index names in the order to list them (MySQL: SHOW CREATE TABLE's, which
// SQLAlchemy parses); empty: by name (PostgreSQL's ORDER BY) or as read (SQLite's PRAGMA).
PyValue indexesOf(const SchemaTable &t, bool sortByName, bool integerFlags, const QStringList &order = {})
{
    QVector<const SchemaIndex *> list;
    for (const SchemaIndex &i : t.indexes)
        if (!i.isExpression.contains(true))   // SQLAlchemy 1.4 skips expression indexes
            list << &i;
    if (sortByName)
        std::stable_sort(list.begin(), list.end(), [](auto *a, auto *b) { return a->name < b->name; });
    if (!order.isEmpty())
        std::stable_sort(list.begin(), list.end(),
                         [&](auto *a, auto *b) { return order.indexOf(a->name) < order.indexOf(b->name); });
    QVector<PyValue> out;
    for (const SchemaIndex *i : list) {
        Items d{{str(QStringLiteral("name")), str(i->name)},
                {str(QStringLiteral("column_names")), names(i->columns)},
                // SQLite's PRAGMA index_list gives 0/1, which SQLAlchemy passes on as is.
                {str(QStringLiteral("unique")), integerFlags ? PyValue::integer(i->unique ? 1 : 0)
                                                             : PyValue::boolean(i->unique)}};
        if (!order.isEmpty()) {   // MySQL: the key's flavor, no duplicates_constraint
            const QString prefix = i->dialectOptions.value(QStringLiteral("mysql_prefix")).toString();
            if (i->unique || !prefix.isEmpty())
                d.append({str(QStringLiteral("type")), str(i->unique ? QStringLiteral("UNIQUE") : prefix)});
        } else if (!i->duplicatesConstraint.isEmpty()) {
            d.append({str(QStringLiteral("duplicates_constraint")), str(i->duplicatesConstraint)});
        }
        out << PyValue::dict(d);
    }
    return PyValue::list(out);
}

PyValue foreignKeysOf(const SchemaTable &t)
{
    QVector<PyValue> out;
    for (const SchemaForeignKey &fk : t.foreignKeys) {
        Items options;
        if (!fk.onUpdate.isEmpty())
            options.append({str(QStringLiteral("onupdate")), str(fk.onUpdate)});
        if (!fk.onDelete.isEmpty())
            options.append({str(QStringLiteral("ondelete")), str(fk.onDelete)});
        if (fk.deferrable)
            options.append({str(QStringLiteral("deferrable")), PyValue::boolean(*fk.deferrable)});
        if (!fk.initially.isEmpty())
            options.append({str(QStringLiteral("initially")), str(fk.initially)});
        out << PyValue::dict(Items{{str(QStringLiteral("name")), strOrNone(fk.name)},
                                   {str(QStringLiteral("constrained_columns")), names(fk.columns)},
                                   {str(QStringLiteral("referred_schema")), strOrNone(fk.referredSchema)},
                                   {str(QStringLiteral("referred_table")), str(fk.referredTable)},
                                   {str(QStringLiteral("referred_columns")), names(fk.referredColumns)},
                                   {str(QStringLiteral("options")), PyValue::dict(options)}});
    }
    return PyValue::list(out);
}

PyValue uniquesOf(const SchemaTable &t)
{
    QVector<PyValue> out;
    for (const SchemaUniqueConstraint &u : t.uniqueConstraints)
        out << PyValue::dict(Items{{str(QStringLiteral("name")), strOrNone(u.name)},
                                   {str(QStringLiteral("column_names")), names(u.columns)}});
    return PyValue::list(out);
}

} // namespace

Result<PyValue> DatabaseInspector::call(const QString &method, const QVector<PyValue> &args,
                                        const QVector<QPair<QString, PyValue>> &kwargs)
{
    for (const auto &kw : kwargs)
        if (kw.first != u"schema" || !kw.second.isNone())
            return needs(QStringLiteral("inspector.%1() with %2=").arg(method, kw.first));
    const bool tableLevel = method == u"get_table_names";
    if (tableLevel ? !args.isEmpty() : (args.size() != 1 || !args[0].isStr()))
        return needs(QStringLiteral("inspector.%1() with these arguments").arg(method));
    static const QStringList known = {"get_table_names", "has_table", "get_columns", "get_indexes",
                                      "get_foreign_keys", "get_unique_constraints", "get_pk_constraint"};
    if (!known.contains(method))
        return needs(QStringLiteral("call to inspector.%1()").arg(method));
    const QString table = tableLevel ? QString() : args[0].toStr();
    if (tableLevel) {
        auto tables = tableNames();
        if (!tables)
            return tables.error();
        return names(*tables);
    }
    if (method == u"has_table")
        return hasTable(table);
    IntrospectOptions options;
    options.skipVersionTable = false;   // the inspector lists it like any table
    options.includeViews = false;
    if (!tableLevel)
        options.tableFilter = [table](const QString &schema, const QString &name) {
            return schema.isEmpty() && name == table;
        };
    auto model = SchemaIntrospector::read(m_conn, options);
    if (!model)
        return model.error();
    const SchemaNamespace *ns = nullptr;
    for (const SchemaNamespace &n : model->schemas)
        if (n.name.isEmpty())
            ns = &n;
    if (tableLevel) {
        QStringList tables;
        if (ns)
            for (const SchemaTable &t : ns->tables)
                tables << t.name;
        tables.sort();
        return names(tables);
    }
    const SchemaTable *t = ns ? ns->findTable(table) : nullptr;
    if (method == u"has_table")
        return PyValue::boolean(t != nullptr);
    const bool sqlite = m_conn.dialect().kind() == Dialect::SQLite;
    if (!t) {
        // SQLite's PRAGMAs read nothing for a missing table; the other dialects raise.
        if (!sqlite || method == u"get_columns")
            return Error(QStringLiteral("sqlalchemy.exc.NoSuchTableError: %1").arg(table));
        return method == u"get_pk_constraint"
                   ? PyValue::dict(Items{{str(QStringLiteral("constrained_columns")), PyValue::list({})},
                                         {str(QStringLiteral("name")), PyValue::none()}})
                   : PyValue::list({});
    }
    if (method == u"get_columns")
        return columnsOf(*t, sqlite);
    if (method == u"get_indexes") {
        QStringList order;
        if (!sqlite && m_conn.dialect().kind() != Dialect::PostgreSQL) {
            QString quoted = table;
            auto q = m_conn.exec(QStringLiteral("SHOW INDEX FROM `%1`").arg(quoted.replace(u'`', QStringLiteral("``"))));
            if (!q)
                return q.error();
            while (q->next())
                if (const QString name = q->value(2).toString(); !order.contains(name))
                    order << name;
        }
        return indexesOf(*t, m_conn.dialect().kind() == Dialect::PostgreSQL, sqlite, order);
    }
    if (method == u"get_foreign_keys")
        return foreignKeysOf(*t);
    if (method == u"get_unique_constraints")
        return uniquesOf(*t);
    return PyValue::dict(Items{{str(QStringLiteral("constrained_columns")), names(t->primaryKey.columns)},
                               {str(QStringLiteral("name")), strOrNone(t->primaryKey.name)}});
}

// SQLAlchemy 1.4's own queries, so names and order are the same (SQLite's includes
// sqlite_sequence; PostgreSQL's order is the catalog's).
Result<QStringList> DatabaseInspector::tableNames()
{
    const Dialect::Kind kind = m_conn.dialect().kind();
    const QString sql = kind == Dialect::SQLite
        ? QStringLiteral("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        : kind == Dialect::PostgreSQL
        ? QStringLiteral("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE n.nspname = current_schema() AND c.relkind in ('r', 'p')")
        : QStringLiteral("SHOW FULL TABLES FROM `%1`").arg(m_conn.url().database().replace(u'`', QStringLiteral("``")));
    auto q = m_conn.exec(sql);
    if (!q)
        return q.error();
    QStringList out;
    while (q->next())
        if (kind == Dialect::SQLite || kind == Dialect::PostgreSQL || q->value(1).toString() == u"BASE TABLE")
            out << q->value(0).toString();
    return out;
}

// Any relation by that name: SQLite's PRAGMA table_info (tables and views), PostgreSQL's
// visible pg_class entries (views, sequences and indexes too), as SQLAlchemy 1.4 asks.
Result<PyValue> DatabaseInspector::hasTable(const QString &table)
{
    QString quoted = table;
    quoted.replace(u'"', QStringLiteral("\"\""));
    Result<QSqlQuery> q = Error(QString());
    switch (m_conn.dialect().kind()) {
    case Dialect::SQLite:
        q = m_conn.exec(QStringLiteral("PRAGMA main.table_info(\"%1\")").arg(quoted));
        break;
    case Dialect::PostgreSQL:
        q = m_conn.exec(QStringLiteral("SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                       "WHERE pg_catalog.pg_table_is_visible(c.oid) AND relname = ?"),
                        {table});
        break;
    default:   // tables and views
        q = m_conn.exec(QStringLiteral("SELECT table_name FROM information_schema.tables "
                                       "WHERE table_schema = DATABASE() AND table_name = ?"),
                        {table});
        break;
    }
    if (!q)
        return q.error();
    return PyValue::boolean(q->next());
}

std::function<Result<PyValue>(bool, const QString &, const QVector<PyValue> &,
                              const QVector<QPair<QString, PyValue>> &)>
DatabaseInspector::forRun(DatabaseConnection *connection)
{
    if (!connection)
        return {};
    const Dialect::Kind kind = connection->dialect().kind();
    // Opened when an engine is first inspected, kept for the run.
    auto engine = std::make_shared<std::unique_ptr<DatabaseConnection>>();
    return [connection, engine, kind](bool onEngine, const QString &method, const QVector<PyValue> &args,
                                      const QVector<QPair<QString, PyValue>> &kwargs) -> Result<PyValue> {
        DatabaseConnection *conn = connection;
        if (onEngine && kind != Dialect::SQLite) {
            if (!*engine) {
                auto opened = DatabaseConnection::open(connection->url());
                if (!opened)
                    return opened.error();
                // Waiting on a lock the run's own transaction holds would never end.
                (void)(*opened)->exec(kind == Dialect::PostgreSQL ? QStringLiteral("SET lock_timeout = '30s'")
                                                                  : QStringLiteral("SET SESSION lock_wait_timeout = 30"));
                *engine = std::move(*opened);
            }
            conn = engine->get();
        }
        return DatabaseInspector(*conn).call(method, args, kwargs);
    };
}

} // namespace retort
