#include "makobuiltins.h"

#include "makostrmethods.h"

#include <QRegularExpression>
#include <QUrl>
#include <algorithm>

namespace retort {

namespace {

using R = Result<MakoValue>;

Error typeError(const QString &what)
{
    return Error(QStringLiteral("TypeError: %1").arg(what));
}

MakoValue arg(const MakoArgs &args, int i, const MakoKwargs &kw = {}, const QString &name = {})
{
    if (i < args.size())
        return args.at(i);
    if (!name.isEmpty() && kw.contains(name))
        return kw.value(name);
    return MakoValue();
}

Result<MakoValue> toStr(const MakoArgs &a, const MakoKwargs &)
{
    if (a.isEmpty())
        return MakoValue::str(QString());
    Result<QString> s = a.first().pyStr();
    if (!s)
        return s.error();
    return MakoValue::str(*s);
}

Result<MakoValue> toLen(const MakoArgs &a, const MakoKwargs &)
{
    const MakoValue v = arg(a, 0);
    if (v.isStr())
        return MakoValue::integer(v.toStr().size());
    if (v.isSequence())
        return MakoValue::integer(v.items().size());
    return typeError(QStringLiteral("object of type '%1' has no len()").arg(v.typeName()));
}

Result<MakoArgs> iterate(const MakoValue &v)
{
    if (v.isSequence())
        return v.items();
    if (v.isStr()) {
        MakoArgs chars;
        for (QChar c : v.toStr())
            chars.append(MakoValue::str(QString(c)));
        return chars;
    }
    return typeError(QStringLiteral("'%1' object is not iterable").arg(v.typeName()));
}

Result<MakoValue> toInt(const MakoArgs &a, const MakoKwargs &)
{
    const MakoValue v = arg(a, 0);
    if (v.isNumber())
        return MakoValue::integer(qint64(v.toDouble()));
    bool ok = false;
    const qint64 n = v.toStr().trimmed().toLongLong(&ok);
    if (v.isStr() && ok)
        return MakoValue::integer(n);
    return Error(QStringLiteral("ValueError: invalid literal for int() with base 10: %1").arg(v.pyRepr()));
}

Result<MakoValue> sorted(const MakoArgs &a, const MakoKwargs &)
{
    Result<MakoArgs> items = iterate(arg(a, 0));
    if (!items)
        return items.error();
    MakoArgs out = *items;
    std::stable_sort(out.begin(), out.end(), [](const MakoValue &x, const MakoValue &y) {
        return x.isStr() && y.isStr() ? x.toStr() < y.toStr() : x.toDouble() < y.toDouble();
    });
    return MakoValue::list(out);
}

// Python `re` syntax is close enough to PCRE for template patterns.
Result<QRegularExpression> compile(const MakoValue &pattern)
{
    if (!pattern.isStr())
        return typeError(QStringLiteral("first argument must be string or compiled pattern"));
    QRegularExpression re(pattern.toStr());
    if (!re.isValid())
        return Error(QStringLiteral("re.error: %1").arg(re.errorString()));
    return re;
}

Result<MakoValue> reSplit(const MakoArgs &a, const MakoKwargs &kw)
{
    Result<QRegularExpression> re = compile(arg(a, 0, kw, QStringLiteral("pattern")));
    if (!re)
        return re.error();
    const MakoValue s = arg(a, 1, kw, QStringLiteral("string"));
    if (!s.isStr())
        return typeError(QStringLiteral("expected string or bytes-like object"));
    const MakoValue max = arg(a, 2, kw, QStringLiteral("maxsplit"));
    const qint64 maxSplit = max.isInt() ? max.toInt() : 0;
    MakoArgs out;
    int start = 0;
    qint64 splits = 0;
    auto it = re->globalMatch(s.toStr());
    while (it.hasNext() && (maxSplit <= 0 || splits < maxSplit)) {
        const QRegularExpressionMatch m = it.next();
        out.append(MakoValue::str(s.toStr().mid(start, m.capturedStart() - start)));
        for (int g = 1; g <= re->captureCount(); ++g)   // groups are kept, as in Python
            out.append(m.hasCaptured(g) ? MakoValue::str(m.captured(g)) : MakoValue::none());
        start = m.capturedEnd();
        ++splits;
    }
    out.append(MakoValue::str(s.toStr().mid(start)));
    return MakoValue::list(out);
}

Result<MakoValue> reSub(const MakoArgs &a, const MakoKwargs &kw)
{
    Result<QRegularExpression> re = compile(arg(a, 0, kw, QStringLiteral("pattern")));
    if (!re)
        return re.error();
    const MakoValue repl = arg(a, 1, kw, QStringLiteral("repl"));
    const MakoValue s = arg(a, 2, kw, QStringLiteral("string"));
    if (!repl.isStr() || !s.isStr())
        return typeError(QStringLiteral("re.sub() needs str arguments"));
    QString replacement = repl.toStr();
    replacement.replace(QRegularExpression(QStringLiteral("\\\\g<(\\d+)>")), QStringLiteral("\\\\1"));
    return MakoValue::str(QString(s.toStr()).replace(*re, replacement));
}

Result<MakoValue> reFindall(const MakoArgs &a, const MakoKwargs &kw)
{
    Result<QRegularExpression> re = compile(arg(a, 0, kw, QStringLiteral("pattern")));
    if (!re)
        return re.error();
    const MakoValue s = arg(a, 1, kw, QStringLiteral("string"));
    MakoArgs out;
    auto it = re->globalMatch(s.toStr());
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out.append(MakoValue::str(m.captured(re->captureCount() == 1 ? 1 : 0)));
    }
    return MakoValue::list(out);
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
MakoValue textFilter(const QString &name, std::function<QString(const QString &)> fn)
{
    return MakoValue::function(name, [fn](const MakoArgs &a, const MakoKwargs &) -> R {
        Result<QString> s = arg(a, 0).pyStr();
        if (!s)
            return s.error();
        return MakoValue::str(fn(*s));
    });
}

} // namespace

Result<MakoValue> MakoBuiltins::formatAsComma(const MakoValue &value)
{
    if (value.isNone())
        return MakoValue::str(QString());
    if (value.isStr())
        return value;
    Result<MakoArgs> items = iterate(value);
    if (!items)
        return Error(QStringLiteral("ValueError: Don't know how to comma-format %1").arg(value.pyRepr()));
    QStringList parts;
    for (const MakoValue &item : *items) {
        if (!item.isStr())
            return typeError(QStringLiteral("sequence item %1: expected str instance, %2 found")
                                 .arg(parts.size()).arg(item.typeName()));
        parts.append(item.toStr());
    }
    return MakoValue::str(parts.join(QStringLiteral(", ")));
}

MakoValue MakoBuiltins::builtin(const QString &name)
{
    if (name == QLatin1String("repr"))
        return MakoValue::function(name, [](const MakoArgs &a, const MakoKwargs &) -> R {
            return MakoValue::str(arg(a, 0).pyRepr());
        });
    if (name == QLatin1String("str"))
        return MakoValue::function(name, toStr);
    if (name == QLatin1String("len"))
        return MakoValue::function(name, toLen);
    if (name == QLatin1String("int"))
        return MakoValue::function(name, toInt);
    if (name == QLatin1String("bool"))
        return MakoValue::function(name, [](const MakoArgs &a, const MakoKwargs &) -> R {
            return MakoValue::boolean(arg(a, 0).truthy());
        });
    if (name == QLatin1String("list") || name == QLatin1String("tuple")) {
        const bool isList = name == QLatin1String("list");
        return MakoValue::function(name, [isList](const MakoArgs &a, const MakoKwargs &) -> R {
            Result<MakoArgs> items = a.isEmpty() ? Result<MakoArgs>(MakoArgs()) : iterate(a.first());
            if (!items)
                return items.error();
            return isList ? MakoValue::list(*items) : MakoValue::tuple(*items);
        });
    }
    if (name == QLatin1String("sorted"))
        return MakoValue::function(name, sorted);
    return MakoValue();
}

MakoValue MakoBuiltins::reModule()
{
    return MakoValue::object(QStringLiteral("<module 're'>"),
                           {{QStringLiteral("split"), MakoValue::function(QStringLiteral("split"), reSplit)},
                            {QStringLiteral("sub"), MakoValue::function(QStringLiteral("sub"), reSub)},
                            {QStringLiteral("findall"), MakoValue::function(QStringLiteral("findall"), reFindall)}});
}

MakoValue MakoBuiltins::utilModule()
{
    auto comma = [](const MakoArgs &a, const MakoKwargs &) -> R { return formatAsComma(arg(a, 0)); };
    return MakoValue::object(QStringLiteral("<module 'alembic.util'>"),
                           {{QStringLiteral("format_as_comma"),
                             MakoValue::function(QStringLiteral("format_as_comma"), comma)}});
}

MakoValue MakoBuiltins::module(const QString &dottedName)
{
    if (dottedName == QLatin1String("re"))
        return reModule();
    if (dottedName == QLatin1String("alembic.util"))
        return utilModule();
    return MakoValue();
}

MakoValue MakoBuiltins::makoFilter(const QString &name)
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
        return MakoValue::function(name, toStr);
    return MakoValue();
}

} // namespace retort
