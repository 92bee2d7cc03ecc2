#include "rehearsalschemadiff.h"

#include "autogenerate/linediff.h"
#include "autogenerate/tabledefinitiontext.h"

#include <QSet>

namespace retort {

namespace {

// "schema\ntable" keys of every table, in schema then name order.
QStringList tableKeys(const SchemaModel &a, const SchemaModel &b)
{
    QStringList keys;
    QSet<QString> seen;
    for (const SchemaModel *m : {&a, &b})
        for (const SchemaNamespace &ns : m->schemas)
            for (const SchemaTable &t : ns.tables) {
                const QString key = ns.name + QLatin1Char('\n') + t.name;
                if (!seen.contains(key)) {
                    seen.insert(key);
                    keys << key;
                }
            }
    keys.sort();
    return keys;
}

QStringList definition(const SchemaModel &model, const QString &schema, const QString &table,
                       const QStringList &columnOrder = {})
{
    const SchemaTable *t = model.findTable(schema, table);
    return t ? TableDefinitionText::lines(*t, schema, columnOrder) : QStringList();
}

QStringList columnNames(const SchemaModel &model, const QString &schema, const QString &table)
{
    QStringList names;
    if (const SchemaTable *t = model.findTable(schema, table))
        for (const SchemaColumn &c : t->columns)
            names << c.name;
    return names;
}

} // namespace

QStringList RehearsalSchemaDiff::lines(const SchemaModel &before, const SchemaModel &after)
{
    QStringList out;
    for (const QString &key : tableKeys(before, after)) {
        const QString schema = key.section(QLatin1Char('\n'), 0, 0);
        const QString table = key.section(QLatin1Char('\n'), 1);
        const QStringList left = definition(before, schema, table);
        // The new side in the old column order: a column that moved is not a change.
        const QStringList right = definition(after, schema, table, columnNames(before, schema, table));
        if (left == right)
            continue;
        if (!left.isEmpty() && !right.isEmpty() && left.first() == right.first())
            out << QStringLiteral("  ") + left.first();
        for (const LineDiff::Row &row : LineDiff::compute(left, right)) {
            if (row.kind == LineDiff::Removed)
                out << QStringLiteral("- ") + row.left;
            else if (row.kind == LineDiff::Added)
                out << QStringLiteral("+ ") + row.right;
        }
    }
    return out;
}

} // namespace retort
