#pragma once
// Beyond Alembic: `retort verify` — the stairway test. On a scratch database, for every
// revision in order (base first): read the schema, upgrade one step, downgrade that step,
// read the schema again, upgrade again. A revision is a finding when its upgrade or downgrade
// fails, when the downgrade does not give back the schema from before the upgrade (the
// difference is kept, as SchemaText::diff lines), or when the second upgrade fails.
// Revisions before the range are upgraded without checks; the run stops at the range's
// end, and at the first revision that cannot be upgraded (nothing after it can run).

#include "result.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

class MigrationLogSink;
class Project;
class RevisionGraph;
class ScratchRun;

struct StairwayResult
{
    enum Status { Passed, UpgradeFailed, DowngradeFailed, NotRestored, ReupgradeFailed };
    QString revision;
    Status status = Passed;
    QString message;          // the error of the failed step
    QStringList diff;         // NotRestored: before the upgrade (-) against after the downgrade (+)
    qint64 elapsedMs = 0;

    bool isFinding() const { return status != Passed; }
    static QString statusText(Status status);   // "ok", "downgrade does not restore the schema", ...
};

class Stairway : public QObject
{
    Q_OBJECT
public:
    Stairway(Project &project, MigrationLogSink &log, QObject *parent = nullptr);
    ~Stairway() override;

    void setUrl(const QString &url) { m_url = url; }          // --url / the studio's; "" = the project's
    void setSqlite(bool sqlite) { m_sqlite = sqlite; }       // an SQLite scratch file whatever the dialect
    // "A:B", "A:", ":B" (as `history -r`), or "" for base:heads.
    void setRange(const QString &range) { m_range = range; }

    // The revisions checked, in order; an error when the run could not start (no scratch
    // database, a bad range) or was cancelled.
    Result<QVector<StairwayResult>> run();
    void cancel();   // any thread

    // The revisions of `range` in upgrade order (base first), and all revisions up to its
    // end; exposed for tests.
    static Result<QStringList> revisionsInRange(const RevisionGraph &graph, const QString &range,
                                                QStringList *upToEnd);

signals:
    void revisionStarted(int index, int count, const QString &revision);
    void revisionChecked(const retort::StairwayResult &result);
    void pythonOutput(const QString &line);

private:
    StairwayResult check(ScratchRun &run, const QString &revision);

    Project &m_project;
    MigrationLogSink &m_log;
    QString m_url;
    QString m_range;
    bool m_sqlite = false;
    QAtomicPointer<ScratchRun> m_run;
    QAtomicInt m_cancelled;
};

} // namespace retort

Q_DECLARE_METATYPE(retort::StairwayResult)
