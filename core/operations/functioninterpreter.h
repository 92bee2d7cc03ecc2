#pragma once
// Interprets the body of one upgrade()/downgrade() function statically (the statement
// subset of scriptinterpreter.h): op calls, batch blocks, local assignments and imports.
// The first statement outside the subset stops it with NeedsPython.

#include "migrationop.h"
#include "python/pytoken.h"
#include "result.h"
#include "scriptscope.h"

#include <QStringList>
#include <QVector>

namespace retort {

class FunctionInterpreter
{
public:
    enum Status { Ok, Needs, Failed };

    FunctionInterpreter(const QVector<PyToken> &tokens, const ScriptScope &moduleScope,
                        const QString &fileName);

    // colon: index of the ':' ending the def header; params: the parameter names.
    Status run(int colon, const QStringList &params);

    const QVector<MigrationOp> &ops() const { return m_ops; }
    const NeedsPython &needs() const { return m_needs; }
    const Error &error() const { return m_error; }

private:
    friend class EffectInterpreter;   // try/print/logging/autocommit statements

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
    QVector<MigrationOp> m_ops;
    Batch *m_batch = nullptr;
    bool m_returned = false;
    int m_handlers = 0;   // except clauses being interpreted (a bare `raise` re-raises)
    Status m_status = Ok;
    NeedsPython m_needs;
    Error m_error;
};

} // namespace retort
