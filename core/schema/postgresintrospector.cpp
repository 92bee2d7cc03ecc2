#include "postgresintrospector.h"

#include "postgrestypes.h"
#include "runtime/databaseconnection.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace retort {

namespace {

// Name arrays come back as JSON text (array_to_json), which keeps odd names intact.
QStringList jsonStrings(const QVariant &v)
{
    QStringList out;
    const QJsonArray a = QJsonDocument::fromJson(v.toString().toUtf8()).array();
    for (const QJsonValue &e : a)
        out << e.toString();
    return out;
}

bool truthy(const QVariant &v)
{
    // QPSQL hands booleans over as bool, but be lenient with 't'/'f' text.
    if (v.typeId() == QMetaType::Bool)
        return v.toBool();
    const QString s = v.toString();
    return s == QLatin1String("t") || s == QLatin1String("true") || s == QLatin1String("1");
}

QString action(const QString &code)
{
    if (code == QLatin1String("r")) return QStringLiteral("RESTRICT");
    if (code == QLatin1String("c")) return QStringLiteral("CASCADE");
    if (code == QLatin1String("n")) return QStringLiteral("SET NULL");
    if (code == QLatin1String("d")) return QStringLiteral("SET DEFAULT");
    return {};   // 'a' (NO ACTION) is the default and not reported
}

class Reader
{
public:
    Reader(DatabaseConnection &conn, const IntrospectOptions &options, QString defaultSchema)
        : m_conn(conn), m_options(options), m_defaultSchema(std::move(defaultSchema)) {}

    VoidResult loadTypes();
    VoidResult readSchema(const QString &schema, const QString &nspname, SchemaNamespace &out);

private:
    Result<QSqlQuery> query(const QString &sql) { return m_conn.exec(sql); }
    VoidResult readColumns(const QString &ns, const QString &schema);
    VoidResult readIdentities(const QString &ns);
    VoidResult readConstraints(const QString &ns, const QString &schema);
    VoidResult readIndexes(const QString &ns);

