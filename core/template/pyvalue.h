#pragma once
// A value of the small Python subset that script.py.mako templates evaluate:
// None, bool, int, float, str, tuple, list, callables and attribute-bearing objects,
// plus Mako's UNDEFINED (a missing template variable: falsy, but fails when printed).

#include "result.h"

#include <QList>
#include <QMap>
#include <QSharedPointer>
#include <QString>
#include <QStringList>
#include <functional>

namespace retort {

class PyValue;
using PyArgs = QList<PyValue>;
using PyKwargs = QMap<QString, PyValue>;
using PyFunction = std::function<Result<PyValue>(const PyArgs &, const PyKwargs &)>;

class PyValue
{
public:
    enum Type { Undefined, None, Bool, Int, Float, Str, Tuple, List, Function, Object };

    PyValue() = default;   // UNDEFINED
    static PyValue none();
    static PyValue boolean(bool b);
    static PyValue integer(qint64 i);
    static PyValue floating(double d);
    static PyValue str(const QString &s);
    static PyValue tuple(const PyArgs &items);
    static PyValue list(const PyArgs &items);
    static PyValue strTuple(const QStringList &items);   // convenience: tuple of str
    static PyValue function(const QString &name, PyFunction fn);
    // An object with attributes; strForm is what str()/repr() print.
    static PyValue object(const QString &strForm, const QMap<QString, PyValue> &attributes);

    Type type() const { return m_type; }
    bool isUndefined() const { return m_type == Undefined; }
    bool isNone() const { return m_type == None; }
    bool isStr() const { return m_type == Str; }
    bool isInt() const { return m_type == Int || m_type == Bool; }
    bool isNumber() const { return isInt() || m_type == Float; }
    bool isSequence() const { return m_type == Tuple || m_type == List; }

    bool toBool() const { return m_int != 0; }
    qint64 toInt() const { return m_int; }
    double toDouble() const { return m_type == Float ? m_float : double(m_int); }
    const QString &toStr() const { return m_str; }
    const PyArgs &items() const { return *m_items; }
    QString typeName() const;

    bool truthy() const;
    Result<QString> pyStr() const;    // Python str(); fails for UNDEFINED
    QString pyRepr() const;           // Python repr()
    bool equals(const PyValue &other) const;

    Result<PyValue> attribute(const QString &name) const;
    Result<PyValue> call(const PyArgs &args, const PyKwargs &kwargs = {}) const;

    // Python's repr() of a str: quote choice and escapes as CPython does.
    static QString reprString(const QString &s);
    static QString reprFloat(double d);

private:
    Type m_type = Undefined;
    qint64 m_int = 0;
    double m_float = 0;
    QString m_str;   // Str: the text; Function: its name; Object: its str form
    QSharedPointer<PyArgs> m_items;
    QSharedPointer<PyFunction> m_fn;
    QSharedPointer<QMap<QString, PyValue>> m_attrs;
};

} // namespace retort
