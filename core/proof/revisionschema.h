#pragma once
// Beyond Alembic: the schema a revision gives, built by running base..REV on a scratch
// database (ScratchRun), and the schemas of two revisions for a comparison. "base" is the
// empty schema. Used by `retort schema dump --at`, `retort diff REV1 REV2` and the studio.

#include "result.h"
#include "schema/schemamodel.h"

#include <QPair>
#include <QString>

namespace retort {

class MigrationLogSink;
class Project;

class RevisionSchema
{
public:
    struct Options
    {
        QString url;          // --url / the studio's connection; "" = the project's
        bool sqlite = false;  // an SQLite scratch file whatever the dialect
    };

    static Result<SchemaModel> at(Project &project, MigrationLogSink &log, const Options &options,
                                  const QString &revision);
    // Both schemas on one scratch database when `to` can be reached from `from` by
    // upgrading, else on two.
    static Result<QPair<SchemaModel, SchemaModel>> pair(Project &project, MigrationLogSink &log,
                                                        const Options &options, const QString &from,
                                                        const QString &to);
};

} // namespace retort
