#pragma once
// Beyond Alembic: what a rehearsal changed in the schema, as readable lines: every table
// that appeared, went or changed, listed like the studio's definition view
// (TableDefinitionText) with "+ " / "- " before added / removed lines and "  " before the
// table's unchanged header. Empty when nothing changed.

#include "schema/schemamodel.h"

#include <QStringList>

namespace retort {

class RehearsalSchemaDiff
{
public:
    static QStringList lines(const SchemaModel &before, const SchemaModel &after);
};

} // namespace retort
