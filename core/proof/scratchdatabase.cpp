#include "scratchdatabase.h"

#include "runtime/databaseconnection.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>

namespace retort {

namespace {

const QString kPrefix = QStringLiteral("retort_scratch_");

bool isPostgres(const DatabaseUrl &url)
{
    return url.backendName() == QLatin1String("postgresql");
}

Result<QString> singleValue(DatabaseConnection &conn, const QString &sql)
{
    auto q = conn.exec(sql);
    if (!q)
        return q.error();
    if (!q->next())
        return QString();
    return q->value(0).toString();
}

} // namespace

ScratchDatabase::~ScratchDatabase()
{
    (void)drop();   // best effort: an explicit drop() reports its error
}

QString ScratchDatabase::newName()
{
    QString hex;
    for (int i = 0; i < 12; ++i)
        hex += QString::number(QRandomGenerator::global()->bounded(16), 16);
    return kPrefix + hex;
}

bool ScratchDatabase::isScratchName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^retort_scratch_[0-9a-f]{12}$"));
    return re.match(name).hasMatch();
}

Result<std::unique_ptr<ScratchDatabase>> ScratchDatabase::createSqlite()
{
    std::unique_ptr<ScratchDatabase> db(new ScratchDatabase);
    db->m_dir = std::make_unique<QTemporaryDir>(QDir::temp().filePath(QStringLiteral("retort-scratch-XXXXXX")));
    if (!db->m_dir->isValid())
        return Error(QStringLiteral("cannot create a temporary folder for the scratch database: %1")
                         .arg(db->m_dir->errorString()));
    db->m_name = db->m_dir->filePath(newName() + QStringLiteral(".db"));
    auto url = DatabaseUrl::parse(QStringLiteral("sqlite:///") + db->m_name);
    if (!url)
        return url.error();
    db->m_url = *url;
    return db;
}

// The user's database when it exists, else the server's default one: CREATE DATABASE
// needs a connection to some database of the server.
Result<std::unique_ptr<DatabaseConnection>> ScratchDatabase::openAdmin() const
{
    auto conn = DatabaseConnection::open(m_adminUrl);
    if (conn)
        return conn;
    const DatabaseUrl fallback = m_adminUrl.withDatabase(isPostgres(m_adminUrl) ? QStringLiteral("postgres") : QString());
    auto second = DatabaseConnection::open(fallback);
    if (second)
        return second;
    return conn.error();
}

Result<std::unique_ptr<ScratchDatabase>> ScratchDatabase::create(const DatabaseUrl &userUrl)
{
    if (userUrl.backendName() == QLatin1String("sqlite"))
        return createSqlite();
    const bool pg = isPostgres(userUrl);
    if (!pg && userUrl.backendName() != QLatin1String("mysql") && userUrl.backendName() != QLatin1String("mariadb"))
        return Error(QStringLiteral("no scratch database for %1 URLs").arg(userUrl.backendName()));
    std::unique_ptr<ScratchDatabase> db(new ScratchDatabase);
    db->m_adminUrl = userUrl;
    db->m_name = newName();
    auto admin = db->openAdmin();
    if (!admin)
        return Error(QStringLiteral("cannot connect to create a scratch database: %1").arg(admin.error().message));
    const QString quoted = pg ? QStringLiteral("\"%1\"").arg(db->m_name) : QStringLiteral("`%1`").arg(db->m_name);
    if (auto made = (*admin)->exec(QStringLiteral("CREATE DATABASE %1").arg(quoted)); !made) {
        db->m_dropped = true;   // nothing to drop
        return Error(QStringLiteral("cannot create the scratch database %1 (the user needs the right to "
                                    "create databases): %2").arg(db->m_name, made.error().message));
    }
    db->m_url = userUrl.withDatabase(db->m_name);
    return db;
}

VoidResult ScratchDatabase::drop()
{
    if (m_dropped)
        return {};
    m_dropped = true;
    if (m_dir) {
        const bool removed = m_dir->remove();
        return removed ? VoidResult() : VoidResult(Error(QStringLiteral("cannot remove %1").arg(m_dir->path())));
    }
    if (!isScratchName(m_name))   // never anything Retort did not make
        return Error(QStringLiteral("refusing to drop %1: not a scratch database").arg(m_name));
    auto admin = openAdmin();
    if (!admin)
        return Error(QStringLiteral("cannot connect to drop the scratch database %1: %2").arg(m_name, admin.error().message));
    DatabaseConnection &conn = **admin;
    if (!isPostgres(m_adminUrl)) {
        auto dropped = conn.exec(QStringLiteral("DROP DATABASE IF EXISTS `%1`").arg(m_name));
        return dropped ? VoidResult() : VoidResult(dropped.error());
    }
    // PostgreSQL 13+: WITH (FORCE); before that, end its sessions first.
    if (conn.exec(QStringLiteral("DROP DATABASE IF EXISTS \"%1\" WITH (FORCE)").arg(m_name)))
        return {};
    // Best effort: the DROP below reports what is left.
    (void)conn.exec(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%1' "
                                   "AND pid <> pg_backend_pid()").arg(m_name));
    auto dropped = conn.exec(QStringLiteral("DROP DATABASE IF EXISTS \"%1\"").arg(m_name));
    return dropped ? VoidResult() : VoidResult(dropped.error());
}

VoidResult ScratchDatabase::checkConnection(DatabaseConnection &connection) const
{
    QString current;
    if (m_dir) {
        auto file = singleValue(connection, QStringLiteral("SELECT file FROM pragma_database_list WHERE name = 'main'"));
        if (!file)
            return file.error();
        current = *file;
        if (QFileInfo(current).canonicalFilePath() == QFileInfo(m_name).canonicalFilePath())
            return {};
    } else {
        auto name = singleValue(connection, isPostgres(m_adminUrl) ? QStringLiteral("SELECT current_database()")
                                                                   : QStringLiteral("SELECT DATABASE()"));
        if (!name)
            return name.error();
        current = *name;
        if (current == m_name)
            return {};
    }
    return Error(QStringLiteral("refusing to run: the connection is on %1, not on the scratch database %2")
                     .arg(current.isEmpty() ? QStringLiteral("(no database)") : current, m_name));
}

} // namespace retort
