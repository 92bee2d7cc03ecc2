#include "makostrmethods.h"

#include <QRegularExpression>

namespace retort {

namespace {

Error typeError(const QString &what)
{
    return Error(QStringLiteral("TypeError: %1").arg(what));
}

QString stripChars(const QString &s, const MakoValue &chars, bool left, bool right)
{
    auto strip = [&](QChar c) {
        return chars.isStr() ? chars.toStr().contains(c) : c.isSpace();
    };
    int begin = 0;
    int end = s.size();
    while (left && begin < end && strip(s.at(begin)))
        ++begin;
    while (right && end > begin && strip(s.at(end - 1)))
        --end;
    return s.mid(begin, end - begin);
}

MakoValue arg(const MakoArgs &args, int i, const MakoKwargs &kw = {}, const QString &name = {})
{
    if (i < args.size())
        return args.at(i);
    if (!name.isEmpty() && kw.contains(name))
        return kw.value(name);
    return MakoValue::none();
}

Result<MakoValue> join(const QString &sep, const MakoArgs &args)
{
    const MakoValue seq = arg(args, 0);
    if (!seq.isSequence())
        return typeError(QStringLiteral("can only join an iterable"));
    QStringList parts;
    for (const MakoValue &item : seq.items()) {
        if (!item.isStr())
            return typeError(QStringLiteral("sequence item %1: expected str instance, %2 found")
                                 .arg(parts.size()).arg(item.typeName()));
        parts.append(item.toStr());
    }
    return MakoValue::str(parts.join(sep));
}

Result<MakoValue> affix(const QString &s, const MakoArgs &args, bool prefix)
{
    const MakoValue a = arg(args, 0);
    MakoArgs options = a.isSequence() ? a.items() : MakoArgs{a};
    for (const MakoValue &o : options) {
        if (!o.isStr())
            return typeError(QStringLiteral("%1 first arg must be str or a tuple of str")
                                 .arg(prefix ? QStringLiteral("startswith") : QStringLiteral("endswith")));
        if (prefix ? s.startsWith(o.toStr()) : s.endsWith(o.toStr()))
            return MakoValue::boolean(true);
    }
    return MakoValue::boolean(false);
}

QString capitalize(const QString &s)
{
    return s.isEmpty() ? s : s.left(1).toUpper() + s.mid(1).toLower();
}

QString title(const QString &s)
{
    QString out;
    bool prevCased = false;
    for (QChar c : s) {
        out += prevCased ? c.toLower() : c.toUpper();
        prevCased = c.isLetter();
    }
    return out;
}

} // namespace

QStringList MakoStrMethods::split(const QString &s, const MakoValue &sep, int maxSplit)
{
    if (!sep.isStr()) {
        // Whitespace split: runs of whitespace, no empty strings at the ends.
        QStringList out;
        int i = 0;
        while (i < s.size()) {
            while (i < s.size() && s.at(i).isSpace())
                ++i;
            if (i >= s.size())
                break;
            if (maxSplit >= 0 && out.size() == maxSplit) {
                out.append(stripChars(s.mid(i), MakoValue::none(), false, true));
                break;
            }
            int j = i;
            while (j < s.size() && !s.at(j).isSpace())
                ++j;
            out.append(s.mid(i, j - i));
            i = j;
        }
        return out;
    }
    QStringList out;
    int start = 0;
    const QString &sp = sep.toStr();
    while (maxSplit < 0 || out.size() < maxSplit) {
        const int at = s.indexOf(sp, start);
        if (at < 0)
            break;
        out.append(s.mid(start, at - start));
        start = at + sp.size();
    }
    out.append(s.mid(start));
    return out;
}

MakoValue MakoStrMethods::bind(const QString &s, const QString &name)
{
    using R = Result<MakoValue>;
    auto make = [&](std::function<R(const MakoArgs &, const MakoKwargs &)> fn) {
        return MakoValue::function(name, std::move(fn));
    };
    if (name == QLatin1String("upper"))
        return make([s](const MakoArgs &, const MakoKwargs &) -> R { return MakoValue::str(s.toUpper()); });
    if (name == QLatin1String("lower"))
        return make([s](const MakoArgs &, const MakoKwargs &) -> R { return MakoValue::str(s.toLower()); });
    if (name == QLatin1String("capitalize"))
        return make([s](const MakoArgs &, const MakoKwargs &) -> R { return MakoValue::str(capitalize(s)); });
    if (name == QLatin1String("title"))
        return make([s](const MakoArgs &, const MakoKwargs &) -> R { return MakoValue::str(title(s)); });
    if (name == QLatin1String("strip") || name == QLatin1String("lstrip") || name == QLatin1String("rstrip")) {
        const bool left = name != QLatin1String("rstrip");
        const bool right = name != QLatin1String("lstrip");
        return make([s, left, right](const MakoArgs &a, const MakoKwargs &) -> R {
            return MakoValue::str(stripChars(s, arg(a, 0), left, right));
        });
    }
    if (name == QLatin1String("split"))
        return make([s](const MakoArgs &a, const MakoKwargs &kw) -> R {
            const MakoValue max = arg(a, 1, kw, QStringLiteral("maxsplit"));
            QStringList parts = split(s, arg(a, 0, kw, QStringLiteral("sep")),
                                      max.isInt() ? int(max.toInt()) : -1);
            MakoValue t = MakoValue::strTuple(parts);
            return MakoValue::list(t.items());
        });
    if (name == QLatin1String("join"))
        return make([s](const MakoArgs &a, const MakoKwargs &) -> R { return join(s, a); });
    if (name == QLatin1String("replace"))
        return make([s](const MakoArgs &a, const MakoKwargs &) -> R {
            if (!arg(a, 0).isStr() || !arg(a, 1).isStr())
                return typeError(QStringLiteral("replace() argument must be str"));
            return MakoValue::str(QString(s).replace(arg(a, 0).toStr(), arg(a, 1).toStr()));
        });
    if (name == QLatin1String("startswith") || name == QLatin1String("endswith")) {
        const bool prefix = name == QLatin1String("startswith");
        return make([s, prefix](const MakoArgs &a, const MakoKwargs &) -> R { return affix(s, a, prefix); });
    }
    return MakoValue();
}

} // namespace retort
