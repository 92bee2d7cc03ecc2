#pragma once
// The studio's proof actions on a worker thread (like SchemaSnapshotJob): the stairway
// (Stairway), the schema at a revision, or two revisions compared (RevisionSchema), each
// on a scratch database. The worker builds its own Project and connections; results come
// back in the job's thread: revisionChecked() as the stairway goes, finished() at the end.

#include "proof/stairway.h"
#include "result.h"
#include "schema/schemamodel.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <memory>

class QThread;

namespace retort {

struct ProofSpec
{
    enum Kind { Verify, SchemaAt, Compare };
    Kind kind = Verify;
    QString iniPath;
    QString section = QStringLiteral("alembic");
    QStringList xArguments;
    QString urlOverride;     // the studio's connection; "" = the project's URL
    bool sqlite = false;
    QString range;           // Verify: "" (everything) or "REV:" (from a revision on)
    QString revision;        // SchemaAt; Compare: the first side
    QString other;           // Compare: the second side
};

class ProofJob : public QObject
{
    Q_OBJECT
public:
    explicit ProofJob(ProofSpec spec, QObject *parent = nullptr);
    ~ProofJob() override;   // cancels and waits for a running worker

    void start();
    void cancel();           // any time: stops before the next step
    bool isRunning() const { return m_running; }
    const ProofSpec &spec() const { return m_spec; }

    const QVector<StairwayResult> &results() const { return m_results; }
    const SchemaModel &schema() const { return m_schema; }      // SchemaAt; Compare: the first side
    const SchemaModel &other() const { return m_other; }        // Compare: the second side
    const Error &error() const { return m_error; }
    const QStringList &log() const { return m_log; }            // the run's log lines

signals:
    void revisionChecked(const retort::StairwayResult &result);
    void logLine(const QString &line);
    void finished(bool ok);

private:
    struct Outcome;
    void finish(const std::shared_ptr<Outcome> &outcome);

    ProofSpec m_spec;
    QVector<StairwayResult> m_results;
    SchemaModel m_schema;
    SchemaModel m_other;
    Error m_error;
    QStringList m_log;
    QPointer<QThread> m_thread;
    std::shared_ptr<QAtomicInt> m_cancel;
    QAtomicPointer<Stairway> m_stairway;
    bool m_running = false;
};

} // namespace retort
