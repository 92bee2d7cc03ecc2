#pragma once
// Beyond Alembic: a whole SchemaModel as readable text (`retort schema dump --at REV`,
// the studio's "Schema at This Revision"), and what one schema gains and loses against
// another (`retort diff REV1 REV2`, `retort verify`'s findings). Tables use
// TableDefinitionText's listing, so both sides of a comparison are written the same way:
//
//   TABLE posts
//       id INTEGER NOT NULL
//       PRIMARY KEY (id)
//
//   ENUM mood ('sad', 'happy')        (PostgreSQL)
//   VIEW recent_posts
//
// The diff lists each table, enum or view that differs, its lines prefixed "+ " (gained),
// "- " (lost) or "  " (unchanged, for context). Empty when the schemas agree.

#include "schema/schemamodel.h"

#include <QStringList>

namespace retort {

class SchemaText
{
public:
    static QStringList lines(const SchemaModel &schema);
    static QStringList diff(const SchemaModel &before, const SchemaModel &after);
    // Counts for a summary line: objects (tables, enums, views) gained, lost, changed.
    struct Summary
    {
        int added = 0;
        int removed = 0;
        int changed = 0;
        bool isEmpty() const { return added + removed + changed == 0; }
    };
    static Summary summarize(const SchemaModel &before, const SchemaModel &after);
};

} // namespace retort
