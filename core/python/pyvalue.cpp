#include "pyvalue.h"

#include <QLocale>

#include <cmath>

namespace retort {

struct PyValue::Composite
{
    QByteArray bytes;
    QVector<PyValue> items;
    QVector<QPair<PyValue, PyValue>> dict;
    QVector<QPair<QString, PyValue>> kwargs;
};

const PyValue::Composite &PyValue::composite() const
{
    static const Composite empty;
    return m_composite ? *m_composite : empty;
}

const QByteArray &PyValue::toBytes() const { return composite().bytes; }
const QVector<PyValue> &PyValue::items() const { return composite().items; }
const QVector<QPair<PyValue, PyValue>> &PyValue::dictItems() const { return composite().dict; }
const QVector<QPair<QString, PyValue>> &PyValue::kwargs() const { return composite().kwargs; }

PyValue PyValue::boolean(bool b)
{
    PyValue v;
    v.m_kind = Bool;
    v.m_int = b ? 1 : 0;
    return v;
}

PyValue PyValue::integer(qint64 i, const QString &text)
{
    PyValue v;
    v.m_kind = Int;
    v.m_int = i;
    v.m_str = text.isEmpty() ? QString::number(i) : text;
    return v;
}

PyValue PyValue::floating(double d, const QString &text)
{
    PyValue v;
    v.m_kind = Float;
    v.m_float = d;
    v.m_str = text;
    return v;
}

PyValue PyValue::string(const QString &s)
{
    PyValue v;
    v.m_kind = Str;
    v.m_str = s;
    return v;
}

PyValue PyValue::bytes(const QByteArray &b)
{
    PyValue v;
    v.m_kind = Bytes;
    v.m_composite = std::make_shared<const Composite>(Composite{b, {}, {}, {}});
    return v;
}

PyValue PyValue::tuple(QVector<PyValue> items)
{
    PyValue v;
    v.m_kind = Tuple;
    v.m_composite = std::make_shared<const Composite>(Composite{{}, std::move(items), {}, {}});
    return v;
}

PyValue PyValue::list(QVector<PyValue> items)
{
    PyValue v = tuple(std::move(items));
    v.m_kind = List;
    return v;
}

PyValue PyValue::set(QVector<PyValue> items)
{
    PyValue v = tuple(std::move(items));
    v.m_kind = Set;
    return v;
}

PyValue PyValue::dict(QVector<QPair<PyValue, PyValue>> items)
{
    PyValue v;
    v.m_kind = Dict;
    v.m_composite = std::make_shared<const Composite>(Composite{{}, {}, std::move(items), {}});
    return v;
}

PyValue PyValue::name(const QString &dotted)
{
    PyValue v;
    v.m_kind = Name;
    v.m_str = dotted;
    return v;
}

PyValue PyValue::call(PyValue callee, QVector<PyValue> args, QVector<QPair<QString, PyValue>> kwargs)
{
    PyValue v;
    v.m_kind = Call;
    QVector<PyValue> items;
    items.reserve(args.size() + 1);
    items.append(std::move(callee));
    items.append(std::move(args));
    v.m_composite = std::make_shared<const Composite>(
        Composite{{}, std::move(items), {}, std::move(kwargs)});
    return v;
}

PyValue PyValue::subscript(PyValue target, PyValue index)
{
    PyValue v;
    v.m_kind = Subscript;
    v.m_composite = std::make_shared<const Composite>(
        Composite{{}, {std::move(target), std::move(index)}, {}, {}});
    return v;
}

const PyValue *PyValue::kwarg(const QString &name) const
{
    for (const auto &kw : composite().kwargs)
        if (kw.first == name)
            return &kw.second;
    return nullptr;
}

QString PyValue::calleeName() const
{
    if (m_kind != Call || callee().kind() != Name)
        return {};
    return callee().toStr();
}

bool PyValue::truthy() const
{
    switch (m_kind) {
    case None: return false;
    case Bool:
    case Int: return m_int != 0;
    case Float: return m_float != 0.0;
    case Str: return !m_str.isEmpty();
    case Bytes: return !composite().bytes.isEmpty();
    case Tuple:
    case List:
    case Set: return !composite().items.isEmpty();
    case Dict: return !composite().dict.isEmpty();
    default: return true;
    }
}

std::optional<QStringList> PyValue::toStringTuple(bool *ok) const
{
    if (ok)
        *ok = true;
    if (m_kind == None)
        return std::nullopt;
    if (m_kind == Str)
        return QStringList{m_str};
    if (m_kind == Tuple || m_kind == List || m_kind == Set) {
        QStringList out;
        for (const PyValue &item : composite().items) {
            if (item.kind() != Str) {
                if (ok)
                    *ok = false;
                return std::nullopt;
            }
            out.append(item.toStr());
        }
        return out;
    }
    if (ok)
        *ok = false;
    return std::nullopt;
}

namespace {

QString reprStr(const QString &s)
{
    // Python prefers single quotes unless the text contains ' and no ".
    const QChar q = (s.contains(u'\'') && !s.contains(u'"')) ? u'"' : u'\'';
    QString out(q);
    for (QChar c : s) {
        switch (c.unicode()) {
        case '\\': out += QStringLiteral("\\\\"); break;
        case '\n': out += QStringLiteral("\\n"); break;
        case '\r': out += QStringLiteral("\\r"); break;
        case '\t': out += QStringLiteral("\\t"); break;
        default:
            if (c == q)
                out += u'\\';
            if (c.unicode() < 32 || c.unicode() == 127)
                out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out + q;
}

QString reprBytes(const QByteArray &b)
{
    const QChar q = (b.contains('\'') && !b.contains('"')) ? u'"' : u'\'';
    QString out = QStringLiteral("b") + q;
    for (char ch : b) {
        const uchar c = uchar(ch);
        if (c == '\\') out += QStringLiteral("\\\\");
        else if (c == '\n') out += QStringLiteral("\\n");
        else if (c == '\r') out += QStringLiteral("\\r");
        else if (c == '\t') out += QStringLiteral("\\t");
        else if (c < 32 || c >= 127) out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        else {
            if (QChar(c) == q) out += u'\\';
            out += QChar(c);
        }
    }
    return out + q;
}

// Python's float repr: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16.
QString reprFloat(double d)
{
    if (std::isnan(d))
        return QStringLiteral("nan");
    if (std::isinf(d))
        return d < 0 ? QStringLiteral("-inf") : QStringLiteral("inf");
    const QString e = QString::number(d, 'e', QLocale::FloatingPointShortest);
    const int exp = e.mid(e.indexOf(u'e') + 1).toInt();
    if (d != 0 && (exp < -4 || exp >= 16))
        return e;
    QString f = QString::number(d, 'f', QLocale::FloatingPointShortest);
    if (!f.contains(u'.'))
        f += QStringLiteral(".0");
    return f;
}

QString joinRepr(const QVector<PyValue> &items)
{
    QStringList parts;
    for (const PyValue &v : items)
        parts.append(v.repr());
    return parts.join(QStringLiteral(", "));
}

} // namespace

QString PyValue::repr() const
{
    switch (m_kind) {
    case None: return QStringLiteral("None");
    case Bool: return m_int ? QStringLiteral("True") : QStringLiteral("False");
    case Int: return QString::number(m_int);
    case Float: return reprFloat(m_float);
    case Str: return reprStr(m_str);
    case Bytes: return reprBytes(composite().bytes);
    case Tuple:
        return composite().items.size() == 1
                   ? QStringLiteral("(%1,)").arg(composite().items[0].repr())
                   : QStringLiteral("(%1)").arg(joinRepr(composite().items));
    case List: return QStringLiteral("[%1]").arg(joinRepr(composite().items));
    case Set: return composite().items.isEmpty()
                         ? QStringLiteral("set()")
                         : QStringLiteral("{%1}").arg(joinRepr(composite().items));
    case Dict: {
        QStringList parts;
        for (const auto &kv : composite().dict)
            parts.append(kv.first.repr() + QStringLiteral(": ") + kv.second.repr());
        return QStringLiteral("{%1}").arg(parts.join(QStringLiteral(", ")));
    }
    case Name: return m_str;
    case Call: {
        QStringList parts;
        for (int i = 1; i < composite().items.size(); ++i)
            parts.append(composite().items[i].repr());
        for (const auto &kw : composite().kwargs)
            parts.append(kw.first + u'=' + kw.second.repr());
        return callee().repr() + u'(' + parts.join(QStringLiteral(", ")) + u')';
    }
    case Subscript: return target().repr() + u'[' + index().repr() + u']';
    }
    return {};
}

bool PyValue::operator==(const PyValue &o) const
{
    if (m_kind != o.m_kind)
        return false;
    switch (m_kind) {
    case None: return true;
    case Bool:
    case Int: return m_int == o.m_int;
    case Float: return m_float == o.m_float;
    case Str:
    case Name: return m_str == o.m_str;
    case Bytes: return composite().bytes == o.composite().bytes;
    case Dict: return composite().dict == o.composite().dict;
    case Call:
        return composite().items == o.composite().items
               && composite().kwargs == o.composite().kwargs;
    default: return composite().items == o.composite().items;
    }
}

} // namespace retort