    DatabaseConnection &m_conn;
    const IntrospectOptions &m_options;
    QString m_defaultSchema;
    PostgresTypes m_types;
    QHash<qint64, SchemaTable *> m_tables;   // pg_class oid -> table being filled
    // Column names by (relation, attnum): key and index columns arrive as attnums and are
    // named here, which is much cheaper than a sub-select per row on the server.
    QHash<qint64, QHash<int, QString>> m_attnames;
    VoidResult loadAttnames(const QList<qint64> &relations);
    QStringList names(qint64 relation, const QList<int> &attnums) const;
};

VoidResult Reader::loadTypes()
{
    Result<QSqlQuery> q = query(QStringLiteral(
        "SELECT t.typname, pg_catalog.pg_type_is_visible(t.oid), n.nspname, "
        "array_to_json(ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e "
        "WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder))::text "
        "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
        "WHERE t.typtype = 'e'"));
    if (!q)
        return q.error();
    while (q->next())
        m_types.addEnum({q->value(0).toString(), q->value(2).toString(), truthy(q->value(1)),
                         jsonStrings(q->value(3))});
    q = query(QStringLiteral(
        "SELECT t.typname, pg_catalog.format_type(t.typbasetype, t.typtypmod), "
        "NOT t.typnotnull, t.typdefault, pg_catalog.pg_type_is_visible(t.oid), n.nspname "
        "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
        "WHERE t.typtype = 'd'"));
    if (!q)
        return q.error();
    while (q->next()) {
        PostgresTypes::Domain d;
        d.baseType = q->value(1).toString();
        d.nullable = truthy(q->value(2));
        if (!q->value(3).isNull())
            d.defaultText = q->value(3).toString();
        m_types.addDomain(q->value(0).toString(), q->value(5).toString(), truthy(q->value(4)), d);
    }
    return {};
}

VoidResult Reader::readSchema(const QString &schema, const QString &nspname, SchemaNamespace &out)
{
    m_tables.clear();
    m_attnames.clear();
    Result<QSqlQuery> q = query(
        QStringLiteral("SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = %1")
            .arg(m_conn.dialect().stringLiteral(nspname)));
    if (!q)
        return q.error();
    if (!q->next())
        return Error(QStringLiteral("schema '%1' does not exist").arg(nspname));
    const QString ns = q->value(0).toString();

    // Tables and views, with table comments.
    q = query(QStringLiteral(
        "SELECT c.oid, c.relname, c.relkind, d.description FROM pg_catalog.pg_class c "
        "LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = 0 "
        "AND d.classoid = 'pg_catalog.pg_class'::regclass "
        "WHERE c.relnamespace = %1 AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY c.relname")
                  .arg(ns));
    if (!q)
        return q.error();
    QVector<QPair<qint64, SchemaTable>> tables;
    while (q->next()) {
        const QString kind = q->value(2).toString();
        const QString name = q->value(1).toString();
        if (kind == QLatin1String("v") || kind == QLatin1String("m")) {
            if (m_options.includeViews)
                out.views << name;
            continue;
        }
        if (!SchemaIntrospector::wanted(m_options, schema, name, m_defaultSchema))
            continue;
        SchemaTable t;
        t.name = name;
        if (!q->value(3).isNull())
            t.comment = q->value(3).toString();
        tables << qMakePair(q->value(0).toLongLong(), t);
    }
    out.tables.reserve(tables.size());
    for (const auto &t : std::as_const(tables)) {
        out.tables << t.second;
        m_tables.insert(t.first, &out.tables.last());
    }
    if (VoidResult r = readColumns(ns, schema); !r)
        return r;
    if (VoidResult r = readIdentities(ns); !r)
        return r;
    if (VoidResult r = readConstraints(ns, schema); !r)
        return r;
    if (VoidResult r = readIndexes(ns); !r)
        return r;

    // Enum types of this schema.
    q = query(QStringLiteral(
        "SELECT t.typname, array_to_json(ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e "
        "WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder))::text "
        "FROM pg_catalog.pg_type t WHERE t.typtype = 'e' AND t.typnamespace = %1").arg(ns));
    if (!q)
        return q.error();
    while (q->next())
        out.enums << SchemaEnum{q->value(0).toString(), schema, jsonStrings(q->value(1))};
    return {};
}

VoidResult Reader::readColumns(const QString &ns, const QString &schema)
{
    Result<QSqlQuery> q = query(QStringLiteral(
        "SELECT a.attrelid, a.attnum, a.attname, "
        "pg_catalog.format_type(a.atttypid, a.atttypmod), "
        "pg_catalog.pg_get_expr(ad.adbin, CASE WHEN a.attgenerated <> '' THEN ad.adrelid "
        "ELSE 0 END), a.attnotnull, d.description, "
        "a.attgenerated, a.attidentity "
        "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
        "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid "
        "AND ad.adnum = a.attnum AND a.atthasdef "
        "LEFT JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid "
        "AND d.objsubid = a.attnum AND d.classoid = 'pg_catalog.pg_class'::regclass "
        "WHERE c.relnamespace = %1 AND c.relkind IN ('r', 'p') "
        "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum").arg(ns));
    if (!q)
        return q.error();
    static const QRegularExpression nextval(QStringLiteral("(nextval\\(')([^']+)('.*$)"));
    while (q->next()) {
        SchemaTable *t = m_tables.value(q->value(0).toLongLong());
        if (!t)
            continue;
        SchemaColumn c;
        c.name = q->value(2).toString();
        m_attnames[q->value(0).toLongLong()].insert(q->value(1).toInt(), c.name);
        c.nullable = !truthy(q->value(5));
        if (!q->value(4).isNull())
            c.serverDefault = q->value(4).toString();
        if (!q->value(6).isNull())
            c.comment = q->value(6).toString();
        m_types.resolve(q->value(3).toString(), c);
        const QString generated = q->value(7).toString();
        if (!generated.isEmpty() && generated.at(0) != QChar(0)) {
            c.computed = SchemaComputed{c.serverDefault.value_or(QString()),
                                        generated == QLatin1String("s")};
            c.serverDefault.reset();
        }
        // serial-style columns: an integer whose default draws from a sequence.
        c.autoincrement = SchemaColumn::Autoincrement::No;
        if (c.serverDefault) {
            const QRegularExpressionMatch m = nextval.match(*c.serverDefault);
            if (m.hasMatch()) {
                if (c.typeInfo.affinity == QLatin1String("Integer"))
                    c.autoincrement = SchemaColumn::Autoincrement::Yes;
                if (!m.captured(2).contains(QLatin1Char('.')) && !schema.isEmpty())
                    c.serverDefault = m.captured(1) + QStringLiteral("\"%1\".").arg(schema)
                                      + m.captured(2) + m.captured(3);
            }
        }
        if (!q->value(8).toString().isEmpty()) {
            SchemaIdentity id;
            id.always = q->value(8).toString() == QLatin1String("a");
            c.identity = id;   // sequence options filled by readIdentities
            c.autoincrement = SchemaColumn::Autoincrement::Yes;
        }
        t->columns << c;
    }
    return {};
}

VoidResult Reader::readIdentities(const QString &ns)
{
    // The sequence behind an identity column depends on it internally ('i').
    Result<QSqlQuery> q = query(QStringLiteral(
        "SELECT dep.refobjid, a.attname, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, "
        "s.seqcache, s.seqcycle FROM pg_catalog.pg_depend dep "
        "JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid "
        "JOIN pg_catalog.pg_class c ON c.oid = dep.refobjid "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid "
        "AND a.attnum = dep.refobjsubid "
        "WHERE dep.classid = 'pg_catalog.pg_class'::regclass "
        "AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.deptype = 'i' "
        "AND a.attidentity <> '' AND c.relnamespace = %1").arg(ns));
    if (!q)
        return q.error();
    while (q->next()) {
        SchemaTable *t = m_tables.value(q->value(0).toLongLong());
        SchemaColumn *c = t ? t->findColumn(q->value(1).toString()) : nullptr;
        if (!c || !c->identity)
            continue;
        c->identity->start = q->value(2).toLongLong();
        c->identity->increment = q->value(3).toLongLong();
        c->identity->minValue = q->value(4).toLongLong();
        c->identity->maxValue = q->value(5).toLongLong();
        c->identity->cache = q->value(6).toLongLong();
        c->identity->cycle = truthy(q->value(7));
    }
    return {};
}

QList<int> intArray(const QString &text)
{
    // "{1,2}" (int2[]) or "1 2" (int2vector)
    QList<int> out;
    static const QRegularExpression sep(QStringLiteral("[{}, ]+"));
    for (const QString &part : text.split(sep, Qt::SkipEmptyParts))
        out << part.toInt();
    return out;
}

VoidResult Reader::loadAttnames(const QList<qint64> &relations)
{
    if (relations.isEmpty())
        return {};
    QStringList ids;
    for (qint64 r : relations)
        ids << QString::number(r);
    Result<QSqlQuery> q = query(QStringLiteral(
        "SELECT attrelid, attnum, attname FROM pg_catalog.pg_attribute "
        "WHERE attrelid IN (%1) AND attnum > 0").arg(ids.join(QLatin1Char(','))));
    if (!q)
        return q.error();
    while (q->next())
        m_attnames[q->value(0).toLongLong()].insert(q->value(1).toInt(), q->value(2).toString());
    return {};
}

QStringList Reader::names(qint64 relation, const QList<int> &attnums) const
{
    const QHash<int, QString> byNum = m_attnames.value(relation);
    QStringList out;
    for (int n : attnums)
        out << byNum.value(n);
    return out;
}

VoidResult Reader::readConstraints(const QString &ns, const QString &schema)
{
    Result<QSqlQuery> q = query(
        QStringLiteral(
            "SELECT con.conrelid, con.conname, con.contype, con.conkey::text, con.confkey::text, "
            "rn.nspname, rc.relname, "
            "CASE WHEN con.contype = 'f' THEN pg_catalog.pg_table_is_visible(con.confrelid) END, "
            "con.confupdtype, con.confdeltype, con.confmatchtype, con.condeferrable, "
            "con.condeferred, CASE WHEN con.contype = 'c' "
            "THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid) END, con.confrelid "
            "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid "
            "LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid "
            "LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace "
            "WHERE c.relnamespace = %1 AND con.contype IN ('p', 'f', 'u', 'c') "
            "ORDER BY con.conrelid, con.conname")
            .arg(ns));
    if (!q)
        return q.error();
    struct Row
    {
        QVariantList values;
    };
    QVector<Row> rows;
    QList<qint64> foreign;   // referred relations whose column names are not loaded yet
    while (q->next()) {
        Row row;
        for (int i = 0; i < 15; ++i)
            row.values << q->value(i);
        const qint64 ref = row.values.at(14).toLongLong();
        if (ref && !m_attnames.contains(ref) && !foreign.contains(ref))
            foreign << ref;
        rows << row;
    }
    if (VoidResult r = loadAttnames(foreign); !r)
        return r;
    static const QRegularExpression outerParens(QStringLiteral("^[\\s\\n]*\\((.+)\\)[\\s\\n]*$"),
                                                QRegularExpression::DotMatchesEverythingOption);
    for (const Row &r : std::as_const(rows)) {
        const QVariantList &v = r.values;
        const qint64 relation = v.at(0).toLongLong();
        SchemaTable *t = m_tables.value(relation);
        if (!t)
            continue;
        const QString name = v.at(1).toString();
        const QString type = v.at(2).toString();
        const QStringList columns = names(relation, intArray(v.at(3).toString()));
        if (type == QLatin1String("p")) {
            t->primaryKey = SchemaPrimaryKey{name, columns};
        } else if (type == QLatin1String("u")) {
            t->uniqueConstraints << SchemaUniqueConstraint{name, columns, {}};
        } else if (type == QLatin1String("c")) {
            // pg_get_expr() is pg_get_constraintdef() without "CHECK " around it, at a
            // fraction of the cost; SQLAlchemy then drops one level of parentheses.
            QString text = v.at(13).toString();
            const QRegularExpressionMatch inner = outerParens.match(text);
            if (inner.hasMatch())
                text = inner.captured(1);
            t->checkConstraints << SchemaCheckConstraint{name, text};
        } else {
            SchemaForeignKey fk;
            fk.name = name;
            fk.columns = columns;
            fk.referredColumns = names(v.at(14).toLongLong(), intArray(v.at(4).toString()));
            fk.referredTable = v.at(6).toString();
            // As pg_get_constraintdef() reads under the search path: a referred table
            // outside it is named with its schema; one in the schema being read too.
            const QString refSchema = v.at(5).toString();
            if (!truthy(v.at(7)))
                fk.referredSchema = refSchema;
            else if (!schema.isEmpty() && schema == refSchema)
                fk.referredSchema = schema;
            fk.onUpdate = action(v.at(8).toString());
            fk.onDelete = action(v.at(9).toString());
            const QString match = v.at(10).toString();
            if (match == QLatin1String("f"))
                fk.match = QStringLiteral("FULL");
            else if (match == QLatin1String("p"))
                fk.match = QStringLiteral("PARTIAL");
            if (truthy(v.at(11)))
                fk.deferrable = true;
            if (truthy(v.at(12)))
                fk.initially = QStringLiteral("DEFERRED");
            t->foreignKeys << fk;
        }
    }
    return {};
}

VoidResult Reader::readIndexes(const QString &ns)
{
    // Expression elements only cost a pg_get_indexdef() call where there are any.
    Result<QSqlQuery> q = query(QStringLiteral(
        "SELECT ix.indrelid, i.relname, ix.indisunique, ix.indnkeyatts, ix.indkey::text, "
        "CASE WHEN ix.indexprs IS NOT NULL THEN array_to_json(ARRAY("
        "SELECT pg_catalog.pg_get_indexdef(ix.indexrelid, k, true) "
        "FROM generate_series(1, ix.indnatts) k ORDER BY k))::text END, "
        "am.amname, pg_catalog.pg_get_expr(ix.indpred, ix.indrelid), "
        "array_to_json(i.reloptions)::text, con.conname "
        "FROM pg_catalog.pg_index ix JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid "
        "JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid "
        "LEFT JOIN pg_catalog.pg_am am ON am.oid = i.relam "
        "LEFT JOIN pg_catalog.pg_constraint con ON con.conrelid = ix.indrelid "
        "AND con.conindid = ix.indexrelid AND con.contype IN ('p', 'u', 'x') "
        "WHERE t.relnamespace = %1 AND NOT ix.indisprimary ORDER BY ix.indrelid, i.relname")
                                    .arg(ns));
    if (!q)
        return q.error();
    while (q->next()) {
        const qint64 relation = q->value(0).toLongLong();
        SchemaTable *t = m_tables.value(relation);
        if (!t)
            continue;
        SchemaIndex ix;
        ix.name = q->value(1).toString();
        ix.unique = truthy(q->value(2));
        const QList<int> keys = intArray(q->value(4).toString());
        const QStringList definitions = jsonStrings(q->value(5));
        // Key columns first; the rest are INCLUDE columns of a covering index.
        const int keyCount = q->value(3).isNull() ? keys.size() : q->value(3).toInt();
        QJsonArray include;
        for (int i = 0; i < keys.size(); ++i) {
            const bool expression = keys.at(i) == 0;
            const QString element = expression ? definitions.value(i)
                                               : m_attnames.value(relation).value(keys.at(i));
            if (i < keyCount) {
                ix.columns << element;
                ix.isExpression << expression;
            } else {
                include.append(element);
            }
        }
        ix.dialectOptions.insert(QStringLiteral("postgresql_include"), include);
        const QString am = q->value(6).toString();
        if (!am.isEmpty() && am != QLatin1String("btree"))
            ix.dialectOptions.insert(QStringLiteral("postgresql_using"), am);
        if (!q->value(7).isNull())
            ix.where = q->value(7).toString();
        const QStringList options = jsonStrings(q->value(8));
        if (!options.isEmpty()) {
            QJsonObject with;
            for (const QString &o : options)
                with.insert(o.section(QLatin1Char('='), 0, 0), o.section(QLatin1Char('='), 1));
            ix.dialectOptions.insert(QStringLiteral("postgresql_with"), with);
        }
        if (!q->value(9).isNull())
            ix.duplicatesConstraint = ix.name;   // SQLAlchemy names the index itself
        t->indexes << ix;
    }
    return {};
}

} // namespace

