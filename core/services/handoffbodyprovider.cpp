#include "handoffbodyprovider.h"

#include "services/pythonworker.h"

namespace retort {

QString HandoffBodyProvider::key(const MigrationStep &step)
{
    return (step.isUpgrade() ? QLatin1String("u:") : QLatin1String("d:")) + step.revision;
}

void HandoffBodyProvider::setNative(const MigrationStep &step, const QStringList &statements)
{
    m_statements.insert(key(step), statements);
}

void HandoffBodyProvider::setRenderedByAlembic(const MigrationStep &step, const QStringList &statements)
{
    QStringList plain;
    plain.reserve(statements.size());
    for (const QString &s : statements)
        plain << PythonWorker::withoutTerminator(s);
    m_statements.insert(key(step), plain);
    m_byAlembic.insert(key(step), true);
}

void HandoffBodyProvider::setError(const MigrationStep &step, const Error &error)
{
    m_errors.insert(key(step), error);
}

bool HandoffBodyProvider::isRenderedByAlembic(const MigrationStep &step) const
{
    return m_byAlembic.value(key(step));
}

Result<QStringList> HandoffBodyProvider::statements(const MigrationStep &step, const Dialect &dialect)
{
    const QString k = key(step);
    if (auto e = m_errors.constFind(k); e != m_errors.constEnd())
        return *e;
    if (auto s = m_statements.constFind(k); s != m_statements.constEnd())
        return *s;
    return m_inner.statements(step, dialect);
}

VoidResult HandoffBodyProvider::runStatements(const MigrationStep &step, const Dialect &dialect,
                                              const StatementRunner &run)
{
    const QString k = key(step);
    if (m_errors.contains(k) || m_statements.contains(k))
        return StepBodyProvider::runStatements(step, dialect, run);
    return m_inner.runStatements(step, dialect, run);
}

} // namespace retort
