#include "scriptscope.h"

#include <QSet>
#include <QStringList>

namespace retort {

namespace {

const QStringList &dialectNames()
{
    static const QStringList d = {QStringLiteral("postgresql"), QStringLiteral("mysql"),
                                  QStringLiteral("sqlite"), QStringLiteral("mssql"),
                                  QStringLiteral("oracle")};
    return d;
}

// sqlalchemy modules whose names are all re-exported at the package top level.
const QStringList &flatModules()
{
    static const QStringList m = {
        QStringLiteral("sqlalchemy.sql.expression"), QStringLiteral("sqlalchemy.sql.sqltypes"),
        QStringLiteral("sqlalchemy.sql.schema"), QStringLiteral("sqlalchemy.sql.elements"),
        QStringLiteral("sqlalchemy.sql.type_api"), QStringLiteral("sqlalchemy.sql"),
        QStringLiteral("sqlalchemy.types"), QStringLiteral("sqlalchemy.schema"),
        QStringLiteral("sqlalchemy")};
    return m;
}

// Implementation modules inside a dialect package (postgresql.json.JSONB == postgresql.JSONB).
bool isDialectSubmodule(const QString &name)
{
    static const QSet<QString> s = {
        "base", "json", "types", "array", "hstore", "ranges", "ext", "dml", "named_types",
        "enumerated", "reflection", "provision", "psycopg2", "pg8000", "asyncpg", "pymysql",
        "mysqldb", "pysqlite", "pyodbc", "cx_oracle", "expression", "pymssql"};
    return s.contains(name);
}

QString stripPrefix(const QString &path, const QString &prefix, bool *matched)
{
    *matched = false;
    if (path == prefix) {
        *matched = true;
        return {};
    }
    if (path.startsWith(prefix) && path.at(prefix.size()) == u'.') {
        *matched = true;
        return path.mid(prefix.size() + 1);
    }
    return {};
}

QString join(const QString &head, const QString &rest)
{
    return rest.isEmpty() ? head : head + u'.' + rest;
}

} // namespace

const ScriptBinding *ScriptScope::lookup(const QString &name) const
{
    auto it = m_names.constFind(name);
    if (it != m_names.constEnd())
        return &it.value();
    return m_parent ? m_parent->lookup(name) : nullptr;
}

const ScriptScope *ScriptScope::owner(const QString &name) const
{
    if (m_names.contains(name))
        return this;
    return m_parent ? m_parent->owner(name) : nullptr;
}

QString ScriptScope::canonicalPath(const QString &fullPath)
{
    if (!fullPath.startsWith(u"sqlalchemy") && !fullPath.startsWith(u"alembic"))
        return fullPath;
    bool m = false;
    QString rest = stripPrefix(fullPath, QStringLiteral("alembic.op"), &m);
    if (m)
        return join(QStringLiteral("op"), rest);
    rest = stripPrefix(fullPath, QStringLiteral("sqlalchemy.dialects"), &m);
    if (m) {
        const int dot = rest.indexOf(u'.');
        const QString dialect = rest.left(dot < 0 ? rest.size() : dot);
        if (!dialectNames().contains(dialect))
            return join(QStringLiteral("sa.dialects"), rest);
        QStringList parts = dot < 0 ? QStringList() : rest.mid(dot + 1).split(u'.');
        if (parts.size() >= 2 && isDialectSubmodule(parts.first()))
            parts.removeFirst();
        return join(dialect, parts.join(u'.'));
    }
    for (const QString &flat : flatModules()) {
        rest = stripPrefix(fullPath, flat, &m);
        if (m)
            return join(QStringLiteral("sa"), rest);
    }
    return fullPath;
}

bool ScriptScope::isValueCallee(const QString &canonical)
{
    if (canonical.startsWith(u"sa.")) {
        // Engines, sessions, ORM and inspection need a live connection: not static values.
        static const QSet<QString> live = {"orm", "ext", "engine", "event", "pool", "inspect",
                                           "create_engine", "dialects"};
        const int dot = canonical.indexOf(u'.', 3);
        return !live.contains(canonical.mid(3, dot < 0 ? -1 : dot - 3));
    }
    static const QSet<QString> values = {
        "datetime.date", "datetime.datetime", "datetime.time", "datetime.timedelta",
        "decimal.Decimal", "uuid.UUID", "op.f", "op.inline_literal"};
    if (values.contains(canonical))
        return true;
    const int dot = canonical.indexOf(u'.');
    return dot > 0 && dialectNames().contains(canonical.left(dot));
}

} // namespace retort
