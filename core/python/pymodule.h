#pragma once
// The statically known top level of a Python module: its docstring and the values of
// simple module-level assignments (what PyModuleScanner extracts).

#include "pyvalue.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

struct PyBinding
{
    QString name;
    PyValue value;          // meaningful only when evaluable
    bool evaluable = false;
    QString reason;         // why it is not evaluable (import, def, unsupported expression ...)
    int line = 0;
};

class PyModule
{
public:
    bool hasDocstring() const { return m_hasDoc; }
    const QString &docstring() const { return m_doc; }   // as written (not stripped)

    // Whether the name is bound at module level at all (hasattr(module, name)).
    bool has(const QString &name) const { return m_index.contains(name); }
    // Last binding of the name (later assignments win), or nullptr.
    const PyBinding *binding(const QString &name) const;
    // The value if the last binding is evaluable, else nullptr.
    const PyValue *value(const QString &name) const;

    // The last binding of each name, in the order the names were first bound.
    const QVector<PyBinding> &bindings() const { return m_bindings; }
    QStringList imports() const { return m_imports; }                   // "os", "sqlalchemy as sa", "alembic.op"...

    // Builder side (PyModuleScanner).
    void setDocstring(const QString &doc) { m_doc = doc; m_hasDoc = true; }
    void bind(PyBinding b);
    void addImport(const QString &text) { m_imports.append(text); }

private:
    QString m_doc;
    bool m_hasDoc = false;
    QVector<PyBinding> m_bindings;
    QHash<QString, int> m_index;   // name -> index of its last binding
    QStringList m_imports;
};

} // namespace retort
