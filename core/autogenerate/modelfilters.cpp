#include "modelfilters.h"

#include <QJsonArray>

namespace retort {

bool FilterTarget::operator==(const FilterTarget &o) const
{
    return type == o.type && schema == o.schema && table == o.table && name == o.name
        && columns == o.columns && reflected == o.reflected;
}

FilterTarget FilterTarget::fromJsonObject(const QJsonObject &o)
{
    FilterTarget t;
    t.type = o.value(QStringLiteral("type")).toString();
    t.schema = o.value(QStringLiteral("schema")).toString();
    t.table = o.value(QStringLiteral("table")).toString();
    t.name = o.value(QStringLiteral("name")).toString();
    for (const QJsonValue &c : o.value(QStringLiteral("columns")).toArray())
        t.columns << c.toString();
    t.reflected = o.value(QStringLiteral("reflected")).toBool(true);
    return t;
}

Result<ModelFilters> ModelFilters::fromJsonObject(const QJsonObject &o)
{
    ModelFilters f;
    const QString keys[] = {QStringLiteral("excluded_names"), QStringLiteral("excluded_objects")};
    QVector<FilterTarget> *lists[] = {&f.m_names, &f.m_objects};
    for (int i = 0; i < 2; ++i) {
        const QJsonValue v = o.value(keys[i]);
        if (!v.isUndefined() && !v.isArray())
            return Error(QStringLiteral("the filter answer's %1 is not a list").arg(keys[i]));
        for (const QJsonValue &e : v.toArray()) {
            if (!e.isObject() || !e.toObject().value(QStringLiteral("type")).isString())
                return Error(QStringLiteral("the filter answer's %1 has an entry without a type").arg(keys[i]));
            lists[i]->append(FilterTarget::fromJsonObject(e.toObject()));
        }
    }
    const QJsonObject calls = o.value(QStringLiteral("calls")).toObject();
    f.m_nameCalls = calls.value(QStringLiteral("include_name")).toInt();
    f.m_objectCalls = calls.value(QStringLiteral("include_object")).toInt();
    return f;
}

bool ModelFilters::listed(const QVector<FilterTarget> &list, const FilterTarget &target, bool checkSide)
{
    for (const FilterTarget &e : list) {
        if (e.type != target.type || e.schema != target.schema || e.name != target.name
            || (checkSide && e.reflected != target.reflected))
            continue;
        if (target.type != QLatin1String("schema") && e.table != target.table)
            continue;
        // Unnamed constraints share the name "": their columns tell them apart.
        if (target.name.isEmpty() && !target.columns.isEmpty() && e.columns != target.columns)
            continue;
        return true;
    }
    return false;
}

bool ModelFilters::includeName(const FilterTarget &target) const
{
    return !listed(m_names, target, false);
}

bool ModelFilters::includeObject(const FilterTarget &target) const
{
    return !listed(m_objects, target, true);
}

} // namespace retort
