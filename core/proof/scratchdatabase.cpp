#include "scratchdatabase.h"

#include "serverdatabase.h"
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

Result<std::unique_ptr<ScratchDatabase>> ScratchDatabase::create(const DatabaseUrl &userUrl)
{
    if (userUrl.backendName() == QLatin1String("sqlite"))
        return createSqlite();
    if (!ServerDatabase::isPostgres(userUrl) && !ServerDatabase::isMySql(userUrl))
        return Error(QStringLiteral("no scratch database for %1 URLs").arg(userUrl.backendName()));
    std::unique_ptr<ScratchDatabase> db(new ScratchDatabase);
    db->m_adminUrl = userUrl;
    db->m_name = newName();
    auto admin = ServerDatabase::admin(userUrl);
    if (!admin)
        return Error(QStringLiteral("cannot connect to create a scratch database: %1").arg(admin.error().message));
    if (auto made = (*admin)->exec(QStringLiteral("CREATE DATABASE %1").arg(ServerDatabase::quoted(userUrl, db->m_name)));
        !made) {
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
    auto admin = ServerDatabase::admin(m_adminUrl);
    if (!admin)
        return Error(QStringLiteral("cannot connect to drop the scratch database %1: %2").arg(m_name, admin.error().message));
    return ServerDatabase::drop(**admin, m_adminUrl, m_name);
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
        auto name = singleValue(connection, ServerDatabase::isPostgres(m_adminUrl) ? QStringLiteral("SELECT current_database()")
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
