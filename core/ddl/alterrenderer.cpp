#include "alterrenderer.h"

#include "sqlexpression.h"
#include "tablerenderer.h"
#include "typerenderer.h"

#include <optional>

namespace retort {

namespace {

// The alter_column arguments; "unset" is Alembic's False sentinel for server_default
// and comment, None for the others.
struct AlterArgs
{
    std::optional<bool> nullable;
    std::optional<PyValue> serverDefault;     // set: a value or None (drop)
    std::optional<PyValue> comment;           // set: Str or None
    const PyValue *type = nullptr;
    QString newName;
    const PyValue *existingType = nullptr;
    std::optional<PyValue> existingServerDefault;
    std::optional<bool> existingNullable;
    std::optional<QString> existingComment;
    std::optional<bool> autoincrement;
    std::optional<bool> existingAutoincrement;
    const PyValue *using_ = nullptr;
};

Result<AlterArgs> parseArgs(const MigrationOp &op)
{
    AlterArgs a;
    for (const auto &kv : op.kwargs) {
        const QString &k = kv.first;
        const PyValue &v = kv.second;
        if (k == QLatin1String("nullable")) {
            if (!v.isNone())
                a.nullable = v.truthy();
        } else if (k == QLatin1String("server_default")) {
            if (!(v.kind() == PyValue::Bool && !v.toBool()))
                a.serverDefault = v;
        } else if (k == QLatin1String("comment")) {
            if (!(v.kind() == PyValue::Bool && !v.toBool()))
                a.comment = v;
        } else if (k == QLatin1String("type_")) {
            a.type = v.isNone() ? nullptr : &v;
        } else if (k == QLatin1String("new_column_name")) {
            a.newName = v.isNone() ? QString() : v.toStr();
        } else if (k == QLatin1String("existing_type")) {
            a.existingType = v.isNone() ? nullptr : &v;
        } else if (k == QLatin1String("existing_server_default")) {
            if (!v.isNone() && !(v.kind() == PyValue::Bool && !v.toBool()))
                a.existingServerDefault = v;
        } else if (k == QLatin1String("existing_nullable")) {
            if (!v.isNone())
                a.existingNullable = v.truthy();
        } else if (k == QLatin1String("existing_comment")) {
            if (!v.isNone())
                a.existingComment = v.toStr();
        } else if (k == QLatin1String("autoincrement")) {
            if (!v.isNone())
                a.autoincrement = v.truthy();
        } else if (k == QLatin1String("existing_autoincrement")) {
            if (!v.isNone())
                a.existingAutoincrement = v.truthy();
        } else if (k == QLatin1String("postgresql_using")) {
            a.using_ = &v;
        } else if (k != QLatin1String("schema") && k != QLatin1String("table_name")
                   && k != QLatin1String("column_name")) {
            return Error(QStringLiteral("unsupported argument %1=").arg(k));
        }
    }
    return a;
}

QString prefix(const QString &schema, const QString &table, const Dialect &d)
{
    return QStringLiteral("ALTER TABLE ") + d.qualifiedName(schema, table);
}

Result<QString> defaultText(const PyValue &v, const Dialect &d)
{
    // Alembic's format_server_default: the base compiler, so no SQLite parentheses.
    if (v.isStr())
        return d.stringLiteral(v.toStr());
    return SqlExpression::sqlText(v, d);
}

Result<QStringList> genericAlter(const QString &schema, const QString &table, const QString &column,
                                 const AlterArgs &a, const Dialect &d)
{
    QStringList out;
    const QString alter = prefix(schema, table, d) + QStringLiteral(" ALTER COLUMN ") + d.quoteIdentifier(column);
    if (a.using_ && !a.type)
        return Error(QStringLiteral("postgresql_using must be used with the type_ parameter"));
    const bool typeFirst = d.kind() == Dialect::PostgreSQL;
    auto typeStmt = [&]() -> VoidResult {
        auto t = TypeRenderer::render(*a.type, d);
        if (!t)
            return t.error();
        QString s = alter + QStringLiteral(" TYPE ") + *t;
        if (a.using_) {
            auto u = SqlExpression::sqlText(*a.using_, d);
            if (!u)
                return u.error();
            s += QStringLiteral(" USING ") + *u;
        }
        out << s;
        return {};
    };
    if (a.type && typeFirst) {
        if (auto r = typeStmt(); !r)
            return r.error();
    }
    if (a.nullable)
        out << alter + (*a.nullable ? QStringLiteral(" DROP NOT NULL") : QStringLiteral(" SET NOT NULL"));
    if (a.serverDefault) {
        if (a.serverDefault->isNone()) {
            out << alter + QStringLiteral(" DROP DEFAULT");
        } else {
            auto def = defaultText(*a.serverDefault, d);
            if (!def)
                return def.error();
            out << alter + QStringLiteral(" SET DEFAULT ") + *def;
        }
    }
    if (a.type && !typeFirst) {
        if (auto r = typeStmt(); !r)
            return r.error();
    }
    if (a.comment) {
        if (d.kind() == Dialect::SQLite)
            return Error(QStringLiteral("Compiler <sqlalchemy.dialects.sqlite.base.SQLiteDDLCompiler> can't "
                                        "render element of type <class 'alembic.ddl.base.ColumnComment'>"));
        out << TableRenderer::columnComment(schema, table, column,
                                            a.comment->isNone() ? std::optional<QString>() : a.comment->toStr(), d);
    }
    if (!a.newName.isEmpty())
        out << prefix(schema, table, d) + QStringLiteral(" RENAME %1 TO %2")
                   .arg(d.quoteIdentifier(column), d.quoteIdentifier(a.newName));
    return out;
}

bool isDateTimeAffinity(const PyValue *type)
{
    if (!type)
        return false;
    const QString n = TypeRenderer::typeName(*type).section(QLatin1Char('.'), -1);
    return n == QLatin1String("DateTime") || n == QLatin1String("DATETIME") || n == QLatin1String("TIMESTAMP");
}

Result<QStringList> mysqlAlter(const QString &schema, const QString &table, const QString &column,
                               const AlterArgs &a, const Dialect &d)
{
    const PyValue *type = a.type ? a.type : a.existingType;
    // Alembic compares server_default (False when not given) with None here.
    const bool functionalDefault = isDateTimeAffinity(type) && !(a.serverDefault && a.serverDefault->isNone());
    const bool change = !a.newName.isEmpty() || functionalDefault;
    const bool modify = a.nullable || a.type || a.autoincrement || a.comment;
    if (!change && !modify) {
        if (!a.serverDefault)
            return QStringList();
        const QString alter = prefix(schema, table, d) + QStringLiteral(" ALTER COLUMN ") + d.quoteIdentifier(column);
        if (a.serverDefault->isNone())
            return QStringList{alter + QStringLiteral(" DROP DEFAULT")};
        auto def = defaultText(*a.serverDefault, d);
        if (!def)
            return def.error();
        return QStringList{alter + QStringLiteral(" SET DEFAULT ") + *def};
    }
    if (!type)
        return Error(QStringLiteral("All MySQL CHANGE/MODIFY COLUMN operations require the existing type."));
    auto t = TypeRenderer::render(*type, d);
    if (!t)
        return t.error();
    const bool nullable = a.nullable ? *a.nullable : a.existingNullable.value_or(true);
    QString spec = *t + (nullable ? QStringLiteral(" NULL") : QStringLiteral(" NOT NULL"));
    if (a.autoincrement ? *a.autoincrement : a.existingAutoincrement.value_or(false))
        spec += QStringLiteral(" AUTO_INCREMENT");
    const std::optional<PyValue> def = a.serverDefault ? a.serverDefault : a.existingServerDefault;
    if (def && !def->isNone()) {
        auto text = defaultText(*def, d);
        if (!text)
            return text.error();
        spec += QStringLiteral(" DEFAULT ") + *text;
    }
    std::optional<QString> comment = a.existingComment;
    if (a.comment)
        comment = a.comment->isNone() ? std::optional<QString>() : a.comment->toStr();
    if (comment && !comment->isEmpty())
        spec += QStringLiteral(" COMMENT ") + d.stringLiteral(*comment);
    if (change)
        return QStringList{prefix(schema, table, d) + QStringLiteral(" CHANGE %1 %2 %3")
                               .arg(d.quoteIdentifier(column),
                                    d.quoteIdentifier(a.newName.isEmpty() ? column : a.newName), spec)};
    return QStringList{prefix(schema, table, d) + QStringLiteral(" MODIFY %1 %2").arg(d.quoteIdentifier(column), spec)};
}

} // namespace

Result<QStringList> AlterRenderer::alterColumn(const QString &schema, const QString &table,
                                               const QString &column, const MigrationOp &op,
                                               const Dialect &dialect)
{
    auto args = parseArgs(op);
    if (!args)
        return args.error();
    if (dialect.isMySqlFamily())
        return mysqlAlter(schema, table, column, *args, dialect);
    return genericAlter(schema, table, column, *args, dialect);
}

} // namespace retort
