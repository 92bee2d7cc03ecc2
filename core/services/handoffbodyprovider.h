#pragma once
// The step bodies of one run: what HandoffRouter rendered up front (native steps), the SQL
// Alembic rendered for needs-Python steps (PythonWorker::render), an error for a step
// Alembic could not render (--sql shows Alembic's error at that step), and the script
// interpreter for the rest (steps rendered when they run).

#include "operations/migrationop.h"
#include "runtime/stepbodyprovider.h"

#include <QHash>

namespace retort {

class HandoffBodyProvider : public StepBodyProvider
{
public:
    explicit HandoffBodyProvider(StepBodyProvider &inner) : m_inner(inner) {}

    void setNative(const MigrationStep &step, const StepBody &body);
    // Alembic's statements (RenderedStep::body: without their ";", which the offline
    // writer adds back and the online runner leaves off) and print() output.
    void setRenderedByAlembic(const MigrationStep &step, const StepBody &body);
    void setError(const MigrationStep &step, const Error &error);
    bool isRenderedByAlembic(const MigrationStep &step) const;
    // Why a needs-Python step is one (for the log lines of the run).
    void setWhy(const MigrationStep &step, const NeedsPython &why) { m_why.insert(key(step), why); }
    NeedsPython why(const MigrationStep &step) const { return m_why.value(key(step)); }

    Result<QStringList> statements(const MigrationStep &step, const Dialect &dialect) override;
    Result<StepBody> body(const MigrationStep &step, const Dialect &dialect) override;
    QString scriptPath(const MigrationStep &step) const override { return m_inner.scriptPath(step); }
    QString doc(const MigrationStep &step) const override { return m_inner.doc(step); }

    // "u:<rev>" / "d:<rev>": a step of a plan by direction and revision.
    static QString key(const MigrationStep &step);

private:

    StepBodyProvider &m_inner;
    QHash<QString, StepBody> m_bodies;
    QHash<QString, Error> m_errors;
    QHash<QString, bool> m_byAlembic;
    QHash<QString, NeedsPython> m_why;
};

} // namespace retort
