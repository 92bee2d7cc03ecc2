#include "databaseconnection.h"

#include <QAtomicInt>
#include <QSqlDriver>
#include <QSqlError>
#include <QStringList>
#include <optional>
#include <utility>

namespace retort {

namespace {

QString nextConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("retort-runtime-%1").arg(counter.fetchAndAddRelaxed(1) + 1);
}

QString queryValue(const DatabaseUrl &url, const QString &key)
{
    for (const auto &kv : url.query()) {
        if (kv.first == key)
            return kv.second;
    }
    return {};
}

QString errorText(const QSqlError &e)
{
    // QSqlError::text() joins database and driver text; prefer the database's own words.
    const QString db = e.databaseText().trimmed();
    return db.isEmpty() ? e.text().trimmed() : db;
}

} // namespace

DatabaseConnection::DatabaseConnection(DatabaseUrl url, Dialect dialect, QString name)
    : m_url(std::move(url)), m_dialect(dialect), m_name(std::move(name))
{
}

DatabaseConnection::~DatabaseConnection()
{
    m_reused.clear();   // prepared statements go before their connection
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (db.isOpen()) {
            if (m_inTransaction)
                db.rollback();
            db.close();
        }
    }   // the handle must be gone before removeDatabase()
    QSqlDatabase::removeDatabase(m_name);
}

QSqlDatabase DatabaseConnection::database() const
{
    return QSqlDatabase::database(m_name, false);
}

Error DatabaseConnection::driverError(const QString &what, const QString &driverText) const
{
    return Error(QStringLiteral("%1\non %2: %3").arg(what, displayUrl(), driverText));
}

QString DatabaseConnection::connectOptions(const DatabaseUrl &url, const Dialect &dialect,
                                           const Options &options)
{
    QStringList opts;
    switch (dialect.kind()) {
    case Dialect::SQLite:
        opts << QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.sqliteBusyTimeoutMs);
        if (options.sqliteReadOnly)
            opts << QStringLiteral("QSQLITE_OPEN_READONLY");
        break;
    case Dialect::PostgreSQL:
        opts << QStringLiteral("connect_timeout=%1").arg(options.connectTimeoutSecs);
        // Other query arguments are libpq keywords (sslmode, application_name ...).
        for (const auto &kv : url.query()) {
            if (kv.first != QLatin1String("host") && kv.first != QLatin1String("connect_timeout"))
                opts << kv.first + QLatin1Char('=') + kv.second;
        }
        // Named in pg_stat_activity, and so in another run's "held by" message.
        if (queryValue(url, QStringLiteral("application_name")).isEmpty())
            opts << QStringLiteral("application_name=retort");
        break;
    case Dialect::MySQL:
    case Dialect::MariaDB:
        opts << QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=%1").arg(options.connectTimeoutSecs)
             // SQLAlchemy's MySQL dialects count matched rows, not changed rows: the
             // version-table checks depend on it.
             << QStringLiteral("CLIENT_FOUND_ROWS=1");
        if (!queryValue(url, QStringLiteral("unix_socket")).isEmpty())
            opts << QStringLiteral("UNIX_SOCKET=") + queryValue(url, QStringLiteral("unix_socket"));
        break;
    }
    return opts.join(QLatin1Char(';'));
}

Result<std::unique_ptr<DatabaseConnection>> DatabaseConnection::openUrl(const QString &url)
{
    auto parsed = DatabaseUrl::parse(url);
    if (!parsed)
        return parsed.error();
    return open(*parsed);
}

