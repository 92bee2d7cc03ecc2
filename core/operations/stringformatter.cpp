#include "stringformatter.h"

#include "scriptvalues.h"

#include <cstdio>

namespace retort {

namespace {

// A width or precision beyond what is folded (Python itself runs out of memory there);
// reading on would overflow int (found by the fuzzer).
constexpr int TooBig = -2;

// Reads digits at fmt[*i]; -1 when there are none, TooBig above a million.
int readNumber(const QString &fmt, int *i)
{
    int n = -1;
    while (*i < fmt.size() && fmt[*i].isDigit()) {
        if (n != TooBig)
            n = n > 100000 ? TooBig : (n < 0 ? 0 : n * 10) + fmt[*i].digitValue();
        ++*i;
    }
    return n;
}

QString printfFixed(double d, int precision)
{
    const int n = std::snprintf(nullptr, 0, "%.*f", precision, d);
    QByteArray buf(n + 1, '\0');
    std::snprintf(buf.data(), buf.size(), "%.*f", precision, d);
    return QString::fromLatin1(buf.constData(), n);
}

const PyValue *dictLookup(const PyValue &dict, const QString &key)
{
    for (const auto &kv : dict.dictItems())
        if (kv.first.isStr() && kv.first.toStr() == key)
            return &kv.second;
    return nullptr;
}

} // namespace

bool StringFormatter::percent(const QString &fmt, const PyValue &args, QString *out)
{
    const bool mapping = args.kind() == PyValue::Dict;
    const QVector<PyValue> items = args.kind() == PyValue::Tuple ? args.items() : QVector<PyValue>{args};
    int next = 0;
    bool usedKey = false;
    QString result;
    for (int i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != u'%') {
            result += fmt[i];
            continue;
        }
        if (++i >= fmt.size())
            return false;
        const PyValue *value = nullptr;
        if (fmt[i] == u'(') {
            const int close = fmt.indexOf(u')', i);
            if (!mapping || close < 0)
                return false;
            value = dictLookup(args, fmt.mid(i + 1, close - i - 1));
            if (!value)
                return false;
            usedKey = true;
            i = close + 1;
        }
        Spec spec;
        while (i < fmt.size() && QStringLiteral("-+ 0#").contains(fmt[i]))
            spec.flags += fmt[i++];
        spec.width = readNumber(fmt, &i);
        if (i < fmt.size() && fmt[i] == u'.') {
            ++i;
            spec.precision = readNumber(fmt, &i);
            if (spec.precision != TooBig)
                spec.precision = qMax(0, spec.precision);
        }
        if (spec.width == TooBig || spec.precision == TooBig)
            return false;   // not folded: left to Python
        while (i < fmt.size() && (fmt[i] == u'h' || fmt[i] == u'l' || fmt[i] == u'L'))
            ++i;
        if (i >= fmt.size())
            return false;
        spec.type = fmt[i];
        if (spec.type == u'%') {
            result += u'%';
            continue;
        }
        if (!value) {
            if (next >= items.size())
                return false;
            value = &items[next++];
        }
        QString piece;
        if (!convert(spec, *value, &piece))
            return false;
        result += piece;
    }
    // Unused positional arguments are a TypeError in Python.
    if (!mapping && !usedKey && args.kind() == PyValue::Tuple && next != items.size())
        return false;
    *out = result;
    return true;
}

bool StringFormatter::convert(const Spec &spec, const PyValue &v, QString *out)
{
    const QChar t = spec.type;
    if (t == u's' || t == u'r' || t == u'a') {
        QString text;
        if (t == u's') {
            if (!ScriptValues::toPyStr(v, &text))
                return false;
        } else {
            if (!ScriptValues::isConstant(v))
                return false;
            text = v.repr();
        }
        if (spec.precision >= 0)
            text.truncate(spec.precision);
        *out = pad(spec, text, false);
        return true;
    }
    if (!ScriptValues::isNumber(v))
        return false;
    const double d = v.kind() == PyValue::Float ? v.toDouble() : double(v.toInt());
    const qint64 n = v.kind() == PyValue::Float ? qint64(d) : v.toInt();
    QString text;
    if (t == u'd' || t == u'i' || t == u'u')
        text = QString::number(n);
    else if (t == u'f' || t == u'F')
        // printf rounds exact ties to even, as Python does; QString::number does not.
        text = printfFixed(d, spec.precision < 0 ? 6 : spec.precision);
    else if ((t == u'x' || t == u'X' || t == u'o') && v.kind() != PyValue::Float)
        text = (n < 0 ? QStringLiteral("-") : QString())
               + QString::number(qAbs(n), t == u'o' ? 8 : 16);
    else
        return false;
    if (t == u'X')
        text = text.toUpper();
    if (spec.flags.contains(u'+') && !text.startsWith(u'-'))
        text.prepend(u'+');
    else if (spec.flags.contains(u' ') && !text.startsWith(u'-'))
        text.prepend(u' ');
    *out = pad(spec, text, true);
    return true;
}

QString StringFormatter::pad(const Spec &spec, QString text, bool numeric)
{
    if (spec.width <= text.size())
        return text;
    const int fill = spec.width - int(text.size());
    if (spec.flags.contains(u'-'))
        return text + QString(fill, u' ');
    if (numeric && spec.flags.contains(u'0')) {
        const bool sign = text.startsWith(u'-') || text.startsWith(u'+') || text.startsWith(u' ');
        text.insert(sign ? 1 : 0, QString(fill, u'0'));
        return text;
    }
    return QString(fill, u' ') + text;
}

bool StringFormatter::brace(const QString &fmt, const QVector<PyValue> &args,
                            const QVector<QPair<QString, PyValue>> &kwargs, QString *out)
{
    QString result;
    int autoIndex = 0;
    for (int i = 0; i < fmt.size(); ++i) {
        const QChar c = fmt[i];
        if (c == u'}') {
            if (i + 1 < fmt.size() && fmt[i + 1] == u'}') {
                result += c;
                ++i;
                continue;
            }
            return false;
        }
        if (c != u'{') {
            result += c;
            continue;
        }
        if (i + 1 < fmt.size() && fmt[i + 1] == u'{') {
            result += c;
            ++i;
            continue;
        }
        const int close = fmt.indexOf(u'}', i);
        if (close < 0)
            return false;
        QString field = fmt.mid(i + 1, close - i - 1);
        i = close;
        QChar conversion = u's';
        if (field.contains(u':'))
            return false;
        if (const int bang = field.indexOf(u'!'); bang >= 0) {
            if (bang + 2 != field.size())
                return false;
            conversion = field[bang + 1];
            field.truncate(bang);
        }
        const PyValue *value = nullptr;
        bool isIndex = false;
        const int index = field.isEmpty() ? autoIndex++ : field.toInt(&isIndex);
        if (field.isEmpty() || isIndex) {
            if (index < 0 || index >= args.size())
                return false;
            value = &args[index];
        } else {
            for (const auto &kw : kwargs)
                if (kw.first == field)
                    value = &kw.second;
            if (!value)
                return false;
        }
        QString piece;
        Spec spec;
        spec.type = conversion;
        if ((conversion != u's' && conversion != u'r') || !convert(spec, *value, &piece))
            return false;
        result += piece;
    }
    *out = result;
    return true;
}

} // namespace retort
