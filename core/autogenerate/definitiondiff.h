#pragma once
// Beyond Alembic: the database's and the models' definitions side by side, for one
// table or the whole compared schema (the studio's autogenerate review). Each table is
// listed by TableDefinitionText (the database's columns in the models' order) and the
// two listings are aligned by LineDiff; the whole schema is every compared table in
// (schema, name) order, a blank row between tables.
//
// The tables are the ones SchemaComparator compares: the version table, schemas left
// out by include_schemas and tables env.py's include_name / include_object reject
// (CompareOptions) are not listed.

#include "linediff.h"
#include "schemacomparator.h"

namespace retort {

class DefinitionDiff
{
public:
    struct TableKey
    {
        QString schema;   // "" = the default schema
        QString table;
        bool operator==(const TableKey &o) const { return schema == o.schema && table == o.table; }
    };

    DefinitionDiff(const SchemaModel &database, const SchemaModel &models, CompareOptions options = {});

    // The compared tables of both sides, sorted by (schema, name).
    QVector<TableKey> tables() const;
    // The table on each side; null when that side does not have it (or leaves it out).
    const SchemaTable *databaseTable(const TableKey &key) const;
    const SchemaTable *modelTable(const TableKey &key) const;

    // Empty listings for a side without the table: all its lines are added / removed.
    QStringList databaseLines(const TableKey &key) const;
    QStringList modelLines(const TableKey &key) const;
    LineDiff::Rows table(const TableKey &key) const;
    LineDiff::Rows wholeSchema() const;

private:
    bool keepName(const FilterTarget &target) const;
    bool keepObject(const FilterTarget &target) const;
    bool isVersionTable(const QString &schema, const QString &table) const;

    const SchemaModel &m_db;
    const SchemaModel &m_models;
    CompareOptions m_options;
};

} // namespace retort
