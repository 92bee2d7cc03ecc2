#pragma once
// Names visible to an interpreted revision script: module-level bindings (imports,
// constants, defs, names bound by code we do not run) and, for a function, its
// parameters and locals. Also maps import paths to the canonical names of
// scriptinterpreter.h ("sqlalchemy.sql.table" -> "sa.table").

#include "python/pyvalue.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace retort {

struct ScriptBinding
{
    enum Kind {
        Value,        // a statically known value (local or module-level assignment)
        Import,       // a module or an object imported from one; path is its full dotted path
        Parameter,    // a parameter of the function being interpreted
        Function,     // a module-level def
        Opaque,       // bound by code we do not evaluate; reason says why
        BatchAlias    // the `as` target of `with op.batch_alter_table(...)`
    };
    Kind kind = Value;
    PyValue value;
    QString path;
    QString reason;   // Opaque: why; Function: why it cannot be called natively ("" = it can)
    int line = 0;
    int token = -1;   // Function: index of its `def` token in the script's tokens
};

class ScriptScope
{
public:
    explicit ScriptScope(const ScriptScope *parent = nullptr) : m_parent(parent) {}

    void bind(const QString &name, ScriptBinding binding) { m_names.insert(name, std::move(binding)); }
    // Names bound in this scope (not the enclosing one).
    QStringList names() const { return m_names.keys(); }
    // This scope first, then the enclosing one.
    const ScriptBinding *lookup(const QString &name) const;
    // The scope (this or an enclosing one) that binds name; nullptr if none.
    const ScriptScope *owner(const QString &name) const;
    bool bindsLocally(const QString &name) const { return m_names.contains(name); }

    // Canonical dotted name for a full import path (see scriptinterpreter.h).
    static QString canonicalPath(const QString &fullPath);
    // Whether calls to this canonical callee are kept as values (sa.*, dialect types,
    // op.f/op.inline_literal, datetime/decimal/uuid constructors).
    static bool isValueCallee(const QString &canonical);

private:
    const ScriptScope *m_parent;
    QHash<QString, ScriptBinding> m_names;
};

} // namespace retort
