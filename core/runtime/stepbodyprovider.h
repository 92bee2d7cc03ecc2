#pragma once
// What the runtime needs to know about a step's script beyond the plan: the SQL its
// upgrade()/downgrade() issues, where the script lives and its doc line. The engine
// (script interpreter) implements this; until then the default bodies are empty, which
// is what a revision whose functions are `pass` does.

#include "dialect.h"
#include "result.h"
#include "revision/migrationstep.h"
#include "stepbody.h"

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

    // The whole body: statements with print/logging effects, try statements and
    // autocommit blocks. What the runner executes; statements() lists the same statements
    // (StepBody::statements()). Default: the statements alone.
    virtual Result<StepBody> body(const MigrationStep &step, const Dialect &dialect)
    {
        Result<QStringList> s = statements(step, dialect);
        if (!s)
            return s.error();
        return StepBody::fromStatements(*s);
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
