#include "scriptcomprehension.h"

#include "scripttokens.h"
#include "scriptvalues.h"

namespace retort {

ScriptExpression::Status ScriptComprehension::need(const QString &reason, int line)
{
    m_needs = NeedsPython{reason, line};
    return m_status = ScriptExpression::Needs;
}

ScriptExpression::Status ScriptComprehension::fail(const QString &what)
{
    m_error = Error(what, m_fileName, m_tokens[m_open].line);
    return m_status = ScriptExpression::Failed;
}

ScriptExpression::Status ScriptComprehension::evaluate(PyValue *out)
{
    const int open = m_open, close = m_close;
    const int line = m_tokens[open].line;
    const bool set = m_tokens[open].isOp(QLatin1StringView("{"));
    // Top-level keywords inside the brackets.
    QVector<int> fors, ifs;
    int in = -1, colon = -1;
    for (int i = open + 1, depth = 0; i < close; ++i) {
        const PyToken &t = m_tokens[i];
        if (ScriptTokens::isOpen(t))
            ++depth;
        else if (ScriptTokens::isClose(t))
            --depth;
        else if (depth == 0 && t.isName(QLatin1StringView("for")))
            fors << i;
        else if (depth == 0 && t.isName(QLatin1StringView("in")) && !fors.isEmpty() && in < 0)
            in = i;
        else if (depth == 0 && t.isName(QLatin1StringView("if")) && in >= 0)
            ifs << i;
        else if (depth == 0 && t.isOp(QLatin1StringView(":")) && fors.isEmpty())
            colon = i;
    }
    if (fors.size() != 1 || in < 0 || m_tokens[fors[0] - 1].isName(QLatin1StringView("async")))
        return need(QStringLiteral("comprehension"), line);
    if (colon >= 0)
        return need(QStringLiteral("dict comprehension"), line);
    // An `if` of a conditional expression in the element or iterable is not a clause.
    for (int i : ifs)
        if (m_tokens[i - 1].isName(QLatin1StringView("else")))
            return need(QStringLiteral("comprehension"), line);
    // Target: names separated by commas, optionally in parentheses.
    QStringList names;
    bool unpack = false;
    for (int i = fors[0] + 1; i < in; ++i) {
        const PyToken &t = m_tokens[i];
        if (t.type == PyToken::Name && !ScriptTokens::isKeyword(t))
            names << t.text;
        else if (t.isOp(QLatin1StringView(",")))
            unpack = true;
        else if (!((t.isOp(QLatin1StringView("(")) && i == fors[0] + 1) || (t.isOp(QLatin1StringView(")")) && i == in - 1)))
            return need(QStringLiteral("comprehension target"), line);
    }
    unpack = unpack || m_tokens[fors[0] + 1].isOp(QLatin1StringView("("));
    if (names.isEmpty())
        return fail(QStringLiteral("invalid syntax"));
    const auto sub = [&](int begin, int end, const ScriptScope &scope, PyValue *v) {
        ScriptExpression e(m_tokens, begin, end, scope, m_fileName);
        e.setEnvironment(m_context, m_caller);
        const ScriptExpression::Status s = e.evaluate(v);
        if (s != ScriptExpression::Ok) {
            m_status = s;
            m_needs = e.needs();
            m_error = e.error();
        }
        return s == ScriptExpression::Ok;
    };
    PyValue iterable;
    if (!sub(in + 1, ifs.isEmpty() ? close : ifs[0], m_scope, &iterable))
        return m_status;
    QVector<PyValue> items;
    if (iterable.isSequence() || iterable.kind() == PyValue::Set)
        items = iterable.items();
    else if (iterable.kind() == PyValue::Dict)
        for (const auto &kv : iterable.dictItems())
            items << kv.first;
    else if (iterable.isStr())
        for (const QChar c : iterable.toStr())
            items << PyValue::string(QString(c));
    else
        return need(QStringLiteral("comprehension over a value only Python knows"), line);
    QVector<PyValue> result;
    for (const PyValue &item : items) {
        ScriptScope scope(&m_scope);
        if (unpack) {
            if (!item.isSequence() || item.items().size() != names.size())
                return need(QStringLiteral("comprehension target unpacking"), line);
            for (int k = 0; k < names.size(); ++k)
                scope.bind(names[k], ScriptBinding{ScriptBinding::Value, item.items()[k], {}, {}, line});
        } else {
            if (names.size() != 1)
                return fail(QStringLiteral("invalid syntax"));
            scope.bind(names[0], ScriptBinding{ScriptBinding::Value, item, {}, {}, line});
        }
        bool keep = true;
        for (int c = 0; c < ifs.size() && keep; ++c) {
            PyValue cond;
            if (!sub(ifs[c] + 1, c + 1 < ifs.size() ? ifs[c + 1] : close, scope, &cond))
                return m_status;
            if (!ScriptValues::isConstant(cond))
                return need(QStringLiteral("comprehension condition"), line);
            keep = cond.truthy();
        }
        if (!keep)
            continue;
        PyValue element;
        if (!sub(open + 1, fors[0], scope, &element))
            return m_status;
        result << element;
    }
    *out = set ? PyValue::set(result) : PyValue::list(result);
    return ScriptExpression::Ok;
}

} // namespace retort
