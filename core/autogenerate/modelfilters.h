#pragma once
// What env.py's include_name / include_object callables decided. Retort compares
// natively; the metadata helper (resources/python/retort_filters.py) runs the callables
// the way Alembic 1.8.1's autogenerate does over the introspected database and reports
// the objects they reject, which the comparator then leaves out.

#include "result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

// One object as the comparator asks about it (and as the helper reports exclusions).
struct FilterTarget
{
    QString type;         // Alembic's type_: schema, table, column, index,
                          // unique_constraint, foreign_key_constraint
    QString schema;       // "" = the default schema (Alembic's None)
    QString table;        // the table (for a table: itself; "" for a schema)
    QString name;         // SQL name; "" when unnamed
    QStringList columns;  // constrained columns: tell unnamed constraints apart
    bool reflected = true;

    bool operator==(const FilterTarget &o) const;
    static FilterTarget fromJsonObject(const QJsonObject &o);
};

class ModelFilters
{
public:
    // The helper's "filters" object: {"excluded_names": [...], "excluded_objects": [...],
    // "calls": {"include_name": n, "include_object": n}}.
    static Result<ModelFilters> fromJsonObject(const QJsonObject &o);

    // include_name's answer for a reflected name (type, schema, table, name, columns).
    bool includeName(const FilterTarget &target) const;
    // include_object's answer for a model (reflected = false) or database object.
    bool includeObject(const FilterTarget &target) const;

    const QVector<FilterTarget> &excludedNames() const { return m_names; }
    const QVector<FilterTarget> &excludedObjects() const { return m_objects; }
    int includeNameCalls() const { return m_nameCalls; }
    int includeObjectCalls() const { return m_objectCalls; }

private:
    static bool listed(const QVector<FilterTarget> &list, const FilterTarget &target, bool checkSide);

    QVector<FilterTarget> m_names;
    QVector<FilterTarget> m_objects;
    int m_nameCalls = 0;
    int m_objectCalls = 0;
};

} // namespace retort
