#include "serverdefaultcomparator.h"

#include <QRegularExpression>

namespace retort {

namespace {

QString stripQuotes(const QString &s)
{
    static const QRegularExpression q(QStringLiteral("^\"?'(.+)'\"?$"));
    const auto m = q.match(s);
    return m.hasMatch() ? m.captured(1) : s;
}

// re.sub(r"^'|'$", "", s)
QString stripOuterQuotes(QString s)
{
    if (s.startsWith(QLatin1Char('\'')))
        s.remove(0, 1);
    if (s.endsWith(QLatin1Char('\'')))
        s.chop(1);
    return s;
}

// re.sub(r"(.*?)(?:\(\))?$", r"\1", s.lower()): "now()" and "NOW" compare equal.
QString withoutCallParens(const QString &s)
{
    QString l = s.toLower();
    if (l.endsWith(QLatin1String("()")))
        l.chop(2);
    return l;
}

} // namespace

bool ServerDefaultComparator::differ(const QString &dialect, const Sides &sides,
                                     const EqualityProbe &probe)
{
    if (dialect == QLatin1String("sqlite"))
        return sqliteDiffer(sides);
    if (dialect == QLatin1String("postgresql"))
        return postgresDiffer(sides, probe);
    if (dialect == QLatin1String("mysql") || dialect == QLatin1String("mariadb"))
        return mysqlDiffer(sides);
    return sides.connDefault != sides.metaDefault;
}

bool ServerDefaultComparator::sqliteDiffer(const Sides &s)
{
    std::optional<QString> meta = s.metaDefault;
    std::optional<QString> conn = s.connDefault;
    if (meta) {
        static const QRegularExpression parens(QStringLiteral("^\\((.+)\\)$"));
        const auto m = parens.match(*meta);
        if (m.hasMatch())
            meta = m.captured(1);
        meta = stripQuotes(*meta);
    }
    if (conn)
        conn = stripQuotes(*conn);
    return conn != meta;
}

bool ServerDefaultComparator::postgresDiffer(const Sides &s, const EqualityProbe &probe)
{
    if (s.metaIsAutoincrementPk)   // no defaults for SERIAL columns
        return false;
    if (s.connDefault == s.metaDefault)
        return false;
    if (!s.connDefault || !s.metaDefault)
        return true;
    QString meta = *s.metaDefault;
    // an unquoted plain string default gets quoted unless the column is numeric
    static const QRegularExpression quoted(QStringLiteral("^'.*'$"));
    if (s.conn && s.conn->typeInfo.affinity != QLatin1String("Numeric") && s.metaDefaultIsString
        && !quoted.match(meta).hasMatch())
        meta = QLatin1Char('\'') + meta + QLatin1Char('\'');
    if (probe)
        if (const std::optional<bool> equal = probe(*s.connDefault, meta))
            return !*equal;
    // Offline (a snapshot, or the server could not evaluate it): the texts without
    // casts and quotes.
    auto norm = [](QString t) {
        static const QRegularExpression cast(QStringLiteral("::[\\w ]+(\\[\\])?"));
        t.remove(cast);
        return stripQuotes(t.trimmed());
    };
    return norm(*s.connDefault) != norm(meta);
}

bool ServerDefaultComparator::mysqlDiffer(const Sides &s)
{
    const bool connInteger = s.conn && s.conn->typeInfo.affinity == QLatin1String("Integer");
    const bool metaInteger = s.meta && s.meta->typeInfo.affinity == QLatin1String("Integer");
    // MySQL's implicit '0' default on a NOT NULL integer primary key column
    if (metaInteger && s.connInPrimaryKey && s.conn
        && s.conn->autoincrement != SchemaColumn::Autoincrement::Yes
        && (!s.metaDefault || s.metaDefault->isEmpty()) && s.connDefault == QLatin1String("'0'"))
        return false;
    if (connInteger) {
        std::optional<QString> conn = s.connDefault;
        if (conn)
            conn = stripOuterQuotes(*conn);
        return conn != s.metaDefault;
    }
    if (!s.connDefault || s.connDefault->isEmpty() || !s.metaDefault || s.metaDefault->isEmpty())
        return s.connDefault != s.metaDefault;
    QString conn = s.connDefault->toLower();
    QString meta = s.metaDefault->toLower();
    // SQLAlchemy's MySQL dialect puts ON UPDATE into the reflected default
    static const QRegularExpression onUpdate(QStringLiteral("^(.*) (on update.*?)(?:\\(\\))?$"));
    const auto ci = onUpdate.match(conn);
    if (ci.hasMatch()) {
        const auto mi = onUpdate.match(meta);
        if (!mi.hasMatch() || ci.captured(2) != mi.captured(2))
            return true;
        conn = ci.captured(1);
        meta = mi.captured(1);
    }
    return withoutCallParens(conn) != withoutCallParens(meta);
}

} // namespace retort
