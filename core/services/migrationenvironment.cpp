#include "migrationenvironment.h"

#include "services/autogeneratesetup.h"
#include "runtime/migrationlock.h"
#include "runtime/versiontable.h"

#include <QDir>
#include <algorithm>
#include <QFile>
#include <QFileInfo>

namespace retort {

MigrationEnvironment::MigrationEnvironment(Project &project, MigrationLogSink &log, QString urlOverride)
    : m_project(project), m_log(log), m_urlOverride(std::move(urlOverride))
{
}

// m_lock goes before m_connection (member order) and releases itself.
MigrationEnvironment::~MigrationEnvironment() = default;

VoidResult MigrationEnvironment::load()
{
    auto scripts = m_project.scriptDirectory();
    if (!scripts)
        return scripts.error();
    const QString envPath = (*scripts)->envPyPath();
    if (!QFileInfo::exists(envPath))
        return Error(QStringLiteral("No such file or directory: '%1'").arg(envPath));
    auto env = EnvPyInfo::read(envPath);
    if (!env)
        return env.error();
    m_envPy = std::move(env).value();

    // The stock env.py calls fileConfig(config.config_file_name) first thing.
    QFile file(envPath);
    if (file.open(QIODevice::ReadOnly) && file.readAll().contains("fileConfig("))
        m_log.enableLogging();

    if (auto evaluated = evaluateEnvPy(envPath); !evaluated)
        return evaluated;
    readConfigureOptions();
    auto text = resolveUrlText();
    if (!text)
        return text.error();
    auto url = DatabaseUrl::parse(*text);
    if (!url)
        return url.error();
    m_url = std::move(url).value();
    auto dialect = Dialect::fromName(m_url->dialectName());
    if (!dialect)
        return dialect.error();
    m_dialect = *dialect;
    return {};
}

Result<QString> MigrationEnvironment::resolveUrlText()
{
    if (!m_engine.isEmpty())
        return engineUrlText();
    if (!m_urlOverride.isEmpty())
        return m_urlOverride;
    if (m_evaluated) {
        if (const EnvPyConfigureCall *call = m_evaluated->urlCall())
            return call->url;
    }
    if (auto override = m_envPy->urlOverride(); override && !m_evaluated) {
        if (auto resolved = m_envPy->resolvedUrlOverride())
            return *resolved;
        return Error(QStringLiteral("env.py sets sqlalchemy.url from the environment variable %1, "
                                    "which is not set (set it, or pass --url / RETORT_DATABASE_URL)")
                         .arg(override->envVar),
                     m_project.scriptDirectory().value()->envPyPath(), override->line);
    }
    auto cfg = m_project.config();
    if (!cfg)
        return cfg.error();
    auto url = (*cfg)->mainOption(QStringLiteral("sqlalchemy.url"));
    if (!url)
        return url.error();
    if (!url->has_value() || (*url)->trimmed().isEmpty())
        return Error(QStringLiteral("No database URL: set sqlalchemy.url in the [%1] section of %2, "
                                    "pass --url, or set RETORT_DATABASE_URL")
                         .arg((*cfg)->iniSection(), (*cfg)->configFileName()));
    return (*url)->trimmed();
}

// Runs env.py with Python (EnvPyEvaluator) when its static reading leaves the URL or the
// configure() options Retort uses unsettled; an error names what needed it.
VoidResult MigrationEnvironment::evaluateEnvPy(const QString &envPath)
{
    const DynamicPart *why = m_envPy->firstDynamicPart(!m_urlOverride.isEmpty());
    if (!why)
        return {};
    auto cfg = m_project.config();
    if (!cfg)
        return cfg.error();
    EnvPyEvaluationOptions options;
    // As for the model helper (which reads env.py the same way): the project's Python, else
    // the Debian interpreter that has python3-alembic.
    options.python = AutogenerateSetup::python(m_project, {});
    options.configFile = m_project.iniPath();
    options.iniSection = m_project.section();
    options.xArguments = m_project.xArguments();
    options.urlOverride = m_urlOverride;
    const QString shown = QDir::current().relativeFilePath(envPath);
    const QString reason = QStringLiteral("%1 (%2:%3)")
                               .arg(why->what, shown.startsWith(QLatin1String("..")) ? envPath : shown)
                               .arg(why->line);
    EnvPyEvaluationFailure failure;
    auto evaluated = EnvPyEvaluator::evaluate(options, &failure);
    if (!evaluated) {
        const Error &e = evaluated.error();
        // Without a usable Python, configure() options alone fall back to the static
        // reading (as before env.py could be run), said once; a URL never does.
        const bool noPython = failure.kind == QLatin1String("no-alembic")
            || e.message.startsWith(QLatin1String("cannot run the Python interpreter"));
        const bool urlNeeded = m_urlOverride.isEmpty()
            && std::any_of(m_envPy->dynamicParts().begin(), m_envPy->dynamicParts().end(),
                           [](const DynamicPart &d) { return d.url; });
        if (noPython && !urlNeeded) {
            m_log.notice(QStringLiteral("retort.envpy"),
                         QStringLiteral("WARNING: %1 cannot run env.py (%2); using its literal configure() "
                                        "keywords only: %3")
                             .arg(options.python, e.message.section(QLatin1Char('\n'), 0, 0), reason));
            return {};
        }
        return Error(QStringLiteral("env.py could not be run to settle what Retort cannot read from it: %1.\n"
                                    "Running it with %2 failed: %3")
                         .arg(reason, options.python, e.message),
                     e.file.isEmpty() ? envPath : e.file, e.file.isEmpty() ? why->line : e.line);
    }
    m_evaluated = std::move(evaluated).value();
    m_log.info(QStringLiteral("retort.envpy"),
               QStringLiteral("%1 env.py with %2: %3")
                   .arg(m_evaluated->fromCache ? QStringLiteral("Reused the result of running")
                                               : QStringLiteral("Ran"),
                        options.python, reason));
    if (!m_urlOverride.isEmpty() || m_evaluated->urlCall())
        return {};
    return Error(QStringLiteral("env.py connects with no URL Retort can see: %1").arg(reason), envPath, why->line);
}

// The multidb env.py: context.config.get_section_option(name, "sqlalchemy.url").
Result<QString> MigrationEnvironment::engineUrlText()
{
    auto cfg = m_project.config();
    if (!cfg)
        return cfg.error();
    if (!m_urlOverride.isEmpty())
        return Error(QStringLiteral("--url / RETORT_DATABASE_URL name one database, but %1 migrates "
                                    "several (databases = %2 in its [%3] section); set sqlalchemy.url "
                                    "in each engine's section instead")
                         .arg((*cfg)->configFileName(), (*cfg)->databaseNames().value().join(QStringLiteral(", ")),
                              (*cfg)->iniSection()));
    auto url = (*cfg)->sectionOption(m_engine, QStringLiteral("sqlalchemy.url"));
    if (!url)
        return url.error();
    if (!url->has_value() || (*url)->trimmed().isEmpty())
        return Error(QStringLiteral("No database URL: set sqlalchemy.url in the [%1] section of %2")
                         .arg(m_engine, (*cfg)->configFileName()));
    return (*url)->trimmed();
}

void MigrationEnvironment::readConfigureOptions()
{
    // What env.py configured when it ran, else its literal configure() keywords.
    auto value = [this](const char *key) -> std::optional<QJsonValue> {
        const QString k = QString::fromLatin1(key);
        if (m_evaluated)
            return m_evaluated->option(k);
        const auto v = m_envPy->configureOption(k);
        if (!v)
            return std::nullopt;
        if (v->isStr())
            return QJsonValue(v->toStr());
        if (v->kind() == PyValue::Bool)
            return QJsonValue(v->toBool());
        return QJsonValue(QJsonValue::Undefined);
    };
    auto str = [&](const char *key) {
        const auto v = value(key);
        return v && v->isString() ? v->toString() : QString();
    };
    auto flag = [&](const char *key) -> std::optional<bool> {
        const auto v = value(key);
        return v && v->isBool() ? std::optional<bool>(v->toBool()) : std::nullopt;
    };
    const QString table = str("version_table");
    if (!table.isEmpty())
        m_versionTable.table = table;
    m_versionTable.schema = str("version_table_schema");
    m_versionTable.primaryKey = flag("version_table_pk").value_or(true);
    m_transactionPerMigration = flag("transaction_per_migration").value_or(false);
    m_transactionalDdl = flag("transactional_ddl");
}

VoidResult MigrationEnvironment::connect()
{
    auto opened = openConnection();
    if (opened)
        logContext(false);
    return opened;
}

bool MigrationEnvironment::isMissingSqliteFile() const
{
    return m_url && m_dialect.kind() == Dialect::SQLite && !m_url->isSqliteMemory()
        && !QFileInfo::exists(m_url->sqliteFilePath());
}

VoidResult MigrationEnvironment::openConnection()
{
    DatabaseConnection::Options options;
    options.sqliteReadOnly = m_readOnly;
    auto conn = DatabaseConnection::open(*m_url, options);
    if (!conn)
        return conn.error();
    m_connection = std::move(conn).value();
    return {};
}

Result<QStringList> MigrationEnvironment::connectAndReadHeads()
{
    auto loaded = load();
    if (!loaded)
        return loaded.error();
    auto connected = connect();
    if (!connected)
        return connected.error();
    return currentHeads();
}

Result<QStringList> MigrationEnvironment::currentHeads()
{
    VersionTable table(*m_connection, m_versionTable);
    return table.currentHeads();
}

VoidResult MigrationEnvironment::lockForMigration()
{
    if (!m_connection)
        return Error(QStringLiteral("No database connection to take the migration lock on"));
    if (!m_lock) {
        m_lock = std::make_unique<MigrationLock>(*m_connection, m_versionTable);
        m_lock->setWaitCallback([this](const QString &message) {
            m_log.notice(QStringLiteral("retort.lock"), message);
        });
    }
    m_lock->setCancelCheck(m_lockCancelled);
    return m_lock->acquire(m_lockTimeoutMs);
}

VoidResult MigrationEnvironment::releaseLock()
{
    return m_lock ? m_lock->release() : VoidResult();
}

bool MigrationEnvironment::holdsLock() const
{
    return m_lock && m_lock->isHeld();
}

VoidResult MigrationEnvironment::checkLock() const
{
    return m_lock ? m_lock->checkHeld() : VoidResult();
}

void MigrationEnvironment::startOffline()
{
    logContext(true);
}

// MigrationContext.__init__'s log lines.
void MigrationEnvironment::logContext(bool asSql)
{
    const QString logger = QStringLiteral("alembic.runtime.migration");
    m_log.info(logger, QStringLiteral("Context impl %1.").arg(m_dialect.implName()));
    if (asSql)
        m_log.info(logger, QStringLiteral("Generating static SQL"));
    m_log.info(logger, QStringLiteral("Will assume %1 DDL.")
                                  .arg(effectiveTransactionalDdl() ? QStringLiteral("transactional")
                                                                   : QStringLiteral("non-transactional")));
}

QString MigrationEnvironment::obfuscatedUrl() const
{
    // util.obfuscate_url_pw: the password becomes XXXXX; a query password too (Alembic
    // would print that one).
    if (m_url->hasPassword() || m_url->hasQueryPassword())
        return m_url->toDisplayString(QStringLiteral("XXXXX"));
    return m_url->toDisplayString();
}

} // namespace retort
