#include "oparguments.h"

namespace retort {

Result<OpArguments> OpArguments::bind(const MigrationOp &op, const QStringList &params, bool dialectKw)
{
    OpArguments a;
    int p = 0;
    for (int i = 0; i < op.args.size(); ++i) {
        if (p < params.size() && params.at(p).startsWith(QLatin1Char('*'))) {
            a.m_rest.append(op.args.at(i));
            continue;
        }
        if (p >= params.size())
            return Error(QStringLiteral("too many positional arguments"));
        a.m_values.insert(params.at(p++), op.args.at(i));
    }
    for (const auto &kv : op.kwargs) {
        if (params.contains(kv.first)) {
            if (a.m_values.contains(kv.first))
                return Error(QStringLiteral("got multiple values for argument '%1'").arg(kv.first));
            a.m_values.insert(kv.first, kv.second);
        } else if (dialectKw || kv.first.contains(QLatin1Char('_'))) {
            // Unknown **kw: Alembic passes them on to SQLAlchemy, which validates
            // <dialect>_<arg> names; renderers pick the ones they understand.
            a.m_extra.append(kv);
        } else {
            return Error(QStringLiteral("unexpected keyword argument '%1'").arg(kv.first));
        }
    }
    return a;
}

const PyValue *OpArguments::get(const QString &name) const
{
    auto it = m_values.constFind(name);
    return it == m_values.constEnd() ? nullptr : &it.value();
}

QString OpArguments::str(const QString &name) const
{
    const PyValue *v = get(name);
    return v && v->isStr() ? v->toStr() : QString();
}

bool OpArguments::flag(const QString &name, bool fallback) const
{
    const PyValue *v = get(name);
    return v ? v->truthy() : fallback;
}

} // namespace retort
