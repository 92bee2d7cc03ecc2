#pragma once
// Name resolution and call evaluation for ScriptExpression: what a dotted name means in
// a ScriptScope, and which calls stay static values (sa.*, dialect types, op.f ...),
// fold (str methods, textwrap.dedent) or need Python (helpers, builtins, op.get_bind ...).

#include "python/pyvalue.h"
#include "scriptscope.h"

#include <QStringList>

namespace retort {

class ScriptNames
{
public:
    struct Outcome
    {
        bool ok = true;
        QString needReason;   // when !ok: the NeedsPython reason
        bool callReason = false;   // the reason is "call to <source text>()"
    };

    // `parts` is a dotted name as written (["sa", "Column"]); called: a '(' follows.
    static Outcome resolve(const ScriptScope &scope, const QStringList &parts, bool called,
                           PyValue *out, bool *isFunction);
    // Whether calling `callee` is allowed; checked before the arguments are evaluated, as
    // Python evaluates the callee first.
    static Outcome checkCallee(const PyValue &callee, bool isFunction);
    // The value of an allowed call.
    static Outcome call(const PyValue &callee, QVector<PyValue> args,
                        QVector<QPair<QString, PyValue>> kwargs, PyValue *out);

    // A name of Python's builtins module (print, dict, ValueError, Ellipsis ...) or a
    // module dunder (__name__, __file__ ...).
    static bool isBuiltin(const QString &name);

private:
    static Outcome needs(const QString &reason) { return Outcome{false, reason}; }
};

} // namespace retort
