#include "revisionschema.h"

#include "proof/scratchrun.h"

#include "revision/revisiongraph.h"
#include "revision/revisionnode.h"

namespace retort {

namespace {

// True when every revision `from` stands for is an ancestor of (or is) `to`.
bool descends(const RevisionGraph &graph, const QString &to, const QString &from)
{
    if (from == QLatin1String("base"))
        return true;
    auto fromNodes = graph.walkRevisions({QStringLiteral("base")}, {from});
    auto toNodes = graph.walkRevisions({QStringLiteral("base")}, {to});
    if (!fromNodes || !toNodes)
        return false;
    for (const RevisionNode *n : *fromNodes)
        if (!toNodes->contains(n))
            return false;
    return true;
}

} // namespace

Result<SchemaModel> RevisionSchema::at(Project &project, MigrationLogSink &log, const Options &options,
                                       const QString &revision)
{
    ScratchRun run(project, log);
    if (auto opened = run.open(options.url, options.sqlite); !opened)
        return opened.error();
    if (auto up = run.upgradeTo(revision); !up)
        return up.error();
    auto schema = run.introspect();
    if (auto closed = run.close(); !closed)
        return closed.error();
    return schema;
}

Result<QPair<SchemaModel, SchemaModel>> RevisionSchema::pair(Project &project, MigrationLogSink &log,
                                                             const Options &options, const QString &from,
                                                             const QString &to)
{
    ScratchRun run(project, log);
    if (auto opened = run.open(options.url, options.sqlite); !opened)
        return opened.error();
    if (auto up = run.upgradeTo(from); !up)
        return up.error();
    auto first = run.introspect();
    if (!first)
        return first.error();
    // `to` an ancestor of `from`, or on another branch: its own scratch database (an
    // upgrade would keep `from`'s branch applied).
    if (!descends(run.graph(), to, from)) {
        if (auto closed = run.close(); !closed)
            return closed.error();
        auto second = at(project, log, options, to);
        if (!second)
            return second.error();
        return qMakePair(*first, *second);
    }
    if (auto up = run.upgradeTo(to); !up)
        return up.error();
    auto second = run.introspect();
    if (!second)
        return second.error();
    if (auto closed = run.close(); !closed)
        return closed.error();
    return qMakePair(*first, *second);
}

} // namespace retort
