#include "builtinfolder.h"

#include "python/pylimits.h"
#include "scriptvalues.h"

#include <QSet>

#include <algorithm>
#include <climits>

namespace retort {

namespace {

bool isInt(const PyValue &v)
{
    return v.kind() == PyValue::Int || v.kind() == PyValue::Bool;
}

// Values sorted/min/max can order like Python: all numbers, or all str.
bool orderable(const QVector<PyValue> &items, bool *numbers)
{
    *numbers = !items.isEmpty() && ScriptValues::isNumber(items.first());
    for (const PyValue &v : items)
        if (*numbers ? !ScriptValues::isNumber(v) : !v.isStr())
            return false;
    return true;
}

double number(const PyValue &v)
{
    return v.kind() == PyValue::Float ? v.toDouble() : double(v.toInt());
}

bool less(const PyValue &a, const PyValue &b, bool numbers)
{
    return numbers ? number(a) < number(b) : a.toStr() < b.toStr();   // code points, as Python
}

BuiltinFolder::Status range(const QVector<PyValue> &args, PyValue *out)
{
    if (args.isEmpty() || args.size() > 3)
        return BuiltinFolder::Unsupported;
    for (const PyValue &a : args)
        if (!isInt(a))
            return BuiltinFolder::Unsupported;
    const qint64 start = args.size() > 1 ? args[0].toInt() : 0;
    const qint64 stop = args.size() > 1 ? args[1].toInt() : args[0].toInt();
    const qint64 step = args.size() > 2 ? args[2].toInt() : 1;
    if (step == 0)
        return BuiltinFolder::Unsupported;   // ValueError: Python says so
    const qint64 count = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0)
                                  : (start > stop ? (start - stop - step - 1) / -step : 0);
    if (count > PyLimits::MaxSequenceLength)
        return BuiltinFolder::Unsupported;
    QVector<PyValue> items;
    items.reserve(int(count));
    for (qint64 i = 0, v = start; i < count; ++i, v += step)
        items.append(PyValue::integer(v));
    *out = PyValue::list(items);
    return BuiltinFolder::Folded;
}

} // namespace

bool BuiltinFolder::isFoldable(const QString &builtin)
{
    static const QSet<QString> names = {"range", "len", "enumerate", "zip", "list", "tuple", "str",
                                        "int", "bool", "sorted", "reversed", "min", "max", "dict"};
    return names.contains(builtin);
}

bool BuiltinFolder::iterate(const PyValue &v, QVector<PyValue> *items)
{
    switch (v.kind()) {
    case PyValue::List:
    case PyValue::Tuple: *items = v.items(); return true;
    case PyValue::Dict:
        items->clear();
        for (const auto &kv : v.dictItems())
            items->append(kv.first);
        return true;
    case PyValue::Str:
        items->clear();
        for (const QChar c : v.toStr())
            items->append(PyValue::string(QString(c)));
        return true;
    default: return false;
    }
}

