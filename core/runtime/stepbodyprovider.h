#pragma once
// What the runtime needs to know about a step's script beyond the plan: the SQL its
// upgrade()/downgrade() issues, where the script lives and its doc line. The engine
// (script interpreter) implements this; until then the default bodies are empty, which
// is what a revision whose functions are `pass` does.

#include "dialect.h"
#include "result.h"
#include "revision/migrationstep.h"

#include <QString>
#include <QStringList>
#include <functional>

namespace retort {

class StepBodyProvider
{
public:
    virtual ~StepBodyProvider() = default;

    // The statements, in order, for step.revision's upgrade() or downgrade() as rendered
    // for `dialect`. Never called for stamp steps. An Error aborts the run.
    virtual Result<QStringList> statements(const MigrationStep &step, const Dialect &dialect) = 0;

    // Online: hands the step's statements to `run`, in order, stopping at its first error.
    // A provider whose SQL depends on the database as the step left it so far (batch
    // mode's move-and-copy reads the live table, after an op.rename_table() of the same
    // step, say) renders each op only after the statements before it ran.
    using StatementRunner = std::function<VoidResult(const QString &sql)>;
    virtual VoidResult runStatements(const MigrationStep &step, const Dialect &dialect, const StatementRunner &run)
    {
        Result<QStringList> body = statements(step, dialect);
        if (!body)
            return body.error();
        for (const QString &sql : *body)
            if (VoidResult r = run(sql); !r)
                return r;
        return {};
    }

    // The script's path, for error messages ("" when unknown).
    virtual QString scriptPath(const MigrationStep &step) const { Q_UNUSED(step); return {}; }

    // Script.doc (the docstring's first paragraph) for the "Running ..." log line.
    virtual QString doc(const MigrationStep &step) const { Q_UNUSED(step); return {}; }
};

// A provider with no bodies: every upgrade()/downgrade() is `pass`.
class EmptyStepBodyProvider : public StepBodyProvider
{
public:
    Result<QStringList> statements(const MigrationStep &, const Dialect &) override
    { return QStringList(); }
};

} // namespace retort
