#pragma once
// Evaluates one Python expression of a revision script from a token range, statically:
// names resolved through a ScriptScope, constants folded, calls kept as PyValue trees in
// the shapes documented in scriptinterpreter.h. Valid Python outside the static subset
// (lambda, comprehensions, calls to helpers ...) yields NeedsPython, invalid syntax an Error.

#include "migrationop.h"
#include "python/pytoken.h"
#include "python/pyvalue.h"
#include "result.h"
#include "scriptcontext.h"
#include "scriptscope.h"

#include <QVector>

namespace retort {

class ScriptExpression
{
public:
    enum Status { Ok, Needs, Failed };
    using Kwargs = QVector<QPair<QString, PyValue>>;

    // Runs the script's own functions (helper defs) for calls in expressions.
    class Caller
    {
    public:
        virtual ~Caller() = default;
        // Calls the def bound to `name`; on Needs/Failed fills *needs / *error.
        virtual Status callFunction(const QString &name, const QVector<PyValue> &args,
                                    const Kwargs &kwargs, int line, PyValue *out,
                                    NeedsPython *needs, Error *error) = 0;
        // The function's top-level ops so far (for live inspection); *inBlock: inside a
        // try statement or autocommit block, whose ops are not known to have run.
        virtual QVector<MigrationOp> emittedOps(bool *inBlock) const
        {
            *inBlock = false;
            return {};
        }
    };

    // Tokens [begin, end) must not contain Nl/Comment tokens.
    ScriptExpression(const QVector<PyToken> &tokens, int begin, int end, const ScriptScope &scope,
                     const QString &fileName);

    // The whole range as one expression; a bare tuple (`1, 2`) counts.
    Status evaluate(PyValue *out);
    // The range is the inside of a call's parentheses.
    Status evaluateArguments(QVector<PyValue> *args, QVector<QPair<QString, PyValue>> *kwargs);

    // What the run is (dialect, offline) and who runs helper calls; both optional: an
    // unknown context makes the values that depend on it need Python, and without a
    // caller a call to a def of the script does.
    void setEnvironment(const ScriptContext *context, Caller *caller)
    {
        m_context = context;
        m_caller = caller;
    }

    const NeedsPython &needs() const { return m_needs; }
    const Error &error() const { return m_error; }

private:

    bool parseTestList(PyValue &out);
    bool parseTest(PyValue &out);
    bool parseOrTest(PyValue &out);
    bool parseAndTest(PyValue &out);
    bool parseNotTest(PyValue &out);
    bool parseComparison(PyValue &out);
    bool parseBinary(int level, PyValue &out);
    bool parseFactor(PyValue &out);
    bool parsePower(PyValue &out);
    bool parsePrimary(PyValue &out);
    bool parseNameChain(PyValue &out, bool *isFunction);
    bool parseCall(const PyValue &callee, int begin, bool isFunction, PyValue &out);
    QString sourceText(int begin) const;
    bool parseArgList(QVector<PyValue> &args, Kwargs &kwargs);
    bool parseSubscript(const PyValue &target, PyValue &out);
    bool parseAtom(PyValue &out);
    bool parseStrings(PyValue &out);
    bool parseFormatted(PyValue &out);
    bool evaluateField(const QString &expression, int line, PyValue *out);
    bool resolveKnown(PyValue &v, int line);
    bool callKnown(const PyValue &callee, int line, bool *handled, PyValue &out);
    // sa.inspect(bind) and the inspector's methods, with a live inspector in the context.
    static bool truthOf(const PyValue &v, bool *truth);
    bool callInspection(const PyValue &callee, int begin, bool *handled, PyValue &out);
    bool callReflection(const PyValue &callee, const QVector<PyValue> &args, const Kwargs &kwargs, int line,
                        bool *handled, PyValue &out);
    bool parseNumber(PyValue &out);
    bool parseParen(PyValue &out);
    bool parseList(PyValue &out);
    bool parseBrace(PyValue &out);
    bool parseStarred(QVector<PyValue> &items);
    bool applyBinary(const QString &op, const PyValue &a, const PyValue &b, int line, PyValue &out);

    const PyToken &peek(int ahead = 0) const;
    bool atOp(const char *op) const;
    bool atName(const char *name) const;
    bool atEnd() const { return m_pos >= m_end; }
    bool atComprehension(int line);
    // `[e for t in it if c]` / `{e for ...}` at m_pos: a list or set built item by item.
    bool parseComprehension(PyValue &out);
    bool hasTopLevelFor() const;
    bool bracketIsComprehension();
    bool expectOp(const char *op);
    bool fail(const QString &what);
    bool need(const QString &reason, int line);
    bool operatorDepthOk();

    const QVector<PyToken> &m_tokens;
    int m_pos;
    int m_end;
    int m_operatorDepth = 0;   // nested operators being parsed (PyLimits::MaxOperatorDepth)
    const ScriptScope &m_scope;
    QString m_fileName;
    const ScriptContext *m_context = nullptr;
    Caller *m_caller = nullptr;
    Status m_status = Ok;
    NeedsPython m_needs;
    Error m_error;
};

} // namespace retort
