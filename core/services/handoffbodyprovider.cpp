#include "handoffbodyprovider.h"

namespace retort {

QString HandoffBodyProvider::key(const MigrationStep &step)
{
    return (step.isUpgrade() ? QLatin1String("u:") : QLatin1String("d:")) + step.revision;
}

void HandoffBodyProvider::setNative(const MigrationStep &step, const StepBody &body)
{
    m_bodies.insert(key(step), body);
}

void HandoffBodyProvider::setRenderedByAlembic(const MigrationStep &step, const StepBody &body)
{
    m_bodies.insert(key(step), body);
    m_byAlembic.insert(key(step), true);
}

void HandoffBodyProvider::setError(const MigrationStep &step, const Error &error)
{
    m_errors.insert(key(step), error);
}

bool HandoffBodyProvider::isRenderedByAlembic(const MigrationStep &step) const
{
    // Asked for every step of a run, most of which Alembic renders none of.
    return !m_byAlembic.isEmpty() && m_byAlembic.value(key(step));
}

Result<QStringList> HandoffBodyProvider::statements(const MigrationStep &step, const Dialect &dialect)
{
    Result<StepBody> b = body(step, dialect);
    if (!b)
        return b.error();
    return b->statements();
}

Result<StepBody> HandoffBodyProvider::body(const MigrationStep &step, const Dialect &dialect)
{
    const QString k = key(step);
    if (auto e = m_errors.constFind(k); !m_errors.isEmpty() && e != m_errors.constEnd())
        return *e;
    if (auto s = m_bodies.constFind(k); s != m_bodies.constEnd())
        return *s;
    return m_inner.body(step, dialect);
}

} // namespace retort
