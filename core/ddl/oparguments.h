#pragma once
// Binds an op call's positional and keyword arguments to Alembic's parameter names,
// so renderers ask for "table_name" whether the script passed it by position or name.

#include "result.h"
#include "operations/migrationop.h"

#include <QHash>
#include <QStringList>

namespace retort {

class OpArguments
{
public:
    // `params`: the op's parameters in order; a leading '*' marks *args (rest positional);
    // `dialectKw`: whether <dialect>_<name> keywords are accepted.
    static Result<OpArguments> bind(const MigrationOp &op, const QStringList &params,
                                    bool dialectKw = false);

    const PyValue *get(const QString &name) const;   // nullptr when absent
    bool has(const QString &name) const { return get(name) != nullptr; }
    QString str(const QString &name) const;           // "" when absent/None
    bool flag(const QString &name, bool fallback = false) const;
    QVector<PyValue> rest() const { return m_rest; }   // the *args
    // Keywords not among params (dialect kwargs, **kw), in source order.
    QVector<QPair<QString, PyValue>> extra() const { return m_extra; }

private:
    QHash<QString, PyValue> m_values;
    QVector<PyValue> m_rest;
    QVector<QPair<QString, PyValue>> m_extra;
};

} // namespace retort
