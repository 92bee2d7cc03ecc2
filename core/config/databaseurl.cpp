#include "databaseurl.h"

#include <QDir>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

namespace retort {

namespace {

// urllib.parse.unquote: %XX sequences decoded as UTF-8.
QString unquote(const QString &s)
{
    if (!s.contains(u'%'))
        return s;
    return QUrl::fromPercentEncoding(s.toUtf8());
}

QString unquotePlus(QString s)
{
    return unquote(s.replace(u'+', u' '));
}

// urllib.parse.quote_plus (safe: letters, digits, "_.-~").
QString quotePlus(const QString &s)
{
    QString out;
    for (const char c : s.toUtf8()) {
        const uchar u = uchar(c);
        if (std::isalnum(u) || u == '_' || u == '.' || u == '-' || u == '~')
            out += QChar(u);
        else if (u == ' ')
            out += u'+';
        else
            out += QStringLiteral("%%1").arg(u, 2, 16, QLatin1Char('0')).toUpper();
    }
    return out;
}

// _sqla_url_quote: only ':', '@' and '/' are escaped.
QString sqlaQuote(const QString &s)
{
    QString out;
    for (QChar c : s) {
        if (c == u':' || c == u'@' || c == u'/')
            out += QStringLiteral("%%1").arg(c.unicode(), 2, 16, QLatin1Char('0')).toUpper();
        else
            out += c;
    }
    return out;
}

// The `+driver` names SQLAlchemy's dialect loader finds (sqlalchemy/dialects/__init__.py:
// an attribute of the dialect package); SQLAlchemy 2.0's psycopg names too, so projects
// written for it keep working. Retort connects through Qt whatever the driver, but a name
// SQLAlchemy cannot load must fail here as it does in Alembic.
bool knownDriver(const QString &backend, const QString &driver)
{
    if (driver.isEmpty() || driver == u"base")
        return true;
    static const QStringList sqlite = {QStringLiteral("pysqlite"), QStringLiteral("pysqlcipher"),
                                       QStringLiteral("aiosqlite")};
    static const QStringList postgresql = {
        QStringLiteral("psycopg2"), QStringLiteral("psycopg2cffi"), QStringLiteral("pg8000"),
        QStringLiteral("asyncpg"), QStringLiteral("pygresql"), QStringLiteral("pypostgresql"),
        QStringLiteral("psycopg"), QStringLiteral("psycopg_async")};
    static const QStringList mysql = {
        QStringLiteral("mysqldb"), QStringLiteral("pymysql"), QStringLiteral("mysqlconnector"),
        QStringLiteral("cymysql"), QStringLiteral("oursql"), QStringLiteral("pyodbc"),
        QStringLiteral("aiomysql"), QStringLiteral("asyncmy"), QStringLiteral("mariadbconnector")};
    if (backend == u"sqlite")
        return sqlite.contains(driver);
    if (backend == u"postgresql" || backend == u"postgres")
        return postgresql.contains(driver);
    return mysql.contains(driver);
}

} // namespace

Result<DatabaseUrl> DatabaseUrl::parse(const QString &url)
{
    // sqlalchemy.engine.url._parse_url's pattern.
    static const QRegularExpression re(
        QStringLiteral("\\A(?P<name>[\\w\\+]+)://"
                       "(?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?"
                       "(?:(?:\\[(?P<ipv6host>[^/\\?]+)\\]|(?P<ipv4host>[^/:\\?]+))?"
                       "(?::(?P<port>[^/\\?]*))?)?"
                       "(?:/(?P<database>[^\\?]*))?"
                       "(?:\\?(?P<query>.*))?"),
        QRegularExpression::UseUnicodePropertiesOption | QRegularExpression::DotMatchesEverythingOption);
    const auto m = re.match(url);
    if (!m.hasMatch())
        return Error(QStringLiteral("Could not parse SQLAlchemy URL from string '%1'").arg(url));
    DatabaseUrl u;
    const QString name = m.captured(u"name");
    const int plus = int(name.indexOf(u'+'));
    u.m_backend = plus < 0 ? name : name.left(plus);
    u.m_driver = plus < 0 ? QString() : name.mid(plus + 1);
    if (m.capturedStart(u"username") >= 0) {
        u.m_user = unquote(m.captured(u"username"));
        u.m_hasUser = true;
    }
    if (m.capturedStart(u"password") >= 0) {
        u.m_password = unquote(m.captured(u"password"));
        u.m_hasPassword = true;
    }
    u.m_host = !m.captured(u"ipv4host").isEmpty() ? m.captured(u"ipv4host") : m.captured(u"ipv6host");
    const QString port = m.captured(u"port");
    if (!port.isEmpty()) {
        bool ok = false;
        u.m_port = port.toInt(&ok);
        if (!ok)
            return Error(QStringLiteral("invalid literal for int() with base 10: '%1'").arg(port));
    }
    if (m.capturedStart(u"database") >= 0) {
        u.m_database = m.captured(u"database");
        u.m_hasDatabase = true;
    }
    // util.parse_qsl: blank values are dropped.
    for (const QString &pair : m.captured(u"query").split(u'&', Qt::SkipEmptyParts)) {
        const int eq = int(pair.indexOf(u'='));
        if (eq < 0 || eq == pair.size() - 1)
            continue;
        u.m_query.append({unquotePlus(pair.left(eq)), unquotePlus(pair.mid(eq + 1))});
    }
    if (u.qtDriverName().isEmpty())
        return Error(QStringLiteral("Can't load plugin: sqlalchemy.dialects:%1 "
                                    "(retort supports sqlite, postgresql, mysql and mariadb)")
                         .arg(u.m_backend));
    if (!knownDriver(u.m_backend, u.m_driver))   // SQLAlchemy's NoSuchModuleError text
        return Error(QStringLiteral("Can't load plugin: sqlalchemy.dialects:%1.%2").arg(u.m_backend, u.m_driver));
    return u;
}

QString DatabaseUrl::drivername() const
{
    return m_driver.isEmpty() ? m_backend : m_backend + u'+' + m_driver;
}

QString DatabaseUrl::dialectName() const
{
    if (m_backend == u"postgres")
        return QStringLiteral("postgresql");
    return m_backend;
}

QString DatabaseUrl::qtDriverName() const
{
    if (m_backend == u"sqlite")
        return QStringLiteral("QSQLITE");
    if (m_backend == u"postgresql" || m_backend == u"postgres")
        return QStringLiteral("QPSQL");
    if (m_backend == u"mysql" || m_backend == u"mariadb")
        return QStringLiteral("QMYSQL");
    return {};
}

bool DatabaseUrl::isSqliteMemory() const
{
    return m_backend == u"sqlite"
           && (!m_hasDatabase || m_database.isEmpty() || m_database == u":memory:");
}

QString DatabaseUrl::sqliteFilePath() const
{
    if (isSqliteMemory())
        return QStringLiteral(":memory:");
    return QDir::cleanPath(QDir::current().absoluteFilePath(m_database));
}

bool DatabaseUrl::isPasswordKey(const QString &key)
{
    // libpq's keyword, and MySQLdb's two spellings (SQLAlchemy passes the query through).
    return key == u"password" || key == u"passwd";
}

bool DatabaseUrl::hasQueryPassword() const
{
    for (const auto &kv : m_query)
        if (isPasswordKey(kv.first))
            return true;
    return false;
}

QString DatabaseUrl::queryPassword() const
{
    for (const auto &kv : m_query)
        if (isPasswordKey(kv.first))
            return kv.second;
    return {};
}

QString DatabaseUrl::render(bool hidePassword, const QString &mask) const
{
    QString s = drivername() + QStringLiteral("://");
    if (m_hasUser) {
        s += sqlaQuote(m_user);
        if (m_hasPassword)
            s += u':' + (hidePassword ? mask : sqlaQuote(m_password));
        s += u'@';
    }
    if (!m_host.isEmpty())
        s += m_host.contains(u':') ? u'[' + m_host + u']' : m_host;
    if (m_port >= 0)
        s += u':' + QString::number(m_port);
    if (m_hasDatabase)
        s += u'/' + m_database;
    if (!m_query.isEmpty()) {
        auto sorted = m_query;
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        QStringList parts;
        // A password given as a query parameter is masked like the user:password@ form
        // (SQLAlchemy would print it; issue 9).
        for (const auto &kv : sorted)
            parts.append(quotePlus(kv.first) + u'='
                         + (hidePassword && isPasswordKey(kv.first) ? mask : quotePlus(kv.second)));
        s += u'?' + parts.join(u'&');
    }
    return s;
}

QString DatabaseUrl::toDisplayString(const QString &mask) const
{
    return render(true, mask);
}

QString DatabaseUrl::toString() const
{
    return render(false, QString());
}

DatabaseUrl DatabaseUrl::withDatabase(const QString &database) const
{
    DatabaseUrl u = *this;
    u.m_database = database;
    u.m_hasDatabase = !database.isEmpty();
    return u;
}

} // namespace retort
