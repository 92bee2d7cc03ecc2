#include "pyexpressionparser.h"

namespace retort {

namespace {

PyNodePtr makeNode(PyNode::Kind kind, QVector<PyNodePtr> kids = {}, const QString &text = {})
{
    auto node = QSharedPointer<PyNode>::create();
    node->kind = kind;
    node->kids = std::move(kids);
    node->text = text;
    return node;
}

PyNodePtr constant(const PyValue &v)
{
    auto node = QSharedPointer<PyNode>::create();
    node->value = v;
    return node;
}

Result<PyValue> parseNumber(const QString &text)
{
    QString t = text;
    t.remove(QLatin1Char('_'));
    bool ok = false;
    if (t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)) {
        const qint64 v = t.mid(2).toLongLong(&ok, 16);
        if (ok)
            return PyValue::integer(v);
    } else if (!t.contains(QLatin1Char('.')) && !t.contains(QLatin1Char('e'), Qt::CaseInsensitive)) {
        const qint64 v = t.toLongLong(&ok, 10);
        if (ok)
            return PyValue::integer(v);
    } else {
        const double d = t.toDouble(&ok);
        if (ok)
            return PyValue::floating(d);
    }
    return Error(QStringLiteral("SyntaxError: invalid number '%1'").arg(text));
}

} // namespace

const PyToken &PyExpressionParser::peek(int ahead) const
{
    const int i = qMin(m_pos + ahead, int(m_tokens.size()) - 1);
    return m_tokens.at(i);
}

bool PyExpressionParser::isOp(const QString &op, int ahead) const
{
    return peek(ahead).kind == PyToken::Op && peek(ahead).text == op;
}

bool PyExpressionParser::isName(const QString &word, int ahead) const
{
    return peek(ahead).kind == PyToken::Name && peek(ahead).text == word;
}

bool PyExpressionParser::accept(const QString &op)
{
    if (!isOp(op))
        return false;
    ++m_pos;
    return true;
}

Error PyExpressionParser::syntaxError() const
{
    const PyToken &t = peek();
    if (t.kind == PyToken::End)
        return Error(QStringLiteral("SyntaxError: unexpected end of expression"));
    return Error(QStringLiteral("SyntaxError: unexpected '%1' at offset %2").arg(t.text).arg(t.offset));
}

Result<PyNodePtr> PyExpressionParser::parseAll()
{
    Result<PyNodePtr> node = parseTupleOrTest();
    if (node && peek().kind != PyToken::End)
        return syntaxError();
    return node;
}

Result<PyNodePtr> PyExpressionParser::parseTupleOrTest()
{
    Result<PyNodePtr> first = parseTest();
    if (!first || !isOp(QStringLiteral(",")))
        return first;
    QVector<PyNodePtr> items{*first};
    while (accept(QStringLiteral(","))) {
        if (peek().kind == PyToken::End || isOp(QStringLiteral(")")))
            break;
        Result<PyNodePtr> next = parseTest();
        if (!next)
            return next;
        items.append(*next);
    }
    return makeNode(PyNode::TupleLit, items);
}

Result<PyNodePtr> PyExpressionParser::parseTest()
{
    Result<PyNodePtr> body = parseOr();
    if (!body || !isName(QStringLiteral("if")))
        return body;
    ++m_pos;
    Result<PyNodePtr> cond = parseOr();
    if (!cond)
        return cond;
    if (!isName(QStringLiteral("else")))
        return syntaxError();
    ++m_pos;
    Result<PyNodePtr> orElse = parseTest();
    if (!orElse)
        return orElse;
    return makeNode(PyNode::IfElse, {*body, *cond, *orElse});
}

Result<PyNodePtr> PyExpressionParser::parseOr()
{
    Result<PyNodePtr> left = parseAnd();
    while (left && isName(QStringLiteral("or"))) {
        ++m_pos;
        Result<PyNodePtr> right = parseAnd();
        if (!right)
            return right;
        left = makeNode(PyNode::Or, {*left, *right});
    }
    return left;
}

