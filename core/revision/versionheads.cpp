#include "versionheads.h"

namespace retort {

namespace {

// Where Alembic fails an assert or a set.remove() and dies with a traceback.
RevisionError crash(const QString &what)
{
    RevisionError e;
    e.kind = RevisionError::Crash;
    e.message = what;
    return e;
}

RevisionError keyError(const QString &rev)
{
    return crash(QStringLiteral("KeyError: '%1'").arg(rev));
}

QStringList minus(const QStringList &list, const QStringList &remove)
{
    QStringList out;
    for (const QString &s : list)
        if (!remove.contains(s))
            out << s;
    return out;
}

} // namespace

VersionHeads::VersionHeads(const QStringList &heads)
{
    for (const QString &h : heads)
        if (!m_heads.contains(h))  // a Python set
            m_heads << h;
}

RevisionResult<QStringList> VersionHeads::ancestorsOfOtherRows(const RevisionGraph &graph,
                                                               const QStringList &except) const
{
    const QStringList others = minus(m_heads, except);
    if (others.isEmpty())
        return QStringList();
    auto nodes = graph.revisions(others);
    if (!nodes.ok())
        return nodes.error();
    auto anc = graph.ancestors(*nodes, true, false);
    if (!anc.ok())
        return anc.error();
    QStringList ids;
    for (const RevisionNode *n : *anc)
        ids << n->id();
    return ids;
}

RevisionResult<QStringList> VersionHeads::unmergeToRevisions(const RevisionGraph &graph,
                                                             const RevisionNode &rev) const
{
    auto implied = ancestorsOfOtherRows(graph, {rev.id()});
    if (!implied.ok())
        return implied.error();
    return minus(rev.normalizedDownRevisions(), *implied);
}

RevisionResult<QStringList> VersionHeads::mergeFromRevisions(const RevisionGraph &graph,
                                                             const RevisionNode &rev) const
{
    auto implied = ancestorsOfOtherRows(graph, rev.normalizedDownRevisions());
    if (!implied.ok())
        return implied.error();
    return minus(rev.normalizedDownRevisions(), *implied);
}

RevisionResult<bool> VersionHeads::insertVersion(const QString &rev, QVector<VersionTableOp> &ops)
{
    if (m_heads.contains(rev))
        return crash(QStringLiteral("AssertionError"));
    m_heads << rev;
    ops.append({VersionTableOp::Insert, QString(), rev});
    return true;
}

RevisionResult<bool> VersionHeads::deleteVersion(const QString &rev, QVector<VersionTableOp> &ops)
{
    if (!m_heads.removeOne(rev))
        return keyError(rev);
    ops.append({VersionTableOp::Delete, rev, QString()});
    return true;
}

RevisionResult<bool> VersionHeads::updateVersion(const QString &from, const QString &to,
                                                 QVector<VersionTableOp> &ops)
{
    if (m_heads.contains(to))
        return crash(QStringLiteral("AssertionError"));
    const int at = m_heads.indexOf(from);
    if (at < 0)
        return keyError(from);
    m_heads[at] = to;
    ops.append({VersionTableOp::Update, from, to});
    return true;
}

RevisionResult<bool> VersionHeads::mergeInto(const RevisionGraph &graph, const RevisionNode &rev,
                                             QVector<VersionTableOp> &ops)
{
    auto from = mergeFromRevisions(graph, rev);
    if (!from.ok())
        return from.error();
    if (from->isEmpty())
        return crash(QStringLiteral("IndexError: list index out of range"));
    for (int i = 0; i < from->size() - 1; ++i) {
        auto done = deleteVersion(from->at(i), ops);
        if (!done.ok())
            return done;
    }
    return updateVersion(from->last(), rev.id(), ops);
}

RevisionResult<bool> VersionHeads::unmergeFrom(const RevisionNode &rev, const QStringList &to,
                                               QVector<VersionTableOp> &ops)
{
    for (int i = 0; i < to.size() - 1; ++i) {
        auto done = insertVersion(to.at(i), ops);
        if (!done.ok())
            return done;
    }
    return updateVersion(rev.id(), to.last(), ops);
}

RevisionResult<bool> VersionHeads::updateAlong(const RevisionNode &rev, bool isUpgrade,
                                               QVector<VersionTableOp> &ops)
{
    const QStringList &downs = rev.normalizedDownRevisions();
    QString down;
    if (downs.size() == 1) {
        down = downs.first();
    } else {
        const QStringList present = minus(downs, minus(downs, m_heads));
        if (present.size() != 1)
            return crash(QStringLiteral(
                "AssertionError: Can't do an UPDATE because downrevision is ambiguous"));
        down = present.first();
    }
    return isUpgrade ? updateVersion(down, rev.id(), ops) : updateVersion(rev.id(), down, ops);
}

RevisionResult<QVector<VersionTableOp>> VersionHeads::applyRevisionStep(const RevisionGraph &graph,
                                                                        const RevisionNode &rev,
                                                                        bool isUpgrade)
{
    QVector<VersionTableOp> ops;
    const QStringList &downs = rev.normalizedDownRevisions();
    const int presentDowns = downs.size() - minus(downs, m_heads).size();
    const bool inHeads = m_heads.contains(rev.id());

    QStringList unmergeTo;
    if (!isUpgrade && inHeads && !downs.isEmpty()) {
        auto to = unmergeToRevisions(graph, rev);
        if (!to.ok())
            return to.error();
        unmergeTo = *to;
    }

    RevisionResult<bool> done = true;
    if (!isUpgrade && inHeads && (downs.isEmpty() || unmergeTo.isEmpty()))
        done = deleteVersion(rev.id(), ops);  // back to base, or the down revs stay implied
    else if (isUpgrade && presentDowns == 0)
        done = insertVersion(rev.id(), ops);  // a base, or no down revision is a row yet
    else if (isUpgrade && downs.size() > 1 && presentDowns > 1)
        done = mergeInto(graph, rev, ops);
    else if (!isUpgrade && inHeads && downs.size() > 1)
        done = unmergeFrom(rev, unmergeTo, ops);
    else
        done = updateAlong(rev, isUpgrade, ops);
    if (!done.ok())
        return done.error();
    return ops;
}

RevisionResult<QVector<VersionTableOp>> VersionHeads::applyStampStep(const QStringList &from,
                                                                     const QStringList &to,
                                                                     bool isUpgrade, bool branchMove)
{
    QVector<VersionTableOp> ops;
    RevisionResult<bool> done = true;
    const bool fromMissing = !minus(from, m_heads).isEmpty();
    const bool toMissing = !minus(to, m_heads).isEmpty();

    if (!isUpgrade && branchMove) {
        if (from.size() != 1)
            return crash(QStringLiteral("AssertionError"));
        done = deleteVersion(from.first(), ops);
    } else if (isUpgrade && (branchMove || fromMissing) && toMissing) {
        if (to.size() != 1)
            return crash(QStringLiteral("AssertionError"));
        done = insertVersion(to.first(), ops);
    } else if (from.size() > 1) {
        if (to.isEmpty())
            return crash(QStringLiteral("IndexError: tuple index out of range"));
        for (int i = 0; done.ok() && i < from.size() - 1; ++i)
            done = deleteVersion(from.at(i), ops);
        if (done.ok())
            done = updateVersion(from.last(), to.first(), ops);
    } else if (to.size() > 1) {
        if (from.isEmpty())
            return crash(QStringLiteral("IndexError: tuple index out of range"));
        for (int i = 0; done.ok() && i < to.size() - 1; ++i)
            done = insertVersion(to.at(i), ops);
        if (done.ok())
            done = updateVersion(from.first(), to.last(), ops);
    } else {
        if (from.size() != 1 || to.size() != 1)
            return crash(QStringLiteral("AssertionError"));
        done = updateVersion(from.first(), to.first(), ops);
    }
    if (!done.ok())
        return done.error();
    return ops;
}

} // namespace retort