Result<std::unique_ptr<DatabaseConnection>> DatabaseConnection::open(const DatabaseUrl &url,
                                                                      const Options &options)
{
    Result<Dialect> dialect = Dialect::fromName(url.backendName());
    if (!dialect)
        return dialect.error();
    const QString driver = dialect->qtDriverName();
    if (!QSqlDatabase::isDriverAvailable(driver)) {
        return Error(QStringLiteral("Can't connect to %1: the Qt SQL driver %2 is not "
                                    "installed (available: %3)")
                         .arg(url.toDisplayString(), driver,
                              QSqlDatabase::drivers().join(QStringLiteral(", "))));
    }
    std::unique_ptr<DatabaseConnection> conn(
        new DatabaseConnection(url, *dialect, nextConnectionName()));
    VoidResult r = conn->configure(options);
    if (!r)
        return r.error();
    return conn;
}

VoidResult DatabaseConnection::configure(const Options &options)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(m_dialect.qtDriverName(), m_name);
    if (m_dialect.kind() == Dialect::SQLite) {
        db.setDatabaseName(m_url.isSqliteMemory() ? QStringLiteral(":memory:")
                                                  : m_url.sqliteFilePath());
    } else {
        const QString socketHost = queryValue(m_url, QStringLiteral("host"));
        db.setHostName(m_url.host().isEmpty() ? socketHost : m_url.host());
        if (m_url.port() > 0)
            db.setPort(m_url.port());
        db.setUserName(m_url.username());
        // libpq reads ?password= from the connect options (below); MySQLdb takes it as a
        // keyword, Qt's MySQL driver only through setPassword().
        const bool mysql = m_dialect.kind() != Dialect::PostgreSQL;
        db.setPassword(m_url.hasPassword() || !mysql ? m_url.password() : m_url.queryPassword());
        db.setDatabaseName(m_url.database());
    }
    db.setConnectOptions(connectOptions(m_url, m_dialect, options));
    if (!db.open())
        return Error(QStringLiteral("Can't connect to %1: %2")
                         .arg(displayUrl(), errorText(db.lastError())));
    return {};
}

Error DatabaseConnection::driverError(const QString &what, const QSqlError &error) const
{
    return driverError(what, errorText(error));
}

Result<QSqlQuery> DatabaseConnection::exec(const QString &sql)
{
    QSqlQuery q(database());
    m_lastErrorCode.clear();
    ++m_statements;
    if (!q.exec(sql)) {
        m_lastErrorCode = q.lastError().nativeErrorCode();
        return driverError(QStringLiteral("SQL failed: %1").arg(sql), errorText(q.lastError()));
    }
    return q;
}

Result<QSqlQuery> DatabaseConnection::exec(const QString &sql, const QVariantList &values)
{
    return exec(sql, values, sql);
}

Result<QSqlQuery> DatabaseConnection::exec(const QString &sql, const QVariantList &values,
                                           const QString &shownAs)
{
    QSqlQuery q(database());
    m_lastErrorCode.clear();
    ++m_statements;
    bool ok = q.prepare(sql);
    for (int i = 0; ok && i < values.size(); ++i)
        q.addBindValue(values.at(i));
    if (!ok || !q.exec()) {
        m_lastErrorCode = q.lastError().nativeErrorCode();
        return driverError(QStringLiteral("SQL failed: %1").arg(shownAs), errorText(q.lastError()));
    }
    return q;
}

Result<int> DatabaseConnection::execAffected(const QString &sql)
{
    Result<QSqlQuery> q = exec(sql);
    if (!q)
        return q.error();
    return q->numRowsAffected();
}

Result<int> DatabaseConnection::execAffected(const QString &sql, const QVariantList &values,
                                             const QString &shownAs)
{
    Result<QSqlQuery> q = exec(sql, values, shownAs);
    if (!q)
        return q.error();
    return q->numRowsAffected();
}

Result<int> DatabaseConnection::execAffectedReused(const QString &sql, const QVariantList &values,
                                                   const QString &shownAs)
{
    Result<QSqlQuery *> q = execReused(sql, values, shownAs);
    if (!q)
        return q.error();
    if (!*q)
        return execAffected(sql, values, shownAs);
    return (*q)->numRowsAffected();
}

