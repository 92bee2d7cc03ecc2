#pragma once
// Live inspection for ScriptStepBodyProvider (ScriptInspector): a step that inspects the
// database is interpreted again each time the statements it emitted so far have run, and
// each repetition gets the answers already given for the calls before (the interpreter is
// deterministic; LiveState keeps them across repetitions). A call after top-level ops that
// have not run stops the interpretation: those run first, as Alembic ran them before the
// call. Probes read the step ahead of the run and never stop: answers from the database
// as it is (or, where it has nothing, fullAnswer()), or with setFull() always fullAnswer().
// SQLAlchemy's per-inspector cache (info_cache) is kept: an inspector object reads each
// thing once, has_table() aside.

#include "ddlrenderer.h"
#include "operations/scriptinspector.h"

#include <QHash>
#include <QSet>
#include <QStringList>
#include <optional>

namespace retort {

struct LiveState
{
    QVector<PyValue> answers;
    int executed = 0;            // top-level ops already run
    QSet<QString> enumTypes;
};

class ReplayInspector : public ScriptInspector
{
public:
    ReplayInspector(LiveState &state, const RenderOptions &options, bool probe)
        : m_state(state), m_options(options), m_probe(probe) {}
    void setFull() { m_full = true; }
    // The script's string literals: the names fullAnswer() finds.
    void setStrings(const QStringList &strings) { m_strings = strings; }

    Status call(bool engine, int instance, const QString &method, const QVector<PyValue> &args,
                const QVector<QPair<QString, PyValue>> &kwargs, const QVector<MigrationOp> &emitted,
                PyValue *out, QString *message) override;

    // An answer where everything is found: for each string (they name the tables, columns
    // and indexes a script looks for) a table, column, index, key and constraint of that
    // name, so loops and guards take the paths an empty database skips.
    static PyValue fullAnswer(const QString &method, const QStringList &strings);

    int stopAt = -1;                  // Stop: the number of top-level ops to run first
    QVector<MigrationOp> pending;     // Stop: those not run yet
    std::optional<Error> error;       // the database failed to answer

private:
    Result<PyValue> reflect(bool engine, const QString &method, const QVector<PyValue> &args,
                            const QVector<QPair<QString, PyValue>> &kwargs) const;
    static PyValue fullReflection(const QString &method, const QStringList &strings);
    static PyValue merged(const PyValue &real, const PyValue &full);
    Status answer(bool engine, const QString &method, const QVector<PyValue> &args,
                  const QVector<QPair<QString, PyValue>> &kwargs, const QVector<MigrationOp> &emitted,
                  PyValue *out, QString *message);

    LiveState &m_state;
    QHash<QString, PyValue> m_cache;
    const RenderOptions &m_options;
    bool m_probe;
    bool m_full = false;
    QStringList m_strings;
    int m_calls = 0;
};

} // namespace retort
