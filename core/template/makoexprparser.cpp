#include "makoexprparser.h"

#include "python/pylimits.h"

namespace retort {

namespace {

MakoExprNodePtr makeNode(MakoExprNode::Kind kind, QVector<MakoExprNodePtr> kids = {}, const QString &text = {})
{
    auto node = QSharedPointer<MakoExprNode>::create();
    node->kind = kind;
    node->setKids(std::move(kids));
    node->text = text;
    return node;
}

// One level of nesting for the duration of a recursive call.
struct DepthGuard
{
    int &depth;
    explicit DepthGuard(int &d) : depth(++d) {}
    ~DepthGuard() { --depth; }
};

MakoExprNodePtr constant(const MakoValue &v)
{
    auto node = QSharedPointer<MakoExprNode>::create();
    node->value = v;
    return node;
}

Result<MakoValue> parseNumber(const QString &text)
{
    QString t = text;
    t.remove(QLatin1Char('_'));
    bool ok = false;
    if (t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)) {
        const qint64 v = t.mid(2).toLongLong(&ok, 16);
        if (ok)
            return MakoValue::integer(v);
    } else if (!t.contains(QLatin1Char('.')) && !t.contains(QLatin1Char('e'), Qt::CaseInsensitive)) {
        const qint64 v = t.toLongLong(&ok, 10);
        if (ok)
            return MakoValue::integer(v);
    } else {
        const double d = t.toDouble(&ok);
        if (ok)
            return MakoValue::floating(d);
    }
    return Error(QStringLiteral("SyntaxError: invalid number '%1'").arg(text));
}

} // namespace

const MakoToken &MakoExprParser::peek(int ahead) const
{
    const int i = qMin(m_pos + ahead, int(m_tokens.size()) - 1);
    return m_tokens.at(i);
}

bool MakoExprParser::isOp(const QString &op, int ahead) const
{
    return peek(ahead).kind == MakoToken::Op && peek(ahead).text == op;
}

bool MakoExprParser::isName(const QString &word, int ahead) const
{
    return peek(ahead).kind == MakoToken::Name && peek(ahead).text == word;
}

bool MakoExprParser::accept(const QString &op)
{
    if (!isOp(op))
        return false;
    ++m_pos;
    return true;
}

Error MakoExprParser::syntaxError() const
{
    const MakoToken &t = peek();
    if (t.kind == MakoToken::End)
        return Error(QStringLiteral("SyntaxError: unexpected end of expression"));
    return Error(QStringLiteral("SyntaxError: unexpected '%1' at offset %2").arg(t.text).arg(t.offset));
}

// Recursion is bounded as in Python: brackets at 200 levels, bracketless operator chains
// (unary, not, if-else) at PyLimits::MaxOperatorDepth.
std::optional<Error> MakoExprParser::tooDeep(bool bracket) const
{
    if (bracket && m_bracketDepth >= PyLimits::MaxBracketDepth)
        return Error(QStringLiteral("SyntaxError: %1").arg(QLatin1StringView(PyLimits::TooManyParentheses)));
    if (!bracket && m_operatorDepth >= PyLimits::MaxOperatorDepth)
        return Error(QStringLiteral("SyntaxError: %1").arg(QLatin1StringView(PyLimits::TooManyOperators)));
    return std::nullopt;
}

// Left-associative chains (a.b.c..., a + b + c ..., a or b or ...) are built by loops, but
// the tree they make is as deep as the chain: evaluating or freeing it recurses once per
// level, so a chain stops growing a tree as deep as an operator nesting may be (a fuzzed
// 12,000-link x.x.x... crashed).
std::optional<Error> MakoExprParser::chainTooLong(const MakoExprNodePtr &node)
{
    if (!node || node->depth < PyLimits::MaxOperatorDepth)
        return std::nullopt;
    return Error(QStringLiteral("SyntaxError: %1").arg(QLatin1StringView(PyLimits::TooManyOperators)));
}

Result<MakoExprNodePtr> MakoExprParser::parseAll()
{
    Result<MakoExprNodePtr> node = parseTupleOrTest(&m_bareTuple);
    if (node && peek().kind != MakoToken::End)
        return syntaxError();
    return node;
}

Result<MakoExprNodePtr> MakoExprParser::parseTupleOrTest(bool *sawComma)
{
    Result<MakoExprNodePtr> first = parseTest();
    if (!first || !isOp(QStringLiteral(",")))
        return first;
    if (sawComma)
        *sawComma = true;
    QVector<MakoExprNodePtr> items{*first};
    while (accept(QStringLiteral(","))) {
        if (peek().kind == MakoToken::End || isOp(QStringLiteral(")")))
            break;
        Result<MakoExprNodePtr> next = parseTest();
        if (!next)
            return next;
        items.append(*next);
    }
    return makeNode(MakoExprNode::TupleLit, items);
}

