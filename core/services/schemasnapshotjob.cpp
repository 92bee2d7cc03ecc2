#include "schemasnapshotjob.h"

#include "autogenerate/liverowcounter.h"
#include "runtime/databaseconnection.h"
#include "schema/schemaintrospector.h"
#include "services/migrationenvironment.h"
#include "services/migrationlogsink.h"
#include "services/project.h"

#include <QFileInfo>
#include <QThread>

namespace retort {

namespace {
// Browsing is not a run: env.py's context lines are not worth logging.
class QuietLog : public MigrationLogSink
{
public:
    void info(const QString &, const QString &) override {}
};
} // namespace

std::optional<qint64> SchemaSnapshot::rowCount(const QString &schema, const QString &table) const
{
    const auto it = rowCounts.constFind(key(schema, table));
    if (it == rowCounts.constEnd())
        return std::nullopt;
    return *it;
}

SchemaSnapshotJob::SchemaSnapshotJob(SchemaSnapshotSpec spec, QObject *parent)
    : QObject(parent), m_spec(std::move(spec))
{
}

SchemaSnapshotJob::~SchemaSnapshotJob()
{
    if (m_thread)
        m_thread->wait();
}

Result<SchemaSnapshot> SchemaSnapshotJob::read(const SchemaSnapshotSpec &spec)
{
    Project project(spec.iniPath, spec.section, spec.xArguments);
    QuietLog log;
    MigrationEnvironment env(project, log, spec.urlOverride);
    env.setEngine(spec.engine);
    if (VoidResult loaded = env.load(); !loaded)
        return loaded.error();
    SchemaSnapshot snapshot;
    snapshot.displayUrl = env.obfuscatedUrl();
    const DatabaseUrl &url = env.url();
    // Opening a missing SQLite file would create it; browsing must not write anything.
    if (url.backendName() == QLatin1String("sqlite") && !url.isSqliteMemory()
        && !QFileInfo::exists(url.sqliteFilePath())) {
        snapshot.note = QStringLiteral("The database file %1 does not exist yet.").arg(url.sqliteFilePath());
        return snapshot;
    }
    if (VoidResult connected = env.connect(); !connected)
        return connected.error();
    IntrospectOptions options;
    options.skipVersionTable = false;   // the version table is part of what a run touches
    options.versionTable = env.versionTable().table;
    options.versionTableSchema = env.versionTable().schema;
    auto model = SchemaIntrospector::read(*env.connection(), options);
    if (!model)
        return model.error();
    snapshot.model = std::move(model).value();
    snapshot.model.normalize();
    LiveRowCounter count(env.connection());
    for (const SchemaNamespace &ns : snapshot.model.schemas)
        for (const SchemaTable &t : ns.tables)
            if (std::optional<qint64> n = count(ns.name, t.name, {}, {}))
                snapshot.rowCounts.insert(SchemaSnapshot::key(ns.name, t.name), *n);
    return snapshot;
}

void SchemaSnapshotJob::start()
{
    if (m_running)
        return;
    m_running = true;
    const SchemaSnapshotSpec spec = m_spec;
    QPointer<SchemaSnapshotJob> self(this);
    // The destructor joins the thread, so `self` is only null if the job was deleted from
    // another thread; the result is then dropped.
    m_thread = QThread::create([self, spec] {
        Result<SchemaSnapshot> result = read(spec);
        QMetaObject::invokeMethod(self.data(), [self, result] {
            if (self)
                self->finish(result);
        }, Qt::QueuedConnection);
    });
    m_thread->setObjectName(QStringLiteral("retort-schema"));
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    m_thread->start();
}

void SchemaSnapshotJob::finish(Result<SchemaSnapshot> result)
{
    m_running = false;
    const bool ok = result.ok();
    if (ok) {
        m_snapshot = std::move(result).value();
        m_error = Error();
    } else {
        m_error = result.error();
    }
    emit finished(ok);
}

} // namespace retort