Result<PyNodePtr> PyExpressionParser::parseAnd()
{
    Result<PyNodePtr> left = parseNot();
    while (left && isName(QStringLiteral("and"))) {
        ++m_pos;
        Result<PyNodePtr> right = parseNot();
        if (!right)
            return right;
        left = makeNode(PyNode::And, {*left, *right});
    }
    return left;
}

Result<PyNodePtr> PyExpressionParser::parseNot()
{
    if (!isName(QStringLiteral("not")))
        return parseComparison();
    ++m_pos;
    Result<PyNodePtr> operand = parseNot();
    if (!operand)
        return operand;
    return makeNode(PyNode::Unary, {*operand}, QStringLiteral("not"));
}

Result<PyNodePtr> PyExpressionParser::parseComparison()
{
    Result<PyNodePtr> first = parseArith();
    if (!first)
        return first;
    QVector<PyNodePtr> kids{*first};
    QStringList ops;
    static const QStringList symbols = {QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("<"),
                                        QStringLiteral("<="), QStringLiteral(">"), QStringLiteral(">=")};
    while (true) {
        QString op;
        if (peek().kind == PyToken::Op && symbols.contains(peek().text)) {
            op = peek().text;
            ++m_pos;
        } else if (isName(QStringLiteral("in"))) {
            op = QStringLiteral("in");
            ++m_pos;
        } else if (isName(QStringLiteral("not")) && isName(QStringLiteral("in"), 1)) {
            op = QStringLiteral("not in");
            m_pos += 2;
        } else if (isName(QStringLiteral("is"))) {
            ++m_pos;
            op = QStringLiteral("is");
            if (isName(QStringLiteral("not"))) {
                ++m_pos;
                op = QStringLiteral("is not");
            }
        } else {
            break;
        }
        Result<PyNodePtr> next = parseArith();
        if (!next)
            return next;
        ops.append(op);
        kids.append(*next);
    }
    if (ops.isEmpty())
        return first;
    auto node = QSharedPointer<PyNode>::create();
    node->kind = PyNode::Compare;
    node->kids = kids;
    node->ops = ops;
    return PyNodePtr(node);
}

Result<PyNodePtr> PyExpressionParser::parseArith()
{
    Result<PyNodePtr> left = parseTerm();
    while (left && (isOp(QStringLiteral("+")) || isOp(QStringLiteral("-")))) {
        const QString op = peek().text;
        ++m_pos;
        Result<PyNodePtr> right = parseTerm();
        if (!right)
            return right;
        left = makeNode(PyNode::Binary, {*left, *right}, op);
    }
    return left;
}

Result<PyNodePtr> PyExpressionParser::parseTerm()
{
    static const QStringList ops = {QStringLiteral("*"), QStringLiteral("/"), QStringLiteral("//"),
                                    QStringLiteral("%")};
    Result<PyNodePtr> left = parseFactor();
    while (left && peek().kind == PyToken::Op && ops.contains(peek().text)) {
        const QString op = peek().text;
        ++m_pos;
        Result<PyNodePtr> right = parseFactor();
        if (!right)
            return right;
        left = makeNode(PyNode::Binary, {*left, *right}, op);
    }
    return left;
}

Result<PyNodePtr> PyExpressionParser::parseFactor()
{
    if (isOp(QStringLiteral("-")) || isOp(QStringLiteral("+"))) {
        const QString op = peek().text;
        ++m_pos;
        Result<PyNodePtr> operand = parseFactor();
        if (!operand)
            return operand;
        return makeNode(PyNode::Unary, {*operand}, op);
    }
    return parsePrimary();
}

Result<PyNodePtr> PyExpressionParser::parsePrimary()
{
    Result<PyNodePtr> node = parseAtom();
    while (node && (isOp(QStringLiteral(".")) || isOp(QStringLiteral("[")) || isOp(QStringLiteral("("))))
        node = parseTrailer(*node);
    return node;
}

