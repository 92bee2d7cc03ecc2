#include "historymodel.h"

#include <QDir>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

namespace retort {

HistoryModel::HistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void HistoryModel::setGraph(const RevisionGraph &graph)
{
    beginResetModel();
    m_graph = graph;
    m_layout = GraphLayout::compute(m_graph);
    recomputeApplied();
    endResetModel();
}

void HistoryModel::clear()
{
    beginResetModel();
    m_graph = RevisionGraph();
    m_layout = GraphLayout();
    m_dbHeads.clear();
    m_engineHeads.clear();
    m_dbKnown = false;
    recomputeApplied();
    endResetModel();
}

void HistoryModel::setEngineHeads(const QMap<QString, QStringList> &heads, const QString &shown)
{
    m_engineHeads = heads;
    m_shownEngine = shown;
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit databaseStateChanged();
}

QStringList HistoryModel::enginesAt(int row) const
{
    QStringList out;
    if (m_engineHeads.isEmpty())
        return out;
    const QString id = revisionAt(row);
    for (auto it = m_engineHeads.cbegin(); it != m_engineHeads.cend(); ++it)
        if (it.value().contains(id))
            out << it.key();
    return out;
}

void HistoryModel::setDatabaseHeads(const QStringList &heads, bool known)
{
    m_dbHeads = heads;
    m_dbKnown = known;
    if (!known) {
        m_changedScripts.clear();
        m_unrecordedScripts.clear();
    }
    recomputeApplied();
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit databaseStateChanged();
}

void HistoryModel::recomputeApplied()
{
    m_applied.clear();
    m_unknownHeads.clear();
    RevisionNodes current;
    for (const QString &id : std::as_const(m_dbHeads)) {
        if (const RevisionNode *node = m_graph.node(id))
            current << node;
        else
            m_unknownHeads << id;
    }
    // Applied = the current revisions and everything upgrade ran to reach them,
    // dependencies included (Alembic's _get_ancestor_nodes with dependencies).
    if (!current.isEmpty()) {
        auto ancestors = m_graph.ancestors(current, true);
        if (ancestors.ok()) {
            for (const RevisionNode *node : *ancestors) {
                if (node && !node->isBaseMarker())
                    m_applied.insert(node->id());
            }
        }
    }
}

QString HistoryModel::revisionAt(int row) const
{
    if (row < 0 || row >= m_layout.rowCount())
        return {};
    return m_layout.row(row).node->id();
}

HistoryModel::Flags HistoryModel::flagsAt(int row) const
{
    Flags f;
    if (row < 0 || row >= m_layout.rowCount())
        return f;
    const RevisionNode *node = m_layout.row(row).node;
    if (node->isHead())
        f |= Head;
    if (node->isBase())
        f |= Base;
    if (node->isMergePoint())
        f |= Merge;
    if (node->isBranchPoint())
        f |= BranchPoint;
    if (m_dbHeads.contains(node->id()))
        f |= Current;
    if (m_dbKnown)
        f |= m_applied.contains(node->id()) ? Applied : Pending;
    // Only while applied: heads moved by a run since the audit leave no stale mark behind.
    if (m_applied.contains(node->id()) && m_changedScripts.contains(node->id()))
        f |= ChangedSinceApplied;
    if (m_applied.contains(node->id()) && m_unrecordedScripts.contains(node->id()))
        f |= NoChecksum;
    return f;
}

void HistoryModel::setScriptChecksums(const QStringList &changed, const QStringList &unrecorded)
{
    m_changedScripts = QSet<QString>(changed.begin(), changed.end());
    m_unrecordedScripts = QSet<QString>(unrecorded.begin(), unrecorded.end());
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit databaseStateChanged();
}

QString HistoryModel::flagsText(Flags flags)
{
    QStringList out;
    if (flags & Current)
        out << tr("current");
    if (flags & Pending)
        out << tr("pending");
    if (flags & Head)
        out << tr("head");
    if (flags & Base)
        out << tr("base");
    if (flags & Merge)
        out << tr("merge");
    if (flags & BranchPoint)
        out << tr("branchpoint");
    if (flags & ChangedSinceApplied)
        out << tr("changed since applied");
    if (flags & NoChecksum)
        out << tr("no checksum");
    return out.join(QStringLiteral(", "));
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_layout.rowCount();
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_layout.rowCount())
        return {};
    const RevisionNode *node = m_layout.row(index.row()).node;
    switch (role) {
    case RevisionIdRole:
        return node->id();
    case FlagsRole:
        return int(flagsAt(index.row()));
    case PathRole:
        return node->path();
    case Qt::FontRole:
        if (index.column() == RevisionColumn || index.column() == ParentsColumn) {
            QFont f = QGuiApplication::font();
            f.setFamily(QStringLiteral("monospace"));
            f.setStyleHint(QFont::Monospace);
            f.setBold(flagsAt(index.row()) & Current);
            return f;
        }
        return {};
    case Qt::ForegroundRole:
        if (flagsAt(index.row()) & Pending)
            return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::ToolTipRole: {
        const QString tip = node->longDoc().isEmpty() ? node->path() : node->longDoc();
        if (flagsAt(index.row()) & ChangedSinceApplied)
            return tr("The script's upgrade() changed since this revision was applied.") + QLatin1Char('\n') + tip;
        return tip;
    }
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case RevisionColumn:
        return node->id();
    case ParentsColumn:
        return node->downRevisions().join(QStringLiteral(", "));
    case BranchesColumn:
        return node->branchLabels().join(QStringLiteral(", "));
    case MessageColumn:
        return node->doc();
    case FlagsColumn:
        return flagsText(flagsAt(index.row()));
    case PathColumn:
        return QDir::toNativeSeparators(m_projectDir.isEmpty()
                                            ? node->path()
                                            : QDir(m_projectDir).relativeFilePath(node->path()));
    }
    return {};
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RevisionColumn: return tr("Revision");
    case ParentsColumn: return tr("Parents");
    case BranchesColumn: return tr("Branch labels");
    case MessageColumn: return tr("Message");
    case FlagsColumn: return tr("Flags");
    case PathColumn: return tr("Path");
    }
    return {};
}

} // namespace retort
