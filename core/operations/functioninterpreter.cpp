#include "functioninterpreter.h"

#include "flowstatements.h"
#include "python/pylimits.h"
#include "effectinterpreter.h"
#include "enumcreate.h"
#include "scriptexpression.h"
#include "scriptimports.h"
#include "scriptknownvalues.h"
#include "scripttokens.h"
#include "scriptvalues.h"

#include <QHash>
#include <QRegularExpression>

namespace retort {

namespace {

// Compound statements (and other keywords) outside the subset, by their first keyword.
QString compoundReason(const PyToken &t)
{
    if (!ScriptTokens::isKeyword(t) && !t.isName(QLatin1StringView("match")))
        return {};
    const QString &keyword = t.text;
    static const QHash<QString, QString> reasons = {
        {"while", "while loop"},
        {"try", "try statement"}, {"class", "class definition"},
        {"async", "async statement"}, {"match", "match statement"}};
    return reasons.value(keyword);
}

QString simpleReason(const PyToken &t)
{
    if (!ScriptTokens::isKeyword(t))
        return {};
    const QString &keyword = t.text;
    static const QHash<QString, QString> reasons = {
        {"global", "global statement"},
        {"nonlocal", "nonlocal statement"}, {"assert", "assert statement"},
        {"raise", "raise statement"}, {"yield", "yield"}};
    return reasons.value(keyword);
}

bool isAugmentedAssign(const PyToken &t)
{
    return t.type == PyToken::Op && t.text.size() >= 2 && t.text.endsWith(u'=')
           && t.text != u"==" && t.text != u"<=" && t.text != u">=" && t.text != u"!="
           && t.text != u":=";
}

} // namespace

FunctionInterpreter::FunctionInterpreter(const QVector<PyToken> &tokens, const ScriptScope &scope,
                                         const QString &fileName, const ScriptContext &context)
    : m_t(tokens), m_scope(&scope), m_fileName(fileName), m_context(context)
{
}

FunctionInterpreter::Status FunctionInterpreter::run(int colon, const QStringList &params)
{
    for (const QString &p : params)
        m_scope.bind(p, ScriptBinding{ScriptBinding::Parameter, {}, {}, {}, 0});
    return runBody(colon);
}

FunctionInterpreter::Status FunctionInterpreter::runBody(int colon)
{
    runSuite(colon);
    return m_status;
}

ScriptExpression::Status FunctionInterpreter::callFunction(const QString &name, const QVector<PyValue> &args,
                                                           const ScriptExpression::Kwargs &kwargs, int line,
                                                           PyValue *out, NeedsPython *needs, Error *error)
{
    FlowStatements(*this).call(name, args, kwargs, line, out);
    *needs = m_needs;
    *error = m_error;
    return m_status == Ok ? ScriptExpression::Ok
           : m_status == Needs ? ScriptExpression::Needs : ScriptExpression::Failed;
}

// Callers first: a helper's ops follow those of the function that called it.
QVector<MigrationOp> FunctionInterpreter::emittedOps(bool *inBlock) const
{
    QVector<const FunctionInterpreter *> chain;
    *inBlock = false;
    for (const FunctionInterpreter *f = this; f; f = f->m_parent) {
        chain.prepend(f);
        *inBlock = *inBlock || f->m_effectDepth > 0;
    }
    QVector<MigrationOp> out;
    for (const FunctionInterpreter *f : chain)
        out += f->m_ops;
    return out;
}

ScriptExpression FunctionInterpreter::expression(int begin, int end)
{
    ScriptExpression expr(m_t, begin, end, m_scope, m_fileName);
    expr.setEnvironment(&m_context, this);
    return expr;
}

bool FunctionInterpreter::evaluate(int begin, int end, PyValue *value)
{
    ScriptExpression expr = expression(begin, end);
    const auto s = expr.evaluate(value);
    if (s == ScriptExpression::Needs)
        return need(expr.needs().reason, expr.needs().line);
    if (s == ScriptExpression::Failed)
        return fail(expr.error().message, expr.error().line);
    return true;
}

bool FunctionInterpreter::countStatement(int line)
{
    // Straight-line code runs each statement once (the source's size bounds it); the budget
    // is for what loops and helper calls repeat.
    if (m_loopDepth == 0 && m_callDepth == 0)
        return true;
    if (++*m_statements <= PyLimits::MaxStatements)
        return true;
    return need(QStringLiteral("runs more than %1 statements").arg(PyLimits::MaxStatements), line);
}

bool FunctionInterpreter::fail(const QString &message, int line)
{
    if (m_status == Ok) {
        m_error = Error(message, m_fileName, line);
        m_status = Failed;
    }
    return false;
}

bool FunctionInterpreter::need(const QString &reason, int line)
{
    if (m_status == Ok) {
        m_needs = NeedsPython{reason, line};
        m_status = Needs;
    }
    return false;
}

// The suite after a header's ':' -- an indented block or simple statements on that line.
bool FunctionInterpreter::runSuite(int colon)
{
    const PyToken &next = m_t[colon + 1];
    if (next.type != PyToken::Newline)
        return runSimpleLine(colon + 1, ScriptTokens::lineEnd(m_t, colon + 1));
    const PyToken &indent = m_t[colon + 2];
    if (indent.type != PyToken::Indent)
        return fail(QStringLiteral("expected an indented block"), indent.line);
    return runBlock(colon + 3, ScriptTokens::blockEnd(m_t, colon + 2) - 1);
}

bool FunctionInterpreter::runBlock(int begin, int end)
{
    int pos = begin;
    while (pos < end && m_jump == NoJump) {
        if (m_t[pos].type == PyToken::Indent)
            return fail(QStringLiteral("unexpected indent"), m_t[pos].line);
        if (!runStatement(pos))
            return false;
    }
    return true;
}

bool FunctionInterpreter::runStatement(int &pos)
{
    const PyToken &t = m_t[pos];
    if (!countStatement(t.line))
        return false;
    if (t.isOp(QLatin1StringView("@")))
        return need(QStringLiteral("decorated nested def"), t.line);
    if (t.isName(QLatin1StringView("if")) || t.isName(QLatin1StringView("for"))
        || t.isName(QLatin1StringView("def")))
        return FlowStatements(*this).run(pos);
    if (t.isName(QLatin1StringView("try")))
        return EffectInterpreter(*this).runTry(pos);
    if (t.type == PyToken::Name) {
        const QString reason = compoundReason(t);
        const bool softKeyword = t.text == u"match";
        if (!reason.isEmpty() && (!softKeyword || m_t[ScriptTokens::lineEnd(m_t, pos) - 1]
                                                      .isOp(QLatin1StringView(":"))))
            return need(reason, t.line);
        if (t.text == u"with") {
            if (!runWith(pos))
                return false;
            pos = ScriptTokens::compoundEnd(m_t, pos);
            return true;
        }
        if (t.text == u"elif" || t.text == u"else" || t.text == u"except" || t.text == u"finally")
            return fail(QStringLiteral("invalid syntax"), t.line);
    }
    const int end = ScriptTokens::lineEnd(m_t, pos);
    if (!runSimpleLine(pos, end))
        return false;
    pos = end + 1;
    return true;
}

bool FunctionInterpreter::runSimpleLine(int begin, int lineEnd)
{
    int pos = begin;
    while (pos < lineEnd && m_jump == NoJump) {
        const int end = ScriptTokens::statementEnd(m_t, pos, lineEnd);
        if (end == pos)
            return fail(QStringLiteral("invalid syntax"), m_t[pos].line);
        if (!runSimple(pos, end))
            return false;
        pos = end + 1;   // past ';'
    }
    return true;
}

bool FunctionInterpreter::runSimple(int begin, int end)
{
    bool handled = false;
    if (!EffectInterpreter(*this).runSimple(begin, end, &handled) || handled)
        return m_status == Ok;
    if (!runKeywordStatement(begin, end, &handled) || handled)
        return m_status == Ok;
    if (!runAssignment(begin, end, &handled) || handled)
        return m_status == Ok;
    if (!runOpCall(begin, end, &handled) || handled)
        return m_status == Ok;
    if (!runBindExecute(begin, end, &handled) || handled)
        return m_status == Ok;
    if (!EnumCreate(*this).run(begin, end, &handled) || handled)
        return m_status == Ok;
    return runExpression(begin, end);
}

bool FunctionInterpreter::runKeywordStatement(int begin, int end, bool *handled)
{
    const PyToken &t = m_t[begin];
    *handled = true;
    if (t.isName(QLatin1StringView("pass")))
        return end == begin + 1 || fail(QStringLiteral("invalid syntax"), t.line);
    if (t.isName(QLatin1StringView("return"))) {
        m_returnValue = PyValue::none();
        if (end != begin + 1 && !evaluate(begin + 1, end, &m_returnValue))
            return false;
        m_jump = Return;   // the rest of the function is unreachable
        return true;
    }
    if (t.isName(QLatin1StringView("del")))
        return FlowStatements(*this).runDel(begin, end);
    if (t.isName(QLatin1StringView("import")) || t.isName(QLatin1StringView("from")))
        return runImport(begin, end);
    if (t.isName(QLatin1StringView("break")) || t.isName(QLatin1StringView("continue"))) {
        if (m_loopDepth == 0)
            return fail(QStringLiteral("'%1' outside loop").arg(t.text), t.line);
        if (end != begin + 1)
            return fail(QStringLiteral("invalid syntax"), t.line);
        m_jump = t.text == u"break" ? Break : Continue;
        return true;
    }
    const QString reason = simpleReason(t);
    if (t.type == PyToken::Name && !reason.isEmpty())
        return need(reason, t.line);
    if (t.type == PyToken::Name && !compoundReason(t).isEmpty() && t.text != u"match")
        return fail(QStringLiteral("invalid syntax"), t.line);
    *handled = false;
    return true;
}

bool FunctionInterpreter::runImport(int begin, int end)
{
    auto bound = ScriptImports::parse(m_t, begin, end, m_fileName);
    if (!bound)
        return fail(bound.error().message, bound.error().line);
    for (const auto &b : *bound) {
        if (b.name == u"*")
            return fail(QStringLiteral("import * only allowed at module level"), m_t[begin].line);
        m_scope.bind(b.name, ScriptBinding{ScriptBinding::Import, {}, b.path, {}, m_t[begin].line});
    }
    return true;
}

// The names a target binds: one for `x`; several for a flat `a, b` / `(a, b)` / `[a, b]`
// (*unpack set). Attributes, subscripts, starred and nested targets need Python.
bool FunctionInterpreter::targetNames(int begin, int end, QStringList *names, bool *unpack)
{
    const PyToken &first = m_t[begin];
    *unpack = ScriptTokens::findTopLevel(m_t, begin, end, QLatin1StringView(",")) >= 0;
    if ((first.isOp(QLatin1StringView("(")) || first.isOp(QLatin1StringView("[")))
        && ScriptTokens::matchingBracket(m_t, begin) == end - 1) {
        *unpack = true;
        ++begin;
        --end;
    }
    for (int pos = begin; pos < end;) {
        int stop = ScriptTokens::findTopLevel(m_t, pos, end, QLatin1StringView(","));
        stop = stop < 0 ? end : stop;
        const PyToken &t = m_t[pos];
        if (stop == pos + 1 && t.type == PyToken::Name && !ScriptTokens::isKeyword(t))
            names->append(t.text);
        else if (*unpack || t.isOp(QLatin1StringView("*")))
            return need(QStringLiteral("tuple unpacking assignment"), first.line);
        else if (m_t[stop - 1].isOp(QLatin1StringView("]")))
            return need(QStringLiteral("subscript assignment"), first.line);
        else if (stop - pos >= 3 && m_t[stop - 2].isOp(QLatin1StringView(".")))
            return need(QStringLiteral("attribute assignment"), first.line);
        else
            return fail(QStringLiteral("cannot assign to expression"), first.line);
        pos = stop + 1;
    }
    return !names->isEmpty() || fail(QStringLiteral("invalid syntax"), first.line);
}

// Binds the target's names to value, unpacking a known sequence.
bool FunctionInterpreter::bindTarget(const QStringList &names, bool unpack, const PyValue &value,
                                     int line)
{
    if (unpack && (!value.isSequence() || value.items().size() != names.size()))
        return need(QStringLiteral("tuple unpacking assignment"), line);
    for (int i = 0; i < names.size(); ++i)
        m_scope.bind(names[i], ScriptBinding{ScriptBinding::Value, unpack ? value.items()[i] : value,
                                             {}, {}, line});
    return true;
}

bool FunctionInterpreter::runAssignment(int begin, int end, bool *handled)
{
    *handled = true;
    QVector<int> equals;
    for (int i = begin, depth = 0; i < end; ++i) {
        const PyToken &t = m_t[i];
        if (ScriptTokens::isOpen(t))
            ++depth;
        else if (ScriptTokens::isClose(t))
            --depth;
        else if (depth == 0 && isAugmentedAssign(t))
            return FlowStatements(*this).runAugmented(begin, i, end);
        else if (depth == 0 && t.isOp(QLatin1StringView("=")))
            equals.append(i);
    }
    // `target: annotation [= value]`; local annotations are never evaluated.
    const int colon = m_t[begin].type == PyToken::Name && !ScriptTokens::isKeyword(m_t[begin])
                          ? ScriptTokens::findTopLevel(m_t, begin, equals.isEmpty() ? end : equals.first(),
                                                       QLatin1StringView(":"))
                          : -1;
    if (colon >= 0 && equals.isEmpty())
        return true;   // `x: T` binds nothing
    if (equals.isEmpty()) {
        *handled = false;
        return true;
    }
    QVector<QPair<int, int>> targets;
    if (colon >= 0)
        targets.append({begin, colon});
    else
        for (int i = 0, from = begin; i < equals.size(); from = equals[i] + 1, ++i)
            targets.append({from, equals[i]});
    QVector<QPair<QStringList, bool>> names(targets.size());
    for (int i = 0; i < targets.size(); ++i) {
        if (targets[i].first == targets[i].second)
            return fail(QStringLiteral("invalid syntax"), m_t[begin].line);
        if (!targetNames(targets[i].first, targets[i].second, &names[i].first, &names[i].second))
            return false;
    }
    const int valueBegin = equals.last() + 1;
    PyValue value;
    bool created = false;
    if (!runCreateTableValue(valueBegin, end, &value, &created))
        return false;
    if (!created && !evaluate(valueBegin, end, &value))
        return false;
    for (const auto &target : names)
        if (!bindTarget(target.first, target.second, value, m_t[begin].line))
            return false;
    return true;
}

// `t = op.create_table(...)`: the op runs, and t is the Table it returns
// (Table(name, MetaData(), *columns, **kw)), e.g. for a later op.bulk_insert(t, ...).
bool FunctionInterpreter::runCreateTableValue(int begin, int end, PyValue *value, bool *created)
{
    QStringList parts;
    int open = 0;
    *created = false;
    if (!isCallStatement(begin, end, &parts, &open) || opName(parts) != u"create_table")
        return true;
    MigrationOp op;
    if (!evaluateCall(QStringLiteral("create_table"), begin, open, end - 1, &op))
        return false;
    if (op.args.isEmpty())
        return need(QStringLiteral("op.create_table() used as a value"), op.line);
    QVector<PyValue> args = op.args;
    args.insert(1, PyValue::call(PyValue::name(QStringLiteral("sa.MetaData")), {}, {}));
    *value = PyValue::call(PyValue::name(QStringLiteral("sa.Table")), args, op.kwargs);
    m_ops.append(op);
    *created = true;
    return true;
}

bool FunctionInterpreter::isCallStatement(int begin, int end, QStringList *parts, int *open) const
{
    int pos = begin;
    if (m_t[pos].type != PyToken::Name || ScriptTokens::isKeyword(m_t[pos]))
        return false;
    parts->append(m_t[pos++].text);
    while (pos + 1 < end && m_t[pos].isOp(QLatin1StringView("."))
           && m_t[pos + 1].type == PyToken::Name) {
        parts->append(m_t[pos + 1].text);
        pos += 2;
    }
    if (pos >= end || !m_t[pos].isOp(QLatin1StringView("(")))
        return false;
    *open = pos;
    return ScriptTokens::matchingBracket(m_t, pos) == end - 1;
}

// op.<name>(...) as canonicalised through the imports (o.add_column, alembic.op.add_column).
QString FunctionInterpreter::opName(const QStringList &parts) const
{
    const ScriptBinding *b = m_scope.lookup(parts.first());
    if (!b || b->kind != ScriptBinding::Import)
        return {};
    if (parts.size() == 2 && b->path == u"alembic.op")   // the usual `op.<name>`
        return parts[1];
    QStringList full = parts;
    full.first() = b->path;
    const QString canonical = ScriptScope::canonicalPath(full.join(u'.'));
    if (!canonical.startsWith(u"op.") || canonical.indexOf(u'.', 3) >= 0)
        return {};
    return canonical.mid(3);
}

bool FunctionInterpreter::runOpCall(int begin, int end, bool *handled)
{
    *handled = false;
    QStringList parts;
    int open = 0;
    if (!isCallStatement(begin, end, &parts, &open))
        return true;
    const ScriptBinding *b = m_scope.lookup(parts.first());
    const int line = m_t[begin].line;
    if (b && b->kind == ScriptBinding::BatchAlias && m_batch && m_batch->alias == parts.first()
        && parts.size() == 2) {
        *handled = true;
        MigrationOp op;
        if (!evaluateCall(parts.last(), begin, open, end - 1, &op))
            return false;
        // batch_op.execute() goes straight to the connection; the rest is queued.
        (op.name == u"execute" ? m_ops : *m_batch->ops).append(op);
        return true;
    }
    const QString name = opName(parts);
    if (name.isEmpty())
        return true;
    *handled = true;
    static const QStringList live = {"get_bind", "get_context", "invoke", "implementation_for",
                                     "register_operation", "run_async"};
    if (live.contains(name))
        return need(QStringLiteral("call to %1()").arg(parts.join(u'.')), line);
    if (name == u"batch_alter_table")
        return need(QStringLiteral("op.batch_alter_table() outside a with statement"), line);
    MigrationOp op;
    if (!evaluateCall(name, begin, open, end - 1, &op))
        return false;
    m_ops.append(op);
    return true;
}

bool FunctionInterpreter::evaluateCall(const QString &name, int begin, int open, int close,
                                       MigrationOp *op)
{
    op->name = name;
    op->line = m_t[begin].line;
    ScriptExpression expr = expression(open + 1, close);
    const auto s = expr.evaluateArguments(&op->args, &op->kwargs);
    if (s == ScriptExpression::Needs)
        return need(expr.needs().reason, expr.needs().line);
    if (s == ScriptExpression::Failed)
        return fail(expr.error().message, expr.error().line);
    for (const PyValue &a : op->args)
        if (ScriptKnownValues::isLive(a))
            return need(QStringLiteral("passes op.get_bind() or op.get_context() to op.%1()").arg(name), op->line);
    for (const auto &kv : op->kwargs)
        if (ScriptKnownValues::isLive(kv.second))
            return need(QStringLiteral("passes op.get_bind() or op.get_context() to op.%1()").arg(name), op->line);
    return true;
}

// `conn.execute(sa.text("..."))` on the bind, its result unused: Alembic runs it on the
// migration's connection online, and offline its mock connection writes it through
// impl._exec() -- both exactly what op.execute() does.
bool FunctionInterpreter::runBindExecute(int begin, int end, bool *handled)
{
    *handled = false;
    // <receiver>.execute(...): the '(' is the top-level one closing at the end.
    int open = -1;
    for (int i = begin, depth = 0; i < end; ++i) {
        if (ScriptTokens::isOpen(m_t[i])) {
            if (depth == 0 && m_t[i].isOp(QLatin1StringView("(")) && ScriptTokens::matchingBracket(m_t, i) == end - 1)
                open = i;
            ++depth;
        } else if (ScriptTokens::isClose(m_t[i])) {
            --depth;
        }
    }
    if (open < begin + 3 || !m_t[open - 1].isName(QLatin1StringView("execute"))
        || !m_t[open - 2].isOp(QLatin1StringView(".")))
        return true;
    // The receiver: a local bound to op.get_bind(), or op.get_bind() itself.
    const int receiverEnd = open - 2;
    QStringList parts;
    int call = 0;
    bool bind = false;
    if (receiverEnd == begin + 1 && m_t[begin].type == PyToken::Name) {
        const ScriptBinding *b = m_scope.lookup(m_t[begin].text);
        bind = b && b->kind == ScriptBinding::Value && ScriptKnownValues::isBind(b->value);
        parts << m_t[begin].text;
    } else if (isCallStatement(begin, receiverEnd, &parts, &call) && call + 2 == receiverEnd) {
        bind = opName(parts) == u"get_bind";
        parts = QStringList{parts.join(u'.') + QStringLiteral("()")};
    }
    if (!bind)
        return true;
    *handled = true;
    MigrationOp op;
    op.name = QStringLiteral("execute");
    op.line = m_t[begin].line;
    ScriptExpression expr = expression(open + 1, end - 1);
    const auto s = expr.evaluateArguments(&op.args, &op.kwargs);
    if (s == ScriptExpression::Needs)
        return need(expr.needs().reason, expr.needs().line);
    if (s == ScriptExpression::Failed)
        return fail(expr.error().message, expr.error().line);
    const bool text = op.args.size() == 1 && op.kwargs.isEmpty() && op.args[0].kind() == PyValue::Call
                      && op.args[0].calleeName() == u"sa.text" && op.args[0].args().size() == 1
                      && op.args[0].kwargs().isEmpty() && op.args[0].args()[0].isStr();
    if (!text && !(op.args.size() == 1 && op.kwargs.isEmpty()
                   && (isTableStatement(op.args[0]) || isPlainSqlString(op.args[0]))))
        // parameters, other constructs: what the connection does with them is Python's
        return need(QStringLiteral("call to %1.execute()").arg(parts.first()), op.line);
    m_ops.append(op);
    return true;
}

// `conn.execute("UPDATE ...")`: SQLAlchemy 1.4 runs a plain string as the driver's SQL
// (online) and Alembic's offline mock connection writes it as op.execute() would (as
// text()); the two agree, and agree with op.execute(), when the string has nothing text()
// reads differently: no `:name` bind (text()'s own pattern), no `\:` escape, no `%`.
bool FunctionInterpreter::isPlainSqlString(const PyValue &v)
{
    if (!v.isStr())
        return false;
    static const QRegularExpression bind(QStringLiteral("(?<![:\\w\\\\]):(\\w+)(?!:)"),
                                         QRegularExpression::UseUnicodePropertiesOption);
    const QString &sql = v.toStr();
    return !sql.contains(u'%') && !sql.contains(QLatin1String("\\:")) && !bind.match(sql).hasMatch();
}

// An insert/update/delete of a table (sa.update(t), t.update(), with .where()/.values()):
// executed on the bind without parameters, the same statement op.execute() runs.
bool FunctionInterpreter::isTableStatement(const PyValue &statement)
{
    PyValue v = statement;
    PyValue receiver;
    QString method;
    while (ScriptValues::isMethodCall(v, &receiver, &method)) {
        if (method == u"where" || method == u"values") {
            v = receiver;
            continue;
        }
        if (method != u"insert" && method != u"update" && method != u"delete")
            return false;
        const QString table = receiver.calleeName();
        return !v.args().size() && v.kwargs().isEmpty() && (table == u"sa.table" || table == u"sa.Table");
    }
    const QString callee = v.calleeName();
    return (callee == u"sa.insert" || callee == u"sa.update" || callee == u"sa.delete") && v.args().size() == 1
           && v.kwargs().isEmpty()
           && (v.args()[0].calleeName() == u"sa.table" || v.args()[0].calleeName() == u"sa.Table");
}

bool FunctionInterpreter::runExpression(int begin, int end)
{
    // A bare call of a def of the script: its ops are its effect, its value is dropped.
    const bool helperCall = m_t[begin].type == PyToken::Name && m_t[begin + 1].isOp(QLatin1StringView("("))
                            && ScriptTokens::matchingBracket(m_t, begin + 1) == end - 1
                            && m_scope.lookup(m_t[begin].text)
                            && m_scope.lookup(m_t[begin].text)->kind == ScriptBinding::Function;
    PyValue value;
    if (!evaluate(begin, end, &value))
        return false;
    // Docstrings, `...` and other constants do nothing; anything else would have an effect
    // (or raise) in Python.
    if (helperCall || ScriptValues::isConstant(value)
        || (value.kind() == PyValue::Name && value.toStr() == u"Ellipsis"))
        return true;
    return need(QStringLiteral("expression statement"), m_t[begin].line);
}

bool FunctionInterpreter::runWith(int pos)
{
    bool handled = false;
    if (!EffectInterpreter(*this).runWith(pos, &handled) || handled)
        return m_status == Ok;
    const int line = m_t[pos].line;
    const int lineEnd = ScriptTokens::lineEnd(m_t, pos);
    const int colon = ScriptTokens::findTopLevel(m_t, pos + 1, lineEnd, QLatin1StringView(":"));
    if (colon < 0)
        return fail(QStringLiteral("expected ':'"), line);
    if (ScriptTokens::findTopLevel(m_t, pos + 1, colon, QLatin1StringView(",")) >= 0)
        return need(QStringLiteral("with statement"), line);
    int as = -1;
    for (int i = pos + 1, depth = 0; i < colon && as < 0; ++i) {
        if (ScriptTokens::isOpen(m_t[i]))
            ++depth;
        else if (ScriptTokens::isClose(m_t[i]))
            --depth;
        else if (depth == 0 && m_t[i].isName(QLatin1StringView("as")))
            as = i;
    }
    const int exprEnd = as < 0 ? colon : as;
    QStringList parts;
    int open = 0;
    if (!isCallStatement(pos + 1, exprEnd, &parts, &open) || opName(parts) != u"batch_alter_table")
        return need(QStringLiteral("with statement"), line);
    if (as >= 0 && (as + 2 != colon || m_t[as + 1].type != PyToken::Name))
        return need(QStringLiteral("with statement"), line);
    if (m_batch)
        return need(QStringLiteral("nested batch_alter_table"), line);
    MigrationOp batchOp;
    if (!evaluateCall(QStringLiteral("batch_alter_table"), pos + 1, open, exprEnd - 1, &batchOp))
        return false;
    batchOp.line = line;
    Batch batch{as >= 0 ? m_t[as + 1].text : QString(), &batchOp.batchOps};
    if (!batch.alias.isEmpty())
        m_scope.bind(batch.alias, ScriptBinding{ScriptBinding::BatchAlias, {}, {}, {}, line});
    m_batch = &batch;
    const bool ok = runSuite(colon);
    m_batch = nullptr;   // the alias stays bound, but only to a flushed batch
    if (!ok)
        return false;
    // Alembic flushes the batch when the block exits, after any op.* calls made inside it.
    m_ops.append(batchOp);
    return true;
}

} // namespace retort
