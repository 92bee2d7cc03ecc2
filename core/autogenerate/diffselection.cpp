#include "diffselection.h"

namespace retort {

void DiffSelection::setChecked(const Path &path, bool checked)
{
    if (path.isEmpty())
        return;
    if (checked) {
        // Checking a container (or one of its ops) brings the container back.
        m_unchecked.remove(path);
        m_unchecked.remove(path.mid(0, 1));
        if (path.size() == 1) {
            for (auto it = m_unchecked.begin(); it != m_unchecked.end();) {
                if (it->size() > 1 && it->first() == path.first())
                    it = m_unchecked.erase(it);
                else
                    ++it;
            }
        }
    } else {
        m_unchecked.insert(path);
    }
}

bool DiffSelection::isChecked(const Path &path) const
{
    for (int n = 1; n <= path.size(); ++n) {
        if (m_unchecked.contains(path.mid(0, n)))
            return false;
    }
    return !path.isEmpty();
}

AutogenOps DiffSelection::selected(const AutogenOps &ops) const
{
    AutogenOps out;
    for (int i = 0; i < ops.size(); ++i) {
        if (!isChecked({i}))
            continue;
        const AutogenOp &op = ops.at(i);
        if (op.kind != AutogenOp::ModifyTable) {
            out << op;
            continue;
        }
        AutogenOp container = op;
        container.ops.clear();
        for (int j = 0; j < op.ops.size(); ++j) {
            if (isChecked({i, j}))
                container.ops << op.ops.at(j);
        }
        if (!container.isEmpty())
            out << container;
    }
    return out;
}

} // namespace retort
