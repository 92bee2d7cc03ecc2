#pragma once
// The Proof dock (issue 14): the graph's "Verify Downgrades" (the stairway on a scratch
// database, per-revision results in a list and as marks on the graph), "Schema at This
// Revision" and "Compare With..." — all run by core's ProofJob on a worker thread, never on
// the connected database. Selecting a result shows its error and schema difference.

#include "migrationsession.h"
#include "proof/proofjob.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QToolButton;
class QTreeWidget;

namespace retort {

class ProofView : public QWidget
{
    Q_OBJECT
public:
    explicit ProofView(QWidget *parent = nullptr);
    ~ProofView() override;

    void setProject(const MigrationProjectSpec &spec);   // an empty iniPath clears the view

    QTreeWidget *results() const { return m_results; }
    QPlainTextEdit *details() const { return m_details; }
    QString statusText() const;
    bool isRunning() const { return m_job != nullptr; }
    // Revision -> its downgrade restored the schema (true) or not (false), for the graph.
    QHash<QString, bool> marks() const { return m_marks; }

public slots:
    // fromRevision "" checks the whole history; otherwise that revision and what follows.
    void verifyDowngrades(const QString &fromRevision = {});
    void showSchemaAt(const QString &revision);
    void compare(const QString &revision, const QString &other);
    // Asks which revision to compare `revision` with (candidates: the project's ids).
    void pickAndCompare(const QString &revision, const QStringList &candidates);
    void stop();

signals:
    void marksChanged(const QHash<QString, bool> &marks);
    void started();
    void finished(bool ok);

private:
    void run(const ProofSpec &spec, const QString &title);
    void addResult(const StairwayResult &result);
    void onFinished(bool ok);
    void showSelected();

    MigrationProjectSpec m_spec;
    QLabel *m_status = nullptr;
    QToolButton *m_stop = nullptr;
    QTreeWidget *m_results = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QPointer<ProofJob> m_job;
    QString m_title;
    QHash<QString, bool> m_marks;
    QVector<StairwayResult> m_shown;
    int m_findings = 0;
};

} // namespace retort