BuiltinFolder::Status BuiltinFolder::builtin(const QString &name, const QVector<PyValue> &args,
                                             const Kwargs &kwargs, PyValue *out)
{
    if (name == u"dict") {
        if (!args.isEmpty())
            return Unsupported;
        QVector<QPair<PyValue, PyValue>> items;
        for (const auto &kv : kwargs)
            items.append({PyValue::string(kv.first), kv.second});
        *out = PyValue::dict(items);
        return Folded;
    }
    if (name == u"enumerate") {
        QVector<PyValue> items;
        qint64 start = 0;
        if (args.size() == 2 && isInt(args[1]) && kwargs.isEmpty())
            start = args[1].toInt();
        else if (args.size() == 1 && kwargs.size() == 1 && kwargs[0].first == u"start" && isInt(kwargs[0].second))
            start = kwargs[0].second.toInt();
        else if (args.size() != 1 || !kwargs.isEmpty())
            return Unsupported;
        if (!iterate(args[0], &items))
            return Unsupported;
        QVector<PyValue> pairs;
        for (const PyValue &v : items)
            pairs.append(PyValue::tuple({PyValue::integer(start++), v}));
        *out = PyValue::list(pairs);
        return Folded;
    }
    if (!kwargs.isEmpty())
        return Unsupported;
    if (name == u"range")
        return range(args, out);
    if (name == u"zip") {
        QVector<QVector<PyValue>> seqs(args.size());
        int n = args.isEmpty() ? 0 : INT_MAX;
        for (int i = 0; i < args.size(); ++i) {
            if (!iterate(args[i], &seqs[i]))
                return Unsupported;
            n = qMin(n, int(seqs[i].size()));
        }
        QVector<PyValue> rows;
        for (int r = 0; r < n; ++r) {
            QVector<PyValue> row;
            for (const auto &s : seqs)
                row.append(s[r]);
            rows.append(PyValue::tuple(row));
        }
        *out = PyValue::list(rows);
        return Folded;
    }
    if (args.size() > 1 && (name == u"min" || name == u"max"))
        return builtin(name, {PyValue::list(args)}, {}, out);
    if (args.isEmpty() && (name == u"list" || name == u"tuple")) {
        *out = name == u"list" ? PyValue::list({}) : PyValue::tuple({});
        return Folded;
    }
    if (args.size() != 1)
        return Unsupported;
    const PyValue &a = args.first();
    if (name == u"len") {
        switch (a.kind()) {
        case PyValue::Str: *out = PyValue::integer(a.toStr().size()); return Folded;   // BMP text
        case PyValue::Bytes: *out = PyValue::integer(a.toBytes().size()); return Folded;
        case PyValue::List:
        case PyValue::Tuple: *out = PyValue::integer(a.items().size()); return Folded;
        case PyValue::Dict: *out = PyValue::integer(a.dictItems().size()); return Folded;
        default: return Unsupported;
        }
    }
    if (name == u"str") {
        QString text;
        if (a.isStr() || ((isInt(a) || a.kind() == PyValue::None) && ScriptValues::toPyStr(a, &text))) {
            *out = a.isStr() ? a : PyValue::string(text);
            return Folded;
        }
        // str(op.get_bind().engine.url) (ScriptKnownValues): URL.__str__, the URL itself.
        if (a.kind() == PyValue::Call && a.items().size() == 2 && a.items()[0].kind() == PyValue::Name
            && a.items()[0].toStr() == u"sa.engine.url.URL" && a.items()[1].isStr()) {
            *out = a.items()[1];
            return Folded;
        }
        return Unsupported;
    }
    if (name == u"int") {
        bool ok = isInt(a);
        const qint64 v = ok ? a.toInt() : a.isStr() ? a.toStr().trimmed().toLongLong(&ok) : 0;
        if (!ok)
            return Unsupported;
        *out = PyValue::integer(v);
        return Folded;
    }
    if (name == u"bool") {
        if (!ScriptValues::isConstant(a))
            return Unsupported;
        *out = PyValue::boolean(a.truthy());
        return Folded;
    }
    QVector<PyValue> items;
    if (!iterate(a, &items))
        return Unsupported;
    if (name == u"list" || name == u"tuple") {
        *out = name == u"list" ? PyValue::list(items) : PyValue::tuple(items);
        return Folded;
    }
    if (name == u"reversed") {
        if (a.kind() == PyValue::Dict || a.isStr())
            return Unsupported;
        std::reverse(items.begin(), items.end());
        *out = PyValue::list(items);
        return Folded;
    }
    bool numbers = false;
    if (!orderable(items, &numbers))
        return Unsupported;
    if (name == u"sorted") {
        std::stable_sort(items.begin(), items.end(),
                         [numbers](const PyValue &x, const PyValue &y) { return less(x, y, numbers); });
        *out = PyValue::list(items);
        return Folded;
    }
    if (items.isEmpty())
        return Unsupported;   // ValueError
    const bool wantMin = name == u"min";
    PyValue best = items.first();
    for (const PyValue &v : items)
        if (wantMin ? less(v, best, numbers) : less(best, v, numbers))
            best = v;
    *out = best;
    return Folded;
}

bool BuiltinFolder::isContainerMethod(const PyValue &receiver, const QString &method)
{
    return receiver.kind() == PyValue::Dict
           && (method == u"items" || method == u"keys" || method == u"values" || method == u"get");
}

BuiltinFolder::Status BuiltinFolder::method(const PyValue &receiver, const QString &method,
                                            const QVector<PyValue> &args, const Kwargs &kwargs, PyValue *out)
{
    if (!isContainerMethod(receiver, method) || !kwargs.isEmpty())
        return Unsupported;
    if (method == u"get") {
        if (args.isEmpty() || args.size() > 2 || !ScriptValues::isConstant(args[0]))
            return Unsupported;
        *out = args.size() > 1 ? args[1] : PyValue::none();
        for (const auto &kv : receiver.dictItems()) {
            if (!ScriptValues::isConstant(kv.first))
                return Unsupported;
            if (kv.first.kind() == args[0].kind() && kv.first.repr() == args[0].repr())
                *out = kv.second;   // the last duplicate key wins, as in a dict display
        }
        return Folded;
    }
    if (!args.isEmpty())
        return Unsupported;
    QVector<PyValue> items;
    for (const auto &kv : receiver.dictItems())
        items.append(method == u"keys" ? kv.first
                     : method == u"values" ? kv.second
                                           : PyValue::tuple({kv.first, kv.second}));
    *out = PyValue::list(items);
    return Folded;
}

} // namespace retort
