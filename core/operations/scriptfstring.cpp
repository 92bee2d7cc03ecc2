#include "scriptfstring.h"

#include "python/pystringdecoder.h"
#include "scriptvalues.h"

#include <cmath>

namespace retort {

namespace {

// Index of the '}' closing the field opened at `open`, skipping brackets and strings
// inside the expression; -1 if unbalanced. *bang / *colon: the top-level '!' of a
// conversion and ':' of a spec (-1 when absent).
int fieldEnd(const QString &s, int open, int *bang, int *colon)
{
    *bang = *colon = -1;
    int depth = 0;
    QChar quote;
    for (int i = open + 1; i < s.size(); ++i) {
        const QChar c = s[i];
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            continue;
        }
        if (*colon >= 0) {   // inside the spec: only a nested field or the end matter
            if (c == u'{')
                ++depth;
            else if (c == u'}' && depth-- == 0)
                return i;
            continue;
        }
        if (c == u'\'' || c == u'"')
            quote = c;
        else if (c == u'(' || c == u'[' || c == u'{')
            ++depth;
        else if (c == u')' || c == u']' || (c == u'}' && depth > 0))
            --depth;
        else if (c == u'}')
            return i;
        else if (depth == 0 && c == u'!' && i + 1 < s.size() && s[i + 1] != u'=' && *bang < 0)
            *bang = i;
        else if (depth == 0 && c == u':')
            *colon = i;
    }
    return -1;
}

QString pad(const QString &text, int width, QChar fill, QChar align)
{
    const int n = width - int(text.size());
    if (n <= 0)
        return text;
    if (align == u'<')
        return text + QString(n, fill);
    if (align == u'^')
        return QString(n / 2, fill) + text + QString(n - n / 2, fill);
    if (align == u'=' && !text.isEmpty() && (text[0] == u'-' || text[0] == u'+' || text[0] == u' '))
        return text[0] + QString(n, fill) + text.mid(1);
    return QString(n, fill) + text;
}

} // namespace

bool ScriptFString::hasFields(const PyToken &t)
{
    if (!(t.flags & PyToken::Formatted))
        return false;
    for (int i = 0; i < t.value.size(); ++i) {
        const QChar c = t.value[i];
        if ((c == u'{' || c == u'}') && i + 1 < t.value.size() && t.value[i + 1] == c)
            ++i;
        else if (c == u'{' || c == u'}')
            return true;
    }
    return false;
}

bool ScriptFString::formatValue(const PyValue &value, const QString &spec, QString *out)
{
    if (!ScriptValues::isConstant(value))
        return false;
    if (spec.isEmpty())
        return ScriptValues::toPyStr(value, out);
    // [[fill]align][sign][#][0][width][,_][.precision][type]
    int i = 0;
    QChar fill = u' ', align, sign;
    auto isAlign = [](QChar c) { return c == u'<' || c == u'>' || c == u'^' || c == u'='; };
    if (spec.size() > 1 && isAlign(spec[1])) {
        fill = spec[0];
        align = spec[1];
        i = 2;
    } else if (isAlign(spec[0])) {
        align = spec[0];
        i = 1;
    }
    if (i < spec.size() && (spec[i] == u'+' || spec[i] == u'-' || spec[i] == u' '))
        sign = spec[i++];
    if (i < spec.size() && spec[i] == u'#')
        return false;
    if (i < spec.size() && spec[i] == u'0' && align.isNull()) {
        fill = u'0';
        align = u'=';
        ++i;
    }
    int width = 0;
    while (i < spec.size() && spec[i].isDigit())
        width = width * 10 + spec[i++].digitValue();
    int precision = -1;
    if (i < spec.size() && spec[i] == u'.') {
        precision = 0;
        ++i;
        if (i >= spec.size() || !spec[i].isDigit())
            return false;
        while (i < spec.size() && spec[i].isDigit())
            precision = precision * 10 + spec[i++].digitValue();
    }
    QChar type = i < spec.size() ? spec[i++] : QChar();
    if (i != spec.size() || width > 1000 || precision > 100)
        return false;   // grouping, nested fields, unknown types
    const bool isInt = value.kind() == PyValue::Int || value.kind() == PyValue::Bool;
    const bool isNumber = isInt || value.kind() == PyValue::Float;
    QString text;
    if (value.isStr()) {
        if (!(type.isNull() || type == u's') || !sign.isNull() || align == u'=')
            return false;
        text = precision >= 0 ? value.toStr().left(precision) : value.toStr();
        *out = pad(text, width, fill, align.isNull() ? QChar(u'<') : align);
        return true;
    }
    if (!isNumber)
        return false;
    const double d = isInt ? double(value.toInt()) : value.toDouble();
    if (type.isNull() && isInt && precision < 0)
        type = u'd';
    if (type.isNull() || (isInt && precision >= 0 && type != u'f' && type != u'F' && type != u'e'
                          && type != u'E' && type != u'%'))
        return false;   // repr-style floats and the general format stay with Python
    const bool negative = isInt ? value.toInt() < 0 : std::signbit(d);
    const qint64 magnitude = isInt ? qAbs(value.toInt()) : 0;
    switch (type.unicode()) {
    case 'd': if (!isInt) return false; text = QString::number(magnitude); break;
    case 'x': case 'X': case 'o': case 'b':
        if (!isInt)
            return false;
        text = QString::number(magnitude, type == u'o' ? 8 : type == u'b' ? 2 : 16);
        if (type == u'X')
            text = text.toUpper();
        break;
    case 'f': case 'F': text = QString::number(qAbs(d), 'f', precision < 0 ? 6 : precision); break;
    case 'e': case 'E': {
        text = QString::number(qAbs(d), 'e', precision < 0 ? 6 : precision);   // Qt: e+05 like Python
        if (type == u'E')
            text = text.toUpper();
        break;
    }
    case '%': text = QString::number(qAbs(d) * 100, 'f', precision < 0 ? 6 : precision) + u'%'; break;
    default: return false;
    }
    if (!std::isfinite(d))
        return false;
    if (negative && (isInt ? magnitude != 0 : true))
        text.prepend(u'-');
    else if (sign == u'+' || sign == u' ')
        text.prepend(sign);
    *out = pad(text, width, fill, align.isNull() ? QChar(u'>') : align);
    return true;
}

