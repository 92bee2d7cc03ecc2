#include "pybuiltins.h"

#include "pystrmethods.h"

#include <QRegularExpression>
#include <QUrl>
#include <algorithm>

namespace retort {

namespace {

using R = Result<PyValue>;

Error typeError(const QString &what)
{
    return Error(QStringLiteral("TypeError: %1").arg(what));
}

PyValue arg(const PyArgs &args, int i, const PyKwargs &kw = {}, const QString &name = {})
{
    if (i < args.size())
        return args.at(i);
    if (!name.isEmpty() && kw.contains(name))
        return kw.value(name);
    return PyValue();
}

Result<PyValue> toStr(const PyArgs &a, const PyKwargs &)
{
    if (a.isEmpty())
        return PyValue::str(QString());
    Result<QString> s = a.first().pyStr();
    if (!s)
        return s.error();
    return PyValue::str(*s);
}

Result<PyValue> toLen(const PyArgs &a, const PyKwargs &)
{
    const PyValue v = arg(a, 0);
    if (v.isStr())
        return PyValue::integer(v.toStr().size());
    if (v.isSequence())
        return PyValue::integer(v.items().size());
    return typeError(QStringLiteral("object of type '%1' has no len()").arg(v.typeName()));
}

Result<PyArgs> iterate(const PyValue &v)
{
    if (v.isSequence())
        return v.items();
    if (v.isStr()) {
        PyArgs chars;
        for (QChar c : v.toStr())
            chars.append(PyValue::str(QString(c)));
        return chars;
    }
    return typeError(QStringLiteral("'%1' object is not iterable").arg(v.typeName()));
}

Result<PyValue> toInt(const PyArgs &a, const PyKwargs &)
{
    const PyValue v = arg(a, 0);
    if (v.isNumber())
        return PyValue::integer(qint64(v.toDouble()));
    bool ok = false;
    const qint64 n = v.toStr().trimmed().toLongLong(&ok);
    if (v.isStr() && ok)
        return PyValue::integer(n);
    return Error(QStringLiteral("ValueError: invalid literal for int() with base 10: %1").arg(v.pyRepr()));
}

Result<PyValue> sorted(const PyArgs &a, const PyKwargs &)
{
    Result<PyArgs> items = iterate(arg(a, 0));
    if (!items)
        return items.error();
    PyArgs out = *items;
    std::stable_sort(out.begin(), out.end(), [](const PyValue &x, const PyValue &y) {
        return x.isStr() && y.isStr() ? x.toStr() < y.toStr() : x.toDouble() < y.toDouble();
    });
    return PyValue::list(out);
}

// Python `re` syntax is close enough to PCRE for template patterns.
Result<QRegularExpression> compile(const PyValue &pattern)
{
    if (!pattern.isStr())
        return typeError(QStringLiteral("first argument must be string or compiled pattern"));
    QRegularExpression re(pattern.toStr());
    if (!re.isValid())
        return Error(QStringLiteral("re.error: %1").arg(re.errorString()));
    return re;
}

Result<PyValue> reSplit(const PyArgs &a, const PyKwargs &kw)
{
    Result<QRegularExpression> re = compile(arg(a, 0, kw, QStringLiteral("pattern")));
    if (!re)
        return re.error();
    const PyValue s = arg(a, 1, kw, QStringLiteral("string"));
    if (!s.isStr())
        return typeError(QStringLiteral("expected string or bytes-like object"));
    const PyValue max = arg(a, 2, kw, QStringLiteral("maxsplit"));
    const qint64 maxSplit = max.isInt() ? max.toInt() : 0;
    PyArgs out;
    int start = 0;
    qint64 splits = 0;
    auto it = re->globalMatch(s.toStr());
    while (it.hasNext() && (maxSplit <= 0 || splits < maxSplit)) {
        const QRegularExpressionMatch m = it.next();
        out.append(PyValue::str(s.toStr().mid(start, m.capturedStart() - start)));
        for (int g = 1; g <= re->captureCount(); ++g)   // groups are kept, as in Python
            out.append(m.hasCaptured(g) ? PyValue::str(m.captured(g)) : PyValue::none());
        start = m.capturedEnd();
        ++splits;
    }
    out.append(PyValue::str(s.toStr().mid(start)));
    return PyValue::list(out);
}

Result<PyValue> reSub(const PyArgs &a, const PyKwargs &kw)
{
    Result<QRegularExpression> re = compile(arg(a, 0, kw, QStringLiteral("pattern")));
    if (!re)
        return re.error();
    const PyValue repl = arg(a, 1, kw, QStringLiteral("repl"));
    const PyValue s = arg(a, 2, kw, QStringLiteral("string"));
    if (!repl.isStr() || !s.isStr())
        return typeError(QStringLiteral("re.sub() needs str arguments"));
    QString replacement = repl.toStr();
    replacement.replace(QRegularExpression(QStringLiteral("\\\\g<(\\d+)>")), QStringLiteral("\\\\1"));
    return PyValue::str(QString(s.toStr()).replace(*re, replacement));
}

Result<PyValue> reFindall(const PyArgs &a, const PyKwargs &kw)
{
    Result<QRegularExpression> re = compile(arg(a, 0, kw, QStringLiteral("pattern")));
    if (!re)
        return re.error();
    const PyValue s = arg(a, 1, kw, QStringLiteral("string"));
    PyArgs out;
    auto it = re->globalMatch(s.toStr());
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out.append(PyValue::str(m.captured(re->captureCount() == 1 ? 1 : 0)));
    }
    return PyValue::list(out);
}

QString markupEscape(const QString &s)
{
    QString out;
    for (QChar c : s) {
        switch (c.unicode()) {
        case '&': out += QStringLiteral("&amp;"); break;
        case '<': out += QStringLiteral("&lt;"); break;
        case '>': out += QStringLiteral("&gt;"); break;
        case '"': out += QStringLiteral("&#34;"); break;
        case '\'': out += QStringLiteral("&#39;"); break;
        default: out += c;
        }
    }
    return out;
}

// A filter that stringifies its argument then transforms the text.
PyValue textFilter(const QString &name, std::function<QString(const QString &)> fn)
{
    return PyValue::function(name, [fn](const PyArgs &a, const PyKwargs &) -> R {
        Result<QString> s = arg(a, 0).pyStr();
        if (!s)
            return s.error();
        return PyValue::str(fn(*s));
    });
}

} // namespace

