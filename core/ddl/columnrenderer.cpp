#include "columnrenderer.h"

#include "columnclauses.h"
#include "sqlexpression.h"
#include "typerenderer.h"

namespace retort {

namespace {

QString serialFor(const ColumnDef &c)
{
    if (TypeRenderer::isBigInteger(c.type))
        return QStringLiteral("BIGSERIAL");
    if (TypeRenderer::isSmallInteger(c.type))
        return QStringLiteral("SMALLSERIAL");
    return QStringLiteral("SERIAL");
}

Result<QString> typeSql(const ColumnDef &c, const Dialect &d)
{
    if (!c.typeSql.isEmpty())
        return c.typeSql;
    auto t = TypeRenderer::render(c.type, d);
    if (!t)
        return Error(QStringLiteral("(in table column '%1'): %2").arg(c.name, t.error().message));
    return t;
}

QString fkClause(const ConstraintDef &c, const Dialect &d)
{
    QString s = QStringLiteral("FOREIGN KEY(%1) REFERENCES %2 (%3)")
                    .arg(ColumnRenderer::columnList(c.columns, d), d.qualifiedName(c.refSchema, c.refTable),
                         ColumnRenderer::columnList(c.refColumns, d));
    if (!c.match.isEmpty())
        s += QStringLiteral(" MATCH ") + c.match;
    if (!c.onDelete.isEmpty())
        s += QStringLiteral(" ON DELETE ") + c.onDelete;
    if (!c.onUpdate.isEmpty())
        s += QStringLiteral(" ON UPDATE ") + c.onUpdate;
    return s + ColumnClauses::deferrability(c);
}

} // namespace

QString ColumnRenderer::columnList(const QStringList &columns, const Dialect &dialect)
{
    QStringList q;
    for (const QString &c : columns)
        q << dialect.quoteIdentifier(c);
    return q.join(QStringLiteral(", "));
}

Result<QString> ColumnRenderer::columnSpec(const ColumnDef &c, const Dialect &d, bool autoincrement)
{
    auto spec = columnSpecification(c, d, autoincrement);
    if (!spec)
        return spec;
    // visit_create_column / Alembic's add_column: column.constraints follow the spec.
    return *spec + ColumnClauses::inlineChecks(c, d);
}

// Each dialect's get_column_specification (SQLAlchemy 1.4).
Result<QString> ColumnRenderer::columnSpecification(const ColumnDef &c, const Dialect &d, bool autoincrement)
{
    const QString name = d.quoteIdentifier(c.name);
    std::optional<QString> def;
    if (c.serverDefault) {
        auto r = SqlExpression::serverDefault(*c.serverDefault, d);
        if (!r)
            return r;
        def = *r;
    }
    std::optional<QString> computed;
    if (c.computed) {
        auto r = ColumnClauses::computed(*c.computed, d);
        if (!r)
            return Error(QStringLiteral("(in table column '%1'): %2").arg(c.name, r.error().message));
        computed = *r;
    }
    if (d.kind() == Dialect::PostgreSQL) {
        const bool identity = c.identity.has_value();
        QStringList parts{name};
        if (autoincrement && c.primaryKey && !identity && !c.hasSequence) {
            parts << serialFor(c);
        } else {
            auto type = typeSql(c, d);
            if (!type)
                return type;
            parts << *type;
            if (def)
                parts << QStringLiteral("DEFAULT ") + *def;
        }
        if (computed)
            parts << *computed;
        if (identity)
            parts << ColumnClauses::identity(*c.identity);
        if (!c.nullable && !identity)
            parts << QStringLiteral("NOT NULL");
        else if (c.nullable && identity)
            parts << QStringLiteral("NULL");
        return parts.join(QLatin1Char(' '));
    }
    auto type = typeSql(c, d);
    if (!type)
        return type;
    QStringList parts{name, *type};
    if (d.isMySqlFamily()) {
        if (computed)
            parts << *computed;
        if (!c.nullable)
            parts << QStringLiteral("NOT NULL");
        else if (TypeRenderer::isTimestamp(TypeRenderer::resolve(c.type, d)))
            parts << QStringLiteral("NULL");
        if (c.comment)
            parts << QStringLiteral("COMMENT ") + d.stringLiteral(*c.comment);
        // A sequence replaces AUTO_INCREMENT where the server has sequences (MariaDB 10.3+,
        // also behind a mysql:// URL): known only to a connected SQLAlchemy.
        if (autoincrement && c.hasSequence)
            return Error(QStringLiteral("(in table column '%1'): a non-optional sa.Sequence on the "
                                        "AUTO_INCREMENT column depends on the server's sequence support").arg(c.name));
        // A Computed is the column's server default.
        if (autoincrement && !c.serverDefault && !c.computed)
            parts << QStringLiteral("AUTO_INCREMENT");
        else if (def)
            parts << QStringLiteral("DEFAULT ") + *def;
        return parts.join(QLatin1Char(' '));
    }
    if (def)
        parts << QStringLiteral("DEFAULT ") + *def;
    if (!c.nullable)
        parts << QStringLiteral("NOT NULL");
    if (computed)
        parts << *computed;
    return parts.join(QLatin1Char(' '));
}

Result<QString> ColumnRenderer::autoincrementColumn(const TableDef &table)
{
    const QStringList pk = table.primaryKeyColumns();
    auto valid = [](const ColumnDef &c, bool explicitTrue) -> Result<bool> {
        if (!TypeRenderer::isInteger(c.type) && c.typeSql.isEmpty()) {
            if (explicitTrue)
                return Error(QStringLiteral("Column type %1 on column '%2' is not compatible with "
                                            "autoincrement=True").arg(TypeRenderer::typeName(c.type), c.name));
            return false;
        }
        if (!explicitTrue && (c.serverDefault || c.clientDefault || c.computed))   // an Identity does not count
            return false;
        const bool ignoreFk = c.autoincrement.isStr() && c.autoincrement.toStr() == QLatin1String("ignore_fk");
        if (c.hasForeignKey && !explicitTrue && !ignoreFk)
            return false;
        return true;
    };
    auto isTrue = [](const ColumnDef &c) { return c.autoincrement.kind() == PyValue::Bool && c.autoincrement.toBool(); };
    if (pk.size() == 1) {
        const ColumnDef *c = table.column(pk.first());
        if (!c)
            return QString();
        if (isTrue(*c)) {
            auto v = valid(*c, true);
            if (!v)
                return v.error();
            return c->name;
        }
        if (c->autoincrement.isStr()) {
            auto v = valid(*c, false);
            return v && *v ? c->name : QString();
        }
        return QString();
    }
    for (const QString &name : pk) {
        const ColumnDef *c = table.column(name);
        if (c && isTrue(*c))
            return c->name;
    }
    return QString();
}

Result<std::optional<QString>> ColumnRenderer::constraint(const ConstraintDef &c, const TableDef &table,
                                                          const Dialect &d)
{
    QString body;
    QString name = c.name;
    switch (c.kind) {
    case ConstraintDef::PrimaryKey:
        body = QStringLiteral("PRIMARY KEY (%1)").arg(columnList(c.columns, d)) + ColumnClauses::deferrability(c);
        break;
    case ConstraintDef::Unique:
        body = QStringLiteral("UNIQUE (%1)").arg(columnList(c.columns, d)) + ColumnClauses::deferrability(c);
        break;
    case ConstraintDef::ForeignKey:
        // SQLite cannot reference a table in another schema (attached database).
        if (d.kind() == Dialect::SQLite && c.refSchema != table.schema)
            return std::optional<QString>();
        if (d.isMySqlFamily() && !c.match.isEmpty())
            return Error(QStringLiteral("MySQL ignores the 'MATCH' keyword while at the same time causes "
                                        "ON UPDATE/ON DELETE clauses to be ignored."));
        body = fkClause(c, d);
        break;
    case ConstraintDef::Check:
        if (!c.typeCheckColumn.isEmpty()) {
            const ColumnDef *col = table.column(c.typeCheckColumn);
            const auto check = col ? TypeRenderer::typeCheck(col->type, d.quoteIdentifier(col->name), d)
                                   : std::nullopt;
            if (!check)
                return std::optional<QString>();
            name = check->first;
            body = QStringLiteral("CHECK (%1)").arg(check->second);
        } else {
            body = QStringLiteral("CHECK (%1)").arg(c.sqlText) + ColumnClauses::deferrability(c);
        }
        break;
    }
    if (!name.isEmpty())
        body = QStringLiteral("CONSTRAINT %1 %2").arg(d.quoteIdentifier(name), body);
    return std::optional<QString>(body);
}

} // namespace retort