Result<SchemaModel> PostgresIntrospector::introspect(DatabaseConnection &connection,
                                                     const IntrospectOptions &options)
{
    SchemaModel model;
    model.dialect = connection.dialect().name();
    Result<QSqlQuery> q = connection.exec(
        QStringLiteral("SELECT current_schema(), current_setting('server_version')"));
    if (!q)
        return q.error();
    if (q->next()) {
        model.defaultSchemaName = q->value(0).toString();
        model.serverVersion = q->value(1).toString();
    }
    QStringList available;
    if (options.includeSchemas) {
        // Alembic's include_schemas: Inspector.get_schema_names() minus information_schema.
        q = connection.exec(QStringLiteral(
            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname <> 'information_schema' ORDER BY nspname"));
        if (!q)
            return q.error();
        while (q->next())
            available << q->value(0).toString();
    }
    // Constants in defaults deparse per the session's bytea_output; Qt's driver sets
    // "escape", SQLAlchemy's sessions use the server default "hex". Read under "hex".
    q = connection.exec(QStringLiteral("SHOW bytea_output"));
    if (!q)
        return q.error();
    const QString byteaOutput = q->next() ? q->value(0).toString() : QString();
    if (byteaOutput != QLatin1String("hex")) {
        if (Result<QSqlQuery> set = connection.exec(QStringLiteral("SET bytea_output = hex")); !set)
            return set.error();
    }
    struct Restore
    {
        DatabaseConnection &connection;
        QString value;
        ~Restore()
        {
            if (!value.isEmpty() && value != QLatin1String("hex"))
                (void)connection.exec(QStringLiteral("SET bytea_output = %1").arg(value));
        }
    } restore{connection, byteaOutput};

    Reader reader(connection, options, model.defaultSchemaName);
    if (VoidResult r = reader.loadTypes(); !r)
        return r.error();
    QStringList schemas{QString()};
    schemas += extraSchemas(options, available, model.defaultSchemaName);
    model.schemas.reserve(schemas.size());
    for (const QString &name : std::as_const(schemas)) {
        SchemaNamespace &ns = model.schema(name);
        const QString nspname = name.isEmpty() ? model.defaultSchemaName : name;
        if (VoidResult r = reader.readSchema(name, nspname, ns); !r)
            return r.error();
    }
    model.normalize();
    return model;
}

} // namespace retort
