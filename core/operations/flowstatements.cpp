#include "flowstatements.h"

#include "builtinfolder.h"
#include "constantfolder.h"
#include "functioninterpreter.h"
#include "python/pylimits.h"
#include "scripttokens.h"
#include "scriptvalues.h"

namespace retort {

namespace {

bool isClause(const PyToken &t, const char *keyword)
{
    return t.isName(QLatin1StringView(keyword));
}

} // namespace

bool FlowStatements::truth(const PyValue &v, bool *known)
{
    *known = true;
    switch (v.kind()) {
    case PyValue::Tuple:
    case PyValue::List:
    case PyValue::Set:
    case PyValue::Dict: return v.truthy();   // by size, whatever the items are
    case PyValue::Name:
    case PyValue::Call:
    case PyValue::Subscript: *known = false; return false;   // SQL expressions may even raise
    default: return v.truthy();
    }
}

bool FlowStatements::run(int &pos)
{
    const PyToken &t = m_f.m_t[pos];
    if (t.isName(QLatin1StringView("if")))
        return runIf(pos);
    if (t.isName(QLatin1StringView("for")))
        return runFor(pos);
    return runDef(pos);
}

// if/elif/else: the first clause whose condition is true runs; the others are skipped.
bool FlowStatements::runIf(int &pos)
{
    const auto &t = m_f.m_t;
    bool taken = false;
    for (int clause = pos;;) {
        const PyToken &kw = t[clause];
        const int lineEnd = ScriptTokens::lineEnd(t, clause);
        const int colon = ScriptTokens::findTopLevel(t, clause + 1, lineEnd, QLatin1StringView(":"));
        if (colon < 0)
            return m_f.fail(QStringLiteral("expected ':'"), kw.line);
        const bool isElse = isClause(kw, "else");
        if (isElse && colon != clause + 1)
            return m_f.fail(QStringLiteral("invalid syntax"), kw.line);
        if (!taken) {
            bool run = isElse;
            if (!isElse) {
                if (colon == clause + 1)
                    return m_f.fail(QStringLiteral("invalid syntax"), kw.line);
                PyValue cond;
                if (!m_f.evaluate(clause + 1, colon, &cond))
                    return false;
                bool known = false;
                run = truth(cond, &known);
                if (!known)
                    return m_f.need(QStringLiteral("if statement"), kw.line);
            }
            if (run) {
                taken = true;
                if (!m_f.runSuite(colon))
                    return false;
            }
        }
        const int next = ScriptTokens::compoundEnd(t, clause);
        if (!isElse && (isClause(t[next], "elif") || isClause(t[next], "else"))) {
            clause = next;
            continue;
        }
        pos = next;
        return true;
    }
}

// Binds a for target (a name, or nested tuples/lists of names) to one item.
bool FlowStatements::bindTarget(int begin, int end, const PyValue &value)
{
    const auto &t = m_f.m_t;
    const int line = t[begin].line;
    bool bracketed = false;
    // `(x)` is x; `(x,)` and `[x]` unpack.
    if ((t[begin].isOp(QLatin1StringView("(")) || t[begin].isOp(QLatin1StringView("[")))
        && ScriptTokens::matchingBracket(t, begin) == end - 1) {
        bracketed = t[begin].isOp(QLatin1StringView("["))
                    || ScriptTokens::findTopLevel(t, begin + 1, end - 1, QLatin1StringView(",")) >= 0;
        ++begin;
        --end;
    }
    QVector<QPair<int, int>> parts;
    for (int p = begin; p < end;) {
        int stop = ScriptTokens::findTopLevel(t, p, end, QLatin1StringView(","));
        stop = stop < 0 ? end : stop;
        parts.append({p, stop});
        p = stop + 1;
    }
    const bool unpack = bracketed || parts.size() > 1 || ScriptTokens::findTopLevel(t, begin, end, QLatin1StringView(",")) >= 0;
    if (!unpack) {
        if (end != begin + 1 || t[begin].type != PyToken::Name || ScriptTokens::isKeyword(t[begin]))
            return m_f.need(QStringLiteral("for loop target"), line);
        m_f.m_scope.bind(t[begin].text, ScriptBinding{ScriptBinding::Value, value, {}, {}, line});
        return true;
    }
    if (!value.isSequence() || value.items().size() != parts.size())
        return m_f.need(QStringLiteral("tuple unpacking in a for loop"), line);
    for (int i = 0; i < parts.size(); ++i)
        if (parts[i].first == parts[i].second || !bindTarget(parts[i].first, parts[i].second, value.items()[i]))
            return m_f.m_status == FunctionInterpreter::Ok ? m_f.fail(QStringLiteral("invalid syntax"), line) : false;
    return true;
}

// for/else over a sequence known now; break, continue and return end it as in Python.
bool FlowStatements::runFor(int &pos)
{
    const auto &t = m_f.m_t;
    const int line = t[pos].line;
    const int lineEnd = ScriptTokens::lineEnd(t, pos);
    const int colon = ScriptTokens::findTopLevel(t, pos + 1, lineEnd, QLatin1StringView(":"));
    int in = -1;
    for (int i = pos + 1, depth = 0; i < colon && in < 0; ++i) {
        if (ScriptTokens::isOpen(t[i]))
            ++depth;
        else if (ScriptTokens::isClose(t[i]))
            --depth;
        else if (depth == 0 && t[i].isName(QLatin1StringView("in")))
            in = i;
    }
    if (colon < 0 || in < 0 || in == pos + 1 || in + 1 == colon)
        return m_f.fail(QStringLiteral("invalid syntax"), line);
    PyValue iterable;
    if (!m_f.evaluate(in + 1, colon, &iterable))
        return false;
    QVector<PyValue> items;
    if (!BuiltinFolder::iterate(iterable, &items))
        return m_f.need(QStringLiteral("for loop"), line);
    const int bodyEnd = ScriptTokens::compoundEnd(t, pos);
    const bool hasElse = isClause(t[bodyEnd], "else");
    const int end = hasElse ? ScriptTokens::compoundEnd(t, bodyEnd) : bodyEnd;
    bool broke = false;
    ++m_f.m_loopDepth;
    for (const PyValue &item : items) {
        if (!bindTarget(pos + 1, in, item) || !m_f.runSuite(colon)) {
            --m_f.m_loopDepth;
            return false;
        }
        if (m_f.m_jump == FunctionInterpreter::Continue)
            m_f.m_jump = FunctionInterpreter::NoJump;
        if (m_f.m_jump == FunctionInterpreter::Break) {
            m_f.m_jump = FunctionInterpreter::NoJump;
            broke = true;
        }
        if (broke || m_f.m_jump == FunctionInterpreter::Return)
            break;
    }
    --m_f.m_loopDepth;
    if (hasElse && !broke && m_f.m_jump == FunctionInterpreter::NoJump) {
        if (!t[bodyEnd + 1].isOp(QLatin1StringView(":")))
            return m_f.fail(QStringLiteral("invalid syntax"), t[bodyEnd].line);
        if (!m_f.runSuite(bodyEnd + 1))
            return false;
    }
    pos = end;
    return true;
}

// A nested def binds its name; the body runs when it is called.
bool FlowStatements::runDef(int &pos)
{
    const auto &t = m_f.m_t;
    const PyToken &name = t[pos + 1];
    const int line = t[pos].line;
    if (name.type != PyToken::Name || ScriptTokens::isKeyword(name) || !t[pos + 2].isOp(QLatin1StringView("(")))
        return m_f.fail(QStringLiteral("invalid function definition"), line);
    const int close = ScriptTokens::matchingBracket(t, pos + 2);
    if (close < 0 || ScriptTokens::findTopLevel(t, close + 1, ScriptTokens::lineEnd(t, pos), QLatin1StringView(":")) < 0)
        return m_f.fail(QStringLiteral("expected ':'"), line);
    m_f.m_scope.bind(name.text, ScriptBinding{ScriptBinding::Function, {}, {}, {}, line, pos});
    pos = ScriptTokens::compoundEnd(t, pos);
    return true;
}

bool FlowStatements::runDel(int begin, int end)
{
    const auto &t = m_f.m_t;
    const int line = t[begin].line;
    for (int p = begin + 1; p < end;) {
        int stop = ScriptTokens::findTopLevel(t, p, end, QLatin1StringView(","));
        stop = stop < 0 ? end : stop;
        // Only names this function bound: deleting anything else changes objects or raises.
        if (stop != p + 1 || t[p].type != PyToken::Name || !m_f.m_scope.bindsLocally(t[p].text)
            || m_f.m_scope.lookup(t[p].text)->kind == ScriptBinding::Parameter)
            return m_f.need(QStringLiteral("del statement"), line);
        m_f.m_scope.bind(t[p].text, ScriptBinding{ScriptBinding::Opaque, {}, {}, QStringLiteral("del statement"), line});
        p = stop + 1;
    }
    return end > begin + 1 || m_f.fail(QStringLiteral("invalid syntax"), line);
}

bool FlowStatements::runAugmented(int begin, int op, int end)
{
    const auto &t = m_f.m_t;
    const int line = t[begin].line;
    const QString name = t[begin].text;
    // `x += v` makes x local: it must be a value this function bound.
    const ScriptBinding *b = m_f.m_scope.lookup(name);
    if (op != begin + 1 || t[begin].type != PyToken::Name || !m_f.m_scope.bindsLocally(name)
        || b->kind != ScriptBinding::Value)
        return m_f.need(QStringLiteral("augmented assignment"), line);
    PyValue rhs, result;
    if (!m_f.evaluate(op + 1, end, &rhs))
        return false;
    const QString symbol = t[op].text.chopped(1);
    if (ConstantFolder::binary(symbol, b->value, rhs, &result) != ConstantFolder::Folded)
        return m_f.need(QStringLiteral("augmented assignment"), line);
    m_f.m_scope.bind(name, ScriptBinding{ScriptBinding::Value, result, {}, {}, line});
    return true;
}

bool FlowStatements::call(const QString &name, const QVector<PyValue> &args,
                          const ScriptExpression::Kwargs &kwargs, int line, PyValue *out)
{
    const ScriptScope *defined = m_f.m_scope.owner(name);
    const ScriptBinding *b = m_f.m_scope.lookup(name);
    if (!defined || !b || b->kind != ScriptBinding::Function || b->token < 0)
        return m_f.need(QStringLiteral("call to %1()").arg(name), line);
    if (!b->reason.isEmpty())
        return m_f.need(QStringLiteral("call to %1 %2()").arg(b->reason, name), line);
    if (m_f.m_callDepth >= PyLimits::MaxCallDepth)
        return m_f.need(QStringLiteral("helper calls nested deeper than %1").arg(PyLimits::MaxCallDepth), line);
    const auto &t = m_f.m_t;
    const int def = b->token;
    const int open = def + 2;
    const int close = ScriptTokens::matchingBracket(t, open);
    const int colon = ScriptTokens::findTopLevel(t, close + 1, ScriptTokens::lineEnd(t, def), QLatin1StringView(":"));
    if (def > 0 && t[def - 1].isName(QLatin1StringView("async")))
        return m_f.need(QStringLiteral("call to async function %1()").arg(name), line);
    FunctionInterpreter callee(t, *defined, m_f.m_fileName, m_f.m_context);
    callee.m_callDepth = m_f.m_callDepth + 1;
    callee.m_parent = &m_f;
    callee.m_statements = m_f.m_statements;
    if (!bindParameters(callee, *defined, open, close, name, args, kwargs, line))
        return false;
    switch (callee.runBody(colon)) {
    case FunctionInterpreter::Ok:
        m_f.m_ops += callee.m_ops;
        *out = callee.m_jump == FunctionInterpreter::Return ? callee.m_returnValue : PyValue::none();
        return true;
    case FunctionInterpreter::Needs: return m_f.need(callee.m_needs.reason, callee.m_needs.line);
    case FunctionInterpreter::Failed: break;
    }
    return m_f.fail(callee.m_error.message, callee.m_error.line);
}

// Python's argument binding; what would raise TypeError is left to Python.
bool FlowStatements::bindParameters(FunctionInterpreter &callee, const ScriptScope &defined, int open,
                                    int close, const QString &name, QVector<PyValue> args,
                                    ScriptExpression::Kwargs kwargs, int line)
{
    const auto &t = m_f.m_t;
    const QString wrong = QStringLiteral("call to %1() with arguments it does not take").arg(name);
    bool keywordOnly = false;
    for (int p = open + 1; p < close;) {
        int stop = ScriptTokens::findTopLevel(t, p, close, QLatin1StringView(","));
        stop = stop < 0 ? close : stop;
        const int segment = p;
        p = stop + 1;
        if (stop == segment)
            continue;
        const PyToken &first = t[segment];
        if (first.isOp(QLatin1StringView("/")))
            continue;
        const bool star = first.isOp(QLatin1StringView("*")), starStar = first.isOp(QLatin1StringView("**"));
        if (star && stop == segment + 1) {
            keywordOnly = true;
            continue;
        }
        const int at = star || starStar ? segment + 1 : segment;
        if (t[at].type != PyToken::Name)
            return m_f.fail(QStringLiteral("invalid function definition"), first.line);
        const QString param = t[at].text;
        PyValue value;
        if (star) {
            value = PyValue::tuple(args);
            args.clear();
            keywordOnly = true;
        } else if (starStar) {
            QVector<QPair<PyValue, PyValue>> items;
            for (const auto &kv : kwargs)
                items.append({PyValue::string(kv.first), kv.second});
            kwargs.clear();
            value = PyValue::dict(items);
        } else {
            int found = -1;
            for (int i = 0; i < kwargs.size() && found < 0; ++i)
                if (kwargs[i].first == param)
                    found = i;
            if (!keywordOnly && !args.isEmpty()) {
                if (found >= 0)
                    return m_f.need(wrong, line);
                value = args.takeFirst();
            } else if (found >= 0) {
                value = kwargs.takeAt(found).second;
            } else {
                const int equals = ScriptTokens::findTopLevel(t, at, stop, QLatin1StringView("="));
                if (equals < 0)
                    return m_f.need(wrong, line);
                // Defaults are evaluated where the def is (Python: once, at definition).
                ScriptExpression expr(t, equals + 1, stop, defined, m_f.m_fileName);
                expr.setEnvironment(&m_f.m_context, &m_f);
                const auto s = expr.evaluate(&value);
                if (s == ScriptExpression::Needs)
                    return m_f.need(expr.needs().reason, expr.needs().line);
                if (s == ScriptExpression::Failed)
                    return m_f.fail(expr.error().message, expr.error().line);
            }
        }
        callee.m_scope.bind(param, ScriptBinding{ScriptBinding::Value, value, {}, {}, first.line});
    }
    return (args.isEmpty() && kwargs.isEmpty()) || m_f.need(wrong, line);
}

} // namespace retort
