#include "definitiondiff.h"

#include "tabledefinitiontext.h"

#include <algorithm>

namespace retort {

DefinitionDiff::DefinitionDiff(const SchemaModel &database, const SchemaModel &models, CompareOptions options)
    : m_db(database), m_models(models), m_options(std::move(options))
{
}

bool DefinitionDiff::keepName(const FilterTarget &target) const
{
    return !m_options.includeName || m_options.includeName(target);
}

bool DefinitionDiff::keepObject(const FilterTarget &target) const
{
    return !m_options.includeObject || m_options.includeObject(target);
}

bool DefinitionDiff::isVersionTable(const QString &schema, const QString &table) const
{
    return schema == m_options.versionTableSchema && table == m_options.versionTable;
}

const SchemaTable *DefinitionDiff::databaseTable(const TableKey &key) const
{
    // The schemas SchemaComparator inspects on the database side.
    if (!key.schema.isEmpty()
        && (!m_options.includeSchemas || key.schema == QLatin1String("information_schema")
            || key.schema == m_db.defaultSchemaName))
        return nullptr;
    if (isVersionTable(key.schema, key.table)
        || !keepName({QStringLiteral("schema"), key.schema, {}, key.schema, {}, true})
        || !keepName({QStringLiteral("table"), key.schema, key.table, key.table, {}, true})
        || !keepObject({QStringLiteral("table"), key.schema, key.table, key.table, {}, true}))
        return nullptr;
    return m_db.findTable(key.schema, key.table);
}

const SchemaTable *DefinitionDiff::modelTable(const TableKey &key) const
{
    if (isVersionTable(key.schema, key.table)
        || !keepObject({QStringLiteral("table"), key.schema, key.table, key.table, {}, false}))
        return nullptr;
    // The models may name the default schema explicitly.
    if (const SchemaTable *t = m_models.findTable(key.schema, key.table))
        return t;
    if (key.schema.isEmpty() && !m_db.defaultSchemaName.isEmpty())
        return m_models.findTable(m_db.defaultSchemaName, key.table);
    return nullptr;
}

QVector<DefinitionDiff::TableKey> DefinitionDiff::tables() const
{
    QVector<TableKey> keys;
    auto add = [&](const TableKey &k) {
        if (!keys.contains(k))
            keys.append(k);
    };
    for (const SchemaNamespace &ns : m_db.schemas)
        for (const SchemaTable &t : ns.tables)
            if (databaseTable({ns.name, t.name}))
                add({ns.name, t.name});
    for (const SchemaNamespace &ns : m_models.schemas) {
        const QString schema = ns.name == m_db.defaultSchemaName ? QString() : ns.name;
        for (const SchemaTable &t : ns.tables)
            if (modelTable({schema, t.name}))
                add({schema, t.name});
    }
    std::sort(keys.begin(), keys.end(), [](const TableKey &a, const TableKey &b) {
        return a.schema != b.schema ? a.schema < b.schema : a.table < b.table;
    });
    return keys;
}

QStringList DefinitionDiff::databaseLines(const TableKey &key) const
{
    const SchemaTable *db = databaseTable(key);
    if (!db)
        return {};
    QStringList order;
    if (const SchemaTable *model = modelTable(key))
        for (const SchemaColumn &c : model->columns)
            order << c.name;
    return TableDefinitionText::lines(*db, key.schema, order);
}

QStringList DefinitionDiff::modelLines(const TableKey &key) const
{
    const SchemaTable *model = modelTable(key);
    return model ? TableDefinitionText::lines(*model, key.schema) : QStringList();
}

LineDiff::Rows DefinitionDiff::table(const TableKey &key) const
{
    return LineDiff::sideBySide(databaseLines(key), modelLines(key));
}

LineDiff::Rows DefinitionDiff::wholeSchema() const
{
    LineDiff::Rows rows;
    for (const TableKey &key : tables()) {
        if (!rows.isEmpty())
            rows.append({LineDiff::Same, QString(), QString(), -1, -1});
        rows += table(key);
    }
    return rows;
}

} // namespace retort
