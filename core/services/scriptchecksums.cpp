#include "scriptchecksums.h"

#include "revision/revisiongraph.h"
#include "revision/revisionnode.h"
#include "script/upgradechecksum.h"

namespace retort {

namespace {

// The script's upgrade() checksum now, or "" when it cannot be taken (no source).
QString checksumOf(const RevisionGraph &graph, const QString &revision)
{
    const RevisionNode *node = graph.node(revision);
    if (!node)
        return {};
    Result<QString> sum = UpgradeChecksum::ofFile(node->path());
    return sum ? *sum : QString();
}

void record(const RevisionGraph &graph, const QString &revision, ScriptChecksumChange &change)
{
    const QString sum = checksumOf(graph, revision);
    if (!sum.isEmpty())
        change.record.insert(revision, sum);
}

} // namespace

QString ChecksumFinding::message() const
{
    return kind == Changed
        ? QStringLiteral("%1 (%2): script changed since applied").arg(revision, path)
        : QStringLiteral("%1 (%2): applied before Retort recorded checksums (no checksum)").arg(revision, path);
}

QSet<QString> ScriptChecksums::applied(const RevisionGraph &graph, const QStringList &heads)
{
    RevisionNodes targets;
    for (const QString &id : heads)
        if (const RevisionNode *node = graph.node(id))
            targets << node;
    QSet<QString> out;
    if (targets.isEmpty())
        return out;
    auto nodes = graph.ancestors(targets, true);
    if (!nodes)
        return out;
    for (const RevisionNode *node : nodes.value())
        if (node && node != RevisionGraph::baseMarker())
            out.insert(node->id());
    return out;
}

QVector<ScriptChecksumChange> ScriptChecksums::forPlan(const RevisionGraph &graph, const MigrationPlan &plan)
{
    QVector<ScriptChecksumChange> out(plan.steps.size());
    for (int i = 0; i < plan.steps.size(); ++i) {
        const MigrationStep &step = plan.steps.at(i);
        ScriptChecksumChange &change = out[i];
        if (step.kind == MigrationStep::Upgrade) {
            record(graph, step.revision, change);
        } else if (step.kind == MigrationStep::Downgrade) {
            change.remove << step.revision;
        } else {
            const QSet<QString> before = applied(graph, plan.headsBefore(i));
            const QSet<QString> after = applied(graph, plan.headsBefore(i + 1));
            for (const QString &id : after)
                if (!before.contains(id))
                    record(graph, id, change);
            for (const QString &id : before)
                if (!after.contains(id))
                    change.remove << id;
        }
    }
    return out;
}

Result<QVector<ChecksumFinding>> ScriptChecksums::audit(DatabaseConnection &connection,
                                                       const VersionTableOptions &versionTable,
                                                       const RevisionGraph &graph, const QStringList &heads)
{
    ScriptChecksumTable table(connection, versionTable);
    Result<QHash<QString, QString>> recorded = table.read();
    if (!recorded)
        return recorded.error();
    const QSet<QString> done = applied(graph, heads);
    QVector<ChecksumFinding> out;
    for (const RevisionNode *node : graph.nodes()) {
        if (!node || !done.contains(node->id()))
            continue;
        ChecksumFinding f;
        f.revision = node->id();
        f.path = node->path();
        const auto it = recorded->constFind(node->id());
        if (it == recorded->cend()) {
            f.kind = ChecksumFinding::NotRecorded;
            out << f;
            continue;
        }
        const QString now = checksumOf(graph, node->id());
        if (!now.isEmpty() && now != *it) {
            f.kind = ChecksumFinding::Changed;
            out << f;
        }
    }
    return out;
}

} // namespace retort
