#include "pyvalue.h"

#include "pystrmethods.h"

#include <QLocale>
#include <cmath>

namespace retort {

PyValue PyValue::none()
{
    PyValue v;
    v.m_type = None;
    return v;
}

PyValue PyValue::boolean(bool b)
{
    PyValue v;
    v.m_type = Bool;
    v.m_int = b ? 1 : 0;
    return v;
}

PyValue PyValue::integer(qint64 i)
{
    PyValue v;
    v.m_type = Int;
    v.m_int = i;
    return v;
}

PyValue PyValue::floating(double d)
{
    PyValue v;
    v.m_type = Float;
    v.m_float = d;
    return v;
}

PyValue PyValue::str(const QString &s)
{
    PyValue v;
    v.m_type = Str;
    v.m_str = s;
    return v;
}

PyValue PyValue::tuple(const PyArgs &items)
{
    PyValue v;
    v.m_type = Tuple;
    v.m_items.reset(new PyArgs(items));
    return v;
}

PyValue PyValue::list(const PyArgs &items)
{
    PyValue v = tuple(items);
    v.m_type = List;
    return v;
}

PyValue PyValue::strTuple(const QStringList &items)
{
    PyArgs values;
    for (const QString &s : items)
        values.append(str(s));
    return tuple(values);
}

PyValue PyValue::function(const QString &name, PyFunction fn)
{
    PyValue v;
    v.m_type = Function;
    v.m_str = name;
    v.m_fn.reset(new PyFunction(std::move(fn)));
    return v;
}

PyValue PyValue::object(const QString &strForm, const QMap<QString, PyValue> &attributes)
{
    PyValue v;
    v.m_type = Object;
    v.m_str = strForm;
    v.m_attrs.reset(new QMap<QString, PyValue>(attributes));
    return v;
}

QString PyValue::typeName() const
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

bool PyValue::truthy() const
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

Result<QString> PyValue::pyStr() const
{
    if (m_type == Undefined)
        return Error(QStringLiteral("NameError: Undefined"));
    if (m_type == Str)
        return m_str;
    return pyRepr();
}

QString PyValue::reprFloat(double d)
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

static QString reprSequence(const PyArgs &items, bool isTuple)
{
    QStringList parts;
    for (const PyValue &item : items)
        parts.append(item.pyRepr());
    if (isTuple)
        return parts.size() == 1 ? QStringLiteral("(%1,)").arg(parts.first())
                                 : QStringLiteral("(%1)").arg(parts.join(QStringLiteral(", ")));
    return QStringLiteral("[%1]").arg(parts.join(QStringLiteral(", ")));
}

QString PyValue::pyRepr() const
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

QString PyValue::reprString(const QString &s)
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

bool PyValue::equals(const PyValue &o) const
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

Result<PyValue> PyValue::attribute(const QString &name) const
{
    if (m_type == Object && m_attrs->contains(name))
        return m_attrs->value(name);
    if (m_type == Str) {
        PyValue method = PyStrMethods::bind(m_str, name);
        if (method.type() == Function)
            return method;
    }
    if (m_type == Undefined)
        return Error(QStringLiteral("NameError: Undefined"));
    return Error(QStringLiteral("AttributeError: '%1' object has no attribute '%2'")
                     .arg(typeName(), name));
}

Result<PyValue> PyValue::call(const PyArgs &args, const PyKwargs &kwargs) const
{
    if (m_type != Function)
        return Error(QStringLiteral("TypeError: '%1' object is not callable").arg(typeName()));
    return (*m_fn)(args, kwargs);
}

} // namespace retort
