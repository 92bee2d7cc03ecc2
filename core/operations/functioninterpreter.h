#pragma once
// Interprets the body of one upgrade()/downgrade() function statically (the statement
// subset of scriptinterpreter.h): op calls, batch blocks, local assignments and imports;
// control flow (if/for/def/del/augmented assignment, helper calls) is FlowStatements'.
// The first statement outside the subset stops it with NeedsPython.

#include "migrationop.h"
#include "python/pytoken.h"
#include "result.h"
#include "scriptcontext.h"
#include "scriptexpression.h"
#include "scriptscope.h"

#include <QStringList>
#include <QVector>

namespace retort {

class FunctionInterpreter : public ScriptExpression::Caller
{
public:
    enum Status { Ok, Needs, Failed };

    // scope: the module's, or for a helper the scope it was defined in.
    FunctionInterpreter(const QVector<PyToken> &tokens, const ScriptScope &scope,
                        const QString &fileName, const ScriptContext &context = {});

    // colon: index of the ':' ending the def header; params: the parameter names.
    Status run(int colon, const QStringList &params);
    // A helper's body with its parameters bound already (FlowStatements::call).
    Status runBody(int colon);

    // ScriptExpression::Caller: a def of the script called in an expression.
    ScriptExpression::Status callFunction(const QString &name, const QVector<PyValue> &args,
                                          const ScriptExpression::Kwargs &kwargs, int line,
                                          PyValue *out, NeedsPython *needs, Error *error) override;

    QVector<MigrationOp> emittedOps(bool *inBlock) const override;

    const QVector<MigrationOp> &ops() const { return m_ops; }
    const NeedsPython &needs() const { return m_needs; }
    const Error &error() const { return m_error; }
    const PyValue &returnValue() const { return m_returnValue; }

private:
    friend class FlowStatements;
    // How the running block was left early.
    enum Jump { NoJump, Return, Break, Continue };
    friend class EffectInterpreter;   // try/print/logging/autocommit statements
    friend class EnumCreate;          // <enum>.create(op.get_bind())

    struct Batch
    {
        QString alias;
        QVector<MigrationOp> *ops = nullptr;
    };

    bool runSuite(int colon);
    bool runBlock(int begin, int end);
    bool runStatement(int &pos);
    bool runSimpleLine(int begin, int lineEnd);
    bool runSimple(int begin, int end);
    bool runKeywordStatement(int begin, int end, bool *handled);
    bool runWith(int pos);
    bool runAssignment(int begin, int end, bool *handled);
    bool runExpression(int begin, int end);
    static bool isTableStatement(const PyValue &statement);
    static bool isPlainSqlString(const PyValue &v);
    bool runBindExecute(int begin, int end, bool *handled);
    // An expression over [begin, end) that knows the context and runs helper calls.
    ScriptExpression expression(int begin, int end);
    bool evaluate(int begin, int end, PyValue *value);
    // Counts a statement against PyLimits::MaxStatements (shared with helpers called).
    bool countStatement(int line);
    bool runCreateTableValue(int begin, int end, PyValue *value, bool *created);
    bool runImport(int begin, int end);
    // `name.attr(...)` spanning [begin, end): fills the dotted parts and the '(' index.
    bool isCallStatement(int begin, int end, QStringList *parts, int *open) const;
    // op.<name>(...) or <batch alias>.<name>(...) statements; *handled = false otherwise.
    bool runOpCall(int begin, int end, bool *handled);
    QString opName(const QStringList &parts) const;
    bool evaluateCall(const QString &name, int begin, int open, int close, MigrationOp *op);
    bool targetNames(int begin, int end, QStringList *names, bool *unpack);
    bool bindTarget(const QStringList &names, bool unpack, const PyValue &value, int line);

    bool fail(const QString &message, int line);
    bool need(const QString &reason, int line);

    const QVector<PyToken> &m_t;
    ScriptScope m_scope;
    QString m_fileName;
    ScriptContext m_context;
    QVector<MigrationOp> m_ops;
    Batch *m_batch = nullptr;
    Jump m_jump = NoJump;
    PyValue m_returnValue;
    int m_loopDepth = 0;         // enclosing for loops (break/continue are valid)
    int m_callDepth = 0;         // helper calls above this function
    int m_ownStatements = 0;
    int *m_statements = &m_ownStatements;   // shared by a function and the helpers it calls
    const FunctionInterpreter *m_parent = nullptr;   // the caller of a helper
    int m_effectDepth = 0;   // try suites / autocommit blocks being interpreted (ops set aside)
    int m_handlers = 0;   // except clauses being interpreted (a bare `raise` re-raises)
    Status m_status = Ok;
    NeedsPython m_needs;
    Error m_error;
};

} // namespace retort