Result<MakoExprNodePtr> MakoExprParser::parseTest()
{
    Result<MakoExprNodePtr> body = parseOr();
    if (!body || !isName(QStringLiteral("if")))
        return body;
    ++m_pos;
    Result<MakoExprNodePtr> cond = parseOr();
    if (!cond)
        return cond;
    if (!isName(QStringLiteral("else")))
        return syntaxError();
    ++m_pos;
    if (auto e = tooDeep(false))
        return *e;
    const DepthGuard guard(m_operatorDepth);
    Result<MakoExprNodePtr> orElse = parseTest();
    if (!orElse)
        return orElse;
    return makeNode(MakoExprNode::IfElse, {*body, *cond, *orElse});
}

Result<MakoExprNodePtr> MakoExprParser::parseOr()
{
    Result<MakoExprNodePtr> left = parseAnd();
    while (left && isName(QStringLiteral("or"))) {
        if (auto e = chainTooLong(left ? *left : MakoExprNodePtr()))
            return *e;
        ++m_pos;
        Result<MakoExprNodePtr> right = parseAnd();
        if (!right)
            return right;
        left = makeNode(MakoExprNode::Or, {*left, *right});
    }
    return left;
}

Result<MakoExprNodePtr> MakoExprParser::parseAnd()
{
    Result<MakoExprNodePtr> left = parseNot();
    while (left && isName(QStringLiteral("and"))) {
        if (auto e = chainTooLong(left ? *left : MakoExprNodePtr()))
            return *e;
        ++m_pos;
        Result<MakoExprNodePtr> right = parseNot();
        if (!right)
            return right;
        left = makeNode(MakoExprNode::And, {*left, *right});
    }
    return left;
}

Result<MakoExprNodePtr> MakoExprParser::parseNot()
{
    if (!isName(QStringLiteral("not")))
        return parseComparison();
    if (auto e = tooDeep(false))
        return *e;
    ++m_pos;
    const DepthGuard guard(m_operatorDepth);
    Result<MakoExprNodePtr> operand = parseNot();
    if (!operand)
        return operand;
    return makeNode(MakoExprNode::Unary, {*operand}, QStringLiteral("not"));
}