Result<PyValue> PyBuiltins::formatAsComma(const PyValue &value)
{
    if (value.isNone())
        return PyValue::str(QString());
    if (value.isStr())
        return value;
    Result<PyArgs> items = iterate(value);
    if (!items)
        return Error(QStringLiteral("ValueError: Don't know how to comma-format %1").arg(value.pyRepr()));
    QStringList parts;
    for (const PyValue &item : *items) {
        if (!item.isStr())
            return typeError(QStringLiteral("sequence item %1: expected str instance, %2 found")
                                 .arg(parts.size()).arg(item.typeName()));
        parts.append(item.toStr());
    }
    return PyValue::str(parts.join(QStringLiteral(", ")));
}

PyValue PyBuiltins::builtin(const QString &name)
{
    if (name == QLatin1String("repr"))
        return PyValue::function(name, [](const PyArgs &a, const PyKwargs &) -> R {
            return PyValue::str(arg(a, 0).pyRepr());
        });
    if (name == QLatin1String("str"))
        return PyValue::function(name, toStr);
    if (name == QLatin1String("len"))
        return PyValue::function(name, toLen);
    if (name == QLatin1String("int"))
        return PyValue::function(name, toInt);
    if (name == QLatin1String("bool"))
        return PyValue::function(name, [](const PyArgs &a, const PyKwargs &) -> R {
            return PyValue::boolean(arg(a, 0).truthy());
        });
    if (name == QLatin1String("list") || name == QLatin1String("tuple")) {
        const bool isList = name == QLatin1String("list");
        return PyValue::function(name, [isList](const PyArgs &a, const PyKwargs &) -> R {
            Result<PyArgs> items = a.isEmpty() ? Result<PyArgs>(PyArgs()) : iterate(a.first());
            if (!items)
                return items.error();
            return isList ? PyValue::list(*items) : PyValue::tuple(*items);
        });
    }
    if (name == QLatin1String("sorted"))
        return PyValue::function(name, sorted);
    return PyValue();
}

PyValue PyBuiltins::reModule()
{
    return PyValue::object(QStringLiteral("<module 're'>"),
                           {{QStringLiteral("split"), PyValue::function(QStringLiteral("split"), reSplit)},
                            {QStringLiteral("sub"), PyValue::function(QStringLiteral("sub"), reSub)},
                            {QStringLiteral("findall"), PyValue::function(QStringLiteral("findall"), reFindall)}});
}

PyValue PyBuiltins::utilModule()
{
    auto comma = [](const PyArgs &a, const PyKwargs &) -> R { return formatAsComma(arg(a, 0)); };
    return PyValue::object(QStringLiteral("<module 'alembic.util'>"),
                           {{QStringLiteral("format_as_comma"),
                             PyValue::function(QStringLiteral("format_as_comma"), comma)}});
}

PyValue PyBuiltins::module(const QString &dottedName)
{
    if (dottedName == QLatin1String("re"))
        return reModule();
    if (dottedName == QLatin1String("alembic.util"))
        return utilModule();
    return PyValue();
}

PyValue PyBuiltins::makoFilter(const QString &name)
{
    if (name == QLatin1String("h"))
        return textFilter(name, markupEscape);
    if (name == QLatin1String("x"))
        return textFilter(name, markupEscape);   // Mako's xml_escape escapes the same five
    if (name == QLatin1String("trim"))
        return textFilter(name, [](const QString &s) { return s.trimmed(); });
    if (name == QLatin1String("u"))
        return textFilter(name, [](const QString &s) {
            return QString::fromLatin1(QUrl::toPercentEncoding(s, QByteArrayLiteral(" "), {}))
                .replace(QLatin1Char(' '), QLatin1Char('+'));
        });
    if (name == QLatin1String("str") || name == QLatin1String("unicode"))
        return PyValue::function(name, toStr);
    return PyValue();
}

} // namespace retort