Result<qint64> DatabaseConnection::execScalarReused(const QString &sql, const QVariantList &values,
                                                    const QString &shownAs)
{
    Result<QSqlQuery *> kept = execReused(sql, values, shownAs);
    if (!kept)
        return kept.error();
    std::optional<QSqlQuery> once;
    if (!*kept) {
        Result<QSqlQuery> q = exec(sql, values, shownAs);
        if (!q)
            return q.error();
        once = std::move(*q);
    }
    QSqlQuery &q = *kept ? **kept : *once;
    bool ok = false;
    const qint64 n = q.next() ? q.value(0).toLongLong(&ok) : 0;
    if (!ok)
        return driverError(QStringLiteral("SQL failed: %1").arg(shownAs), QStringLiteral("no number in its answer"));
    return n;
}

Result<QSqlQuery *> DatabaseConnection::execReused(const QString &sql, const QVariantList &values,
                                                    const QString &shownAs)
{
    // SQLite compiles a statement as it prepares it (thousands of steps showed it in
    // profiles): kept for the connection, as pysqlite's statement cache does for Alembic.
    // PostgreSQL: outside a transaction a pooler (PgBouncer's transaction mode) may hand
    // each statement another server session, so nothing is kept there.
    const bool sqlite = m_dialect.kind() == Dialect::SQLite;
    if (!sqlite && (m_dialect.kind() != Dialect::PostgreSQL || !m_inTransaction))
        return static_cast<QSqlQuery *>(nullptr);
    m_lastErrorCode.clear();
    auto it = m_reused.find(sql);
    if (it == m_reused.end()) {
        auto q = std::make_unique<QSqlQuery>(database());
        if (!q->prepare(sql)) {
            m_lastErrorCode = q->lastError().nativeErrorCode();
            return driverError(QStringLiteral("SQL failed: %1").arg(shownAs), errorText(q->lastError()));
        }
        it = m_reused.emplace(sql, std::move(q)).first;
    }
    QSqlQuery &q = *it->second;
    ++m_statements;
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i));
    if (!q.exec()) {
        m_lastErrorCode = q.lastError().nativeErrorCode();
        return driverError(QStringLiteral("SQL failed: %1").arg(shownAs), errorText(q.lastError()));
    }
    return &q;
}

VoidResult DatabaseConnection::begin()
{
    if (m_held)
        return {};
    QSqlDatabase db = database();
    if (!db.transaction())
        return driverError(QStringLiteral("BEGIN failed"), errorText(db.lastError()));
    m_inTransaction = true;
    return {};
}

VoidResult DatabaseConnection::commit()
{
    if (m_held)
        return {};
    if (m_dialect.kind() == Dialect::PostgreSQL)
        m_reused.clear();   // DEALLOCATE inside the transaction, on its server session
    QSqlDatabase db = database();
    m_inTransaction = false;
    ++m_commits;
    if (!db.commit())
        return driverError(QStringLiteral("COMMIT failed"), errorText(db.lastError()));
    return {};
}

VoidResult DatabaseConnection::rollback()
{
    m_held = false;
    QSqlDatabase db = database();
    m_inTransaction = false;
    const bool ok = db.rollback();
    if (m_dialect.kind() == Dialect::PostgreSQL)
        m_reused.clear();   // after: an aborted transaction refuses DEALLOCATE
    if (!ok)
        return driverError(QStringLiteral("ROLLBACK failed"), errorText(db.lastError()));
    return {};
}

VoidResult DatabaseConnection::holdTransaction()
{
    if (m_held)
        return {};
    if (m_inTransaction)
        return Error(QStringLiteral("Cannot hold a transaction on %1: one is already open").arg(displayUrl()));
    VoidResult r = begin();
    if (r)
        m_held = true;
    return r;
}

VoidResult DatabaseConnection::commitHeld()
{
    if (!m_held)
        return {};
    m_held = false;
    return commit();
}

VoidResult DatabaseConnection::rollbackHeld()
{
    return m_held ? rollback() : VoidResult();
}

} // namespace retort
