#include "makovalue.h"

#include "makostrmethods.h"

#include <QLocale>
#include <cmath>

namespace retort {

MakoValue MakoValue::none()
{
    MakoValue v;
    v.m_type = None;
    return v;
}

MakoValue MakoValue::boolean(bool b)
{
    MakoValue v;
    v.m_type = Bool;
    v.m_int = b ? 1 : 0;
    return v;
}

MakoValue MakoValue::integer(qint64 i)
{
    MakoValue v;
    v.m_type = Int;
    v.m_int = i;
    return v;
}

MakoValue MakoValue::floating(double d)
{
    MakoValue v;
    v.m_type = Float;
    v.m_float = d;
    return v;
}

MakoValue MakoValue::str(const QString &s)
{
    MakoValue v;
    v.m_type = Str;
    v.m_str = s;
    return v;
}

MakoValue MakoValue::tuple(const MakoArgs &items)
{
    MakoValue v;
    v.m_type = Tuple;
    v.m_items.reset(new MakoArgs(items));
    return v;
}

MakoValue MakoValue::list(const MakoArgs &items)
{
    MakoValue v = tuple(items);
    v.m_type = List;
    return v;
}

MakoValue MakoValue::strTuple(const QStringList &items)
{
    MakoArgs values;
    for (const QString &s : items)
        values.append(str(s));
    return tuple(values);
}

MakoValue MakoValue::function(const QString &name, MakoFunction fn)
{
    MakoValue v;
    v.m_type = Function;
    v.m_str = name;
    v.m_fn.reset(new MakoFunction(std::move(fn)));
    return v;
}

MakoValue MakoValue::object(const QString &strForm, const QMap<QString, MakoValue> &attributes)
{
    MakoValue v;
    v.m_type = Object;
    v.m_str = strForm;
    v.m_attrs.reset(new QMap<QString, MakoValue>(attributes));
    return v;
}

QString MakoValue::typeName() const
{
    switch (m_type) {
    case Undefined: return QStringLiteral("Undefined");
    case None: return QStringLiteral("NoneType");
    case Bool: return QStringLiteral("bool");
    case Int: return QStringLiteral("int");
    case Float: return QStringLiteral("float");
    case Str: return QStringLiteral("str");
    case Tuple: return QStringLiteral("tuple");
    case List: return QStringLiteral("list");
    case Function: return QStringLiteral("builtin_function_or_method");
    case Object: return QStringLiteral("object");
    }
    return {};
}

bool MakoValue::truthy() const
{
    switch (m_type) {
    case Undefined:
    case None: return false;
    case Bool:
    case Int: return m_int != 0;
    case Float: return m_float != 0.0;
    case Str: return !m_str.isEmpty();
    case Tuple:
    case List: return !m_items->isEmpty();
    case Function:
    case Object: return true;
    }
    return false;
}

Result<QString> MakoValue::pyStr() const
{
    if (m_type == Undefined)
        return Error(QStringLiteral("NameError: Undefined"));
    if (m_type == Str)
        return m_str;
    return pyRepr();
}

QString MakoValue::reprFloat(double d)
{
    if (std::isnan(d))
        return QStringLiteral("nan");
    if (std::isinf(d))
        return d < 0 ? QStringLiteral("-inf") : QStringLiteral("inf");
    QString s = QString::number(d, 'g', QLocale::FloatingPointShortest);
    // Python switches to exponent notation at 1e16; 'g' does earlier.
    if (s.contains(QLatin1Char('e')) && std::fabs(d) < 1e16 && std::fabs(d) >= 1e-4)
        s = QString::number(d, 'f', QLocale::FloatingPointShortest);
    if (!s.contains(QLatin1Char('.')) && !s.contains(QLatin1Char('e')))
        s += QStringLiteral(".0");
    return s;
}

static QString reprSequence(const MakoArgs &items, bool isTuple)
{
    QStringList parts;
    for (const MakoValue &item : items)
        parts.append(item.pyRepr());
    if (isTuple)
        return parts.size() == 1 ? QStringLiteral("(%1,)").arg(parts.first())
                                 : QStringLiteral("(%1)").arg(parts.join(QStringLiteral(", ")));
    return QStringLiteral("[%1]").arg(parts.join(QStringLiteral(", ")));
}

QString MakoValue::pyRepr() const
{
    switch (m_type) {
    case Undefined: return QStringLiteral("UNDEFINED");
    case None: return QStringLiteral("None");
    case Bool: return m_int ? QStringLiteral("True") : QStringLiteral("False");
    case Int: return QString::number(m_int);
    case Float: return reprFloat(m_float);
    case Str: return reprString(m_str);
    case Tuple: return reprSequence(*m_items, true);
    case List: return reprSequence(*m_items, false);
    case Function: return QStringLiteral("<built-in function %1>").arg(m_str);
    case Object: return m_str;
    }
    return {};
}

// Python's str.isprintable() for one code point, approximated with Qt's categories.
static bool isPrintable(uint ucs4)
{
    if (ucs4 == ' ')
        return true;
    switch (QChar::category(ucs4)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
    case QChar::Separator_Space:
        return false;
    default:
        return true;
    }
}

QString MakoValue::reprString(const QString &s)
{
    const QChar quote = (s.contains(QLatin1Char('\'')) && !s.contains(QLatin1Char('"')))
                            ? QLatin1Char('"') : QLatin1Char('\'');
    QString out(quote);
    for (uint c : s.toUcs4()) {
        if (c == quote.unicode() || c == '\\')
            out += QLatin1Char('\\') + QChar(c);
        else if (c == '\n')
            out += QStringLiteral("\\n");
        else if (c == '\r')
            out += QStringLiteral("\\r");
        else if (c == '\t')
            out += QStringLiteral("\\t");
        else if (!isPrintable(c))
            out += c < 0x100 ? QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'))
                 : c < 0x10000 ? QStringLiteral("\\u%1").arg(c, 4, 16, QLatin1Char('0'))
                               : QStringLiteral("\\U%1").arg(c, 8, 16, QLatin1Char('0'));
        else
            out += QString::fromUcs4(reinterpret_cast<const char32_t *>(&c), 1);
    }
    return out + quote;
}

bool MakoValue::equals(const MakoValue &o) const
{
    if (isNumber() && o.isNumber())
        return toDouble() == o.toDouble();
    if (m_type != o.m_type)
        return false;
    switch (m_type) {
    case Undefined:
    case None: return true;
    case Str: return m_str == o.m_str;
    case Tuple:
    case List: {
        if (m_items->size() != o.m_items->size())
            return false;
        for (int i = 0; i < m_items->size(); ++i)
            if (!m_items->at(i).equals(o.m_items->at(i)))
                return false;
        return true;
    }
    case Function: return m_fn == o.m_fn;
    case Object: return m_attrs == o.m_attrs;
    default: return false;
    }
}

Result<MakoValue> MakoValue::attribute(const QString &name) const
{
    if (m_type == Object && m_attrs->contains(name))
        return m_attrs->value(name);
    if (m_type == Str) {
        MakoValue method = MakoStrMethods::bind(m_str, name);
        if (method.type() == Function)
            return method;
    }
    if (m_type == Undefined)
        return Error(QStringLiteral("NameError: Undefined"));
    return Error(QStringLiteral("AttributeError: '%1' object has no attribute '%2'")
                     .arg(typeName(), name));
}

Result<MakoValue> MakoValue::call(const MakoArgs &args, const MakoKwargs &kwargs) const
{
    if (m_type != Function)
        return Error(QStringLiteral("TypeError: '%1' object is not callable").arg(typeName()));
    return (*m_fn)(args, kwargs);
}

} // namespace retort
