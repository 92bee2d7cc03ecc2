#pragma once
// Python builtins and container methods the interpreter evaluates itself when their
// arguments are known: range, len, enumerate, zip, list, tuple, str, int, bool, sorted,
// reversed, min, max, dict; dict.items/keys/values/get. Iterators come back as lists,
// which is what a `for` loop or a call argument sees.

#include "python/pyvalue.h"

#include <QString>
#include <QVector>

namespace retort {

class BuiltinFolder
{
public:
    using Kwargs = QVector<QPair<QString, PyValue>>;
    enum Status {
        Folded,       // *out holds the result
        Unsupported   // arguments this folder cannot evaluate: needs Python
    };

    static bool isFoldable(const QString &builtin);
    static Status builtin(const QString &name, const QVector<PyValue> &args, const Kwargs &kwargs,
                          PyValue *out);
    // Methods of a Dict receiver; false when `method` is not one of them.
    static bool isContainerMethod(const PyValue &receiver, const QString &method);
    static Status method(const PyValue &receiver, const QString &method, const QVector<PyValue> &args,
                         const Kwargs &kwargs, PyValue *out);
    // What `for x in v` iterates over: list/tuple items, dict keys, str characters.
    // False for anything else (sets iterate in hash order, values of other kinds are unknown).
    static bool iterate(const PyValue &v, QVector<PyValue> *items);
};

} // namespace retort