ScriptFString::Status ScriptFString::format(const PyToken &t, const Evaluator &evaluate, QString *out,
                                            QString *message)
{
    const QString &s = t.value;
    const bool raw = t.flags & PyToken::Raw;
    QString literal;
    auto flush = [&] {
        *out += raw ? literal : PyStringDecoder::decodeStr(literal);
        literal.clear();
    };
    for (int i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if ((c == u'{' || c == u'}') && i + 1 < s.size() && s[i + 1] == c) {
            literal += c;
            ++i;
            continue;
        }
        if (c == u'}') {
            *message = QStringLiteral("f-string: single '}' is not allowed");
            return Failed;
        }
        if (c != u'{') {
            literal += c;
            continue;
        }
        flush();
        int bang = -1, colon = -1;
        const int close = fieldEnd(s, i, &bang, &colon);
        if (close < 0) {
            *message = QStringLiteral("f-string: expecting '}'");
            return Failed;
        }
        const int exprEnd = bang >= 0 ? bang : colon >= 0 ? colon : close;
        const QString expression = s.mid(i + 1, exprEnd - i - 1);
        const QString trimmed = expression.trimmed();
        if (trimmed.isEmpty()) {
            *message = QStringLiteral("f-string: empty expression not allowed");
            return Failed;
        }
        if (trimmed.endsWith(u'=') && !trimmed.endsWith(QLatin1String("=="))
            && !trimmed.endsWith(QLatin1String("!=")) && !trimmed.endsWith(QLatin1String("<="))
            && !trimmed.endsWith(QLatin1String(">="))) {
            *message = QStringLiteral("f-string");   // {x=} self-documenting fields
            return Needs;
        }
        const QString conversion = bang >= 0 ? s.mid(bang + 1, (colon >= 0 ? colon : close) - bang - 1) : QString();
        const QString spec = colon >= 0 ? s.mid(colon + 1, close - colon - 1) : QString();
        if (bang >= 0 && conversion != u"s" && conversion != u"r" && conversion != u"a") {
            *message = QStringLiteral("f-string: invalid conversion character");
            return Failed;
        }
        PyValue value;
        if (!evaluate(expression, &value))
            return Stopped;
        if (conversion == u"r" || conversion == u"a") {
            const QString repr = ScriptValues::isConstant(value) ? value.repr() : QString();
            bool ascii = true;
            for (const QChar ch : repr)
                ascii = ascii && ch.unicode() < 128;
            if (repr.isEmpty() || (conversion == u"a" && !ascii)) {
                *message = QStringLiteral("f-string");
                return Needs;
            }
            value = PyValue::string(repr);
        }
        QString text;
        if (spec.contains(u'{') || !formatValue(value, spec, &text)) {
            *message = QStringLiteral("f-string");
            return Needs;
        }
        *out += text;
        i = close;
    }
    flush();
    return Ok;
}

} // namespace retort
