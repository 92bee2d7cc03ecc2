#pragma once
// Beyond Alembic: which autogenerate operations the user keeps before the revision is
// written (the studio's review checkboxes). Every op starts checked; an op is addressed
// by its position path in the upgrade list: {i} for a top-level op, {i, j} for the j-th
// op of the ModifyTable container at i. Unchecking a container unchecks its ops.

#include "autogenop.h"

#include <QList>
#include <QSet>

namespace retort {

class DiffSelection
{
public:
    using Path = QList<int>;

    // Checking an op inside an unchecked container checks the container again: its other
    // ops come back unless they were unchecked on their own.
    void setChecked(const Path &path, bool checked);
    // False when the op or one of its containers is unchecked.
    bool isChecked(const Path &path) const;
    void checkAll() { m_unchecked.clear(); }
    bool allChecked() const { return m_unchecked.isEmpty(); }

    // The ops with the unchecked ones left out; a ModifyTable container whose ops are all
    // left out goes too (Alembic never renders an empty one).
    AutogenOps selected(const AutogenOps &ops) const;

private:
    QSet<Path> m_unchecked;
};

} // namespace retort
