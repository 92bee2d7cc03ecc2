#include "pymodule.h"

namespace retort {

const PyBinding *PyModule::binding(const QString &name) const
{
    const auto it = m_index.constFind(name);
    return it == m_index.constEnd() ? nullptr : &m_bindings[*it];
}

const PyValue *PyModule::value(const QString &name) const
{
    const PyBinding *b = binding(name);
    return (b && b->evaluable) ? &b->value : nullptr;
}

void PyModule::bind(PyBinding b)
{
    // A name rebound a million times (a generated module) keeps one entry.
    const auto it = m_index.constFind(b.name);
    if (it != m_index.constEnd()) {
        m_bindings[*it] = std::move(b);
        return;
    }
    m_index.insert(b.name, int(m_bindings.size()));
    m_bindings.append(std::move(b));
}

} // namespace retort
