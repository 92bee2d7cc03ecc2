#pragma once
// Static interpreter for revision scripts: reads upgrade()/downgrade() (and the multidb
// template's upgrade_<name>()/downgrade_<name>()) without running Python, producing the
// MigrationOps they would issue, or a NeedsPython mark where a body leaves the subset.
//
// ---------------------------------------------------------------------------------------
// WHAT IS PRODUCED (the contract with core/ddl)
//
// ScriptProgram::functions[fn] is the list of op calls of `fn`, in execution order:
//   * `op.<name>(...)` statement        -> MigrationOp{name = "<name>", args, kwargs, line}.
//     Every op attribute becomes an op except get_bind/get_context/invoke/
//     implementation_for/register_operation/run_async (-> NeedsPython). The name is not
//     checked against Alembic's op list: the renderer reports unknown ones.
//   * `with op.batch_alter_table(<a>) as b:` -> MigrationOp{name = "batch_alter_table",
//     args/kwargs = <a>, line of the `with`, batchOps = the `b.<name>(...)` calls inside,
//     in order, each with its own line}. `op.<x>(...)` calls inside the block run
//     immediately in Alembic (batch ops are queued until the block exits), so they are
//     appended to the function's list BEFORE the batch_alter_table op; so is
//     `b.execute(...)` (Alembic runs it on the connection at once, it is not queued).
//   * `t = op.create_table(name, *cols, **kw)` -> the create_table op, and t is bound to
//     the Table it returns: sa.Table(name, sa.MetaData(), *cols, **kw) (Alembic's
//     documented create_table + bulk_insert pattern). Other op results used as values
//     need Python.
//   * `pass`, docstrings and other bare string statements, comments: nothing.
//   * `return [value]` ends the function (later statements are unreachable).
//   * CONTROL FLOW runs as Python would (FlowStatements), for the ScriptContext given:
//     `if/elif/else` whose condition is known (constants, module constants, comparisons,
//     `in`, and/or/not, truthiness of literals and containers, and the known values of
//     ScriptKnownValues: op.get_bind()/op.get_context() .dialect.name, .engine.name,
//     context.is_offline_mode(), op.get_context().as_sql, sa.__version__); `for` over a
//     known list/tuple/dict/str (dict .items()/.keys()/.values(), range(), enumerate(),
//     zip(), sorted() ...) with name or tuple targets, break/continue/else; defs of the
//     script (module-level or nested) called from the function or from each other, with
//     positional/keyword/default/*args/**kwargs parameters: their op calls are the
//     caller's, in order, and their return value is a value; `x += v` on a known local;
//     `del` of locals; f-strings of known values (conversions, common format specs).
//     Only the branch taken is read (the others are only lexed).
//   * `conn.execute(sa.text("..."))` as a statement, conn = op.get_bind(): an "execute"
//     op (Alembic writes it through impl._exec() offline, runs it on the migration's
//     connection online: what op.execute() does). The bind's other uses need Python.
//
// Argument values are PyValue trees, fully substituted (no local names remain):
//   * literals: None/Bool/Int/Float/Str/Bytes/Tuple/List/Dict/Set.
//   * names are canonical dotted Names, whatever the imports/aliases were:
//       sqlalchemy and its modules sqlalchemy.sql[.expression|.sqltypes|.schema|
//       .elements|.type_api], sqlalchemy.types, sqlalchemy.schema
//                                      -> "sa.<X>"   (sa.Integer, sa.text, sa.table,
//                                                     sa.column, sa.func.now, ...)
//       other sqlalchemy subpackages   -> "sa.<sub>.<X>" (e.g. "sa.orm.Session")
//       sqlalchemy.dialects.<d>[.<impl module>] for d in postgresql, mysql, sqlite, mssql,
//       oracle                         -> "<d>.<X>"  (postgresql.JSONB, mysql.INTEGER;
//                                         postgresql.json.JSONB -> postgresql.JSONB)
//       alembic.op                     -> "op.<x>"   (op.f, op.inline_literal; also
//                                         batch_op.f inside a batch block)
//       other alembic modules          -> "alembic.<module>.<x>"
//       names imported from any other module -> their full dotted path
//                                         (`from datetime import date` -> "datetime.date",
//                                          `from myapp.enums import Kind` -> "myapp.enums.Kind")
//     Builtins are left as written, e.g. Name("Ellipsis") for `...`; a name bound nowhere
//     (NameError in Python, e.g. `sa` without its import) needs Python: "undefined name sa".
//   * calls: PyValue::call(<callee>, args, kwargs). Calls are only kept when the callee
//     is a canonical sa.* (except sa.orm/ext/engine/event/pool/inspect/create_engine) or
//     dialect name, op.f / op.inline_literal, datetime.date/datetime/time/timedelta,
//     decimal.Decimal, uuid.UUID, or a method of a value; calls to anything else (module
//     functions, builtins, imported helpers, op.get_bind ...) make the function
//     NeedsPython. `*seq` / `**dict` arguments are spliced when their value is known.
//   * local variables (`x = expr`, `x: T = expr`, `a = b = expr`, `a, b = <known
//     sequence of that length>`, imports inside the
//     function) and simple module-level assignments (`TABLE = "users"`,
//     `users = sa.table(...)`) are replaced by their values where used.
//   * ATTRIBUTE OF A VALUE (anything that is not a plain dotted name, e.g. a substituted
//     local or a call result) is encoded as Python's own spelling
//         getattr(<receiver>, '<attr>')  ==  Call(callee = Name("getattr"),
//                                                 args = [<receiver>, Str("<attr>")])
//     so a method call is a Call whose callee is that getattr Call. Example, with
//     `t = sa.table("t", sa.column("id"))`:
//         t.insert().values(id=1)  ->
//         Call(callee = Call(Name getattr, [ Call(callee = Call(Name getattr,
//                                                    [T, Str "insert"]), [], {}),
//                                            Str "values" ]),
//              args = [], kwargs = {id: 1})
//         t.c.id                    -> Call(Name getattr, [Call(Name getattr, [T, "c"]), "id"])
//     ScriptValues (scriptvalues.h) has helpers to take these apart.
//   * OPERATORS on non-constant operands are encoded as calls into Python's operator
//     module: Call(Name("operator.<fn>"), [lhs, rhs]) with fn one of add sub mul truediv
//     floordiv mod pow lshift rshift and_(&) or_(|) xor(^) eq ne lt le gt ge,
//     unary neg pos invert(~); `a in b` -> operator.contains(b, a); `is` -> operator.is_,
//     `is not` -> operator.is_not, `not in` -> operator.not_(operator.contains(b, a)).
//     Constant operands are folded: str + str, str * int, number arithmetic and
//     comparisons, `%` formatting of a str with %s %r %d %i %f %% and %(key)s,
//     str methods format/upper/lower/strip/lstrip/rstrip/replace/join on constants,
//     textwrap.dedent of a constant, `and`/`or`/`not` and `x if c else y` with a
//     constant condition, subscripts of constant containers.
//
// NeedsPython{reason, line} (ScriptProgram::needsPython[fn]) is recorded for the first
// construct of a function outside this subset (line = where that construct starts);
// that function is then absent from `functions` (never partial). Reasons are short
// phrases, for humans and logs (match them only loosely):
//   statements: "for loop" (over a value not known), "while loop", "if statement"
//     (condition not known), "condition depends on the dialect" / "... on offline mode
//     (--sql)" (the ScriptContext does not say), "try statement", "with statement",
//     "nested batch_alter_table", "decorated nested def", "class definition",
//     "raise statement", "assert statement", "del statement" (not a local),
//     "global statement", "augmented assignment" (not a known local), "tuple unpacking
//     assignment", "attribute assignment", "subscript assignment", "expression
//     statement" (a bare expression that is not an op call, a helper call or a
//     constant), "op.batch_alter_table() outside a with statement", "runs more than
//     100000 statements", "helper calls nested deeper than 32" (PyLimits)
//   calls and names: "call to op.get_bind().execute()" (any other use of the bind or
//     context), "passes op.get_bind() or op.get_context() to X()", "call to helper()"
//     (imported), "call to f() with arguments it does not take", "call to decorated
//     function f()", "call to print()", "call to Session()", "op.execute() used as a
//     value", "uses parameter engine_name", "uses module-level name X" (X bound by code
//     not evaluated), "uses module-level function f"
//   expressions: "lambda", "comprehension", "f-string" (a field it cannot format),
//     "conditional expression",
//     "boolean operator", "chained comparison", "string formatting", "slice",
//     "subscript", "starred arguments", "yield", "await", "operator -" ...
//   the function itself: "decorated function", "async function", "defined by
//     module-level if statement", "imported from myapp.common", "rebound at module level"
//
// ScriptProgram::dispatch[fn] = "upgrade_%s" for the multidb template's
// `def upgrade(engine_name): globals()["upgrade_%s" % engine_name]()`: the runner calls
// functions["upgrade_" + engine] instead (fn itself is then neither in functions nor in
// needsPython).
// ScriptProgram::moduleNotes lists module-level statements that are not imports, simple
// assignments, defs or docstrings (not run; a function using a name they bind is
// NeedsPython).
//
// ERRORS (Error with file and line): lexer errors (unterminated strings, unbalanced
// brackets, inconsistent dedent), unexpected indent, missing ':' or indented block,
// malformed statements or expressions in the parts that are interpreted, and a script
// that binds no `upgrade` at module level (line 0). Bodies after a NeedsPython point, and
// functions other than upgrade*/downgrade*, are only checked by the lexer.
// ---------------------------------------------------------------------------------------

#include "migrationop.h"
#include "result.h"
#include "scriptcontext.h"

#include <QString>

namespace retort {

class ScriptInterpreter
{
public:
    // context: the run's dialect and mode, which decide conditions on them (an unknown
    // one makes such a function NeedsPython "condition depends on the dialect").
    static Result<ScriptProgram> interpret(const QString &source, const QString &path = {},
                                           const ScriptContext &context = {});
    static Result<ScriptProgram> interpretFile(const QString &path, const ScriptContext &context = {});

    // Whether `name` is one of the functions interpreted: upgrade, downgrade,
    // upgrade_<x>, downgrade_<x>.
    static bool isMigrationFunction(const QString &name);
};

} // namespace retort
