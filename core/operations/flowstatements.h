#pragma once
// Control flow for FunctionInterpreter, with Python's meaning: if/elif/else on conditions
// the interpreter can decide, for loops over known sequences (break, continue, else),
// nested defs, calls of the script's own defs (positional/keyword parameters, defaults,
// *args/**kwargs, return values), del of locals and augmented assignment on known values.
// What it cannot decide needs Python, like the rest of the interpreter.

#include "python/pyvalue.h"
#include "scriptexpression.h"

#include <QString>
#include <QVector>

namespace retort {

class FunctionInterpreter;
class ScriptScope;

class FlowStatements
{
public:
    explicit FlowStatements(FunctionInterpreter &f) : m_f(f) {}

    // The compound statement at pos (if/for/def); pos moves past it, all clauses included.
    bool run(int &pos);
    bool runDel(int begin, int end);
    // `target <op>= value`: op is the index of the operator token.
    bool runAugmented(int begin, int op, int end);
    // A call of the def bound to name; its ops are appended to the caller's.
    bool call(const QString &name, const QVector<PyValue> &args, const ScriptExpression::Kwargs &kwargs,
              int line, PyValue *out);

private:
    bool runIf(int &pos);
    bool runFor(int &pos);
    bool runDef(int &pos);
    bool bindTarget(int begin, int end, const PyValue &value);
    bool bindParameters(FunctionInterpreter &callee, const ScriptScope &defined, int open, int close,
                        const QString &name, QVector<PyValue> args, ScriptExpression::Kwargs kwargs,
                        int line);
    // Python truthiness when the value tells (literals and containers of any items).
    static bool truth(const PyValue &v, bool *known);

    FunctionInterpreter &m_f;
};

} // namespace retort