Result<MakoExprNodePtr> MakoExprParser::parseComparison()
{
    Result<MakoExprNodePtr> first = parseArith();
    if (!first)
        return first;
    QVector<MakoExprNodePtr> kids{*first};
    QStringList ops;
    static const QStringList symbols = {QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("<"),
                                        QStringLiteral("<="), QStringLiteral(">"), QStringLiteral(">=")};
    while (true) {
        QString op;
        if (peek().kind == MakoToken::Op && symbols.contains(peek().text)) {
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
        Result<MakoExprNodePtr> next = parseArith();
        if (!next)
            return next;
        ops.append(op);
        kids.append(*next);
    }
    if (ops.isEmpty())
        return first;
    auto node = QSharedPointer<MakoExprNode>::create();
    node->kind = MakoExprNode::Compare;
    node->setKids(kids);
    node->ops = ops;
    return MakoExprNodePtr(node);
}

Result<MakoExprNodePtr> MakoExprParser::parseArith()
{
    Result<MakoExprNodePtr> left = parseTerm();
    while (left && (isOp(QStringLiteral("+")) || isOp(QStringLiteral("-")))) {
        if (auto e = chainTooLong(left ? *left : MakoExprNodePtr()))
            return *e;
        const QString op = peek().text;
        ++m_pos;
        Result<MakoExprNodePtr> right = parseTerm();
        if (!right)
            return right;
        left = makeNode(MakoExprNode::Binary, {*left, *right}, op);
    }
    return left;
}

Result<MakoExprNodePtr> MakoExprParser::parseTerm()
{
    static const QStringList ops = {QStringLiteral("*"), QStringLiteral("/"), QStringLiteral("//"),
                                    QStringLiteral("%")};
    Result<MakoExprNodePtr> left = parseFactor();
    while (left && peek().kind == MakoToken::Op && ops.contains(peek().text)) {
        if (auto e = chainTooLong(left ? *left : MakoExprNodePtr()))
            return *e;
        const QString op = peek().text;
        ++m_pos;
        Result<MakoExprNodePtr> right = parseFactor();
        if (!right)
            return right;
        left = makeNode(MakoExprNode::Binary, {*left, *right}, op);
    }
    return left;
}

Result<MakoExprNodePtr> MakoExprParser::parseFactor()
{
    if (isOp(QStringLiteral("-")) || isOp(QStringLiteral("+"))) {
        const QString op = peek().text;
        if (auto e = tooDeep(false))
            return *e;
        ++m_pos;
        const DepthGuard guard(m_operatorDepth);
        Result<MakoExprNodePtr> operand = parseFactor();
        if (!operand)
            return operand;
        return makeNode(MakoExprNode::Unary, {*operand}, op);
    }
    return parsePrimary();
}

Result<MakoExprNodePtr> MakoExprParser::parsePrimary()
{
    Result<MakoExprNodePtr> node = parseAtom();
    while (node && (isOp(QStringLiteral(".")) || isOp(QStringLiteral("[")) || isOp(QStringLiteral("(")))) {
        if (auto e = chainTooLong(node ? *node : MakoExprNodePtr()))
            return *e;
        node = parseTrailer(*node);
    }
    return node;
}

Result<MakoExprNodePtr> MakoExprParser::parseTrailer(MakoExprNodePtr target)
{
    if (auto e = tooDeep(true))
        return *e;
    const DepthGuard guard(m_bracketDepth);
    if (accept(QStringLiteral("."))) {
        if (peek().kind != MakoToken::Name)
            return syntaxError();
        return makeNode(MakoExprNode::Attribute, {target}, m_tokens.at(m_pos++).text);
    }
    if (accept(QStringLiteral("(")))
        return parseCallArgs(target);
    accept(QStringLiteral("["));
    MakoExprNodePtr lower;
    if (!isOp(QStringLiteral(":"))) {
        Result<MakoExprNodePtr> index = parseTupleOrTest();
        if (!index)
            return index;
        if (accept(QStringLiteral("]")))
            return makeNode(MakoExprNode::Subscript, {target, *index});
        lower = *index;
    }
    if (!accept(QStringLiteral(":")))
        return syntaxError();
    MakoExprNodePtr upper;
    if (!isOp(QStringLiteral("]"))) {
        Result<MakoExprNodePtr> u = parseTest();
        if (!u)
            return u;
        upper = *u;
    }
    if (!accept(QStringLiteral("]")))
        return syntaxError();
    return makeNode(MakoExprNode::Slice, {target, lower, upper});
}

Result<MakoExprNodePtr> MakoExprParser::parseCallArgs(MakoExprNodePtr callee)
{
    auto node = QSharedPointer<MakoExprNode>::create();
    node->kind = MakoExprNode::Call;
    node->kids.append(callee);
    while (!accept(QStringLiteral(")"))) {
        QString keyword;
        if (peek().kind == MakoToken::Name && isOp(QStringLiteral("="), 1)) {
            keyword = peek().text;
            m_pos += 2;
        } else if (!node->keywords.isEmpty()) {
            return Error(QStringLiteral("SyntaxError: positional argument follows keyword argument"));
        }
        Result<MakoExprNodePtr> arg = parseTest();
        if (!arg)
            return arg;
        node->kids.append(*arg);
        if (!keyword.isEmpty())
            node->keywords.append(keyword);
        if (!isOp(QStringLiteral(")")) && !accept(QStringLiteral(",")))
            return syntaxError();
    }
    node->setKids(QVector<MakoExprNodePtr>(node->kids));   // for its depth
    return MakoExprNodePtr(node);
}

Result<MakoExprNodePtr> MakoExprParser::parseSequence(const QString &closer, MakoExprNode::Kind kind)
{
    if (auto e = tooDeep(true))
        return *e;
    const DepthGuard guard(m_bracketDepth);
    QVector<MakoExprNodePtr> items;
    bool sawComma = false;
    while (!accept(closer)) {
        Result<MakoExprNodePtr> item = parseTest();
        if (!item)
            return item;
        items.append(*item);
        if (accept(QStringLiteral(",")))
            sawComma = true;
        else if (!isOp(closer))
            return syntaxError();
    }
    // "(x)" is just x; "(x,)" and "()" are tuples.
    if (kind == MakoExprNode::TupleLit && items.size() == 1 && !sawComma)
        return items.first();
    return makeNode(kind, items);
}

Result<MakoExprNodePtr> MakoExprParser::parseAtom()
{
    const MakoToken &t = peek();
    switch (t.kind) {
    case MakoToken::Number: {
        ++m_pos;
        Result<MakoValue> v = parseNumber(t.text);
        if (!v)
            return v.error();
        return constant(*v);
    }
    case MakoToken::String: {
        QString text;
        while (peek().kind == MakoToken::String)   // adjacent literals concatenate
            text += m_tokens.at(m_pos++).text;
        return constant(MakoValue::str(text));
    }
    case MakoToken::Name: {
        ++m_pos;
        if (t.text == QLatin1String("None"))
            return constant(MakoValue::none());
        if (t.text == QLatin1String("True") || t.text == QLatin1String("False"))
            return constant(MakoValue::boolean(t.text == QLatin1String("True")));
        static const QStringList keywords = {QStringLiteral("lambda"), QStringLiteral("yield"),
                                             QStringLiteral("await"), QStringLiteral("if"),
                                             QStringLiteral("else"), QStringLiteral("for")};
        if (keywords.contains(t.text)) {
            --m_pos;
            return Error(QStringLiteral("unsupported Python syntax '%1' in template").arg(t.text));
        }
        return makeNode(MakoExprNode::Name, {}, t.text);
    }
    case MakoToken::Op:
        if (accept(QStringLiteral("(")))
            return parseSequence(QStringLiteral(")"), MakoExprNode::TupleLit);
        if (accept(QStringLiteral("[")))
            return parseSequence(QStringLiteral("]"), MakoExprNode::ListLit);
        if (t.text == QLatin1String("{"))
            return Error(QStringLiteral("dict and set literals are not supported in templates"));
        return syntaxError();
    case MakoToken::End:
        break;
    }
    return syntaxError();
}

} // namespace retort
