#include "pyexpressionparser.h"

#include "pylexer.h"
#include "pylimits.h"
#include "pystringdecoder.h"

namespace retort {

namespace {
const PyToken &endToken()
{
    static const PyToken t;   // EndMarker
    return t;
}
} // namespace

PyExpressionParser::PyExpressionParser(const QVector<PyToken> &tokens, int begin, int end,
                                       const QString &fileName)
    : m_tokens(tokens), m_pos(begin), m_end(qMin(end, int(tokens.size()))), m_fileName(fileName)
{
    skipNoise();
}

Result<PyValue> PyExpressionParser::parseSource(const QString &expression)
{
    auto tokens = PyLexer::tokenize(expression);
    if (!tokens)
        return tokens.error();
    int end = int(tokens->size());
    // Drop the trailing NEWLINE/ENDMARKER the tokenizer adds.
    while (end > 0 && (tokens->at(end - 1).type == PyToken::EndMarker
                       || tokens->at(end - 1).type == PyToken::Newline
                       || tokens->at(end - 1).type == PyToken::Dedent))
        --end;
    return PyExpressionParser(*tokens, 0, end).parse();
}

Result<PyValue> PyExpressionParser::parse()
{
    if (atEnd())
        return errorHere(QStringLiteral("expected an expression"));
    auto v = parseTupleOrExpr(true);
    if (!v)
        return v;
    if (!atEnd())
        return errorHere(QStringLiteral("not a static expression"));
    return v;
}

const PyToken &PyExpressionParser::peek() const
{
    return m_pos < m_end ? m_tokens[m_pos] : endToken();
}

bool PyExpressionParser::atOp(QLatin1StringView op) const
{
    return peek().isOp(op);
}

bool PyExpressionParser::atEnd() const
{
    return m_pos >= m_end;
}

void PyExpressionParser::skipNoise()
{
    while (m_pos < m_end && (m_tokens[m_pos].type == PyToken::Nl
                             || m_tokens[m_pos].type == PyToken::Comment))
        ++m_pos;
}

void PyExpressionParser::advance()
{
    ++m_pos;
    skipNoise();
}

Error PyExpressionParser::errorHere(const QString &what) const
{
    int line = 0;
    if (m_pos < m_end)
        line = m_tokens[m_pos].line;
    else if (m_end > 0 && m_end <= m_tokens.size())
        line = m_tokens[m_end - 1].line;
    QString msg = what;
    if (m_pos < m_end)
        msg += QStringLiteral(" at '%1'").arg(m_tokens[m_pos].text);
    return Error(msg, m_fileName, line);
}

// expr (',' expr)* [','] -- a tuple as soon as there is a comma.
Result<PyValue> PyExpressionParser::parseTupleOrExpr(bool allowBareTuple)
{
    auto first = parseExpr();
    if (!first || !allowBareTuple || !atOp(QLatin1StringView(",")))
        return first;
    QVector<PyValue> items{*first};
    while (atOp(QLatin1StringView(","))) {
        advance();
        if (atEnd() || atOp(QLatin1StringView(")")) || atOp(QLatin1StringView("]"))
            || atOp(QLatin1StringView("=")))
            break;
        auto next = parseExpr();
        if (!next)
            return next;
        items.append(*next);
    }
    return PyValue::tuple(items);
}

Result<PyValue> PyExpressionParser::parseExpr()
{
    auto v = parseUnary();
    if (!v)
        return v;
    const PyToken &t = peek();
    // Operators and conditional/boolean expressions are beyond a static reading.
    if ((t.type == PyToken::Op && !t.isOp(QLatin1StringView(",")) && !t.isOp(QLatin1StringView(")"))
         && !t.isOp(QLatin1StringView("]")) && !t.isOp(QLatin1StringView("}"))
         && !t.isOp(QLatin1StringView(":")) && !t.isOp(QLatin1StringView("=")))
        || (t.type == PyToken::Name && m_pos < m_end))
        return errorHere(QStringLiteral("not a static expression"));
    return v;
}

Result<PyValue> PyExpressionParser::parseUnary()
{
    if (atOp(QLatin1StringView("-")) || atOp(QLatin1StringView("+"))) {
        const bool negate = peek().text == u"-";
        if (m_operatorDepth >= PyLimits::MaxOperatorDepth)
            return errorHere(QString::fromLatin1(PyLimits::TooManyOperators));
        advance();
        ++m_operatorDepth;   // brackets are bounded by the lexer, operator chains here
        auto v = parseUnary();
        --m_operatorDepth;
        if (!v)
            return v;
        if (v->kind() == PyValue::Int)
            return negate ? PyValue::integer(-v->toInt()) : *v;
        if (v->kind() == PyValue::Float) {
            const QString text = v->toStr();
            return negate ? PyValue::floating(-v->toDouble(), text.isEmpty() ? QString() : u'-' + text)
                          : *v;
        }
        if (v->kind() == PyValue::Bool)
            return PyValue::integer(negate ? -v->toInt() : v->toInt());
        return errorHere(QStringLiteral("unary operator on a non-number"));
    }
    return parsePostfix();
}

Result<PyValue> PyExpressionParser::parsePostfix()
{
    auto v = parseAtom();
    if (!v)
        return v;
    PyValue value = *v;
    for (;;) {
        if (atOp(QLatin1StringView("."))) {
            // The whole a.b.c chain in one string: appending per component keeps a long
            // chain linear (a new name per component copied it each time).
            QString dotted;
            while (atOp(QLatin1StringView("."))) {
                advance();
                if (peek().type != PyToken::Name || value.kind() != PyValue::Name)
                    return errorHere(QStringLiteral("not a static expression"));
                if (dotted.isNull())
                    dotted = value.toStr();
                dotted += u'.';
                dotted += peek().text;
                advance();
            }
            value = PyValue::name(dotted);
        } else if (atOp(QLatin1StringView("("))) {
            auto c = parseCallArgs(value);
            if (!c)
                return c;
            value = *c;
        } else if (atOp(QLatin1StringView("["))) {
            auto s = parseSubscript(value);
            if (!s)
                return s;
            value = *s;
        } else {
            return value;
        }
    }
}

Result<PyValue> PyExpressionParser::parseAtom()
{
    const PyToken &t = peek();
    switch (t.type) {
    case PyToken::Name:
        if (t.text == u"None" || t.text == u"True" || t.text == u"False") {
            const QString w = t.text;
            advance();
            return w == u"None" ? PyValue::none() : PyValue::boolean(w == u"True");
        }
        if (t.isKeyword())
            return errorHere(QStringLiteral("not a static expression"));
        {
            PyValue n = PyValue::name(t.text);
            advance();
            return n;
        }
    case PyToken::Number: return parseNumber();
    case PyToken::String: return parseStrings();
    case PyToken::Op:
        if (t.text == u"(")
            return parseParen();
        if (t.text == u"[")
            return parseList();
        if (t.text == u"{")
            return parseBrace();
        break;
    default: break;
    }
    return errorHere(atEnd() ? QStringLiteral("expected an expression")
                             : QStringLiteral("not a static expression"));
}

// Adjacent literals concatenate; str and bytes don't mix.
Result<PyValue> PyExpressionParser::parseStrings()
{
    QString str;
    QByteArray bytes;
    int kind = -1;   // 0 str, 1 bytes
    while (peek().type == PyToken::String) {
        const PyToken &t = peek();
        const int k = (t.flags & PyToken::Bytes) ? 1 : 0;
        if (kind >= 0 && k != kind)
            return errorHere(QStringLiteral("cannot mix bytes and nonbytes literals"));
        kind = k;
        if (t.flags & PyToken::Formatted) {
            if (t.value.contains(u'{') || t.value.contains(u'}'))
                return errorHere(QStringLiteral("f-string with replacement fields is not static"));
            str += (t.flags & PyToken::Raw) ? t.value : PyStringDecoder::decodeStr(t.value);
        } else if (k == 1) {
            bytes += t.bytes();
        } else {
            str += t.value;
        }
        advance();
    }
    return kind == 1 ? PyValue::bytes(bytes) : PyValue::string(str);
}

Result<PyValue> PyExpressionParser::parseNumber()
{
    QString text = peek().text;
    const QString clean = QString(text).remove(u'_').toLower();
    bool ok = false;
    PyValue v;
    if (clean.endsWith(u'j'))
        return errorHere(QStringLiteral("complex numbers are not supported"));
    if (clean.startsWith(u"0x"))
        v = PyValue::integer(clean.mid(2).toLongLong(&ok, 16));
    else if (clean.startsWith(u"0o"))
        v = PyValue::integer(clean.mid(2).toLongLong(&ok, 8));
    else if (clean.startsWith(u"0b"))
        v = PyValue::integer(clean.mid(2).toLongLong(&ok, 2));
    else if (clean.contains(u'.') || clean.contains(u'e'))
        v = PyValue::floating(clean.toDouble(&ok), text);
    else
        v = PyValue::integer(clean.toLongLong(&ok, 10));
    if (!ok)
        return errorHere(QStringLiteral("number out of range"));
    advance();
    return v;
}

Result<PyValue> PyExpressionParser::parseParen()
{
    advance();   // (
    if (atOp(QLatin1StringView(")"))) {
        advance();
        return PyValue::tuple({});
    }
    auto first = parseExpr();
    if (!first)
        return first;
    if (atOp(QLatin1StringView(")"))) {
        advance();
        return first;
    }
    if (!atOp(QLatin1StringView(",")))
        return errorHere(QStringLiteral("not a static expression"));
    QVector<PyValue> items{*first};
    while (atOp(QLatin1StringView(","))) {
        advance();
        if (atOp(QLatin1StringView(")")))
            break;
        auto next = parseExpr();
        if (!next)
            return next;
        items.append(*next);
    }
    if (!atOp(QLatin1StringView(")")))
        return errorHere(QStringLiteral("expected ')'"));
    advance();
    return PyValue::tuple(items);
}

Result<PyValue> PyExpressionParser::parseList()
{
    advance();   // [
    QVector<PyValue> items;
    while (!atOp(QLatin1StringView("]"))) {
        auto item = parseExpr();
        if (!item)
            return item;
        items.append(*item);
        if (atOp(QLatin1StringView(",")))
            advance();
        else if (!atOp(QLatin1StringView("]")))
            return errorHere(QStringLiteral("not a static expression"));
    }
    advance();
    return PyValue::list(items);
}

Result<PyValue> PyExpressionParser::parseBrace()
{
    advance();   // {
    QVector<PyValue> setItems;
    QVector<QPair<PyValue, PyValue>> dictItems;
    int kind = -1;   // 0 set, 1 dict
    while (!atOp(QLatin1StringView("}"))) {
        auto key = parseExpr();
        if (!key)
            return key;
        const int k = atOp(QLatin1StringView(":")) ? 1 : 0;
        if (kind >= 0 && k != kind)
            return errorHere(QStringLiteral("invalid syntax"));
        kind = k;
        if (k == 1) {
            advance();
            auto value = parseExpr();
            if (!value)
                return value;
            dictItems.append({*key, *value});
        } else {
            setItems.append(*key);
        }
        if (atOp(QLatin1StringView(",")))
            advance();
        else if (!atOp(QLatin1StringView("}")))
            return errorHere(QStringLiteral("not a static expression"));
    }
    advance();
    return kind == 0 ? PyValue::set(setItems) : PyValue::dict(dictItems);
}

Result<PyValue> PyExpressionParser::parseCallArgs(PyValue callee)
{
    advance();   // (
    QVector<PyValue> args;
    QVector<QPair<QString, PyValue>> kwargs;
    while (!atOp(QLatin1StringView(")"))) {
        if (atOp(QLatin1StringView("*")) || atOp(QLatin1StringView("**")))
            return errorHere(QStringLiteral("starred arguments are not static"));
        const bool keyword = peek().type == PyToken::Name && m_pos + 1 < m_end
                             && m_tokens[m_pos + 1].isOp(QLatin1StringView("="));
        QString kw;
        if (keyword) {
            kw = peek().text;
            advance();
            advance();
        } else if (!kwargs.isEmpty()) {
            return errorHere(QStringLiteral("positional argument follows keyword argument"));
        }
        auto value = parseExpr();
        if (!value)
            return value;
        if (keyword)
            kwargs.append({kw, *value});
        else
            args.append(*value);
        if (atOp(QLatin1StringView(",")))
            advance();
        else if (!atOp(QLatin1StringView(")")))
            return errorHere(QStringLiteral("not a static expression"));
    }
    advance();
    return PyValue::call(std::move(callee), std::move(args), std::move(kwargs));
}

Result<PyValue> PyExpressionParser::parseSubscript(PyValue target)
{
    advance();   // [
    auto index = parseTupleOrExpr(true);
    if (!index)
        return index;
    if (!atOp(QLatin1StringView("]")))
        return errorHere(QStringLiteral("not a static expression"));
    advance();
    return PyValue::subscript(std::move(target), *index);
}

} // namespace retort
