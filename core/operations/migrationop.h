#pragma once
// One operation of a revision script's upgrade()/downgrade() body, as the script
// interpreter (ScriptInterpreter) evaluates it statically: an `op.<name>(...)` call with
// its arguments as PyValue trees (sa.Column(...), sa.String(50), sa.text("..."), op.f("ix"),
// literals ...), local variables already substituted. `with op.batch_alter_table(...) as
// batch_op:` becomes one op named "batch_alter_table" whose batchOps are the
// `batch_op.<name>(...)` calls inside. The DDL renderer (core/ddl) turns ops into SQL.

#include "python/pyvalue.h"

#include <QMap>
#include <QString>
#include <QVector>

namespace retort {

struct MigrationOp
{
    QString name;                                // "create_table", "add_column", "execute", ...
    QVector<PyValue> args;                       // positional arguments, evaluated
    QVector<QPair<QString, PyValue>> kwargs;     // keyword arguments, in source order
    int line = 0;                                // 1-based line of the call in the script
    QVector<MigrationOp> batchOps;               // batch_alter_table; "@try"/"@except"... suites
    // Effects and control flow the step body carries (EffectInterpreter), names starting
    // with '@': "@print" (args[0]: the text written), "@log" (args: level, logger name,
    // message), "@raise" (bare re-raise in a handler), "@autocommit" (batchOps: the block),
    // "@try" (batchOps: the try suite; clauses: "@except" ops whose args are the caught
    // classes' canonical names, none for a bare except, then "@else", "@finally").
    QVector<MigrationOp> clauses;

    bool isEffect() const { return name.startsWith(QLatin1Char('@')); }

    const PyValue *kwarg(const QString &key) const
    {
        for (const auto &kv : kwargs)
            if (kv.first == key)
                return &kv.second;
        return nullptr;
    }
};

// Why a function cannot run natively (loops, if, ORM sessions, op.get_bind() ...):
// the runner hands that step to Python, or stops before it.
struct NeedsPython
{
    QString reason;   // "for loop", "call to op.get_bind()", ...
    int line = 0;
};

// The evaluated functions of one revision script.
struct ScriptProgram
{
    QString path;
    // "upgrade", "downgrade", and the multidb template's "upgrade_<name>"/"downgrade_<name>".
    QMap<QString, QVector<MigrationOp>> functions;
    // Functions that use something outside the native subset; absent = native.
    QMap<QString, NeedsPython> needsPython;
    // The multidb template's `upgrade(engine_name)` / `downgrade(engine_name)` that only
    // dispatch via globals(): "upgrade" -> "upgrade_%s" (run functions["upgrade_" + name]).
    QMap<QString, QString> dispatch;
    // Module-level statements beyond docstring/imports/simple assignments/defs
    // (reason = "if statement", "class definition" ...); informational.
    QVector<NeedsPython> moduleNotes;
};

} // namespace retort
