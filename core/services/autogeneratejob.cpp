#include "autogeneratejob.h"

#include "autogenerate/liverowcounter.h"
#include "services/autogeneratesetup.h"
#include "services/migrationenvironment.h"
#include "services/migrationlogsink.h"
#include "services/project.h"

#include <QFileInfo>
#include <QThread>

namespace retort {

namespace {

class CollectingLog : public MigrationLogSink
{
public:
    void info(const QString &logger, const QString &message) override
    {
        lines << QStringLiteral("INFO  [%1] %2").arg(logger, message);
    }
    QStringList lines;
};

} // namespace

AutogenerateJob::AutogenerateJob(AutogenerateJobSpec spec, QObject *parent)
    : QObject(parent), m_spec(std::move(spec))
{
}

AutogenerateJob::~AutogenerateJob()
{
    if (m_thread)
        m_thread->wait();
}

Result<AutogenerateResult> AutogenerateJob::compare(const AutogenerateJobSpec &spec, QStringList *log)
{
    Project project(spec.iniPath, spec.section, spec.xArguments);
    CollectingLog sink;
    MigrationEnvironment env(project, sink, spec.urlOverride);
    auto heads = env.connectAndReadHeads();
    if (log)
        *log = sink.lines;
    if (!heads)
        return heads.error();
    auto graph = project.graph();
    if (!graph)
        return graph.error();
    if (VoidResult ok = AutogenerateSetup::checkUpToDate(**graph, *heads); !ok)
        return ok.error();
    auto cfg = project.config();
    if (!cfg)
        return cfg.error();
    AutogenerateRequest request;
    request.models.python = AutogenerateSetup::python(project, spec.python);
    request.models.configFile = QFileInfo(spec.iniPath).absoluteFilePath();
    request.models.iniSection = (*cfg)->iniSection();
    request.models.xArguments = (*cfg)->xArguments();
    // Where `alembic` runs from: prepend_sys_path and relative paths are the ini's folder's.
    request.models.workingDirectory = QFileInfo(spec.iniPath).absolutePath();
    if (spec.countRows)
        request.rowCounter = LiveRowCounter(env.connection());
    return Autogenerator::run(*env.connection(), request);
}

void AutogenerateJob::start()
{
    if (m_running)
        return;
    m_running = true;
    const AutogenerateJobSpec spec = m_spec;
    QPointer<AutogenerateJob> self(this);
    // The destructor joins the thread, so `self` is only null if the job was deleted
    // from another thread; the result is then dropped.
    m_thread = QThread::create([self, spec] {
        QStringList log;
        Result<AutogenerateResult> result = compare(spec, &log);
        QMetaObject::invokeMethod(self.data(), [self, result, log] {
            if (self)
                self->finish(result, log);
        }, Qt::QueuedConnection);
    });
    m_thread->setObjectName(QStringLiteral("retort-autogenerate"));
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    m_thread->start();
}

bool AutogenerateJob::exec()
{
    m_running = true;
    QStringList log;
    Result<AutogenerateResult> result = compare(m_spec, &log);
    const bool ok = result.ok();
    finish(std::move(result), log);
    return ok;
}

void AutogenerateJob::finish(Result<AutogenerateResult> result, const QStringList &log)
{
    m_running = false;
    m_log = log;
    const bool ok = result.ok();
    if (ok) {
        m_result = std::move(result).value();
        m_error = Error();
    } else {
        m_error = result.error();
    }
    emit finished(ok);
}

} // namespace retort
