#pragma once
// A list or set comprehension of a revision script, evaluated statically: one `for` clause
// over a known sequence (a list, tuple, set, dict's keys, string) with a name or a flat
// tuple of names as target, and any number of `if` clauses; the element and conditions are
// evaluated per item (ScriptExpression) in a scope binding the target, which does not leak,
// as in Python 3. Nested `for` clauses, dict comprehensions and conditions only Python can
// decide need Python.

#include "python/pytoken.h"
#include "scriptexpression.h"

namespace retort {

class ScriptComprehension
{
public:
    // [open, close]: the brackets around the comprehension.
    ScriptComprehension(const QVector<PyToken> &tokens, int open, int close, const ScriptScope &scope,
                        const QString &fileName)
        : m_tokens(tokens), m_open(open), m_close(close), m_scope(scope), m_fileName(fileName) {}

    void setEnvironment(const ScriptContext *context, ScriptExpression::Caller *caller)
    {
        m_context = context;
        m_caller = caller;
    }

    ScriptExpression::Status evaluate(PyValue *out);
    const NeedsPython &needs() const { return m_needs; }
    const Error &error() const { return m_error; }

private:
    ScriptExpression::Status need(const QString &reason, int line);
    ScriptExpression::Status fail(const QString &what);

    const QVector<PyToken> &m_tokens;
    int m_open;
    int m_close;
    const ScriptScope &m_scope;
    QString m_fileName;
    const ScriptContext *m_context = nullptr;
    ScriptExpression::Caller *m_caller = nullptr;
    ScriptExpression::Status m_status = ScriptExpression::Ok;
    NeedsPython m_needs;
    Error m_error;
};

} // namespace retort