Result<PyNodePtr> PyExpressionParser::parseTrailer(PyNodePtr target)
{
    if (accept(QStringLiteral("."))) {
        if (peek().kind != PyToken::Name)
            return syntaxError();
        return makeNode(PyNode::Attribute, {target}, m_tokens.at(m_pos++).text);
    }
    if (accept(QStringLiteral("(")))
        return parseCallArgs(target);
    accept(QStringLiteral("["));
    PyNodePtr lower;
    if (!isOp(QStringLiteral(":"))) {
        Result<PyNodePtr> index = parseTupleOrTest();
        if (!index)
            return index;
        if (accept(QStringLiteral("]")))
            return makeNode(PyNode::Subscript, {target, *index});
        lower = *index;
    }
    if (!accept(QStringLiteral(":")))
        return syntaxError();
    PyNodePtr upper;
    if (!isOp(QStringLiteral("]"))) {
        Result<PyNodePtr> u = parseTest();
        if (!u)
            return u;
        upper = *u;
    }
    if (!accept(QStringLiteral("]")))
        return syntaxError();
    return makeNode(PyNode::Slice, {target, lower, upper});
}

Result<PyNodePtr> PyExpressionParser::parseCallArgs(PyNodePtr callee)
{
    auto node = QSharedPointer<PyNode>::create();
    node->kind = PyNode::Call;
    node->kids.append(callee);
    while (!accept(QStringLiteral(")"))) {
        QString keyword;
        if (peek().kind == PyToken::Name && isOp(QStringLiteral("="), 1)) {
            keyword = peek().text;
            m_pos += 2;
        } else if (!node->keywords.isEmpty()) {
            return Error(QStringLiteral("SyntaxError: positional argument follows keyword argument"));
        }
        Result<PyNodePtr> arg = parseTest();
        if (!arg)
            return arg;
        node->kids.append(*arg);
        if (!keyword.isEmpty())
            node->keywords.append(keyword);
        if (!isOp(QStringLiteral(")")) && !accept(QStringLiteral(",")))
            return syntaxError();
    }
    return PyNodePtr(node);
}

Result<PyNodePtr> PyExpressionParser::parseSequence(const QString &closer, PyNode::Kind kind)
{
    QVector<PyNodePtr> items;
    bool sawComma = false;
    while (!accept(closer)) {
        Result<PyNodePtr> item = parseTest();
        if (!item)
            return item;
        items.append(*item);
        if (accept(QStringLiteral(",")))
            sawComma = true;
        else if (!isOp(closer))
            return syntaxError();
    }
    // "(x)" is just x; "(x,)" and "()" are tuples.
    if (kind == PyNode::TupleLit && items.size() == 1 && !sawComma)
        return items.first();
    return makeNode(kind, items);
}

Result<PyNodePtr> PyExpressionParser::parseAtom()
{
    const PyToken &t = peek();
    switch (t.kind) {
    case PyToken::Number: {
        ++m_pos;
        Result<PyValue> v = parseNumber(t.text);
        if (!v)
            return v.error();
        return constant(*v);
    }
    case PyToken::String: {
        QString text;
        while (peek().kind == PyToken::String)   // adjacent literals concatenate
            text += m_tokens.at(m_pos++).text;
        return constant(PyValue::str(text));
    }
    case PyToken::Name: {
        ++m_pos;
        if (t.text == QLatin1String("None"))
            return constant(PyValue::none());
        if (t.text == QLatin1String("True") || t.text == QLatin1String("False"))
            return constant(PyValue::boolean(t.text == QLatin1String("True")));
        static const QStringList keywords = {QStringLiteral("lambda"), QStringLiteral("yield"),
                                             QStringLiteral("await"), QStringLiteral("if"),
                                             QStringLiteral("else"), QStringLiteral("for")};
        if (keywords.contains(t.text)) {
            --m_pos;
            return Error(QStringLiteral("unsupported Python syntax '%1' in template").arg(t.text));
        }
        return makeNode(PyNode::Name, {}, t.text);
    }
    case PyToken::Op:
        if (accept(QStringLiteral("(")))
            return parseSequence(QStringLiteral(")"), PyNode::TupleLit);
        if (accept(QStringLiteral("[")))
            return parseSequence(QStringLiteral("]"), PyNode::ListLit);
        if (t.text == QLatin1String("{"))
            return Error(QStringLiteral("dict and set literals are not supported in templates"));
        return syntaxError();
    case PyToken::End:
        break;
    }
    return syntaxError();
}

} // namespace retort
