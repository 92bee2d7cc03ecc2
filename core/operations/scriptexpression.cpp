#include "scriptexpression.h"

#include "scriptcomprehension.h"
#include "scriptinspector.h"
#include "scriptreflection.h"

#include "constantfolder.h"
#include "python/pylimits.h"
#include "scriptfstring.h"
#include "scriptknownvalues.h"
#include "scriptliterals.h"
#include "scriptnames.h"
#include "scripttokens.h"
#include "scriptvalues.h"

namespace retort {

namespace {

const PyToken &endToken()
{
    static const PyToken t;   // EndMarker
    return t;
}

constexpr int kBinaryLevels = 6;

// One level of operator nesting for the duration of a recursive call.
struct DepthGuard
{
    int &depth;
    explicit DepthGuard(int &d) : depth(++d) {}
    ~DepthGuard() { --depth; }
};

} // namespace

ScriptExpression::ScriptExpression(const QVector<PyToken> &tokens, int begin, int end,
                                   const ScriptScope &scope, const QString &fileName)
    : m_tokens(tokens), m_pos(begin), m_end(qMin(end, int(tokens.size()))), m_scope(scope),
      m_fileName(fileName)
{
}

ScriptExpression::Status ScriptExpression::evaluate(PyValue *out)
{
    if (atEnd()) {
        fail(QStringLiteral("expected an expression"));
        return m_status;
    }
    PyValue v;
    if (parseTestList(v) && !atEnd())
        fail(QStringLiteral("invalid syntax"));
    if (m_status == Ok)
        *out = v;
    return m_status;
}

ScriptExpression::Status ScriptExpression::evaluateArguments(QVector<PyValue> *args, Kwargs *kwargs)
{
    if (parseArgList(*args, *kwargs) && !atEnd())
        fail(QStringLiteral("invalid syntax"));
    return m_status;
}

const PyToken &ScriptExpression::peek(int ahead) const
{
    return m_pos + ahead < m_end ? m_tokens[m_pos + ahead] : endToken();
}

bool ScriptExpression::atOp(const char *op) const
{
    return peek().isOp(QLatin1StringView(op));
}

bool ScriptExpression::atName(const char *name) const
{
    return peek().isName(QLatin1StringView(name));
}

bool ScriptExpression::expectOp(const char *op)
{
    if (!atOp(op))
        return fail(QStringLiteral("expected '%1'").arg(QLatin1StringView(op)));
    ++m_pos;
    return true;
}

bool ScriptExpression::fail(const QString &what)
{
    if (m_status != Ok)
        return false;
    int line = peek().line;
    if (atEnd() && m_end > 0)
        line = m_tokens[m_end - 1].line;
    QString msg = what;
    if (!atEnd())
        msg += QStringLiteral(" at '%1'").arg(peek().text);
    m_error = Error(msg, m_fileName, line);
    m_status = Failed;
    return false;
}

// Operators that nest without brackets recurse; brackets are bounded by the lexer.
bool ScriptExpression::operatorDepthOk()
{
    if (m_operatorDepth < PyLimits::MaxOperatorDepth)
        return true;
    return fail(QString::fromLatin1(PyLimits::TooManyOperators));
}

bool ScriptExpression::need(const QString &reason, int line)
{
    if (m_status != Ok)
        return false;
    m_needs = NeedsPython{reason, line};
    m_status = Needs;
    return false;
}

// After the first element of a bracket: `for` starts a comprehension.
bool ScriptExpression::atComprehension(int line)
{
    if (atName("for") || (atName("async") && peek(1).isName(QLatin1StringView("for")))) {
        need(QStringLiteral("comprehension"), line);
        return true;
    }
    return false;
}

// Whether the bracket opening at m_pos holds a comprehension (a `for` at its own level);
// checked before its first element, whose names are the comprehension's own.
bool ScriptExpression::bracketIsComprehension()
{
    if (!hasTopLevelFor())
        return false;
    need(QStringLiteral("comprehension"), peek().line);
    return true;
}

// Whether the bracket opening at m_pos has a `for` at its own level.
bool ScriptExpression::hasTopLevelFor() const
{
    for (int i = m_pos + 1, depth = 0; i < m_end; ++i) {
        const PyToken &t = m_tokens[i];
        if (ScriptTokens::isOpen(t))
            ++depth;
        else if (ScriptTokens::isClose(t) && depth-- == 0)
            return false;
        else if (depth == 0 && t.isName(QLatin1StringView("for")))
            return true;
    }
    return false;
}

// `[e for t in it if c]` / `{e for ...}`: ScriptComprehension, with this expression's
// scope, context and caller.
bool ScriptExpression::parseComprehension(PyValue &out)
{
    const int open = m_pos;
    const int close = ScriptTokens::matchingBracket(m_tokens, open);
    if (close < 0 || close >= m_end)
        return fail(QStringLiteral("invalid syntax"));
    ScriptComprehension c(m_tokens, open, close, m_scope, m_fileName);
    c.setEnvironment(m_context, m_caller);
    m_status = c.evaluate(&out);
    m_needs = c.needs();
    m_error = c.error();
    m_pos = close + 1;
    return m_status == Ok;
}

bool ScriptExpression::parseTestList(PyValue &out)
{
    if (!parseTest(out))
        return false;
    if (!atOp(","))
        return true;
    QVector<PyValue> items{out};
    while (atOp(",")) {
        ++m_pos;
        if (atEnd() || atOp("=") || atOp(")") || atOp("]"))
            break;
        PyValue next;
        if (!parseTest(next))
            return false;
        items.append(next);
    }
    out = PyValue::tuple(items);
    return true;
}

bool ScriptExpression::parseTest(PyValue &out)
{
    if (atName("lambda"))
        return need(QStringLiteral("lambda"), peek().line);
    const int line = peek().line;
    if (!parseOrTest(out))
        return false;
    if (atOp(":="))
        return need(QStringLiteral("assignment expression"), line);
    if (!atName("if"))
        return true;
    ++m_pos;
    PyValue cond, other;
    if (!parseOrTest(cond))
        return false;
    if (!atName("else"))
        return fail(QStringLiteral("expected 'else'"));
    ++m_pos;
    if (!operatorDepthOk())
        return false;
    {
        const DepthGuard guard(m_operatorDepth);
        if (!parseTest(other))
            return false;
    }
    if (!ScriptValues::isConstant(cond))
        return need(QStringLiteral("conditional expression"), line);
    if (!cond.truthy())
        out = other;
    return true;
}

// and/or/not on SQL expressions raise in SQLAlchemy (but ==/!= of a column and a literal,
// ScriptValues::clauseTruth); only those and constants fold.
bool ScriptExpression::parseOrTest(PyValue &out)
{
    const int line = peek().line;
    if (!parseAndTest(out))
        return false;
    while (atName("or")) {
        ++m_pos;
        PyValue rhs;
        if (!parseAndTest(rhs))
            return false;
        bool truth = false;
        if (!truthOf(out, &truth))
            return need(QStringLiteral("boolean operator"), line);
        if (!truth)
            out = rhs;
    }
    return true;
}

bool ScriptExpression::parseAndTest(PyValue &out)
{
    const int line = peek().line;
    if (!parseNotTest(out))
        return false;
    while (atName("and")) {
        ++m_pos;
        PyValue rhs;
        if (!parseNotTest(rhs))
            return false;
        bool truth = false;
        if (!truthOf(out, &truth))
            return need(QStringLiteral("boolean operator"), line);
        if (truth)
            out = rhs;
    }
    return true;
}

bool ScriptExpression::parseNotTest(PyValue &out)
{
    if (!atName("not"))
        return parseComparison(out);
    const int line = peek().line;
    if (!operatorDepthOk())
        return false;
    ++m_pos;
    {
        const DepthGuard guard(m_operatorDepth);
        if (!parseNotTest(out))
            return false;
    }
    bool truth = false;
    if (!truthOf(out, &truth))
        return need(QStringLiteral("boolean operator"), line);
    out = PyValue::boolean(!truth);
    return true;
}

// bool(v) for and/or/not: constants, and the SQL comparisons whose bool() SQLAlchemy defines.
bool ScriptExpression::truthOf(const PyValue &v, bool *truth)
{
    if (ScriptValues::isConstant(v)) {
        *truth = v.truthy();
        return true;
    }
    return ScriptValues::clauseTruth(v, truth);
}

bool ScriptExpression::parseComparison(PyValue &out)
{
    const int line = peek().line;
    if (!parseBinary(0, out))
        return false;
    int count = 0;
    PyValue lhs = out, result;
    for (QString op; !(op = ScriptTokens::comparisonOperator(peek(), peek(1))).isEmpty(); ++count) {
        if (op == u"<>")
            return fail(QStringLiteral("invalid syntax"));
        m_pos += op.contains(u' ') ? 2 : 1;
        PyValue rhs, folded;
        if (!parseBinary(0, rhs))
            return false;
        const auto s = ConstantFolder::compare(op, lhs, rhs, &folded);
        if (s == ConstantFolder::Unsupported)
            return need(QStringLiteral("comparison"), line);
        // a < b < c is (a < b) and (b < c): only constants fold that far.
        if (count > 0 && (s != ConstantFolder::Folded || result.kind() != PyValue::Bool))
            return need(QStringLiteral("chained comparison"), line);
        if (s == ConstantFolder::NotConstant)
            folded = ScriptValues::comparisonCall(op, lhs, rhs);
        else if (count > 0)
            folded = PyValue::boolean(result.toBool() && folded.toBool());
        result = folded;
        lhs = rhs;
    }
    if (count > 0)
        out = result;
    return true;
}

bool ScriptExpression::applyBinary(const QString &op, const PyValue &a, const PyValue &b, int line,
                                   PyValue &out)
{
    const auto s = ConstantFolder::binary(op, a, b, &out);
    if (s == ConstantFolder::Unsupported)
        return need(a.isStr() && op == u"%" ? QStringLiteral("string formatting")
                                            : QStringLiteral("operator %1").arg(op),
                    line);
    if (s == ConstantFolder::NotConstant) {
        if (a.isStr() && op == u"%")
            return need(QStringLiteral("string formatting"), line);
        out = ScriptValues::operatorCall(ScriptValues::operatorFunction(op), {a, b});
    }
    return true;
}

bool ScriptExpression::parseBinary(int level, PyValue &out)
{
    if (level >= kBinaryLevels)
        return parseFactor(out);
    if (!parseBinary(level + 1, out))
        return false;
    while (ScriptTokens::binaryLevel(peek()) == level) {
        const QString op = peek().text;
        const int line = peek().line;
        ++m_pos;
        PyValue rhs;
        if (!parseBinary(level + 1, rhs))
            return false;
        PyValue result;
        if (!applyBinary(op, out, rhs, line, result))
            return false;
        out = result;
    }
    return true;
}

bool ScriptExpression::parseFactor(PyValue &out)
{
    if (!(atOp("-") || atOp("+") || atOp("~")))
        return parsePower(out);
    const QString op = peek().text;
    const int line = peek().line;
    if (!operatorDepthOk())
        return false;
    ++m_pos;
    PyValue v;
    {
        const DepthGuard guard(m_operatorDepth);
        if (!parseFactor(v))
            return false;
    }
    const auto s = ConstantFolder::unary(op, v, &out);
    if (s == ConstantFolder::Unsupported)
        return need(QStringLiteral("operator %1").arg(op), line);
    if (s == ConstantFolder::NotConstant)
        out = ScriptValues::operatorCall(ScriptValues::operatorFunction(op + u'u'), {v});
    return true;
}

bool ScriptExpression::parsePower(PyValue &out)
{
    if (atName("await"))
        return need(QStringLiteral("await"), peek().line);
    if (!parsePrimary(out))
        return false;
    if (!atOp("**"))
        return true;
    const int line = peek().line;
    if (!operatorDepthOk())
        return false;
    ++m_pos;
    PyValue exponent, result;
    {
        const DepthGuard guard(m_operatorDepth);
        if (!parseFactor(exponent))
            return false;
    }
    if (!applyBinary(QStringLiteral("**"), out, exponent, line, result))
        return false;
    out = result;
    return true;
}

bool ScriptExpression::parsePrimary(PyValue &out)
{
    bool isFunction = false;
    const int start = m_pos;
    if (peek().type == PyToken::Name && !ScriptTokens::isKeyword(peek())) {
        if (!parseNameChain(out, &isFunction))
            return false;
    } else if (!parseAtom(out)) {
        return false;
    }
    for (;;) {
        if (atOp(".")) {
            ++m_pos;
            if (peek().type != PyToken::Name || ScriptTokens::isKeyword(peek()))
                return fail(QStringLiteral("invalid syntax"));
            const QString attr = peek().text;
            ++m_pos;
            out = out.kind() == PyValue::Name ? PyValue::name(out.toStr() + u'.' + attr)
                                              : ScriptValues::attribute(out, attr);
            if (!resolveKnown(out, m_tokens[m_pos - 1].line))
                return false;
        } else if (atOp("(")) {
            PyValue result;
            if (!parseCall(out, start, isFunction, result))
                return false;
            out = result;
            isFunction = false;
        } else if (atOp("[")) {
            PyValue result;
            if (!parseSubscript(out, result))
                return false;
            out = result;
        } else {
            return true;
        }
    }
}

bool ScriptExpression::parseNameChain(PyValue &out, bool *isFunction)
{
    const int line = peek().line;
    QStringList parts{peek().text};
    ++m_pos;
    while (atOp(".") && peek(1).type == PyToken::Name && !ScriptTokens::isKeyword(peek(1))) {
        parts.append(peek(1).text);
        m_pos += 2;
    }
    const auto r = ScriptNames::resolve(m_scope, parts, atOp("("), &out, isFunction);
    return (r.ok || need(r.needReason, line)) && resolveKnown(out, line);
}

// sa.__version__, bind.dialect.name ... (ScriptKnownValues) in place of the Name.
bool ScriptExpression::resolveKnown(PyValue &v, int line)
{
    static const ScriptContext unknown;
    PyValue known;
    QString reason;
    switch (ScriptKnownValues::name(v, m_context ? *m_context : unknown, atOp("("), &known, &reason)) {
    case ScriptKnownValues::Unchanged: return true;
    case ScriptKnownValues::Known: v = known; return true;
    case ScriptKnownValues::Needs: break;
    }
    return need(reason, line);
}

// op.get_bind(), op.get_context(), context.is_offline_mode(): values, not calls.
bool ScriptExpression::callKnown(const PyValue &callee, int line, bool *handled, PyValue &out)
{
    static const ScriptContext unknown;
    QString reason;
    const auto s = ScriptKnownValues::call(callee, m_context ? *m_context : unknown, &out, &reason);
    *handled = s != ScriptKnownValues::Unchanged;
    if (!*handled)
        return true;
    ++m_pos;   // (
    if (!atOp(")"))
        return need(QStringLiteral("call to %1() with arguments").arg(callee.toStr()), line);
    ++m_pos;
    return s == ScriptKnownValues::Known ? resolveKnown(out, line) : need(reason, line);
}

// With a live inspector (online, interpreted as the step runs): `sa.inspect(bind)` is an
// inspector value and its methods are answered from the database. Without one, the call
// is left to the usual checks (which need Python, as before).
bool ScriptExpression::callInspection(const PyValue &callee, int begin, bool *handled, PyValue &out)
{
    *handled = false;
    if (!m_context || !m_context->inspector || callee.kind() != PyValue::Name)
        return true;
    const QString &name = callee.toStr();
    const bool factory = ScriptInspector::isFactory(name);
    bool engine = false;
    int instance = 0;
    QString method;
    if (!factory && !ScriptInspector::parseMethod(name, &engine, &instance, &method))
        return true;
    const int line = m_tokens[begin].line;
    const QString calleeText = sourceText(begin);
    if (bracketIsComprehension())
        return false;
    ++m_pos;   // (
    QVector<PyValue> args;
    Kwargs kwargs;
    if (!parseArgList(args, kwargs) || !expectOp(")"))
        return false;
    *handled = true;
    if (factory) {
        if (args.size() != 1 || !kwargs.isEmpty() || !ScriptInspector::isBindArgument(args[0]))
            return need(QStringLiteral("call to %1()").arg(calleeText), line);
        out = PyValue::name(ScriptInspector::name(args[0].toStr().endsWith(u".engine"),
                                                  m_context->inspector->newInstance()));
        return true;
    }
    bool inBlock = false;
    const QVector<MigrationOp> emitted = m_caller ? m_caller->emittedOps(&inBlock) : QVector<MigrationOp>();
    if (inBlock)
        return need(QStringLiteral("inspects the database inside a try statement or autocommit block"), line);
    QString message;
    switch (m_context->inspector->call(engine, instance, method, args, kwargs, emitted, &out, &message)) {
    case ScriptInspector::Answered: return true;
    case ScriptInspector::Needs: return need(message, line);
    case ScriptInspector::Stop: return fail(message);
    }
    return true;
}

// Online with a live inspector: meta.reflect(bind), sa.Table(name, meta[, autoload_with=bind])
// (ScriptReflection). Inside a try statement or autocommit block it stays Python's, as
// inspection does.
bool ScriptExpression::callReflection(const PyValue &callee, const QVector<PyValue> &args, const Kwargs &kwargs,
                                      int line, bool *handled, PyValue &out)
{
    *handled = false;
    if (!m_context || !m_context->inspector)
        return true;
    bool inBlock = false;
    const QVector<MigrationOp> emitted = m_caller ? m_caller->emittedOps(&inBlock) : QVector<MigrationOp>();
    QString message;
    const auto o = ScriptReflection::call(*m_context->inspector, callee, args, kwargs, emitted, &out, &message);
    if (o == ScriptReflection::NotHandled)
        return true;
    *handled = true;
    if (inBlock)
        return need(QStringLiteral("reflects the database inside a try statement or autocommit block"), line);
    switch (o) {
    case ScriptReflection::Done: return true;
    case ScriptReflection::Needs: return need(message, line);
    default: return fail(message);
    }
}

// Source text of tokens [begin, m_pos), for "call to <text>()" reasons.
QString ScriptExpression::sourceText(int begin) const
{
    QString text;
    for (int i = begin; i < m_pos; ++i)
        text += m_tokens[i].text;
    return text;
}

bool ScriptExpression::parseCall(const PyValue &callee, int begin, bool isFunction, PyValue &out)
{
    const int line = m_tokens[begin].line;
    bool known = false;
    if (!callKnown(callee, line, &known, out) || known)
        return m_status == Ok;
    if (isFunction && m_caller) {   // a def of the script: run it
        ++m_pos;   // (
        QVector<PyValue> args;
        Kwargs kwargs;
        if (bracketIsComprehension() || !parseArgList(args, kwargs) || !expectOp(")"))
            return false;
        m_status = m_caller->callFunction(callee.toStr(), args, kwargs, line, &out, &m_needs, &m_error);
        return m_status == Ok;
    }
    bool inspection = false;
    if (!callInspection(callee, begin, &inspection, out) || inspection)
        return m_status == Ok;
    const auto check = ScriptNames::checkCallee(callee, isFunction);
    if (!check.ok)
        return need(check.callReason ? QStringLiteral("call to %1()").arg(sourceText(begin))
                                     : check.needReason,
                    line);
    if (bracketIsComprehension())
        return false;
    const QString calleeText = sourceText(begin);
    ++m_pos;   // (
    QVector<PyValue> args;
    Kwargs kwargs;
    if (!parseArgList(args, kwargs) || !expectOp(")"))
        return false;
    bool reflection = false;
    if (!callReflection(callee, args, kwargs, line, &reflection, out) || reflection)
        return m_status == Ok;
    // A bind or context passed on (sa.MetaData(bind=conn) ...) is used in ways only Python runs.
    if (ScriptKnownValues::isLive(PyValue::call(callee, args, kwargs)))
        return need(QStringLiteral("passes op.get_bind() or op.get_context() to %1()").arg(calleeText), line);
    const auto r = ScriptNames::call(callee, std::move(args), std::move(kwargs), &out);
    return r.ok || need(r.needReason, line);
}

bool ScriptExpression::parseArgList(QVector<PyValue> &args, Kwargs &kwargs)
{
    while (!atEnd() && !atOp(")")) {
        const int line = peek().line;
        if (atOp("*")) {
            if (!parseStarred(args))
                return false;
        } else if (atOp("**")) {
            ++m_pos;
            PyValue d;
            if (!parseTest(d))
                return false;
            if (d.kind() != PyValue::Dict)
                return need(QStringLiteral("starred arguments"), line);
            for (const auto &kv : d.dictItems()) {
                if (!kv.first.isStr())
                    return need(QStringLiteral("starred arguments"), line);
                kwargs.append({kv.first.toStr(), kv.second});
            }
        } else if (peek().type == PyToken::Name && peek(1).isOp(QLatin1StringView("="))) {
            const QString key = peek().text;
            if (ScriptTokens::isKeyword(peek()))
                return fail(QStringLiteral("invalid syntax"));
            for (const auto &kw : kwargs)
                if (kw.first == key)
                    return fail(QStringLiteral("keyword argument repeated: %1").arg(key));
            m_pos += 2;
            PyValue v;
            if (!parseTest(v))
                return false;
            kwargs.append({key, v});
        } else {
            if (!kwargs.isEmpty())
                return fail(QStringLiteral("positional argument follows keyword argument"));
            PyValue v;
            if (!parseTest(v) || atComprehension(line))
                return false;
            args.append(v);
        }
        if (atOp(","))
            ++m_pos;
        else if (!atEnd() && !atOp(")"))
            return fail(QStringLiteral("invalid syntax"));
    }
    return true;
}

// `*x` in a call or display: spliced when x is a known sequence.
bool ScriptExpression::parseStarred(QVector<PyValue> &items)
{
    const int line = peek().line;
    ++m_pos;   // *
    PyValue seq;
    if (!parseOrTest(seq))
        return false;
    if (!seq.isSequence() && seq.kind() != PyValue::Set)
        return need(QStringLiteral("starred arguments"), line);
    items += seq.items();
    return true;
}

bool ScriptExpression::parseSubscript(const PyValue &target, PyValue &out)
{
    const int line = peek().line;
    ++m_pos;   // [
    for (int i = m_pos, depth = 0; i < m_end; ++i) {
        const PyToken &t = m_tokens[i];
        if (ScriptTokens::isOpen(t)) {
            ++depth;
        } else if (ScriptTokens::isClose(t)) {
            if (depth-- == 0)
                break;
        } else if (depth == 0 && t.isOp(QLatin1StringView(":")))
            return need(QStringLiteral("slice"), line);
    }
    PyValue index;
    if (!parseTestList(index) || !expectOp("]"))
        return false;
    if (m_context && m_context->inspector) {   // meta.tables['t'] after meta.reflect(bind)
        QString message;
        switch (ScriptReflection::subscript(*m_context->inspector, target, index, &out, &message)) {
        case ScriptReflection::NotHandled: break;
        case ScriptReflection::Done: return true;
        case ScriptReflection::Needs: return need(message, line);
        case ScriptReflection::Stop: return fail(message);
        }
    }
    const auto folded = ConstantFolder::subscript(target, index, &out);
    if (folded == ConstantFolder::Folded)
        return true;
    if (folded == ConstantFolder::Unsupported)
        return need(QStringLiteral("subscript"), line);
    out = PyValue::subscript(target, index);
    return true;
}

bool ScriptExpression::parseAtom(PyValue &out)
{
    const PyToken &t = peek();
    switch (t.type) {
    case PyToken::Name:
        if (t.text == u"None" || t.text == u"True" || t.text == u"False") {
            out = t.text == u"None" ? PyValue::none() : PyValue::boolean(t.text == u"True");
            ++m_pos;
            return true;
        }
        if (t.text == u"lambda" || t.text == u"yield" || t.text == u"await")
            return need(t.text, t.line);
        return fail(QStringLiteral("invalid syntax"));
    case PyToken::Number: return parseNumber(out);
    case PyToken::String: return parseStrings(out);
    case PyToken::Op:
        if (t.text == u"(")
            return parseParen(out);
        if (t.text == u"[")
            return parseList(out);
        if (t.text == u"{")
            return parseBrace(out);
        if (t.text == u"...") {
            out = PyValue::name(QStringLiteral("Ellipsis"));
            ++m_pos;
            return true;
        }
        break;
    default: break;
    }
    return fail(atEnd() ? QStringLiteral("expected an expression") : QStringLiteral("invalid syntax"));
}

bool ScriptExpression::parseStrings(PyValue &out)
{
    for (int i = m_pos; i < m_end && m_tokens[i].type == PyToken::String; ++i)
        if (ScriptFString::hasFields(m_tokens[i]))
            return parseFormatted(out);
    const auto r = ScriptLiterals::strings(m_tokens, m_pos, m_end, &out);
    return r.status == ScriptLiterals::Ok || (r.status == ScriptLiterals::Needs
                                                  ? need(r.message, r.line)
                                                  : fail(r.message));
}

// Adjacent literals, at least one an f-string with replacement fields.
bool ScriptExpression::parseFormatted(PyValue &out)
{
    QString text;
    for (; m_pos < m_end && peek().type == PyToken::String; ++m_pos) {
        const PyToken &t = peek();
        if (t.flags & PyToken::Bytes)
            return fail(QStringLiteral("cannot mix bytes and nonbytes literals"));
        if (!ScriptFString::hasFields(t)) {
            int pos = m_pos;
            PyValue part;
            const auto r = ScriptLiterals::strings(m_tokens, pos, m_pos + 1, &part);
            if (r.status != ScriptLiterals::Ok)
                return r.status == ScriptLiterals::Needs ? need(r.message, r.line) : fail(r.message);
            text += part.toStr();
            continue;
        }
        QString message;
        const auto evaluate = [&](const QString &expr, PyValue *v) { return evaluateField(expr, t.line, v); };
        switch (ScriptFString::format(t, evaluate, &text, &message)) {
        case ScriptFString::Ok: break;
        case ScriptFString::Needs: return need(message, t.line);
        case ScriptFString::Failed: return fail(message);
        case ScriptFString::Stopped: return false;
        }
    }
    out = PyValue::string(text);
    return true;
}

// One replacement field's expression, lexed on its own and evaluated in this scope.
bool ScriptExpression::evaluateField(const QString &expression, int line, PyValue *out)
{
    auto lexed = ScriptTokens::significant(u'(' + expression + u')', m_fileName);
    if (!lexed)
        return fail(QStringLiteral("f-string: ") + lexed.error().message);
    QVector<PyToken> tokens;
    for (PyToken t : *lexed) {
        if (t.type == PyToken::Newline || t.type == PyToken::EndMarker)
            continue;
        t.line = line;
        tokens.append(t);
    }
    ScriptExpression sub(tokens, 0, int(tokens.size()), m_scope, m_fileName);
    sub.setEnvironment(m_context, m_caller);
    switch (sub.evaluate(out)) {
    case Ok: return true;
    case Needs: return need(sub.needs().reason, line);
    case Failed: break;
    }
    m_error = sub.error();
    m_status = Failed;
    return false;
}

bool ScriptExpression::parseNumber(PyValue &out)
{
    const auto r = ScriptLiterals::number(peek(), &out);
    if (r.status != ScriptLiterals::Ok)
        return need(r.message, r.line);
    ++m_pos;
    return true;
}

bool ScriptExpression::parseParen(PyValue &out)
{
    if (bracketIsComprehension())
        return false;
    const int line = peek().line;
    ++m_pos;   // (
    if (atOp(")")) {
        ++m_pos;
        out = PyValue::tuple({});
        return true;
    }
    if (atName("yield"))
        return need(QStringLiteral("yield"), line);
    QVector<PyValue> items;
    bool tuple = false;
    while (!atOp(")")) {
        if (atOp("*")) {
            if (!parseStarred(items))
                return false;
            tuple = true;
        } else {
            PyValue v;
            if (!parseTest(v) || (items.isEmpty() && atComprehension(line)))
                return false;
            items.append(v);
        }
        if (atOp(",")) {
            tuple = true;
            ++m_pos;
        } else if (!atOp(")")) {
            return fail(QStringLiteral("invalid syntax"));
        }
    }
    ++m_pos;
    out = tuple ? PyValue::tuple(items) : items.first();
    return true;
}

bool ScriptExpression::parseList(PyValue &out)
{
    if (hasTopLevelFor())
        return parseComprehension(out);
    const int line = peek().line;
    ++m_pos;   // [
    QVector<PyValue> items;
    while (!atOp("]")) {
        if (atOp("*")) {
            if (!parseStarred(items))
                return false;
        } else {
            PyValue v;
            if (!parseTest(v) || (items.isEmpty() && atComprehension(line)))
                return false;
            items.append(v);
        }
        if (atOp(","))
            ++m_pos;
        else if (!atOp("]"))
            return fail(QStringLiteral("invalid syntax"));
    }
    ++m_pos;
    out = PyValue::list(items);
    return true;
}

bool ScriptExpression::parseBrace(PyValue &out)
{
    if (hasTopLevelFor())
        return parseComprehension(out);
    const int line = peek().line;
    ++m_pos;   // {
    QVector<PyValue> setItems;
    QVector<QPair<PyValue, PyValue>> dictItems;
    int kind = -1;   // 0 set, 1 dict
    while (!atOp("}")) {
        if (atOp("**")) {
            ++m_pos;
            PyValue d;
            if (!parseBinary(0, d))
                return false;
            if (d.kind() != PyValue::Dict || kind == 0)
                return kind == 0 ? fail(QStringLiteral("invalid syntax"))
                                 : need(QStringLiteral("dict unpacking"), line);
            kind = 1;
            dictItems += d.dictItems();
        } else if (atOp("*") && kind != 1) {
            kind = 0;
            if (!parseStarred(setItems))
                return false;
        } else {
            PyValue key;
            if (!parseTest(key))
                return false;
            const int k = atOp(":") ? 1 : 0;
            if (kind >= 0 && k != kind)
                return fail(QStringLiteral("invalid syntax"));
            const bool first = kind < 0;
            kind = k;
            if (k == 1) {
                ++m_pos;
                PyValue value;
                if (!parseTest(value))
                    return false;
                dictItems.append({key, value});
            } else {
                setItems.append(key);
            }
            if (first && atComprehension(line))
                return false;
        }
        if (atOp(","))
            ++m_pos;
        else if (!atOp("}"))
            return fail(QStringLiteral("invalid syntax"));
    }
    ++m_pos;
    out = kind == 0 ? PyValue::set(setItems) : PyValue::dict(dictItems);
    return true;
}

} // namespace retort
