#include "tablerenderer.h"

#include "columnrenderer.h"
#include "namingconvention.h"
#include "sqlexpression.h"
#include "typerenderer.h"
#include "operations/scriptvalues.h"

namespace retort {

namespace {

// MySQL's post_create_table: COMMENT, then the mysql_* options, a charset before COLLATE.
QString mysqlTableOptions(const TableDef &t, const Dialect &d)
{
    QStringList opts;
    if (t.comment)
        opts << QStringLiteral("COMMENT=") + d.stringLiteral(*t.comment);
    QStringList collate;
    for (const auto &kv : t.kwargs) {
        QString key = kv.first;
        if (key.startsWith(QLatin1String("mysql_")))
            key = key.mid(6);
        else if (key.startsWith(QLatin1String("mariadb_")))
            key = key.mid(8);
        else
            continue;
        key = key.toUpper();
        QString value = kv.second.kind() == PyValue::Int ? QString::number(kv.second.toInt()) : kv.second.toStr();
        static const QStringList quoted = {QStringLiteral("COMMENT"), QStringLiteral("DATA_DIRECTORY"),
                                           QStringLiteral("INDEX_DIRECTORY"), QStringLiteral("PASSWORD"),
                                           QStringLiteral("CONNECTION")};
        if (quoted.contains(key))
            value = d.stringLiteral(value);
        static const QStringList spaced = {QStringLiteral("DATA_DIRECTORY"), QStringLiteral("INDEX_DIRECTORY"),
                                           QStringLiteral("DEFAULT_CHARACTER_SET"), QStringLiteral("CHARACTER_SET"),
                                           QStringLiteral("DEFAULT_CHARSET"), QStringLiteral("DEFAULT_COLLATE")};
        if (spaced.contains(key))
            key.replace(QLatin1Char('_'), QLatin1Char(' '));
        static const QStringList blankJoin = {QStringLiteral("TABLESPACE"), QStringLiteral("DEFAULT CHARACTER SET"),
                                              QStringLiteral("CHARACTER SET"), QStringLiteral("COLLATE")};
        const QString opt = key + (blankJoin.contains(key) ? QStringLiteral(" ") : QStringLiteral("=")) + value;
        (key == QLatin1String("COLLATE") ? collate : opts) << opt;
    }
    return (opts + collate).join(QLatin1Char(' '));
}

Result<QStringList> pgEnumTypes(const TableDef &t, const Dialect &d)
{
    QStringList out;
    QStringList seen;
    for (const ColumnDef &c : t.columns) {
        const auto info = TypeRenderer::enumInfo(c.type);
        const QString key = info ? info->schema + QLatin1Char('.') + info->name : QString();
        if (!info || !info->native || !info->createType || seen.contains(key))
            continue;
        if (info->name.isEmpty())
            return Error(QStringLiteral("PostgreSQL ENUM type requires a name."));
        if (info->inheritSchema)
            return Error(QStringLiteral("Enum(inherit_schema=True) is not supported"));
        seen << key;
        QStringList values;
        for (const QString &v : info->values)
            values << d.stringLiteral(v);
        out << QStringLiteral("CREATE TYPE %1 AS ENUM (%2)")
                   .arg(d.qualifiedName(info->schema, info->name), values.join(QStringLiteral(", ")));
    }
    return out;
}

const PyValue *indexKw(const IndexDef &ix, const char *key)
{
    for (const auto &kv : ix.kwargs)
        if (kv.first == QLatin1String(key))
            return &kv.second;
    return nullptr;
}

// The index keywords each dialect renders (sa.Index(...) and op.create_index alike); the
// target dialect's others are refused, other dialects' are ignored as SQLAlchemy does.
VoidResult checkIndexKwargs(const IndexDef &ix, const Dialect &d)
{
    static const QStringList known = {
        QStringLiteral("postgresql_where"), QStringLiteral("postgresql_using"),
        QStringLiteral("postgresql_concurrently"), QStringLiteral("postgresql_ops"),
        QStringLiteral("postgresql_include"), QStringLiteral("postgresql_with"),
        QStringLiteral("postgresql_tablespace"), QStringLiteral("mysql_length"), QStringLiteral("mysql_prefix"),
        QStringLiteral("mysql_using"), QStringLiteral("sqlite_where")};
    const QString prefix = d.kind() == Dialect::PostgreSQL ? QStringLiteral("postgresql_")
        : d.kind() == Dialect::SQLite                      ? QStringLiteral("sqlite_")
                                                           : QStringLiteral("mysql_");
    for (const auto &kv : ix.kwargs) {
        const QString &k = kv.first;
        if ((k.startsWith(prefix) && !known.contains(k)) || (d.isMySqlFamily() && k.startsWith(QLatin1String("mariadb_"))))
            return Error(QStringLiteral("unsupported argument %1=").arg(k));
    }
    return {};
}

Result<QString> indexExpressions(const IndexDef &ix, const Dialect &d)
{
    const PyValue *lengths = indexKw(ix, "mysql_length");
    const PyValue *ops = indexKw(ix, "postgresql_ops");
    if (ops && !ops->isNone() && ops->kind() != PyValue::Dict)
        return Error(QStringLiteral("unsupported postgresql_ops=%1").arg(ops->repr()));
    QStringList parts;
    for (int i = 0; i < ix.expressions.size(); ++i) {
        const QString &e = ix.expressions.at(i);
        const PyValue element = ix.elements.value(i);
        const bool isName = !ix.isRawSql.value(i);
        QString s = isName ? d.quoteIdentifier(e) : e;
        if (!element.isNone()) {
            auto r = SqlExpression::sqlText(element, d);
            if (!r)
                return r;
            s = *r;
            // MySQL groups functional index parts: ((lower(x))); sa.desc/asc are not.
            if (d.isMySqlFamily() && element.calleeName().startsWith(QLatin1String("sa.func.")))
                s = QLatin1Char('(') + s + QLatin1Char(')');
        }
        // SQLAlchemy looks ops up by the element's key: a column's name, a literal_column's
        // text, Alembic's textual element's text; functions and DESC/ASC have none.
        const bool keyed = isName || element.calleeName() == QLatin1String("sa.literal_column")
            || (element.isNone() && ix.textKeys);
        if (ops && ops->kind() == PyValue::Dict && d.kind() == Dialect::PostgreSQL && keyed) {
            for (const auto &p : ops->dictItems())
                if (p.first.isStr() && p.first.toStr() == e)
                    s += QLatin1Char(' ') + p.second.toStr();
        }
        if (lengths && !lengths->isNone() && d.isMySqlFamily()) {
            if (lengths->kind() == PyValue::Int) {
                s += QStringLiteral("(%1)").arg(lengths->toInt());
            } else if (lengths->kind() == PyValue::Dict) {
                // SQLAlchemy looks an element up by its .name: only plain columns have one here.
                if (!isName)
                    return Error(QStringLiteral("unsupported mysql_length=%1 with an expression").arg(lengths->repr()));
                for (const auto &p : lengths->dictItems())
                    if (p.first.toStr() == e)
                        s += QStringLiteral("(%1)").arg(p.second.toInt());
            } else {
                return Error(QStringLiteral("unsupported mysql_length=%1").arg(lengths->repr()));
            }
        }
        parts << s;
    }
    return parts.join(QStringLiteral(", "));
}

QString indexName(const IndexDef &ix, const Dialect &d)
{
    return ix.conventionName ? NamingConvention::truncated(ix.name, d) : ix.name;
}

// postgresql_include=[names] / postgresql_with={k: v} / postgresql_tablespace=name.
Result<QString> pgIndexSuffix(const IndexDef &ix, const Dialect &d)
{
    QString s;
    if (const PyValue *include = indexKw(ix, "postgresql_include"); include && !include->isNone()) {
        bool ok = false;
        const auto names = include->toStringTuple(&ok);
        if (!names)
            return Error(QStringLiteral("unsupported postgresql_include=%1").arg(include->repr()));
        if (!names->isEmpty())
            s += QStringLiteral(" INCLUDE (%1)").arg(ColumnRenderer::columnList(*names, d));
    }
    if (const PyValue *with = indexKw(ix, "postgresql_with"); with && !with->isNone()) {
        if (with->kind() != PyValue::Dict)
            return Error(QStringLiteral("unsupported postgresql_with=%1").arg(with->repr()));
        QStringList params;
        for (const auto &p : with->dictItems()) {
            QString k, v;
            if (!ScriptValues::toPyStr(p.first, &k) || !ScriptValues::toPyStr(p.second, &v))
                return Error(QStringLiteral("unsupported postgresql_with=%1").arg(with->repr()));
            params << k + QStringLiteral(" = ") + v;
        }
        if (!params.isEmpty())
            s += QStringLiteral(" WITH (%1)").arg(params.join(QStringLiteral(", ")));
    }
    if (const PyValue *ts = indexKw(ix, "postgresql_tablespace"); ts && !ts->isNone()) {
        if (!ts->isStr())
            return Error(QStringLiteral("unsupported postgresql_tablespace=%1").arg(ts->repr()));
        s += QStringLiteral(" TABLESPACE ") + d.quoteIdentifier(ts->toStr());
    }
    return s;
}

} // namespace

Result<QString> TableRenderer::createTableStatement(const TableDef &t, const Dialect &d)
{
    auto autoinc = ColumnRenderer::autoincrementColumn(t);
    if (!autoinc)
        return autoinc.error();
    // sqlite_autoincrement=True: a single Integer primary key without a foreign key gets
    // an inline "PRIMARY KEY AUTOINCREMENT" and no PRIMARY KEY constraint.
    QString sqliteAutoinc;
    if (d.kind() == Dialect::SQLite) {
        bool on = false;
        for (const auto &kv : t.kwargs)
            if (kv.first == QLatin1String("sqlite_autoincrement"))
                on = kv.second.truthy();
        const QStringList pk = t.primaryKeyColumns();
        const ColumnDef *col = pk.size() == 1 ? t.column(pk.first()) : nullptr;
        bool fk = false;
        for (const ConstraintDef &c : t.constraints)
            fk = fk || (c.kind == ConstraintDef::ForeignKey && col && c.columns.contains(col->name));
        if (on && col && !fk && TypeRenderer::isInteger(col->type))
            sqliteAutoinc = col->name;
    }
    QStringList items;
    for (const ColumnDef &c : t.columns) {
        const bool isAutoinc = c.name == *autoinc;
        if (isAutoinc && d.kind() == Dialect::SQLite && t.primaryKeyColumns().size() > 1)
            return Error(QStringLiteral("(in table '%1', column '%2'): SQLite does not support "
                                        "autoincrement for composite primary keys").arg(t.name, c.name));
        auto spec = ColumnRenderer::columnSpec(c, d, isAutoinc);
        if (!spec)
            return Error(QString(spec.error().message).replace(QLatin1String("(in table column"),
                                                               QStringLiteral("(in table '%1', column").arg(t.name)));
        items << (c.name == sqliteAutoinc ? *spec + QStringLiteral(" PRIMARY KEY AUTOINCREMENT") : *spec);
    }
    for (const ConstraintDef &c : t.constraints) {
        if (!sqliteAutoinc.isEmpty() && c.kind == ConstraintDef::PrimaryKey)
            continue;
        auto r = ColumnRenderer::constraint(c, t, d);
        if (!r)
            return r.error();
        if (*r)
            items << **r;
    }
    QString suffix;
    if (d.isMySqlFamily())
        suffix = mysqlTableOptions(t, d);
    return QStringLiteral("CREATE TABLE %1 (\n\t%2\n)%3")
        .arg(d.qualifiedName(t.schema, t.name), items.join(QStringLiteral(", \n\t")), suffix);
}

Result<QStringList> TableRenderer::createTable(const TableDef &t, const Dialect &d)
{
    QStringList out;
    if (d.kind() == Dialect::PostgreSQL) {
        auto types = pgEnumTypes(t, d);
        if (!types)
            return types;
        out << *types;
    }
    if (d.isMySqlFamily()) {
        // postgresql.ENUM's table event emits CREATE TYPE on any dialect with native enums.
        for (const ColumnDef &c : t.columns) {
            const auto info = TypeRenderer::enumInfo(c.type);
            if (info && info->native && info->createType
                && TypeRenderer::typeName(c.type) == QLatin1String("postgresql.ENUM"))
                return Error(QStringLiteral("Compiler <sqlalchemy.dialects.mysql.base.MySQLDDLCompiler> can't render "
                                            "element of type <class 'sqlalchemy.dialects.postgresql.base.CreateEnumType'>"));
        }
    }
    auto create = createTableStatement(t, d);
    if (!create)
        return create.error();
    out << *create;
    for (const IndexDef &ix : t.indexes) {
        auto s = createIndex(ix, d);
        if (!s)
            return s.error();
        out << *s;
    }
    if (d.kind() == Dialect::PostgreSQL) {
        if (t.comment)
            out << tableComment(t.schema, t.name, t.comment, d);
        for (const ColumnDef &c : t.columns)
            if (c.comment)
                out << columnComment(t.schema, t.name, c.name, c.comment, d);
    }
    return out;
}

Result<QString> TableRenderer::createIndex(const IndexDef &ix, const Dialect &d)
{
    if (auto checked = checkIndexKwargs(ix, d); !checked)
        return checked.error();
    auto exprs = indexExpressions(ix, d);
    if (!exprs)
        return exprs;
    QString s = QStringLiteral("CREATE ");
    if (ix.unique)
        s += QStringLiteral("UNIQUE ");
    if (const PyValue *prefix = indexKw(ix, "mysql_prefix"); prefix && d.isMySqlFamily())
        s += prefix->toStr() + QLatin1Char(' ');
    s += QStringLiteral("INDEX ");
    const PyValue *concurrently = indexKw(ix, "postgresql_concurrently");
    if (d.kind() == Dialect::PostgreSQL && concurrently && concurrently->truthy())
        s += QStringLiteral("CONCURRENTLY ");
    const QString table = d.qualifiedName(d.kind() == Dialect::SQLite ? QString() : ix.schema, ix.table);
    const QString ixName = indexName(ix, d);
    const QString name = d.kind() == Dialect::SQLite ? d.qualifiedName(ix.schema, ixName)
                                                     : d.quoteIdentifier(ixName);
    s += name + QStringLiteral(" ON ") + table + QLatin1Char(' ');
    const PyValue *using_ = indexKw(ix, "postgresql_using");
    if (d.kind() == Dialect::PostgreSQL && using_ && using_->isStr() && !using_->toStr().isEmpty())
        s += QStringLiteral("USING %1 ").arg(using_->toStr().toLower());
    s += QLatin1Char('(') + *exprs + QLatin1Char(')');
    if (d.kind() == Dialect::PostgreSQL) {
        auto suffix = pgIndexSuffix(ix, d);
        if (!suffix)
            return suffix;
        s += *suffix;
    }
    const PyValue *myUsing = indexKw(ix, "mysql_using");
    if (d.isMySqlFamily() && myUsing && myUsing->isStr())
        s += QStringLiteral(" USING ") + myUsing->toStr();
    const PyValue *where = indexKw(ix, d.kind() == Dialect::PostgreSQL ? "postgresql_where" : "sqlite_where");
    if (where && !d.isMySqlFamily()) {
        auto w = SqlExpression::sqlText(*where, d);
        if (!w)
            return w;
        s += QStringLiteral(" WHERE ") + *w;
    }
    return s;
}

Result<QString> TableRenderer::dropIndex(const IndexDef &ix, const Dialect &d)
{
    const QString name = indexName(ix, d);
    if (d.isMySqlFamily())
        return QStringLiteral("DROP INDEX %1 ON %2").arg(d.quoteIdentifier(name), d.qualifiedName(ix.schema, ix.table));
    QString s = QStringLiteral("DROP INDEX ");
    const PyValue *concurrently = indexKw(ix, "postgresql_concurrently");
    if (d.kind() == Dialect::PostgreSQL && concurrently && concurrently->truthy())
        s += QStringLiteral("CONCURRENTLY ");
    return s + d.qualifiedName(ix.schema, name);
}

QStringList TableRenderer::tableComment(const QString &schema, const QString &table,
                                        const std::optional<QString> &comment, const Dialect &d)
{
    const QString literal = comment ? d.stringLiteral(*comment) : QStringLiteral("NULL");
    if (d.kind() == Dialect::PostgreSQL)
        return {QStringLiteral("COMMENT ON TABLE %1 IS %2").arg(d.qualifiedName(schema, table), literal)};
    if (d.isMySqlFamily())
        return {QStringLiteral("ALTER TABLE %1 COMMENT %2")
                    .arg(d.qualifiedName(schema, table), d.stringLiteral(comment.value_or(QString())))};
    return {};
}

QString TableRenderer::columnComment(const QString &schema, const QString &table, const QString &column,
                                     const std::optional<QString> &comment, const Dialect &d)
{
    const QString literal = comment ? d.stringLiteral(*comment) : QStringLiteral("NULL");
    return QStringLiteral("COMMENT ON COLUMN %1.%2 IS %3")
        .arg(d.qualifiedName(schema, table), d.quoteIdentifier(column), literal);
}

} // namespace retort
