#include "percentformat.h"

#include <cmath>

namespace retort {

namespace {

struct Spec
{
    QString flags;
    int width = -1;
    int precision = -1;
    QChar conversion;
};

Error typeError(const QString &what)
{
    return Error(QStringLiteral("TypeError: %1").arg(what));
}

QString pad(const QString &body, const Spec &spec, bool numeric)
{
    if (spec.width <= body.size())
        return body;
    const int fill = spec.width - body.size();
    if (spec.flags.contains(QLatin1Char('-')))
        return body + QString(fill, QLatin1Char(' '));
    if (numeric && spec.flags.contains(QLatin1Char('0'))) {
        // Zeros go after the sign.
        const bool sign = body.startsWith(QLatin1Char('-')) || body.startsWith(QLatin1Char('+'))
                          || body.startsWith(QLatin1Char(' '));
        return sign ? body.left(1) + QString(fill, QLatin1Char('0')) + body.mid(1)
                    : QString(fill, QLatin1Char('0')) + body;
    }
    return QString(fill, QLatin1Char(' ')) + body;
}

QString signPrefix(bool negative, const Spec &spec)
{
    if (negative)
        return QStringLiteral("-");
    if (spec.flags.contains(QLatin1Char('+')))
        return QStringLiteral("+");
    if (spec.flags.contains(QLatin1Char(' ')))
        return QStringLiteral(" ");
    return {};
}

Result<QString> formatInteger(const MakoValue &v, const Spec &spec)
{
    if (!v.isNumber())
        return typeError(QStringLiteral("%%%1 format: %2 is required, not %3")
                             .arg(spec.conversion)
                             .arg(spec.conversion == QLatin1Char('d') || spec.conversion == QLatin1Char('i')
                                      ? QStringLiteral("a real number") : QStringLiteral("an integer"))
                             .arg(v.typeName()));
    const qint64 n = v.type() == MakoValue::Float ? qint64(std::trunc(v.toDouble())) : v.toInt();
    const quint64 mag = n < 0 ? quint64(-(n + 1)) + 1 : quint64(n);
    QString digits;
    const QChar c = spec.conversion;
    if (c == QLatin1Char('x') || c == QLatin1Char('X'))
        digits = QString::number(mag, 16);
    else if (c == QLatin1Char('o'))
        digits = QString::number(mag, 8);
    else
        digits = QString::number(mag);
    if (c == QLatin1Char('X'))
        digits = digits.toUpper();
    if (spec.precision > digits.size())
        digits = QString(spec.precision - digits.size(), QLatin1Char('0')) + digits;
    if (spec.flags.contains(QLatin1Char('#')) && c != QLatin1Char('d') && c != QLatin1Char('i'))
        digits = (c == QLatin1Char('o') ? QStringLiteral("0o") : QStringLiteral("0") + c) + digits;
    return pad(signPrefix(n < 0, spec) + digits, spec, true);
}

Result<QString> formatFloat(const MakoValue &v, const Spec &spec)
{
    if (!v.isNumber())
        return typeError(QStringLiteral("must be real number, not %1").arg(v.typeName()));
    const double d = v.toDouble();
    const int prec = spec.precision < 0 ? 6 : spec.precision;
    char conv = char(spec.conversion.toLatin1());
    if (conv == 'F')
        conv = 'f';
    QString body = QString::number(std::fabs(d), conv, prec);
    if (spec.flags.contains(QLatin1Char('#')) && !body.contains(QLatin1Char('.')) && prec == 0)
        body += QLatin1Char('.');
    return pad(signPrefix(std::signbit(d) && d != 0.0, spec) + body, spec, true);
}

Result<QString> formatOne(const MakoValue &v, const Spec &spec)
{
    const QChar c = spec.conversion;
    if (c == QLatin1Char('s') || c == QLatin1Char('r') || c == QLatin1Char('a')) {
        QString text;
        if (c == QLatin1Char('s')) {
            Result<QString> s = v.pyStr();
            if (!s)
                return s.error();
            text = *s;
        } else {
            text = v.pyRepr();
        }
        if (spec.precision >= 0)
            text = text.left(spec.precision);
        return pad(text, spec, false);
    }
    if (c == QLatin1Char('d') || c == QLatin1Char('i') || c == QLatin1Char('u')
        || c == QLatin1Char('x') || c == QLatin1Char('X') || c == QLatin1Char('o'))
        return formatInteger(v, spec);
    if (QStringLiteral("eEfFgG").contains(c))
        return formatFloat(v, spec);
    if (c == QLatin1Char('c')) {
        if (v.isStr() && v.toStr().size() == 1)
            return pad(v.toStr(), spec, false);
        if (v.isInt())
            return pad(QString(QChar(char16_t(v.toInt()))), spec, false);
        return typeError(QStringLiteral("%c requires int or char"));
    }
    return Error(QStringLiteral("ValueError: unsupported format character '%1' (0x%2)")
                     .arg(c).arg(c.unicode(), 0, 16));
}

// Parses flags, width and precision after the '%' (and the optional "(key)").
bool parseSpec(const QString &fmt, int &i, Spec &spec)
{
    while (i < fmt.size() && QStringLiteral("-+ #0").contains(fmt.at(i)))
        spec.flags += fmt.at(i++);
    auto number = [&](int &out) {
        const int start = i;
        while (i < fmt.size() && fmt.at(i).isDigit())
            ++i;
        if (i > start)
            out = fmt.mid(start, i - start).toInt();
        else if (out == -2)
            out = 0;
    };
    number(spec.width);
    if (i < fmt.size() && fmt.at(i) == QLatin1Char('.')) {
        ++i;
        spec.precision = -2;   // "." with no digits means precision 0
        number(spec.precision);
    }
    while (i < fmt.size() && QStringLiteral("hlL").contains(fmt.at(i)))
        ++i;
    if (i >= fmt.size())
        return false;
    spec.conversion = fmt.at(i++);
    return true;
}

} // namespace

Result<QString> PercentFormat::format(const QString &fmt, const MakoValue &args)
{
    if (args.type() == MakoValue::Tuple)
        return run(fmt, &args.items(), nullptr, false);
    const MakoArgs single{args};
    return run(fmt, &single, nullptr, true);
}

Result<QString> PercentFormat::format(const QString &fmt, const QMap<QString, MakoValue> &mapping)
{
    return run(fmt, nullptr, &mapping, false);
}

Result<QString> PercentFormat::run(const QString &fmt, const MakoArgs *positional,
                                     const QMap<QString, MakoValue> *mapping, bool singleIsMapping)
{
    Q_UNUSED(singleIsMapping)
    QString out;
    int next = 0;
    int i = 0;
    while (i < fmt.size()) {
        const QChar ch = fmt.at(i++);
        if (ch != QLatin1Char('%')) {
            out += ch;
            continue;
        }
        if (i < fmt.size() && fmt.at(i) == QLatin1Char('%')) {
            out += QLatin1Char('%');
            ++i;
            continue;
        }
        QString key;
        bool keyed = false;
        if (i < fmt.size() && fmt.at(i) == QLatin1Char('(')) {
            const int close = fmt.indexOf(QLatin1Char(')'), i);
            if (close < 0)
                return Error(QStringLiteral("ValueError: incomplete format key"));
            key = fmt.mid(i + 1, close - i - 1);
            keyed = true;
            i = close + 1;
        }
        Spec spec;
        if (!parseSpec(fmt, i, spec))
            return Error(QStringLiteral("ValueError: incomplete format"));
        MakoValue value;
        if (keyed) {
            if (!mapping)
                return typeError(QStringLiteral("format requires a mapping"));
            if (!mapping->contains(key))
                return Error(QStringLiteral("KeyError: %1").arg(MakoValue::reprString(key)));
            value = mapping->value(key);
        } else if (positional) {
            if (next >= positional->size())
                return typeError(QStringLiteral("not enough arguments for format string"));
            value = positional->at(next++);
        } else {
            // A mapping was given but this conversion has no key: Python formats the dict itself.
            return typeError(QStringLiteral("format requires a mapping"));
        }
        Result<QString> piece = formatOne(value, spec);
        if (!piece)
            return piece.error();
        out += *piece;
    }
    if (positional && next < positional->size())
        return typeError(QStringLiteral("not all arguments converted during string formatting"));
    return out;
}

} // namespace retort
