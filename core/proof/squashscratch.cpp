#include "squashscratch.h"

#include "config/databaseurl.h"
#include "runtime/databaseconnection.h"

#include <QDir>
#include <QRandomGenerator>

namespace retort {

SquashScratch::~SquashScratch()
{
    drop();
}

Result<std::unique_ptr<SquashScratch>> SquashScratch::sqlite()
{
    std::unique_ptr<SquashScratch> s(new SquashScratch);
    s->m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/retort-squash-XXXXXX"));
    if (!s->m_dir->isValid())
        return Error(QStringLiteral("Cannot create a temporary folder for the scratch database: %1")
                         .arg(s->m_dir->errorString()));
    s->m_dialect = QStringLiteral("sqlite");
    s->m_url = QStringLiteral("sqlite:///") + s->m_dir->filePath(QStringLiteral("scratch.db"));
    return s;
}

QString SquashScratch::withDatabase(const QString &url, const QString &database)
{
    const int scheme = url.indexOf(QStringLiteral("://"));
    if (scheme < 0)
        return url;
    const int slash = url.indexOf(QLatin1Char('/'), scheme + 3);
    const int query = url.indexOf(QLatin1Char('?'), scheme + 3);
    const QString rest = query < 0 ? QString() : url.mid(query);
    const int end = slash >= 0 && (query < 0 || slash < query) ? slash : (query < 0 ? url.size() : query);
    return url.left(end) + QLatin1Char('/') + database + rest;
}

Result<std::unique_ptr<SquashScratch>> SquashScratch::onServerOf(const DatabaseUrl &server)
{
    if (server.backendName() == QLatin1String("sqlite"))
        return sqlite();
    auto admin = DatabaseConnection::open(server);
    if (!admin)
        return Error(QStringLiteral("Cannot connect to create a scratch database: %1").arg(admin.error().message));
    std::unique_ptr<SquashScratch> s(new SquashScratch);
    s->m_dialect = (*admin)->dialect().name();
    s->m_database = QStringLiteral("retort_squash_%1")
                        .arg(QRandomGenerator::global()->generate64() & 0xffffffffffffULL, 12, 16, QLatin1Char('0'));
    if (auto made = (*admin)->exec(QStringLiteral("CREATE DATABASE %1").arg(s->m_database)); !made)
        return Error(QStringLiteral("Cannot create the scratch database %1 (the URL's user needs the right to "
                                    "create databases; or pass --scratch sqlite): %2")
                         .arg(s->m_database, made.error().message));
    s->m_serverUrl = server.toString();
    s->m_url = withDatabase(s->m_serverUrl, s->m_database);
    return s;
}

QString SquashScratch::description() const
{
    if (m_dialect == QLatin1String("sqlite"))
        return QStringLiteral("a temporary SQLite file");
    return QStringLiteral("the temporary %1 database %2").arg(m_dialect, m_database);
}

void SquashScratch::drop()
{
    if (m_database.isEmpty())
        return;
    auto admin = DatabaseConnection::openUrl(m_serverUrl);
    if (!admin)
        return;
    // PostgreSQL 13+: end sessions a Python hand-off may still hold.
    if (m_dialect == QLatin1String("postgresql")
        && (*admin)->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_database)))
        return;
    (void)(*admin)->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_database));
    m_database.clear();
}

} // namespace retort
