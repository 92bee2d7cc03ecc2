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

class MakoValue;
using MakoArgs = QList<MakoValue>;
using MakoKwargs = QMap<QString, MakoValue>;
using MakoFunction = std::function<Result<MakoValue>(const MakoArgs &, const MakoKwargs &)>;

class MakoValue
{
public:
    enum Type { Undefined, None, Bool, Int, Float, Str, Tuple, List, Function, Object };

    MakoValue() = default;   // UNDEFINED
    static MakoValue none();
    static MakoValue boolean(bool b);
    static MakoValue integer(qint64 i);
    static MakoValue floating(double d);
    static MakoValue str(const QString &s);
    static MakoValue tuple(const MakoArgs &items);
    static MakoValue list(const MakoArgs &items);
    static MakoValue strTuple(const QStringList &items);   // convenience: tuple of str
    static MakoValue function(const QString &name, MakoFunction fn);
    // An object with attributes; strForm is what str()/repr() print.
    static MakoValue object(const QString &strForm, const QMap<QString, MakoValue> &attributes);

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
    const MakoArgs &items() const { return *m_items; }
    QString typeName() const;

    bool truthy() const;
    Result<QString> pyStr() const;    // Python str(); fails for UNDEFINED
    QString pyRepr() const;           // Python repr()
    bool equals(const MakoValue &other) const;

    Result<MakoValue> attribute(const QString &name) const;
    Result<MakoValue> call(const MakoArgs &args, const MakoKwargs &kwargs = {}) const;

    // Python's repr() of a str: quote choice and escapes as CPython does.
    static QString reprString(const QString &s);
    static QString reprFloat(double d);

private:
    Type m_type = Undefined;
    qint64 m_int = 0;
    double m_float = 0;
    QString m_str;   // Str: the text; Function: its name; Object: its str form
    QSharedPointer<MakoArgs> m_items;
    QSharedPointer<MakoFunction> m_fn;
    QSharedPointer<QMap<QString, MakoValue>> m_attrs;
};

} // namespace retort
