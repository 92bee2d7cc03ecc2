#include "constantfolder.h"

#include "python/pylimits.h"

#include "scriptvalues.h"
#include "stringformatter.h"

#include <cmath>
#include <limits>

namespace retort {

namespace {

bool isIntLike(const PyValue &v)
{
    return v.kind() == PyValue::Int || v.kind() == PyValue::Bool;
}

double toDouble(const PyValue &v)
{
    return v.kind() == PyValue::Float ? v.toDouble() : double(v.toInt());
}

bool fitsInt(double d)
{
    return std::isfinite(d) && std::fabs(d) < 9.2e18;
}

// Python's floor division and modulo (result takes the divisor's sign).
qint64 floorDiv(qint64 a, qint64 b)
{
    qint64 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

double floorMod(double a, double b)
{
    double m = std::fmod(a, b);
    if (m != 0 && ((m < 0) != (b < 0)))
        m += b;
    return m;
}

} // namespace

ConstantFolder::Status ConstantFolder::binary(const QString &op, const PyValue &a, const PyValue &b,
                                              PyValue *out)
{
    if (op == u"%" && a.isStr()) {
        if (!ScriptValues::isConstant(b))
            return NotConstant;
        QString text;
        if (!StringFormatter::percent(a.toStr(), b, &text))
            return Unsupported;
        *out = PyValue::string(text);
        return Folded;
    }
    if (ScriptValues::isNumber(a) && ScriptValues::isNumber(b))
        return arithmetic(op, a, b, out);
    const Status s = sequenceOp(op, a, b, out);
    if (s != Unsupported)
        return s;
    if (!ScriptValues::isConstant(a) || !ScriptValues::isConstant(b))
        return NotConstant;
    return Unsupported;
}

// + and * on str/bytes/list/tuple: the containers may hold non-constant items
// ([sa.Column(...)] + [sa.Column(...)]).
ConstantFolder::Status ConstantFolder::sequenceOp(const QString &op, const PyValue &a,
                                                  const PyValue &b, PyValue *out)
{
    // Loops can grow values (s += s): beyond this, Python (and its MemoryError) decides.
    const auto size = [](const PyValue &v) -> qint64 {
        switch (v.kind()) {
        case PyValue::Str: return v.toStr().size();
        case PyValue::Bytes: return v.toBytes().size();
        case PyValue::List:
        case PyValue::Tuple: return v.items().size();
        default: return 0;
        }
    };
    if (op == u"+" && a.kind() == b.kind() && size(a) + size(b) > PyLimits::MaxSequenceLength * 100)
        return Unsupported;
    if (op == u"*" && (isIntLike(a) || isIntLike(b))
        && qMax<qint64>(0, isIntLike(a) ? a.toInt() : b.toInt()) * size(isIntLike(a) ? b : a)
               > PyLimits::MaxSequenceLength * 100)
        return Unsupported;
    if (op == u"+" && a.kind() == b.kind()) {
        switch (a.kind()) {
        case PyValue::Str: *out = PyValue::string(a.toStr() + b.toStr()); return Folded;
        case PyValue::Bytes: *out = PyValue::bytes(a.toBytes() + b.toBytes()); return Folded;
        case PyValue::List: *out = PyValue::list(a.items() + b.items()); return Folded;
        case PyValue::Tuple: *out = PyValue::tuple(a.items() + b.items()); return Folded;
        default: break;
        }
    }
    if (op == u"*" && (isIntLike(a) || isIntLike(b))) {
        const PyValue &seq = isIntLike(a) ? b : a;
        const qint64 n = qMax<qint64>(0, isIntLike(a) ? a.toInt() : b.toInt());
        if (n > 100000)
            return Unsupported;
        if (seq.isStr()) {
            *out = PyValue::string(seq.toStr().repeated(int(n)));
            return Folded;
        }
        if (seq.isSequence()) {
            QVector<PyValue> items;
            for (qint64 i = 0; i < n; ++i)
                items += seq.items();
            *out = seq.kind() == PyValue::List ? PyValue::list(items) : PyValue::tuple(items);
            return Folded;
        }
    }
    return Unsupported;
}

ConstantFolder::Status ConstantFolder::arithmetic(const QString &op, const PyValue &a,
                                                  const PyValue &b, PyValue *out)
{
    const bool ints = isIntLike(a) && isIntLike(b);
    const double x = toDouble(a), y = toDouble(b);
    if (ints && op != u"/" && op != u"**") {
        const qint64 i = a.toInt(), j = b.toInt();
        double approx = 0;
        qint64 r = 0;
        if (op == u"+") { approx = x + y; r = i + j; }
        else if (op == u"-") { approx = x - y; r = i - j; }
        else if (op == u"*") { approx = x * y; r = i * j; }
        else if (op == u"//" || op == u"%") {
            if (j == 0)
                return Unsupported;
            r = op == u"//" ? floorDiv(i, j) : i - floorDiv(i, j) * j;
        }
        else if (op == u"&") r = i & j;
        else if (op == u"|") r = i | j;
        else if (op == u"^") r = i ^ j;
        else if (op == u"<<" && j >= 0 && j < 63) { approx = x * std::pow(2.0, y); r = i << j; }
        else if (op == u">>" && j >= 0) r = j >= 63 ? (i < 0 ? -1 : 0) : (i >> j);
        else return Unsupported;
        if (!fitsInt(approx))
            return Unsupported;
        *out = PyValue::integer(r);
        return Folded;
    }
    double r = 0;
    if (op == u"+") r = x + y;
    else if (op == u"-") r = x - y;
    else if (op == u"*") r = x * y;
    else if (op == u"/") { if (y == 0) return Unsupported; r = x / y; }
    else if (op == u"//") { if (y == 0) return Unsupported; r = std::floor(x / y); }
    else if (op == u"%") { if (y == 0) return Unsupported; r = floorMod(x, y); }
    else if (op == u"**") {
        r = std::pow(x, y);
        if (ints && b.toInt() >= 0) {
            if (!fitsInt(r))
                return Unsupported;
            qint64 p = 1;
            for (qint64 k = 0; k < b.toInt(); ++k)
                p *= a.toInt();
            *out = PyValue::integer(p);
            return Folded;
        }
    } else return Unsupported;
    if (!std::isfinite(r))
        return Unsupported;
    *out = PyValue::floating(r);
    return Folded;
}

ConstantFolder::Status ConstantFolder::unary(const QString &op, const PyValue &a, PyValue *out)
{
    if (!ScriptValues::isNumber(a))
        return ScriptValues::isConstant(a) ? Unsupported : NotConstant;
    if (op == u"~") {
        if (!isIntLike(a))
            return Unsupported;
        *out = PyValue::integer(~a.toInt());
    } else if (a.kind() == PyValue::Float) {
        *out = PyValue::floating(op == u"-" ? -a.toDouble() : a.toDouble());
    } else {
        *out = PyValue::integer(op == u"-" ? -a.toInt() : a.toInt());
    }
    return Folded;
}

bool ConstantFolder::equal(const PyValue &a, const PyValue &b)
{
    if (ScriptValues::isNumber(a) && ScriptValues::isNumber(b))
        return toDouble(a) == toDouble(b);
    return a == b;
}

ConstantFolder::Status ConstantFolder::compare(const QString &op, const PyValue &a,
                                               const PyValue &b, PyValue *out)
{
    if (!ScriptValues::isConstant(a) || !ScriptValues::isConstant(b))
        return NotConstant;
    bool r = false;
    if (op == u"==" || op == u"!=") {
        r = equal(a, b) == (op == u"==");
    } else if (op == u"in" || op == u"not in") {
        if (b.isStr() && a.isStr())
            r = b.toStr().contains(a.toStr());
        else if (b.kind() == PyValue::Dict)
            r = std::any_of(b.dictItems().begin(), b.dictItems().end(),
                            [&](const auto &kv) { return equal(kv.first, a); });
        else if (b.isSequence() || b.kind() == PyValue::Set)
            r = std::any_of(b.items().begin(), b.items().end(),
                            [&](const PyValue &i) { return equal(i, a); });
        else
            return Unsupported;
        r = r == (op == u"in");
    } else if (op == u"is" || op == u"is not") {
        // Identity is only well defined for the singletons.
        const bool singleton = (a.isNone() || a.kind() == PyValue::Bool)
                               && (b.isNone() || b.kind() == PyValue::Bool);
        // A singleton is never the same object as a number or string (`0 is False`).
        const bool oneSingleton = a.isNone() || a.kind() == PyValue::Bool || b.isNone() || b.kind() == PyValue::Bool;
        if (!singleton && oneSingleton && (ScriptValues::isNumber(a) || a.isStr() || ScriptValues::isNumber(b) || b.isStr())) {
            *out = PyValue::boolean(op == u"is not");
            return Folded;
        }
        if (!singleton)
            return Unsupported;
        r = (a == b) == (op == u"is");
    } else {
        int c = 0;
        if (ScriptValues::isNumber(a) && ScriptValues::isNumber(b))
            c = toDouble(a) < toDouble(b) ? -1 : (toDouble(a) > toDouble(b) ? 1 : 0);
        else if (a.isStr() && b.isStr())
            c = a.toStr().compare(b.toStr());
        else
            return Unsupported;
        if (op == u"<") r = c < 0;
        else if (op == u"<=") r = c <= 0;
        else if (op == u">") r = c > 0;
        else if (op == u">=") r = c >= 0;
        else return Unsupported;
    }
    *out = PyValue::boolean(r);
    return Folded;
}

ConstantFolder::Status ConstantFolder::strMethod(const QString &text, const QString &method,
                                                 const QVector<PyValue> &args,
                                                 const QVector<QPair<QString, PyValue>> &kwargs,
                                                 PyValue *out)
{
    for (const PyValue &a : args)
        if (!ScriptValues::isConstant(a))
            return NotConstant;
    for (const auto &kw : kwargs)
        if (!ScriptValues::isConstant(kw.second))
            return NotConstant;
    QString result;
    if (method == u"format") {
        if (!StringFormatter::brace(text, args, kwargs, &result))
            return Unsupported;
    } else if (!kwargs.isEmpty()) {
        return Unsupported;
    } else if ((method == u"upper" || method == u"lower") && args.isEmpty()) {
        result = method == u"upper" ? text.toUpper() : text.toLower();
    } else if (method == u"strip" || method == u"lstrip" || method == u"rstrip") {
        if (args.size() > 1 || (args.size() == 1 && !args[0].isStr() && !args[0].isNone()))
            return Unsupported;
        const QString chars = args.isEmpty() || args[0].isNone() ? QStringLiteral(" \t\n\r\v\f")
                                                                 : args[0].toStr();
        int b = 0, e = int(text.size());
        if (method != u"rstrip")
            while (b < e && chars.contains(text[b]))
                ++b;
        if (method != u"lstrip")
            while (e > b && chars.contains(text[e - 1]))
                --e;
        result = text.mid(b, e - b);
    } else if (method == u"replace" && args.size() == 2 && args[0].isStr() && args[1].isStr()) {
        result = QString(text).replace(args[0].toStr(), args[1].toStr());
    } else if ((method == u"startswith" || method == u"endswith") && args.size() == 1) {
        // str or a tuple of str: the version and dialect checks of real scripts.
        QStringList affixes;
        if (args[0].isStr())
            affixes << args[0].toStr();
        else if (args[0].kind() == PyValue::Tuple)
            for (const PyValue &a : args[0].items()) {
                if (!a.isStr())
                    return Unsupported;
                affixes << a.toStr();
            }
        else
            return Unsupported;
        bool hit = false;
        for (const QString &a : affixes)
            hit = hit || (method == u"startswith" ? text.startsWith(a) : text.endsWith(a));
        *out = PyValue::boolean(hit);
        return Folded;
    } else if (method == u"split" && args.size() == 1 && args[0].isStr() && !args[0].toStr().isEmpty()) {
        QVector<PyValue> parts;
        for (const QString &p : text.split(args[0].toStr()))
            parts.append(PyValue::string(p));
        *out = PyValue::list(parts);
        return Folded;
    } else if (method == u"join" && args.size() == 1 && args[0].isSequence()) {
        QStringList parts;
        for (const PyValue &p : args[0].items()) {
            if (!p.isStr())
                return Unsupported;
            parts.append(p.toStr());
        }
        result = parts.join(text);
    } else {
        return Unsupported;
    }
    *out = PyValue::string(result);
    return Folded;
}

ConstantFolder::Status ConstantFolder::subscript(const PyValue &target, const PyValue &index,
                                                 PyValue *out)
{
    if (!ScriptValues::isConstant(index))
        return NotConstant;
    if (target.kind() == PyValue::Dict) {
        bool found = false;
        for (const auto &kv : target.dictItems()) {
            if (equal(kv.first, index)) {
                *out = kv.second;   // the last duplicate key wins, as in a dict display
                found = true;
            }
        }
        return found ? Folded : Unsupported;
    }
    if ((target.isSequence() || target.isStr()) && isIntLike(index)) {
        const qint64 n = target.isStr() ? target.toStr().size() : target.items().size();
        const qint64 i = index.toInt() < 0 ? index.toInt() + n : index.toInt();
        if (i < 0 || i >= n)
            return Unsupported;
        *out = target.isStr() ? PyValue::string(target.toStr().mid(int(i), 1))
                              : target.items().at(int(i));
        return Folded;
    }
    return ScriptValues::isConstant(target) ? Unsupported : NotConstant;
}

QString ConstantFolder::dedent(const QString &text)
{
    QStringList lines = text.split(u'\n');
    QString margin;
    bool first = true;
    for (QString &line : lines) {
        int n = 0;
        while (n < line.size() && (line[n] == u' ' || line[n] == u'\t'))
            ++n;
        if (n == line.size()) {
            line.clear();   // whitespace-only lines are normalised to empty
            continue;
        }
        const QString indent = line.left(n);
        if (first) {
            margin = indent;
            first = false;
            continue;
        }
        int k = 0;
        while (k < margin.size() && k < indent.size() && margin[k] == indent[k])
            ++k;
        margin.truncate(k);
    }
    if (!margin.isEmpty())
        for (QString &line : lines)
            if (line.startsWith(margin))
                line.remove(0, margin.size());
    return lines.join(u'\n');
}

} // namespace retort
