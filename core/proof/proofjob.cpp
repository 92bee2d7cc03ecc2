#include "proofjob.h"

#include "proof/revisionschema.h"
#include "services/migrationlogsink.h"
#include "services/project.h"

#include <QThread>

namespace retort {

namespace {

// Log lines to the job's thread as they come.
class ForwardingSink : public MigrationLogSink
{
public:
    explicit ForwardingSink(QPointer<ProofJob> job) : m_job(std::move(job)) {}
    void info(const QString &logger, const QString &message) override
    {
        const QString line = QStringLiteral("[%1] %2").arg(logger, message);
        QPointer<ProofJob> job = m_job;
        QMetaObject::invokeMethod(job.data(), [job, line] {
            if (job)
                emit job->logLine(line);
        }, Qt::QueuedConnection);
    }

private:
    QPointer<ProofJob> m_job;
};

} // namespace

struct ProofJob::Outcome
{
    QVector<StairwayResult> results;
    SchemaModel schema;
    SchemaModel other;
    Error error;
    bool ok = false;
};

ProofJob::ProofJob(ProofSpec spec, QObject *parent)
    : QObject(parent), m_spec(std::move(spec)), m_cancel(std::make_shared<QAtomicInt>(0))
{
    qRegisterMetaType<retort::StairwayResult>();
    connect(this, &ProofJob::logLine, this, [this](const QString &line) { m_log << line; });
}

ProofJob::~ProofJob()
{
    cancel();
    if (m_thread)
        m_thread->wait();
}

void ProofJob::cancel()
{
    m_cancel->storeRelaxed(1);
    if (Stairway *s = m_stairway.loadAcquire())
        s->cancel();
}

void ProofJob::start()
{
    if (m_running)
        return;
    m_running = true;
    const ProofSpec spec = m_spec;
    QPointer<ProofJob> self(this);
    std::shared_ptr<QAtomicInt> cancelled = m_cancel;
    m_thread = QThread::create([self, spec, cancelled, this] {
        auto outcome = std::make_shared<Outcome>();
        ForwardingSink sink(self);
        Project project(spec.iniPath, spec.section, spec.xArguments);
        if (spec.kind == ProofSpec::Verify) {
            Stairway stairway(project, sink);
            stairway.setUrl(spec.urlOverride);
            stairway.setSqlite(spec.sqlite);
            stairway.setRange(spec.range);
            QObject::connect(&stairway, &Stairway::revisionChecked, &stairway, [self](const StairwayResult &r) {
                QMetaObject::invokeMethod(self.data(), [self, r] {
                    if (self) {
                        self->m_results.append(r);
                        emit self->revisionChecked(r);
                    }
                }, Qt::QueuedConnection);
            }, Qt::DirectConnection);
            m_stairway.storeRelease(&stairway);   // the destructor waits: `this` outlives the thread
            if (cancelled->loadRelaxed())
                stairway.cancel();
            auto results = stairway.run();
            m_stairway.storeRelease(nullptr);
            if (results) {
                outcome->ok = true;
            } else {
                outcome->error = results.error();
            }
        } else {
            RevisionSchema::Options options;
            options.url = spec.urlOverride;
            options.sqlite = spec.sqlite;
            if (spec.kind == ProofSpec::SchemaAt) {
                auto schema = RevisionSchema::at(project, sink, options, spec.revision);
                if (schema) {
                    outcome->schema = *schema;
                    outcome->ok = true;
                } else {
                    outcome->error = schema.error();
                }
            } else {
                auto pair = RevisionSchema::pair(project, sink, options, spec.revision, spec.other);
                if (pair) {
                    outcome->schema = pair->first;
                    outcome->other = pair->second;
                    outcome->ok = true;
                } else {
                    outcome->error = pair.error();
                }
            }
        }
        QMetaObject::invokeMethod(self.data(), [self, outcome] {
            if (self)
                self->finish(outcome);
        }, Qt::QueuedConnection);
    });
    m_thread->setObjectName(QStringLiteral("retort-proof"));
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    m_thread->start();
}

void ProofJob::finish(const std::shared_ptr<Outcome> &outcome)
{
    m_running = false;
    m_schema = outcome->schema;
    m_other = outcome->other;
    m_error = outcome->error;
    emit finished(outcome->ok);
}

} // namespace retort
