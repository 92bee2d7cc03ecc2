#pragma once
// A statically evaluated Python expression: literals, containers, names, calls, subscripts.
// What PyExpressionParser produces; values of Name/Call/Subscript are not evaluated further.

#include <QByteArray>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>
#include <memory>
#include <optional>

namespace retort {

class PyValue
{
public:
    enum Kind { None, Bool, Int, Float, Str, Bytes, Tuple, List, Dict, Set, Name, Call, Subscript };

    PyValue() = default;    // None
    static PyValue none() { return PyValue(); }
    static PyValue boolean(bool b);
    static PyValue integer(qint64 i, const QString &text = {});
    static PyValue floating(double d, const QString &text = {});
    static PyValue string(const QString &s);
    static PyValue bytes(const QByteArray &b);
    static PyValue tuple(QVector<PyValue> items);
    static PyValue list(QVector<PyValue> items);
    static PyValue set(QVector<PyValue> items);
    static PyValue dict(QVector<QPair<PyValue, PyValue>> items);
    static PyValue name(const QString &dotted);          // "x" or "os.environ"
    static PyValue call(PyValue callee, QVector<PyValue> args,
                        QVector<QPair<QString, PyValue>> kwargs);
    static PyValue subscript(PyValue target, PyValue index);

    Kind kind() const { return m_kind; }
    bool isNone() const { return m_kind == None; }
    bool isStr() const { return m_kind == Str; }
    bool isSequence() const { return m_kind == Tuple || m_kind == List; }

    bool toBool() const { return m_int != 0; }
    qint64 toInt() const { return m_int; }
    double toDouble() const { return m_float; }
    const QString &toStr() const { return m_str; }   // Str value, Name's dotted name, Int/Float text
    const QByteArray &toBytes() const;
    const QVector<PyValue> &items() const;   // Tuple/List/Set; Call args; Subscript [target, index]
    const QVector<QPair<PyValue, PyValue>> &dictItems() const;

    // Call only.
    const PyValue &callee() const { return items().first(); }
    QVector<PyValue> args() const { return items().mid(1); }
    const QVector<QPair<QString, PyValue>> &kwargs() const;
    const PyValue *kwarg(const QString &name) const;
    QString calleeName() const;   // dotted name of the callee if it is a Name, else ""

    // Subscript only.
    const PyValue &target() const { return items().at(0); }
    const PyValue &index() const { return items().at(1); }

    // Python truthiness for literals (Name/Call/Subscript count as true).
    bool truthy() const;

    // None -> nullopt; Str -> [s]; Tuple/List of Str -> the strings (util.to_tuple semantics).
    // Anything else -> an empty optional plus *ok = false.
    std::optional<QStringList> toStringTuple(bool *ok = nullptr) const;

    // Python repr() for literals; names/calls rendered as source-like text.
    QString repr() const;

    bool operator==(const PyValue &o) const;
    bool operator!=(const PyValue &o) const { return !(*this == o); }

private:
    Kind m_kind = None;
    qint64 m_int = 0;
    double m_float = 0;
    QString m_str;
    // Bytes, containers, calls and subscripts keep their parts out of line and shared
    // (immutable once built): a scalar stays 64 bytes, a copy is one reference count.
    struct Composite;
    const Composite &composite() const;
    std::shared_ptr<const Composite> m_composite;
};

static_assert(sizeof(PyValue) <= 64, "PyValue is kept small");

} // namespace retort
