#pragma once
// The statements of an upgrade()/downgrade() body whose effect is beyond one op call,
// for FunctionInterpreter: try/except/else/finally, print(), logging calls and
// `with op.get_context().autocommit_block():`. Each becomes an effect op ("@try",
// "@print", "@log", "@raise", "@autocommit"; see migrationop.h) that the step body
// carries to the runner, which gives them Alembic's effects online and offline.
//
// Only what can be decided statically is taken: an except clause naming a class that is
// neither a builtin nor a SQLAlchemy error, `except ... as e` with e used, a `return` or a
// batch block around a try, print(file=...), logger.exception() ... need Python.

#include "python/pytoken.h"
#include "python/pyvalue.h"
#include "scriptscope.h"

#include <QString>
#include <optional>

namespace retort {

class FunctionInterpreter;

class EffectInterpreter
{
public:
    explicit EffectInterpreter(FunctionInterpreter &fn) : m_fn(fn) {}

    // `try:` at pos; on success pos is past the whole statement.
    bool runTry(int &pos);
    // A `with` statement at pos: *handled when it is an autocommit block.
    bool runWith(int pos, bool *handled);
    // One simple statement [begin, end): print(...), logger calls, `x = logging.getLogger(...)`,
    // a bare `raise` in a handler. *handled = false for anything else.
    bool runSimple(int begin, int end, bool *handled);

    // `logging.getLogger(...)` spanning [begin, end): the logger value bound to a name
    // (a call of logging.getLogger with the logger's name), for module-level assignments too.
    static std::optional<PyValue> loggerValue(const QVector<PyToken> &t, int begin, int end,
                                              const ScriptScope &scope, const QString &fileName);
    // The name a logger value stands for ("" when v is not one).
    static QString loggerName(const PyValue &v);
    // The module's __name__ under Alembic: re.sub(r"\W", "_", filename).
    static QString moduleName(const QString &fileName);

private:
    bool runSuiteInto(int colon, QVector<struct MigrationOp> *ops);
    bool exceptClasses(int begin, int end, QStringList *classes, QString *alias);
    bool resolveClass(int begin, int end, QString *canonical);
    bool runPrint(int open, int close);
    bool runLog(const QString &logger, const QString &method, int open, int close);
    bool isAutocommitHeader(int begin, int end) const;
    QString importPath(const QString &name) const;

    FunctionInterpreter &m_fn;
};

} // namespace retort
